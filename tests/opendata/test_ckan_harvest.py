"""What a harvester sees through the CKAN API, with the real `ckanapi` client against a live server: timestamps
on every package, organization and resource, incremental harvesting by metadata_modified, the DataStore read
API, and the helper actions CKAN clients call."""

import datetime as dt
import importlib
import os

import pytest
import requests
from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError
from django.apps import apps
from django.utils import timezone

from opendata.ingest import resource_ingest
from opendata.models import DatasetPage, Publisher
from opendata.rules import FieldType, OpenType
from tests.content.factories import ThemeFactory
from tests.opendata.factories import (
    BUDGET_CSV,
    DatasetPageFactory,
    PublisherFactory,
    approved_key,
    declare,
    ingested,
    upload,
)

DAYS_AGO = timezone.now() - dt.timedelta(days=10)
LARGE_ROWS = 120_000 if os.environ.get("CI") == "true" else 12_000
PROVINCES = ("北京市", "河北省", "山西省", "辽宁省", "江苏省")


def contracts_csv(rows: int) -> bytes:
    lines = ["合同编号,地区,品目类别,合同金额（元）"]
    lines += [f"HT{n:06d},{PROVINCES[n % 5]},{('货物', '工程', '服务')[n % 3]},{n * 10}.50" for n in range(1, rows + 1)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def catalog(open_data):
    budget = PublisherFactory(name="预算司", slug="budget")
    procurement = PublisherFactory(name="政府采购管理办公室", slug="procurement")
    theme = ThemeFactory(name="预算管理", slug="budget-theme")
    monthly = DatasetPageFactory(parent=open_data, slug="budget-monthly", title="全国一般公共预算收支月度数据",
                                 publisher=budget, theme=theme, published=DAYS_AGO)
    contracts = DatasetPageFactory(parent=open_data, slug="contracts", title="政府采购合同明细",
                                   publisher=procurement, theme=theme, published=DAYS_AGO)
    keyed = DatasetPageFactory(parent=open_data, slug="keyed", title="代理记账机构备案（有条件开放）",
                               publisher=procurement, open_type=OpenType.CONDITIONAL, open_condition="用于研究",
                               published=DAYS_AGO)
    closed = DatasetPageFactory(parent=open_data, slug="closed", title="国库现金管理（不予开放）", publisher=budget,
                                open_type=OpenType.CLOSED, published=DAYS_AGO)
    monthly.tags.add("预算", "月报")
    monthly.save()
    declare(contracts, ("contract_no", "合同编号", FieldType.STRING), ("region", "地区", FieldType.STRING, True),
            ("category", "品目类别", FieldType.STRING, True), ("amount", "合同金额（元）", FieldType.DECIMAL, True))
    found = {
        "monthly": monthly, "contracts": contracts, "keyed": keyed, "closed": closed,
        "monthly_csv": ingested(monthly, BUDGET_CSV.encode()),
        "contracts_csv": ingested(DatasetPage.objects.get(pk=contracts.pk), contracts_csv(250)),
        "keyed_csv": ingested(keyed, BUDGET_CSV.encode()),
        "closed_csv": ingested(closed, BUDGET_CSV.encode()),
    }
    return found


@pytest.fixture
def ckan(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    with RemoteCKAN(live_server.url) as remote:
        yield remote


def harvest(ckan, fq: str = "") -> dict[str, dict]:
    """Every package package_search gives, page by page, as a harvester collects them."""
    found, start = {}, 0
    while True:
        page = ckan.action.package_search(fq=fq, sort="metadata_modified asc", rows=2, start=start)
        found.update({package["name"]: package for package in page["results"]})
        start += 2
        if start >= page["count"]:
            return found


# --- timestamps and incremental harvesting -----------------------------------------------------------------


def test_every_package_organization_group_and_resource_carries_its_times(ckan, catalog):
    packages = harvest(ckan)
    assert set(packages) == {"budget-monthly", "contracts", "keyed"}
    for package in packages.values():
        assert package["metadata_created"] and package["metadata_modified"] >= package["metadata_created"]
        assert package["organization"]["created"]
        assert all(group["created"] for group in package["groups"])
        for resource in package["resources"]:
            assert resource["created"] and resource["last_modified"] and resource["metadata_modified"]
    created = dt.datetime.fromisoformat(packages["budget-monthly"]["metadata_created"])
    assert abs(created - DAYS_AGO.astimezone(dt.timezone.utc).replace(tzinfo=None)) < dt.timedelta(seconds=1)
    assert all(org["created"] for org in ckan.action.organization_list(all_fields=True))
    everything = ckan.action.package_search(fq="metadata_modified:[2000-01-01T00:00:00Z TO *]")
    assert everything["count"] == 3


def test_an_incremental_harvest_returns_exactly_the_changed_packages(ckan, catalog):
    first = harvest(ckan)
    assert len(first) == 3
    since = timezone.now()
    # A dataset's metadata changes (a new revision published) and another dataset's data changes (a new file).
    page = DatasetPage.objects.get(pk=catalog["monthly"].pk)
    page.summary = "按月公布全国一般公共预算收入和支出（修订）。"
    page.save_revision().publish()
    resource_ingest(resource=catalog["contracts_csv"], upload=upload(contracts_csv(260)), filename="contracts.csv")
    stamp = since.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    changed = harvest(ckan, fq=f"metadata_modified:[{stamp} TO *]")
    assert set(changed) == {"budget-monthly", "contracts"}
    assert changed["budget-monthly"]["notes"].endswith("（修订）。")
    assert changed["contracts"]["resources"][0]["last_modified"] > first["contracts"]["resources"][0]["last_modified"]
    newest = ckan.action.package_search(sort="metadata_modified desc", rows=1)["results"][0]
    assert newest["name"] == "contracts"
    assert ckan.action.package_search(fq=f"metadata_modified:{{{newest['metadata_modified']}Z TO *]")["count"] == 0


def test_undated_datasets_are_mended_by_the_migration(catalog):
    DatasetPage.objects.filter(pk=catalog["monthly"].pk).update(first_published_at=None, last_published_at=None)
    Publisher.objects.filter(slug="budget").update(created_at=timezone.now() + dt.timedelta(days=1))
    migration = importlib.import_module("opendata.migrations.0003_publisher_created_at_publication_times")
    migration.mend_publication_times(apps, None)
    mended = DatasetPage.objects.get(pk=catalog["monthly"].pk)
    assert timezone.localtime(mended.first_published_at).date() == mended.published_on
    assert mended.last_published_at == mended.first_published_at
    assert Publisher.objects.get(slug="budget").created_at <= DAYS_AGO + dt.timedelta(seconds=1)


# --- the DataStore -----------------------------------------------------------------------------------------


def test_datastore_search_pages_filters_sorts_and_counts(ckan, catalog):
    resource_id = catalog["contracts_csv"].pk
    first = ckan.action.datastore_search(resource_id=resource_id, limit=100)
    assert first["total"] == 250 and len(first["records"]) == 100
    assert [f["id"] for f in first["fields"]] == ["_id", "contract_no", "region", "category", "amount"]
    assert first["fields"][2]["info"]["label"] == "地区" and first["fields"][4]["type"] == "numeric"
    assert first["records"][0] == {"_id": 1, "contract_no": "HT000001", "region": "河北省", "category": "工程",
                                   "amount": "10.5"}
    assert first["_links"]["next"].startswith("/api/3/action/datastore_search?")
    seen = [record["_id"] for record in first["records"]]
    offset = 100
    while offset < first["total"]:
        seen += [r["_id"] for r in ckan.action.datastore_search(resource_id=resource_id, limit=100,
                                                                 offset=offset)["records"]]
        offset += 100
    assert seen == list(range(1, 251))

    hebei = ckan.action.datastore_search(resource_id=resource_id, filters={"region": "河北省"}, limit=5,
                                         sort="amount desc", fields=["contract_no", "amount"])
    assert hebei["total"] == 50
    assert hebei["records"][0] == {"contract_no": "HT000246", "amount": "2460.5"}
    two = ckan.action.datastore_search(resource_id=resource_id, filters={"region": ["河北省", "山西省"],
                                                                          "category": "服务"})
    assert two["total"] == len([n for n in range(1, 251) if n % 5 in (1, 2) and n % 3 == 2])
    assert ckan.action.datastore_search(resource_id=resource_id, q="HT000017")["total"] == 1
    assert ckan.action.datastore_search(resource_id=resource_id, q={"region": "江苏"})["total"] == 50
    regions = ckan.action.datastore_search(resource_id=resource_id, fields=["region"], distinct=True,
                                           sort="region asc")
    assert regions["total"] == 5 and sorted(r["region"] for r in regions["records"]) == sorted(PROVINCES)
    as_lists = ckan.action.datastore_search(resource_id=resource_id, limit=2, records_format="lists",
                                            fields="contract_no,region")
    assert as_lists["records"] == [["HT000001", "河北省"], ["HT000002", "山西省"]]
    as_csv = ckan.action.datastore_search(resource_id=resource_id, limit=2, records_format="csv",
                                          fields=["contract_no", "region"], include_total=False)
    assert as_csv["records"] == "HT000001,河北省\nHT000002,山西省\n" and "total" not in as_csv


def test_datastore_search_keeps_the_data_apis_rules(ckan, live_server, catalog):
    with pytest.raises(NotFound):
        ckan.action.datastore_search(resource_id=catalog["closed_csv"].pk)
    with pytest.raises(NotFound):
        ckan.action.datastore_search(resource_id=999999)
    with pytest.raises(NotAuthorized):
        ckan.action.datastore_search(resource_id=catalog["keyed_csv"].pk)
    _, key = approved_key(catalog["keyed"])
    with RemoteCKAN(live_server.url, apikey=key) as keyed:
        assert keyed.action.datastore_search(resource_id=catalog["keyed_csv"].pk)["total"] == 4
    resource_id = catalog["contracts_csv"].pk
    with pytest.raises(ValidationError) as caught:
        ckan.action.datastore_search(resource_id=resource_id, filters={"contract_no": "HT000001"})
    assert "不可筛选" in str(caught.value.error_dict["filters"])
    with pytest.raises(ValidationError):
        ckan.action.datastore_search(resource_id=resource_id, sort="nothing asc")
    with pytest.raises(ValidationError):
        ckan.action.datastore_search(resource_id=resource_id, filters="{not json")
    with pytest.raises(ValidationError):
        ckan.action.datastore_search(resource_id=resource_id, limit="many")
    with pytest.raises(ValidationError):
        ckan.action.datastore_search(resource_id=resource_id, filters={"_id": 10**30})
    with pytest.raises(ValidationError):
        ckan.action.datastore_search(resource_id=resource_id, distinct=True, fields=["_id"])
    assert ckan.action.datastore_search(resource_id=resource_id, filters={"_id": [3, 5]})["total"] == 2
    capped = ckan.action.datastore_search(resource_id=resource_id, limit=5000)
    assert capped["limit"] == 1000 and len(capped["records"]) == 250
    answer = requests.get(f"{live_server.url}/api/3/action/datastore_search_sql?sql=select+1", timeout=10)
    assert answer.status_code == 400 and answer.json()["success"] is False


# --- the helper actions ------------------------------------------------------------------------------------


def test_help_licences_autocomplete_and_tags(ckan, live_server, catalog):
    package = ckan.action.package_show(id="budget-monthly")
    help_text = requests.get(requests.get(f"{live_server.url}/api/3/action/package_show?id=budget-monthly",
                                          timeout=10).json()["help"], timeout=10).json()
    assert help_text["success"] is True and "dataset" in help_text["result"]
    assert "resource_id" in ckan.action.help_show(name="datastore_search")
    with pytest.raises(NotFound):
        ckan.action.help_show(name="package_destroy")
    licences = {licence["id"]: licence for licence in ckan.action.license_list()}
    assert package["license_id"] in licences and licences["cc-by"]["url"].startswith("https://creativecommons.org/")
    completed = ckan.action.package_autocomplete(q="采购")
    assert [item["name"] for item in completed] == ["contracts"] and completed[0]["match_field"] == "title"
    assert ckan.action.package_autocomplete(q="国库") == []  # 不予开放 stays out
    assert ckan.action.format_autocomplete(q="cs") == ["CSV"]
    tag = ckan.action.tag_show(id="月报", include_datasets=True)
    assert tag["name"] == "月报" and [p["name"] for p in tag["packages"]] == ["budget-monthly"]
    with pytest.raises(NotFound):
        ckan.action.tag_show(id="没有的词")


# --- addresses ---------------------------------------------------------------------------------------------


def every_url(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from every_url(item)
    elif isinstance(value, list):
        for item in value:
            yield from every_url(item)
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        yield value


def test_every_absolute_url_is_on_the_public_address(client, catalog, settings):
    settings.PUBLIC_BASE_URL = "https://data.example.gov.cn"
    outside = ("https://creativecommons.org/", "https://data.gov.cn/", "http://publications.europa.eu/")
    for path in ("/api/3/action/package_show?id=budget-monthly", "/api/3/action/status_show",
                 f"/api/data/v1/datasets/{catalog['monthly'].code}", "/api/data/v1/datasets",
                 f"/api/data/v1/resources/{catalog['contracts_csv'].pk}/rows?limit=2", "/api/data/v1/"):
        body = client.get(path).json()
        urls = [url for url in every_url(body) if not url.startswith(outside)]
        assert urls and all(f"{url}/".startswith("https://data.example.gov.cn/") for url in urls), (path, urls)
    turtle = client.get("/open-data/catalog.ttl").content.decode()
    assert "http://testserver" not in turtle and "http://localhost" not in turtle
    assert "<https://data.example.gov.cn/open-data/budget-monthly/>" in turtle


def test_without_a_public_base_url_the_apis_use_the_site_record(client, catalog, settings):
    settings.PUBLIC_BASE_URL = ""
    package = client.get("/api/3/action/package_show?id=budget-monthly").json()["result"]
    assert package["url"] == "http://localhost/open-data/budget-monthly/"
    assert package["resources"][0]["url"].startswith("http://localhost/open-data/resources/")


@pytest.mark.long_running
def test_datastore_search_pages_through_the_large_resource_and_reconciles_the_count(ckan, open_data, settings):
    """The demo's 120,000-row resource under CI=true (about 100 s on a busy 2-core machine); 12,000 rows elsewhere,
    through the same paging."""
    # The downloads would be written by a task worker after the import; this test reads only the DataStore.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = DatasetPageFactory(parent=open_data, slug="contracts-2024", title="2024年政府采购合同明细")
    declare(page, ("contract_no", "合同编号", FieldType.STRING), ("region", "地区", FieldType.STRING, True),
            ("category", "品目类别", FieldType.STRING, True), ("amount", "合同金额（元）", FieldType.DECIMAL, True))
    resource = ingested(DatasetPage.objects.get(pk=page.pk), contracts_csv(LARGE_ROWS))
    [listed] = ckan.action.package_show(id="contracts-2024")["resources"]
    assert listed["datastore_active"] is True
    seen, offset, total, last = 0, 0, None, 0
    while True:
        found = ckan.action.datastore_search(resource_id=listed["id"], limit=1000, offset=offset,
                                             fields=["_id", "contract_no"])
        total = found["total"] if total is None else total
        if not found["records"]:
            break
        assert found["records"][0]["_id"] == last + 1  # nothing skipped, nothing twice
        last = found["records"][-1]["_id"]
        seen += len(found["records"])
        offset += 1000
    assert seen == total == resource.row_count == LARGE_ROWS
    assert found["records"] == [] and last == LARGE_ROWS
