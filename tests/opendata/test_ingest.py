"""Importing CSV, XLSX and JSON files into the store: encodings, inferred and declared schemas, atomicity."""

import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from opendata import store
from opendata.ingest import IngestError, resource_ingest
from opendata.models import DatasetPage, Resource, ResourceRow
from opendata.rules import FieldType, ResourceStatus
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, declare, ingested, upload


@pytest.fixture
def dataset(open_data):
    return DatasetPageFactory(parent=open_data)


def rows_of(resource):
    return store.first_rows(resource=resource, limit=100)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030", "utf-8"])
def test_csv_in_the_usual_chinese_encodings_is_read_with_its_headers(dataset, encoding):
    resource = ingested(dataset, BUDGET_CSV.encode(encoding))
    assert resource.status == ResourceStatus.READY
    assert resource.encoding == {"gb18030": "gbk"}.get(encoding, encoding)  # GBK text is byte-identical
    assert resource.row_count == 4
    assert [item["label"] for item in resource.schema] == ["月份", "科目", "金额（亿元）", "同比增长（%）"]
    assert rows_of(resource)[0] == {"月份": "2025-01-31", "科目": "税收收入", "金额亿元": "18845.6", "同比增长": "-4.5"}


def test_gb18030_only_characters_survive(dataset):
    content = "姓名,单位\n𠀀先生,财政部\n".encode("gb18030")
    resource = ingested(dataset, content)
    assert resource.encoding == "gb18030"
    assert rows_of(resource)[0]["姓名"] == "𠀀先生"


def test_inferred_schema_types_and_slots(dataset):
    resource = ingested(dataset, BUDGET_CSV.encode())
    types = {item["name"]: (item["type"], item["slot"]) for item in resource.schema}
    assert types == {"月份": (FieldType.DATE, "k1"), "科目": (FieldType.STRING, "k2"),
                     "金额亿元": (FieldType.DECIMAL, "n1"), "同比增长": (FieldType.DECIMAL, "n2")}
    row = ResourceRow.objects.get(resource=resource, row_number=3)
    assert (row.k1, row.k2, float(row.n1)) == ("2025-02-28", "税收收入", 30376.3)


def test_declared_fields_name_the_columns_and_set_their_types(dataset):
    declare(dataset, ("month", "月份", FieldType.DATE, True), ("item", "科目", FieldType.STRING, True),
            ("amount", "金额（亿元）", FieldType.DECIMAL, True), ("growth", "同比增长（%）", FieldType.DECIMAL))
    dataset = DatasetPage.objects.get(pk=dataset.pk)
    resource = ingested(dataset, BUDGET_CSV.encode())
    assert [item["name"] for item in resource.schema] == ["month", "item", "amount", "growth"]
    assert [item["slot"] for item in resource.schema] == ["k1", "k2", "n1", ""]
    assert rows_of(resource)[1] == {"month": "2025-01-31", "item": "非税收入", "amount": "2987.1", "growth": "3.2"}


def test_a_value_that_does_not_fit_its_declared_type_names_row_and_column(dataset):
    declare(dataset, ("month", "月份", FieldType.DATE), ("item", "科目", FieldType.STRING),
            ("amount", "金额（亿元）", FieldType.DECIMAL), ("growth", "同比增长（%）", FieldType.DECIMAL))
    dataset = DatasetPage.objects.get(pk=dataset.pk)
    bad = BUDGET_CSV.replace("2987.1", "约三千").encode()
    with pytest.raises(IngestError) as caught:
        ingested(dataset, bad)
    assert "第 3 行第 3 列" in caught.value.message
    assert "金额（亿元）" in caught.value.message and "约三千" in caught.value.message


def test_a_malformed_csv_leaves_the_previous_rows_and_says_where_it_failed(dataset):
    resource = ingested(dataset, BUDGET_CSV.encode())
    before = rows_of(resource)
    first_file = resource.file.name
    malformed = BUDGET_CSV + "2025-03-31,税收收入\n"
    with pytest.raises(IngestError) as caught:
        resource_ingest(resource=resource, upload=upload(malformed.encode("gbk")), filename="new.csv")
    assert "第 6 行第 3 列" in caught.value.message
    resource.refresh_from_db()
    assert rows_of(resource) == before
    assert resource.row_count == 4
    assert resource.file.name == first_file and resource.file.storage.exists(first_file)
    assert resource.status == ResourceStatus.FAILED
    assert "第 6 行" in resource.error_message
    # The rejected file was not kept.
    assert [path.name for path in Path(resource.file.path).parent.iterdir()] == [Path(first_file).name]


def test_an_unterminated_quote_names_the_line(dataset):
    with pytest.raises(IngestError, match="第 3 行"):
        ingested(dataset, b'a,b\n1,2\n3,"4\n5,6\n')
    assert not Resource.objects.filter(row_count__gt=0).exists()


def test_a_second_import_replaces_the_rows(dataset):
    resource = ingested(dataset, BUDGET_CSV.encode())
    replacement = "月份,科目,金额（亿元）,同比增长（%）\n2025-04-30,税收收入,1.5,2\n"
    resource_ingest(resource=resource, upload=upload(replacement.encode()), filename="b.csv")
    resource.refresh_from_db()
    assert resource.row_count == 1
    assert ResourceRow.objects.filter(resource=resource).count() == 1


def test_a_reupload_keeps_the_established_types_and_columns(dataset):
    resource = ingested(dataset, BUDGET_CSV.encode())
    with pytest.raises(IngestError, match="第 2 行第 3 列"):
        resource_ingest(resource=resource, upload=upload(BUDGET_CSV.replace("18845.6", "暂缺").encode()),
                        filename="c.csv")
    with pytest.raises(IngestError, match="缺少"):
        resource_ingest(resource=resource, upload=upload("月份,科目\n2025-04-30,税收收入\n".encode()), filename="d.csv")
    assert ResourceRow.objects.filter(resource=resource).count() == 4


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "收支"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_is_read_with_typed_cells(dataset):
    import datetime as dt

    content = _xlsx([["省份", "金额（万元）", "日期"], ["广东省", 1234.5, dt.datetime(2025, 1, 31)],
                     ["浙江省", 88, dt.datetime(2025, 2, 28)], [None, None, None]])
    resource = ingested(dataset, content, "transfer.xlsx")
    assert resource.row_count == 2
    assert [item["type"] for item in resource.schema] == [FieldType.STRING, FieldType.DECIMAL, FieldType.DATE]
    assert rows_of(resource)[0] == {"省份": "广东省", "金额万元": "1234.5", "日期": "2025-01-31"}


def test_xlsx_with_a_formula_is_refused_naming_the_cell(dataset):
    content = _xlsx([["省份", "金额"], ["广东省", 1], ["合计", "=SUM(B2:B2)"]])
    with pytest.raises(IngestError) as caught:
        ingested(dataset, content, "sum.xlsx")
    assert "B3" in caught.value.message and "公式" in caught.value.message


def test_a_broken_xlsx_is_refused(dataset):
    with pytest.raises(IngestError, match="XLSX"):
        ingested(dataset, b"not a zip", "broken.xlsx")


def test_json_list_of_objects(dataset):
    records = [{"省份": "广东省", "金额": 1234.5, "是否直达": True}, {"省份": "浙江省", "金额": 88}]
    resource = ingested(dataset, json.dumps(records, ensure_ascii=False).encode(), "transfer.json")
    assert resource.row_count == 2
    assert rows_of(resource) == [{"省份": "广东省", "金额": "1234.5", "是否直达": True},
                                 {"省份": "浙江省", "金额": "88", "是否直达": None}]


@pytest.mark.parametrize(("content", "message"), [
    (b'{"a": 1}', "对象数组"),
    (b'[{"a": {"b": 1}}]', "第 1 条记录的“a”字段是嵌套"),
    (b'[{"a": 1},', "JSON 格式有误"),
])
def test_bad_json_is_refused_with_a_message(dataset, content, message):
    with pytest.raises(IngestError, match=message):
        ingested(dataset, content, "bad.json")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(dataset, settings):
    settings.OPENDATA_UPLOAD_MAX_BYTES = 10
    with pytest.raises(IngestError) as caught:
        ingested(dataset, BUDGET_CSV.encode())
    assert caught.value.status == 413 and "超过上限" in caught.value.message


def test_unsupported_file_types_and_bad_headers_are_refused(dataset):
    with pytest.raises(IngestError, match="不支持"):
        ingested(dataset, b"x", "data.pdf")
    with pytest.raises(IngestError, match="列标题为空"):
        ingested(dataset, b"a,,c\n1,2,3\n")
    with pytest.raises(IngestError, match="重复"):
        ingested(dataset, b"a,a\n1,2\n")


def test_import_moves_the_datasets_update_date_forward(dataset):
    import datetime as dt

    DatasetPage.objects.filter(pk=dataset.pk).update(updated_on=dt.date(2020, 1, 1))
    ingested(dataset, BUDGET_CSV.encode())
    assert DatasetPage.objects.get(pk=dataset.pk).updated_on > dt.date(2020, 1, 1)


def test_reingest_uses_the_stored_file(dataset):
    resource = ingested(dataset, BUDGET_CSV.encode())
    ResourceRow.objects.filter(resource=resource).delete()
    resource_ingest(resource=Resource.objects.get(pk=resource.pk))
    assert ResourceRow.objects.filter(resource=resource).count() == 4


def test_keyset_pages_over_an_indexed_field(dataset):
    lines = ["序号,金额"] + [f"{i},{(i * 37) % 11}" for i in range(1, 41)]
    resource = ingested(dataset, "\n".join(lines).encode())
    seen, after = [], None
    while True:
        rows, after = store.rows_page(resource=resource, sort="金额", after=after, limit=7)
        seen += [(row.data["金额"], row.row_number) for row in rows]
        if after is None:
            break
    assert len(seen) == 40
    assert seen == sorted(seen, key=lambda pair: (int(pair[0]), pair[1]))
    filtered = store.filtered(resource=resource, conditions=[store.Condition("金额", "gte", 10)])
    assert {row.data["金额"] for row in filtered} == {10}
