"""The store's query plans (issue 16): rows chosen in the index and then read give the same pages as rows read
whole, and a filtered total is counted once per version of the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opendata import store
from opendata.api.rows import parse_rows_query
from opendata.ingest import resource_ingest
from opendata.models import DatasetPage
from opendata.rules import FieldType
from tests.opendata.factories import DatasetPageFactory, declare, ingested, upload

REGIONS = ("北京市", "河北省", "山西省", "辽宁省", "江苏省")


def contracts_csv(rows: int, *, regions=REGIONS) -> bytes:
    lines = ["合同编号,地区,品目类别,合同金额（元）"]
    for n in range(1, rows + 1):
        amount = "" if n % 11 == 0 else f"{(n * 7919) % 1000}.50"  # unordered amounts, some empty, many equal
        lines.append(f"HT{n:06d},{regions[n % len(regions)]},{('货物', '工程', '服务')[n % 3]},{amount}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def contracts(open_data):
    dataset = DatasetPageFactory(parent=open_data, slug="contracts", title="政府采购合同明细")
    declare(dataset, ("contract_no", "合同编号", FieldType.STRING), ("region", "地区", FieldType.STRING, True),
            ("category", "品目类别", FieldType.STRING, True), ("amount", "合同金额（元）", FieldType.DECIMAL, True))
    return ingested(DatasetPage.objects.get(pk=dataset.pk), contracts_csv(400))


def every_page(resource, params: dict[str, str]) -> list[int]:
    """The row numbers of every page of the query `params`, following the positions the store returns."""
    from opendata.api.rows import encode_cursor

    seen, current = [], dict(params)
    while True:
        query = parse_rows_query(current, resource.schema)
        rows, following = store.rows_page(resource=resource, conditions=query.conditions, sort=query.sort,
                                          descending=query.descending, after=query.after, limit=query.limit)
        seen += [row.row_number for row in rows]
        if following is None:
            return seen
        current = {**params, "cursor": encode_cursor(following, sort_param=query.sort_param)}


@pytest.mark.parametrize("params", [
    {"region": "河北省"},
    {"amount__gte": "500"},
    {"amount__gt": "100", "amount__lt": "600", "limit": "7"},
    {"region": "河北省", "category": "工程", "limit": "5"},
    {"region": "河北省", "sort": "-amount", "limit": "9"},
    {"category": "货物", "sort": "amount", "limit": "13"},
    {"amount__lte": "300", "sort": "-region", "limit": "11"},
])
def test_rows_chosen_in_the_index_page_exactly_like_rows_read_whole(contracts, params, monkeypatch):
    deferred = every_page(contracts, params)
    monkeypatch.setattr(store, "DEFERRED_JOIN", False)
    assert deferred == every_page(contracts, params)
    assert deferred and len(deferred) == len(set(deferred))


def datastore_total(client, resource, **params) -> int:
    answer = client.get("/api/3/action/datastore_search", {"resource_id": resource.pk, **params})
    assert answer.status_code == 200, answer.content
    return answer.json()["result"]["total"]


def test_a_filtered_total_is_counted_once_and_again_after_a_new_import(client, contracts):
    assert datastore_total(client, contracts, q="河北") == 80
    with CaptureQueriesContext(connection) as repeat:
        assert datastore_total(client, contracts, q="河北") == 80
    assert not [q for q in repeat.captured_queries if "COUNT(" in q["sql"].upper()]
    assert datastore_total(client, contracts, q="山西") == 80  # another query, its own count

    resource_ingest(resource=contracts, upload=upload(contracts_csv(100, regions=("河北省",)), "data.csv"),
                    filename="data.csv")
    assert datastore_total(client, contracts, q="河北") == 100
