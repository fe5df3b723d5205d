"""The CKAN Action API, as a CKAN client sees it: the real `ckanapi.RemoteCKAN` against a live server."""

import json

import pytest
import requests
from ckanapi import NotFound, RemoteCKAN, SearchQueryError, ValidationError

from opendata.rules import OpenType
from tests.content.factories import ThemeFactory
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, PublisherFactory, ingested




@pytest.fixture
def catalog(open_data):
    budget = PublisherFactory(name="预算司", slug="budget")
    treasury = PublisherFactory(name="国库司", slug="treasury")
    PublisherFactory(name="会计司", slug="accounting")  # an organization without datasets
    revenue = ThemeFactory(name="预算管理", slug="budget-theme")
    payments = ThemeFactory(name="国库管理", slug="treasury-theme")
    monthly = DatasetPageFactory(parent=open_data, slug="budget-monthly", code="000014349/00001",
                                 title="全国一般公共预算收支月度数据", publisher=budget, theme=revenue,
                                 summary="按月公布全国一般公共预算收入和支出。")
    transfers = DatasetPageFactory(parent=open_data, slug="transfer-payments", code="000014349/00002",
                                   title="中央对地方转移支付分地区情况", publisher=budget, theme=revenue,
                                   summary="分省份的一般性转移支付和专项转移支付。")
    treasury_data = DatasetPageFactory(parent=open_data, slug="treasury-payments", code="000014350/00001",
                                       title="国库集中支付明细", publisher=treasury, theme=payments,
                                       open_type=OpenType.CONDITIONAL, open_condition="用于学术研究",
                                       summary="中央预算单位国库集中支付明细。")
    closed = DatasetPageFactory(parent=open_data, slug="cash-management", code="000014350/00002",
                                title="国库现金管理操作（预算）", publisher=treasury, theme=payments,
                                open_type=OpenType.CLOSED)
    for page, tags in ((monthly, ["预算", "月报"]), (transfers, ["转移支付", "预算"]), (treasury_data, ["国库"]),
                       (closed, ["预算", "机密词"])):
        page.tags.add(*tags)
        page.save()
    ingested(monthly, BUDGET_CSV.encode("gbk"))
    ingested(transfers, b'[{"province": "\xe6\xb2\xb3\xe5\x8c\x97\xe7\x9c\x81", "amount": 3251.4}]', "t.json")
    ingested(treasury_data, BUDGET_CSV.encode())
    return {"monthly": monthly, "transfers": transfers, "treasury": treasury_data, "closed": closed}


@pytest.fixture
def ckan(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url  # the address a deployment names in its settings
    with RemoteCKAN(live_server.url) as remote:
        yield remote


def test_listing_and_showing_packages(ckan, catalog):
    assert ckan.action.package_list() == ["budget-monthly", "transfer-payments", "treasury-payments"]
    package = ckan.action.package_show(id="budget-monthly")
    assert package["title"] == "全国一般公共预算收支月度数据" and package["notes"].startswith("按月公布")
    assert package["organization"]["name"] == "budget" and package["organization"]["title"] == "预算司"
    assert [g["name"] for g in package["groups"]] == ["budget-theme"]
    assert sorted(t["name"] for t in package["tags"]) == ["月报", "预算"]
    assert package["license_id"] == "cc-by" and package["metadata_modified"]
    [resource] = package["resources"]
    assert resource["format"] == "CSV" and resource["datastore_active"] is True
    assert resource["url"].endswith(f"/open-data/resources/{resource['id']}/download.csv")
    assert requests.get(resource["url"], timeout=10).content.startswith(b"\xef\xbb\xbf")
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert extras["资源代码"] == "000014349/00001" and extras["开放类型"] == "无条件开放"
    assert extras["共享类型"] == "无条件共享" and extras["更新周期"] == "每月"
    # By id and by 资源代码 too.
    assert ckan.action.package_show(id=package["id"])["name"] == "budget-monthly"
    assert ckan.action.package_show(id="000014349/00001")["name"] == "budget-monthly"


def test_package_search_with_a_chinese_query_filters_facets_and_paging(ckan, catalog):
    found = ckan.action.package_search(q="转移支付")
    assert found["count"] == 1 and found["results"][0]["name"] == "transfer-payments"
    assert ckan.action.package_search(q="预算")["count"] == 3  # titles, summaries and keywords
    assert [r["name"] for r in ckan.action.package_search(q="预算 收入")["results"]] == ["budget-monthly"]
    assert ckan.action.package_search(q="现金管理")["count"] == 0  # the 不予开放 one never shows
    assert ckan.action.package_search(fq="organization:treasury")["count"] == 1
    both = ckan.action.package_search(fq='tags:预算 AND res_format:CSV')
    assert [r["name"] for r in both["results"]] == ["budget-monthly"]
    assert ckan.action.package_search(fq="groups:budget-theme -tags:月报")["results"][0]["name"] == "transfer-payments"

    faceted = ckan.action.package_search(**{"facet.field": ["organization", "groups", "tags", "res_format",
                                                            "license_id"]})
    assert faceted["count"] == 3
    assert faceted["facets"]["organization"] == {"budget": 2, "treasury": 1}
    assert faceted["facets"]["tags"] == {"预算": 2, "月报": 1, "转移支付": 1, "国库": 1}
    assert faceted["facets"]["res_format"] == {"CSV": 2, "JSON": 1}
    items = faceted["search_facets"]["organization"]["items"]
    assert {"name": "budget", "display_name": "预算司", "count": 2} in items

    names = [r["name"] for r in ckan.action.package_search(sort="name asc")["results"]]
    assert names == ["budget-monthly", "transfer-payments", "treasury-payments"]
    page = ckan.action.package_search(sort="title_string asc", rows=1, start=1)
    assert page["count"] == 3 and len(page["results"]) == 1
    assert ckan.action.package_search(rows=5000)["count"] == 3  # rows above 1000 are capped, as CKAN does


def test_get_requests_work_like_posts(live_server, catalog):
    with RemoteCKAN(live_server.url, get_only=True) as ckan:
        found = ckan.action.package_search(q="国库", **{"facet.field": json.dumps(["organization"])})
        assert found["count"] == 1 and found["facets"]["organization"] == {"treasury": 1}
    raw = requests.get(f"{live_server.url}/api/3/action/package_search", params={"fq": "organization:budget"},
                       timeout=10).json()
    assert raw["success"] is True and raw["help"].endswith("/api/3/action/help_show?name=package_search")
    assert raw["result"]["count"] == 2


def test_organizations_groups_tags_resources_and_status(ckan, catalog):
    assert ckan.action.organization_list() == ["accounting", "treasury", "budget"]  # by title, as CKAN sorts
    detailed = ckan.action.organization_list(all_fields=True, sort="name asc")
    assert [(o["name"], o["package_count"]) for o in detailed] == [("accounting", 0), ("budget", 2), ("treasury", 1)]
    shown = ckan.action.organization_show(id="budget", include_datasets=True)
    assert shown["title"] == "预算司" and shown["package_count"] == 2
    assert {p["name"] for p in shown["packages"]} == {"budget-monthly", "transfer-payments"}
    assert sorted(ckan.action.group_list()) == ["budget-theme", "treasury-theme"]
    assert ckan.action.group_list(all_fields=True, sort="package_count desc")[0]["name"] == "budget-theme"
    tags = ckan.action.tag_list()
    assert set(tags) == {"预算", "月报", "转移支付", "国库"} and "机密词" not in tags
    assert ckan.action.tag_list(query="转移") == ["转移支付"]
    resource_id = ckan.action.package_show(id="treasury-payments")["resources"][0]["id"]
    assert ckan.action.resource_show(id=resource_id)["format"] == "CSV"
    status = ckan.action.status_show()
    assert status["ckan_version"].startswith("2.10") and status["site_title"]


def test_errors_come_in_ckans_envelope(ckan, live_server, catalog):
    closed = catalog["closed"]
    with pytest.raises(NotFound):
        ckan.action.package_show(id="cash-management")
    with pytest.raises(NotFound):
        ckan.action.package_show(id=str(closed.pk))
    with pytest.raises(NotFound):
        ckan.action.resource_show(id="999999")
    with pytest.raises(NotFound):
        ckan.action.organization_show(id="nobody")
    with pytest.raises(ValidationError) as caught:
        ckan.action.package_show()
    assert "id" in caught.value.error_dict
    with pytest.raises(ValidationError):
        ckan.action.package_search(rows="many")
    with pytest.raises(SearchQueryError):
        ckan.action.package_search(fq="author:someone")
    with pytest.raises(SearchQueryError):
        ckan.action.package_search(sort="random desc")

    response = requests.get(f"{live_server.url}/api/3/action/package_destroy", timeout=10)
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["error"]["__type"] == "Bad Request" and "help" in body
    response = requests.post(f"{live_server.url}/api/3/action/package_show", data=b"{not json",
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 400 and "JSON" in response.json()["error"]["message"]
    missing = requests.get(f"{live_server.url}/api/3/action/package_show?id=nothing", timeout=10)
    assert missing.status_code == 404 and missing.json()["error"]["__type"] == "Not Found Error"


def test_requests_over_the_rate_get_429(client, catalog, settings):
    settings.OPENDATA_API_IP_RATE = "2/m"
    assert [client.get("/api/3/action/package_list").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/3/action/package_list")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert response.json()["success"] is False
