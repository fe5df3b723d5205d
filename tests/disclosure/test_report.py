"""The annual report's tables add up, whatever the cases (a property), and count each case once."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.report import (
    CaseFact,
    PolicyFact,
    ReviewFact,
    applications_table,
    decisions_table,
    policies_table,
    report_tables,
    reviews_table,
)
from disclosure.rules import ApplicantKind, Outcome, OutcomeGroup, ReviewResult, outcomes_in

YEAR = 2025
days = st.dates(min_value=dt.date(2023, 6, 1), max_value=dt.date(2026, 6, 30))


@st.composite
def cases(draw):
    received = draw(days)
    answered = draw(st.one_of(st.none(), st.integers(0, 90).map(lambda n: received + dt.timedelta(days=n))))
    return CaseFact(
        applicant_kind=draw(st.sampled_from(list(ApplicantKind))).value,
        received_on=received,
        answered_on=answered,
        outcome=draw(st.sampled_from(list(Outcome))).value if answered else "",
    )


def by_key(rows):
    return {row["key"]: row for row in rows}


# Generation is judged slow on a busy shared machine; the examples themselves are what matter.
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(facts=st.lists(cases(), max_size=60))
def test_the_applications_table_adds_up_by_row_and_by_column(facts):
    rows = applications_table(facts, year=YEAR)
    numbered = [row for row in rows if row["cells"] is not None]
    for row in numbered:
        assert row["total"] == sum(row["cells"])
        assert len(row["cells"]) == len(ApplicantKind)
    table = by_key(rows)
    outcome_rows = [table[outcome.value] for outcome in Outcome]
    for column in range(len(ApplicantKind)):
        results = sum(row["cells"][column] for row in outcome_rows)
        assert table["answered_total"]["cells"][column] == results
        # What came in (new + carried in) is either answered this year or carried to the next.
        came_in = table["new"]["cells"][column] + table["carried_in"]["cells"][column]
        assert came_in == results + table["carried_out"]["cells"][column]


def test_every_outcome_has_its_row_under_its_group_in_the_report_order():
    labels = [row["label"] for row in applications_table([], year=YEAR)]
    assert labels[3] == "（一）予以公开"
    assert labels[5:7] == ["（三）不予公开", "1.属于国家秘密"]
    assert "3.危及“三安全一稳定”" in labels and "5.要求行政机关确认或重新出具已获取信息" in labels
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert len([label for label in labels if label[0].isdigit()]) == 8 + 3 + 5 + 3
    assert len(outcomes_in(OutcomeGroup.OTHER)) == 3


def test_a_case_from_december_answered_in_january_is_carried_over_once():
    case = CaseFact(ApplicantKind.RESEARCH, dt.date(2024, 12, 20), dt.date(2025, 1, 10), Outcome.DISCLOSED)
    before, after = by_key(applications_table([case], year=2024)), by_key(applications_table([case], year=2025))
    assert before["new"]["total"] == 1 and before["carried_out"]["total"] == 1
    assert after["carried_in"]["total"] == 1 and after["disclosed"]["total"] == 1 and after["new"]["total"] == 0
    assert after["carried_in"]["cells"][2] == 1  # the 科研机构 column


def test_reviews_pending_at_the_years_end_count_as_pending():
    reviews = [
        ReviewFact("reconsideration", False, dt.date(2025, 3, 1), ReviewResult.UPHELD, dt.date(2025, 5, 1)),
        ReviewFact("reconsideration", False, dt.date(2025, 11, 1), ReviewResult.CORRECTED, dt.date(2026, 2, 1)),
        ReviewFact("litigation", True, dt.date(2025, 6, 1), ReviewResult.OTHER, dt.date(2025, 9, 1)),
    ]
    table = reviews_table(reviews, year=YEAR)
    assert table["reconsideration"] == [1, 0, 0, 1, 2]
    assert table["litigation_after_reconsideration"] == [0, 0, 1, 0, 1]
    assert table["direct_litigation"] == [0, 0, 0, 0, 0]


@st.composite
def policies(draw):
    written = draw(days)
    repealed = draw(st.one_of(st.none(), st.integers(0, 800).map(lambda n: written + dt.timedelta(days=n))))
    return PolicyFact(kind=draw(st.sampled_from(["law", "regulation", "normative", "other"])), written_on=written,
                      repealed_on=repealed)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(facts=st.lists(policies(), max_size=60))
def test_policies_in_force_are_last_years_plus_issued_minus_repealed(facts):
    this, last = by_key(policies_table(facts, year=YEAR)), by_key(policies_table(facts, year=YEAR - 1))
    assert list(this) == ["regulation", "normative"]  # 法律法规 and other documents are not the office's to count
    for kind in this:
        assert this[kind]["in_force"] == last[kind]["in_force"] + this[kind]["issued"] - this[kind]["repealed"]
        assert this[kind]["issued"] == sum(f.kind == kind and f.written_on.year == YEAR for f in facts)


def test_the_rules_and_normative_documents_are_counted_by_their_kind_not_their_number():
    facts = [
        PolicyFact("regulation", dt.date(2025, 3, 1), None),
        PolicyFact("regulation", dt.date(2020, 3, 1), dt.date(2025, 7, 1)),  # repealed this year
        PolicyFact("normative", dt.date(2024, 3, 1), None),
        PolicyFact("law", dt.date(2025, 3, 1), None),
    ]
    rows = by_key(policies_table(facts, year=YEAR))
    assert (rows["regulation"]["issued"], rows["regulation"]["repealed"], rows["regulation"]["in_force"]) == (1, 1, 1)
    assert (rows["normative"]["issued"], rows["normative"]["in_force"]) == (0, 1)


def test_licence_decisions_are_counted_and_the_rows_the_system_cannot_know_are_left_to_the_narrative():
    rows = {row["label"]: row for row in decisions_table(licence_decisions=7)}
    assert rows["行政许可"]["value"] == 7 and rows["行政许可"]["basis"] == "第二十条第（五）项"
    for label in ("行政处罚", "行政强制", "行政事业性收费"):
        assert rows[label]["value"] is None and not rows[label]["computed"]
    assert report_tables(year=YEAR, cases=[], reviews=[], policies=[], licence_decisions=3)["decisions"][0]["value"] == 3
