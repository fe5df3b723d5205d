"""The catalog's rules, tested without a database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opendata import rules
from opendata.ingest import IngestError, detect_encoding
from opendata.rules import Classification, FieldSpec, FieldType, OpenType, ShareType


@pytest.mark.parametrize("classification", [Classification.SECRET, Classification.CONFIDENTIAL,
                                            Classification.TOP_SECRET])
def test_only_non_secret_resources_may_be_published(classification):
    assert rules.can_publish(classification=Classification.NON_SECRET)
    assert not rules.can_publish(classification=classification)
    errors = rules.dataset_errors(live=True, classification=classification, share_type=ShareType.UNCONDITIONAL,
                                  share_condition="", open_type=OpenType.OPEN, open_condition="",
                                  temporal_start=None, temporal_end=None)
    assert errors["classification"] == rules.PUBLISH_REFUSED


def test_a_classified_draft_is_allowed_but_conditions_and_dates_are_checked():
    errors = rules.dataset_errors(live=False, classification=Classification.SECRET,
                                  share_type=ShareType.CONDITIONAL, share_condition=" ",
                                  open_type=OpenType.CONDITIONAL, open_condition="",
                                  temporal_start=dt.date(2025, 1, 1), temporal_end=dt.date(2024, 1, 1))
    assert set(errors) == {"share_condition", "open_condition", "temporal_end"}


def test_closed_and_classified_datasets_are_never_listed_and_only_open_data_is_public():
    assert rules.publicly_listed(open_type=OpenType.OPEN, classification=Classification.NON_SECRET)
    assert rules.publicly_listed(open_type=OpenType.CONDITIONAL, classification=Classification.NON_SECRET)
    assert not rules.publicly_listed(open_type=OpenType.CLOSED, classification=Classification.NON_SECRET)
    assert not rules.publicly_listed(open_type=OpenType.OPEN, classification=Classification.SECRET)
    assert rules.data_is_public(open_type=OpenType.OPEN)
    assert not rules.data_is_public(open_type=OpenType.CONDITIONAL)


@pytest.mark.parametrize(("value", "kind", "expected"), [
    ("1,234.50", FieldType.DECIMAL, "1234.5"),
    ("-0.00", FieldType.DECIMAL, "0"),
    ("42", FieldType.INTEGER, 42),
    ("2025年3月1日", FieldType.DATE, "2025-03-01"),
    ("2025/3/1", FieldType.DATE, "2025-03-01"),
    (dt.datetime(2025, 3, 1, 8, 0), FieldType.DATE, "2025-03-01"),
    ("是", FieldType.BOOLEAN, True),
    ("false", FieldType.BOOLEAN, False),
    ("  ", FieldType.INTEGER, None),
    (12.0, FieldType.STRING, "12"),
])
def test_values_convert_to_their_stored_form(value, kind, expected):
    assert rules.convert(value, kind) == expected


@pytest.mark.parametrize(("value", "kind"), [("abc", FieldType.DECIMAL), ("1.5", FieldType.INTEGER),
                                             ("2025-02-30", FieldType.DATE), ("也许", FieldType.BOOLEAN),
                                             ("1e400", FieldType.DECIMAL)])
def test_values_that_do_not_fit_their_type_are_refused_with_a_reason(value, kind):
    with pytest.raises(ValueError, match="不是|超出"):
        rules.convert(value, kind)


def test_type_inference_keeps_codes_with_leading_zeros_as_text():
    guesses = {name: rules.TypeGuess() for name in ("code", "amount", "count", "day", "flag")}
    for code, amount, count, day, flag in [("000014349", "12.5", "3", "2025-01-01", "是"),
                                           ("000014350", "7", "", "2025-02-01", "否")]:
        for name, value in zip(guesses, (code, amount, count, day, flag)):
            guesses[name].observe(value)
    assert {name: guess.type for name, guess in guesses.items()} == {
        "code": FieldType.STRING, "amount": FieldType.DECIMAL, "count": FieldType.INTEGER,
        "day": FieldType.DATE, "flag": FieldType.BOOLEAN,
    }


@given(st.text(min_size=1))
def test_neutralised_text_never_starts_a_formula(text):
    result = rules.neutralise(text)
    assert not result.startswith(rules.FORMULA_PREFIXES)
    assert result.endswith(text)


def test_indexed_fields_get_typed_slots_four_of_each_kind():
    fields = [FieldSpec(f"t{i}", type=FieldType.STRING, indexed=True) for i in range(5)]
    fields += [FieldSpec("amount", type=FieldType.DECIMAL, indexed=True), FieldSpec("note")]
    slots = rules.assign_slots(fields)
    assert slots == {"t0": "k1", "t1": "k2", "t2": "k3", "t3": "k4", "amount": "n1"}
    assert any("最多 4 个" in error for error in rules.data_field_errors(fields))


@pytest.mark.parametrize("name", ["_connector", "a__b", "1st", "金额（万元）", ""])
def test_field_names_that_would_clash_with_api_syntax_are_refused(name):
    assert rules.field_name_error(name)


def test_headers_become_field_names():
    assert rules.header_to_name("金额（万元）") == "金额万元"
    assert rules.header_to_name("Budget Year") == "budget_year"
    assert rules.header_to_name("2025年") == "年"


def test_encoding_detection_prefers_bom_then_utf8_then_gbk():
    text = "年份,省份,金额\n2025,广东省,1234.5\n"
    assert detect_encoding(b"\xef\xbb\xbf" + text.encode(), complete=True) == "utf-8-sig"
    assert detect_encoding(text.encode(), complete=True) == "utf-8"
    assert detect_encoding(text.encode("gbk"), complete=True) == "gbk"
    assert detect_encoding("𠀀,金额\n".encode("gb18030"), complete=True) == "gb18030"


def test_undecodable_bytes_are_refused_with_a_message():
    with pytest.raises(IngestError, match="字符编码"):
        detect_encoding(bytes(range(128, 256)) * 4 + b"\x00\xff\xfe\x81\x30", complete=True)
