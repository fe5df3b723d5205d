"""The data API at /api/data/v1/: what a developer querying rows, schemas and the catalog notices."""

import random
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opendata.models import DataField
from opendata.rules import FieldType, OpenType
from opendata.services import api_key_revoke
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, PublisherFactory, approved_key, declare, ingested

API = "/api/data/v1"
CATEGORIES = ("货物", "工程", "服务")


@pytest.fixture
def budget(open_data):
    """The monthly budget table with declared 信息项: month, item and amount indexed, growth filterable only."""
    page = DatasetPageFactory(parent=open_data, code="000014349/00001", title="全国一般公共预算收支月度数据")
    declare(page, ("month", "月份", FieldType.DATE, True), ("item", "科目", FieldType.STRING, True),
            ("amount", "金额（亿元）", FieldType.DECIMAL, True))
    DataField.objects.create(dataset=page, sort_order=3, name="growth", label="同比增长（%）",
                             field_type=FieldType.DECIMAL, filterable=True)
    return ingested(page, BUDGET_CSV.encode("gbk"))


@pytest.fixture
def contracts(open_data):
    """250 procurement contracts: seq (unique), category (many ties), value."""
    page = DatasetPageFactory(parent=open_data, code="000014351/00009", title="政府采购合同")
    declare(page, ("seq", "序号", FieldType.INTEGER, True), ("category", "品目", FieldType.STRING, True),
            ("value", "金额", FieldType.DECIMAL, True))
    rng = random.Random(5)
    lines = ["序号,品目,金额"] + [f"{n},{rng.choice(CATEGORIES)},{rng.randint(1, 40) * 100}" for n in range(1, 251)]
    return ingested(page, "\n".join(lines).encode())


def rows(client, resource, query: str = "", **headers):
    return client.get(f"{API}/resources/{resource.pk}/rows{'?' + query if query else ''}", **headers)


def records(response) -> list[dict]:
    assert response.status_code == 200, response.content.decode()
    return response.json()["records"]


def bad_param(response) -> str:
    assert response.status_code == 400, response.content.decode()
    [error] = response.json()["detail"]
    assert error["message"]
    return error["param"]


# --- reading rows ------------------------------------------------------------------------------------------


def test_rows_come_with_their_fields_and_no_next_page_at_the_end(client, budget):
    body = rows(client, budget).json()
    assert [field["name"] for field in body["fields"]] == ["month", "item", "amount", "growth"]
    assert body["fields"][2] == {"name": "amount", "label": "金额（亿元）", "type": "decimal", "unit": "",
                                 "description": "", "filterable": True, "indexed": True}
    assert body["records"][0] == {"month": "2025-01-31", "item": "税收收入", "amount": "18845.6", "growth": "-4.5"}
    assert len(body["records"]) == 4 and body["next"] is None


def test_equality_range_and_several_filters_at_once(client, budget):
    assert [r["amount"] for r in records(rows(client, budget, "item=非税收入"))] == ["2987.1", "5803.2"]
    assert [r["amount"] for r in records(rows(client, budget, "amount__gte=5803.2"))] == ["18845.6", "30376.3",
                                                                                          "5803.2"]
    assert [r["amount"] for r in records(rows(client, budget, "amount__gt=2987.1&amount__lt=30376.3"))] == [
        "18845.6", "5803.2"]
    assert [r["month"] for r in records(rows(client, budget, "month__lte=2025-01-31&item=税收收入"))] == ["2025-01-31"]
    # A filterable field without an index, and dates written the Chinese way.
    assert [r["growth"] for r in records(rows(client, budget, "growth__gt=0"))] == ["3.2", "6.1"]
    assert len(records(rows(client, budget, "month=2025年2月28日"))) == 2


def test_sort_and_field_selection(client, budget):
    body = rows(client, budget, "sort=-amount&fields=item,amount").json()
    assert [field["name"] for field in body["fields"]] == ["item", "amount"]
    assert body["records"] == [{"item": "税收收入", "amount": "30376.3"}, {"item": "税收收入", "amount": "18845.6"},
                               {"item": "非税收入", "amount": "5803.2"}, {"item": "非税收入", "amount": "2987.1"}]
    assert [r["amount"] for r in records(rows(client, budget, "sort=amount&fields=amount"))] == [
        "2987.1", "5803.2", "18845.6", "30376.3"]


@pytest.mark.parametrize(("query", "param"), [
    ("_connector=OR", "_connector"),
    ("_negated=1", "_negated"),
    ("amount__in=1,2", "amount__in"),
    ("amount__gte__x=1", "amount__gte__x"),
    ("item__icontains=税", "item__icontains"),
    ("data__contains=x", "data__contains"),
    ("resource_id=1", "resource_id"),
    ("nosuch=1", "nosuch"),
    ("amount=很多", "amount"),
    ("month__gte=2025-13-01", "month__gte"),
    ("item=a&item=b", "item"),
    ("sort=growth", "sort"),
    ("sort=-nosuch", "sort"),
    ("fields=item,nosuch", "fields"),
    ("limit=10000000", "limit"),
    ("limit=0", "limit"),
    ("limit=abc", "limit"),
    ("cursor=not-a-cursor", "cursor"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, budget, query, param):
    assert bad_param(rows(client, budget, query)) == param


def test_only_declared_filterable_fields_can_be_filtered(client, open_data):
    page = DatasetPageFactory(parent=open_data)
    declare(page, ("item", "科目", FieldType.STRING), ("amount", "金额", FieldType.DECIMAL, True))
    resource = ingested(page, "科目,金额\n税收,1\n".encode())
    response = rows(client, resource, "item=税收")
    assert bad_param(response) == "item" and "不可筛选" in response.json()["detail"][0]["message"]
    assert records(rows(client, resource, "amount=1")) == [{"item": "税收", "amount": "1"}]


def test_limit_is_capped_at_1000_and_defaults_to_100(client, contracts):
    assert len(records(rows(client, contracts))) == 100
    assert len(records(rows(client, contracts, "limit=1000"))) == 250
    assert "1000" in rows(client, contracts, "limit=1001").json()["detail"][0]["message"]


# --- keyset pagination -------------------------------------------------------------------------------------


def walk(client, resource, query: str) -> list[dict]:
    seen: list[dict] = []
    url = f"{API}/resources/{resource.pk}/rows?{query}"
    for _ in range(100):
        body = client.get(url).json()
        seen += body["records"]
        if body["next"] is None:
            return seen
        assert body["next"].startswith("http://localhost/")
        url = body["next"].removeprefix("http://localhost")
    raise AssertionError("the walk did not end")


@pytest.mark.parametrize("query", ["limit=7", "limit=7&sort=category", "limit=9&sort=-category",
                                   "limit=11&sort=-value&category=工程", "limit=13&sort=value&value__gte=1000"])
def test_walking_the_next_links_visits_every_row_once_in_order(client, contracts, query):
    everything = records(rows(client, contracts, query.split("&", 1)[1] + "&limit=1000" if "&" in query
                              else "limit=1000"))
    walked = walk(client, contracts, query)
    assert [r["seq"] for r in walked] == [r["seq"] for r in everything]
    assert len({r["seq"] for r in walked}) == len(walked)
    if "sort=category" in query:
        assert [r["category"] for r in walked] == sorted(r["category"] for r in walked)


@pytest.mark.parametrize("sort", ["value", "-value"])
def test_rows_without_a_sort_value_come_last_and_are_walked_too(client, open_data, sort):
    page = DatasetPageFactory(parent=open_data)
    declare(page, ("seq", "序号", FieldType.INTEGER, True), ("value", "金额", FieldType.DECIMAL, True))
    values = [3, "", 1, 2, "", 2, "", 5]
    resource = ingested(page, ("序号,金额\n" + "".join(f"{n},{v}\n" for n, v in enumerate(values, 1))).encode())
    walked = walk(client, resource, f"limit=2&sort={sort}")
    # Ties (and the empty values) in row order, reversed with the sort.
    expected = [3, 4, 6, 1, 8, 2, 5, 7] if sort == "value" else [8, 1, 6, 4, 3, 7, 5, 2]
    assert [r["seq"] for r in walked] == expected
    assert [r["value"] for r in walked][-3:] == [None, None, None]


def test_the_cursor_is_bound_to_its_sort(client, contracts):
    following = rows(client, contracts, "limit=5&sort=category").json()["next"]
    cursor = parse_qs(urlsplit(following).query)["cursor"][0]
    response = rows(client, contracts, f"limit=5&sort=-category&cursor={cursor}")
    assert bad_param(response) == "cursor" and "sort" in response.json()["detail"][0]["message"]


def test_a_deep_page_costs_the_same_queries_as_the_first(client, contracts):
    with CaptureQueriesContext(connection) as first:
        assert rows(client, contracts, "limit=2&sort=category").status_code == 200
    url = None
    for _ in range(100):  # the 100th page of 2
        body = client.get(url or f"{API}/resources/{contracts.pk}/rows?limit=2&sort=category").json()
        url = body["next"].removeprefix("http://localhost")
    with CaptureQueriesContext(connection) as deep:
        response = client.get(url)
    assert response.status_code == 200 and len(response.json()["records"]) == 2
    assert len(deep) == len(first)


# --- who may read ------------------------------------------------------------------------------------------


@pytest.fixture
def conditional(open_data):
    page = DatasetPageFactory(parent=open_data, open_type=OpenType.CONDITIONAL, open_condition="用于学术研究")
    return ingested(page, BUDGET_CSV.encode())


def test_conditional_data_needs_a_key(client, conditional):
    response = rows(client, conditional)
    assert response.status_code == 401
    assert "X-API-Key" in response.json()["detail"] and response["WWW-Authenticate"].startswith("Bearer")
    # Its metadata (the schema) is public.
    assert client.get(f"{API}/resources/{conditional.pk}").status_code == 200


def test_an_approved_key_reads_in_either_header(client, conditional):
    _, key = approved_key(conditional.dataset)
    assert len(records(rows(client, conditional, HTTP_X_API_KEY=key))) == 4
    assert len(records(rows(client, conditional, HTTP_AUTHORIZATION=f"Bearer {key}"))) == 4


@pytest.mark.parametrize("presented", ["wrong", "jcd_00000000.xxxxxxxxxxxxxxxxxxxxxxxxxxxx", "tampered"])
def test_a_wrong_key_is_403(client, conditional, presented):
    _, key = approved_key(conditional.dataset)
    if presented == "tampered":
        presented = key[:-3] + ("aaa" if not key.endswith("aaa") else "bbb")
    response = rows(client, conditional, HTTP_X_API_KEY=presented)
    assert response.status_code == 403 and "无效" in response.json()["detail"]


def test_a_key_for_another_dataset_is_403(client, open_data, conditional):
    other = DatasetPageFactory(parent=open_data, open_type=OpenType.CONDITIONAL, open_condition="须说明用途")
    _, key = approved_key(other)
    response = rows(client, conditional, HTTP_X_API_KEY=key)
    assert response.status_code == 403 and "不适用" in response.json()["detail"]


def test_a_revoked_key_is_403(client, conditional):
    application, key = approved_key(conditional.dataset)
    assert rows(client, conditional, HTTP_X_API_KEY=key).status_code == 200
    api_key_revoke(key=application.api_key, actor=None)
    response = rows(client, conditional, HTTP_X_API_KEY=key)
    assert response.status_code == 403 and "吊销" in response.json()["detail"]


def test_closed_unknown_and_unimported_resources_are_404(client, open_data):
    closed = DatasetPageFactory(parent=open_data, open_type=OpenType.CLOSED)
    resource = ingested(closed, BUDGET_CSV.encode())
    for url in (f"{API}/resources/{resource.pk}/rows", f"{API}/resources/{resource.pk}",
                f"{API}/resources/999999/rows", f"{API}/resources/99999999999999/rows"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"]


# --- rate limits -------------------------------------------------------------------------------------------


def test_requests_over_the_ip_rate_get_429_with_retry_after(client, budget, settings):
    settings.OPENDATA_API_IP_RATE = "3/m"
    assert [rows(client, budget).status_code for _ in range(3)] == [200, 200, 200]
    response = rows(client, budget)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1 and response.json()["detail"]
    # Another client is not affected.
    assert rows(client, budget, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_requests_over_the_key_rate_get_429(client, conditional, settings):
    settings.OPENDATA_API_KEY_RATE = "2/m"
    _, key = approved_key(conditional.dataset)
    statuses = [rows(client, conditional, HTTP_X_API_KEY=key, REMOTE_ADDR=f"10.0.0.{n}").status_code
                for n in range(3)]
    assert statuses == [200, 200, 429]


# --- schema, OpenAPI and the catalog -----------------------------------------------------------------------


def test_resource_schema_says_what_can_be_filtered_and_sorted(client, budget):
    body = client.get(f"{API}/resources/{budget.pk}").json()
    assert body["dataset"] == "000014349/00001" and body["row_count"] == 4
    by_name = {field["name"]: field for field in body["fields"]}
    assert by_name["amount"]["indexed"] and by_name["growth"]["filterable"] and not by_name["growth"]["indexed"]
    assert body["rows_url"].endswith(f"/resources/{budget.pk}/rows")
    assert body["downloads"]["csv"].endswith("/download.csv")


def test_openapi_describes_the_data_and_catalog_endpoints(client):
    document = client.get(f"{API}/openapi.json").json()
    assert {"/api/data/v1/resources/{id}/rows", "/api/data/v1/resources/{id}", "/api/data/v1/datasets",
            "/api/data/v1/datasets/{code}"} <= set(document["paths"])


@pytest.fixture
def catalog(open_data, budget):
    treasury = PublisherFactory(name="国库司", slug="treasury")
    conditional = DatasetPageFactory(parent=open_data, code="000014350/00002", title="国库集中支付明细",
                                     publisher=treasury, open_type=OpenType.CONDITIONAL, open_condition="须说明用途")
    DatasetPageFactory(parent=open_data, code="000014350/00003", title="国库现金管理", publisher=treasury,
                       open_type=OpenType.CLOSED)
    return budget.dataset, conditional


def test_catalog_lists_public_datasets_with_the_catalog_filters(client, catalog):
    budget, conditional = catalog
    body = client.get(f"{API}/datasets").json()
    assert body["count"] == 2 and {item["code"] for item in body["items"]} == {budget.code, conditional.code}
    assert [i["code"] for i in client.get(f"{API}/datasets?publisher=treasury").json()["items"]] == [conditional.code]
    assert [i["code"] for i in client.get(f"{API}/datasets?open_type=open&format=csv").json()["items"]] == [budget.code]
    assert [i["code"] for i in client.get(f"{API}/datasets?q=国库").json()["items"]] == [conditional.code]
    first = client.get(f"{API}/datasets?limit=1&sort=name").json()
    assert len(first["items"]) == 1 and "offset=1" in first["next"]
    item = next(i for i in body["items"] if i["code"] == budget.code)
    assert item["formats"] == ["CSV"] and item["open_type"] == {"value": "open", "label": "无条件开放"}


@pytest.mark.parametrize(("query", "param"), [("open_type=closed", "open_type"), ("publisher=nobody", "publisher"),
                                              ("limit=1000", "limit"), ("sort=random", "sort")])
def test_catalog_bad_filters_are_400(client, catalog, query, param):
    assert bad_param(client.get(f"{API}/datasets?{query}")) == param


def test_dataset_detail_by_code_and_closed_is_404(client, catalog):
    budget, conditional = catalog
    body = client.get(f"{API}/datasets/{budget.code}").json()
    assert body["title"] == budget.title and [f["name"] for f in body["fields"]][:2] == ["month", "item"]
    assert body["resources"][0]["rows_url"].endswith("/rows") and body["apply_url"] is None
    detail = client.get(f"{API}/datasets/{conditional.code}").json()
    assert detail["apply_url"].endswith(f"/open-data/datasets/{conditional.pk}/apply/")
    assert client.get(f"{API}/datasets/000014350/00003").status_code == 404
