"""Dataset pages, the visibility rules, the catalog and downloads, as a visitor sees them."""

import csv
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import load_workbook
from wagtail.models import Page

from opendata.models import DatasetPage, DatasetRelatedPage, DatasetStats
from opendata.rules import Classification, OpenType, UpdateFrequency
from tests.content.factories import PolicyPageFactory, ThemeFactory
from tests.factories import SectionPageFactory
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, PublisherFactory, ingested

INJECTION_CSV = "项目,金额\n=HYPERLINK(\"http://evil\"),1\n+cmd,2\n-2+3,3\n@SUM(A1),4\n正常,5\n".encode()


@pytest.fixture
def dataset(open_data):
    page = DatasetPageFactory(parent=open_data, slug="budget-monthly", title="全国一般公共预算收支月度数据")
    ingested(page, BUDGET_CSV.encode("gbk"), name="预算收支.csv")
    return DatasetPage.objects.get(pk=page.pk)


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


# --- publishing rules --------------------------------------------------------------------------------------


def test_a_classified_dataset_cannot_be_published(open_data):
    with pytest.raises(ValidationError) as caught:
        DatasetPageFactory(parent=open_data, classification=Classification.SECRET)
    assert "非涉密" in str(caught.value)
    draft = DatasetPageFactory(parent=open_data, classification=Classification.SECRET, live=False)
    assert draft.pk and not draft.live


def test_admin_publish_of_a_classified_dataset_is_refused(admin_client, open_data):
    draft = DatasetPageFactory(parent=open_data, classification=Classification.SECRET, live=False)
    draft.save_revision()
    from opendata.wagtail_hooks import refuse_classified_datasets
    from django.test import RequestFactory
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    response = refuse_classified_datasets(request, draft)
    assert response.status_code == 302
    assert not DatasetPage.objects.get(pk=draft.pk).live


def test_a_closed_dataset_is_unreachable_and_unlisted(client, open_data):
    closed = DatasetPageFactory(parent=open_data, open_type=OpenType.CLOSED, title="内部核算明细")
    assert client.get(closed.url).status_code == 404
    assert not DatasetPage.objects.public_catalog().filter(pk=closed.pk).exists()
    # Every `.public()` list of the site (columns, search, sitemap) leaves it out.
    assert not Page.objects.live().public().filter(pk=closed.pk).exists()
    assert "内部核算明细" not in client.get(open_data.url).content.decode()
    assert "内部核算明细" not in client.get("/open-data/catalog/").content.decode()
    assert closed.url not in client.get("/sitemap-pages.xml").content.decode()


def test_opening_a_closed_dataset_makes_it_public_again(client, open_data):
    page = DatasetPageFactory(parent=open_data, open_type=OpenType.CLOSED)
    page.open_type = OpenType.OPEN
    page.save()
    assert client.get(page.url).status_code == 200
    assert DatasetPage.objects.public_catalog().filter(pk=page.pk).exists()


# --- the dataset page --------------------------------------------------------------------------------------


def test_dataset_page_shows_metadata_preview_downloads_api_and_json_ld(client, dataset):
    policy_section = SectionPageFactory(parent=dataset.get_parent().get_parent(), slug="policies", title="政策发布")
    policy = PolicyPageFactory(parent=policy_section, title="关于预算收支数据公开的通知")
    DatasetRelatedPage.objects.create(dataset=dataset, page=policy)
    html = client.get(dataset.url).content.decode()
    assert "资源代码" in html and dataset.code in html
    assert "18845.6" in html and "非税收入" in html  # preview rows
    assert "/download.csv" in html and "/download.xlsx" in html
    assert f"/api/data/v1/resources/{dataset.resources.get().pk}/rows" in html
    assert "import requests" in html and "curl" in html
    assert "关于预算收支数据公开的通知" in html
    document = json_ld(html)
    assert document["@type"] == "Dataset"
    assert document["identifier"] == dataset.code
    assert document["distribution"][0]["encodingFormat"] == "text/csv"


def test_each_visit_counts_once_without_a_database_write_per_visit(client, dataset):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(dataset.url)
    with CaptureQueriesContext(connection) as visit:
        client.get(dataset.url)
    assert not [q["sql"] for q in visit.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert "浏览 <strong data-view-count>2</strong>" in client.get(dataset.url).content.decode()
    call_command("flush_view_counts", stdout=io.StringIO())
    assert DatasetStats.objects.get(dataset=dataset).view_count == 3
    assert "浏览 <strong data-view-count>3</strong>" in client.get(dataset.url).content.decode()


def test_a_view_that_varnish_answered_is_counted_by_the_beacon_of_the_page(client, dataset):
    html = client.get(dataset.url).content.decode()
    beacon = re.search(r'<script src="[^"]*view-beacon[^"]*\.js" data-beacon="([^"]+)" defer>', html).group(1)
    answer = client.post(beacon)  # what static/js/view-beacon.js sends when the page was a Varnish hit
    assert answer.status_code == 204
    assert answer["Cache-Control"] == "no-store" and not answer.cookies
    # The page shows the views before its own: the render above and the one the beacon counted.
    assert "浏览 <strong data-view-count>2</strong>" in client.get(dataset.url).content.decode()


def test_the_view_beacon_is_limited_per_address_and_counts_only_public_datasets(client, dataset, open_data, settings):
    settings.OPENDATA_VIEW_BEACON_RATE = "2/m"
    url = f"/open-data/datasets/{dataset.pk}/viewed/"
    assert [client.post(url).status_code for _ in range(3)] == [204, 204, 429]
    assert "请求过于频繁" in client.post(url).json()["error"]
    assert client.get(url).status_code == 405
    closed = DatasetPageFactory(parent=open_data, title="不予开放的数据", open_type=OpenType.CLOSED)
    settings.OPENDATA_VIEW_BEACON_RATE = "100/m"
    for missing in (closed.pk, 999999, 2**40):
        assert client.post(f"/open-data/datasets/{missing}/viewed/").status_code == 404
    assert "浏览 <strong data-view-count>2</strong>" in client.get(dataset.url).content.decode()


def test_every_hundredth_visit_writes_the_count_without_the_timer(client, dataset):
    for _ in range(100):
        client.get(dataset.url)
    assert DatasetStats.objects.get(dataset=dataset).view_count == 100


def test_a_conditional_dataset_shows_metadata_but_no_data(client, open_data):
    page = DatasetPageFactory(parent=open_data, open_type=OpenType.CONDITIONAL, open_condition="用于学术研究")
    resource = ingested(page, BUDGET_CSV.encode())
    html = client.get(page.url).content.decode()
    assert "有条件开放" in html and "用于学术研究" in html
    assert "18845.6" not in html and "/download.csv" not in html
    assert "distribution" not in json_ld(html)
    response = client.get(f"/open-data/resources/{resource.pk}/download.csv", HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert "密钥" in response.json()["detail"]
    assert client.get(f"/open-data/resources/{resource.pk}/download.csv").status_code == 403


# --- downloads ---------------------------------------------------------------------------------------------


def test_csv_download_has_a_bom_and_neutralised_cells(client, open_data):
    page = DatasetPageFactory(parent=open_data)
    resource = ingested(page, INJECTION_CSV)
    response = client.get(f"/open-data/resources/{resource.pk}/download.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["项目", "金额"]
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(\"http://evil\")", "'+cmd", "'-2+3", "'@SUM(A1)", "正常"]
    assert "attachment" in response["Content-Disposition"]
    assert DatasetStats.objects.get(dataset=page).download_count == 1


def test_xlsx_download_opens_and_is_neutralised(client, open_data):
    page = DatasetPageFactory(parent=open_data)
    resource = ingested(page, INJECTION_CSV)
    response = client.get(f"/open-data/resources/{resource.pk}/download.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = list(book.active.iter_rows(values_only=True))
    assert values[0] == ("项目", "金额")
    assert values[1] == ("'=HYPERLINK(\"http://evil\")", 1)
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_json_download_keeps_values(client, dataset):
    resource = dataset.resources.get()
    response = client.get(f"/open-data/resources/{resource.pk}/download.json")
    rows = json.loads(b"".join(response.streaming_content))
    assert rows[0]["科目"] == "税收收入" and len(rows) == 4


def test_downloads_of_closed_or_unknown_resources_are_404(client, open_data):
    closed = DatasetPageFactory(parent=open_data, open_type=OpenType.CLOSED)
    resource = ingested(closed, BUDGET_CSV.encode())
    assert client.get(f"/open-data/resources/{resource.pk}/download.csv").status_code == 404
    assert client.get("/open-data/resources/999999/download.csv").status_code == 404
    assert client.get(f"/open-data/resources/{resource.pk}/download.exe").status_code == 404


# --- the catalog -------------------------------------------------------------------------------------------


@pytest.fixture
def catalog(open_data):
    budget, treasury = PublisherFactory(name="预算司", slug="budget"), PublisherFactory(name="国库司", slug="treasury")
    theme = ThemeFactory(name="预算", slug="budget")
    a = DatasetPageFactory(parent=open_data, title="甲 预算收入", publisher=budget, theme=theme,
                           update_frequency=UpdateFrequency.MONTHLY)
    b = DatasetPageFactory(parent=open_data, title="乙 国库集中支付", publisher=treasury, theme=theme,
                           open_type=OpenType.CONDITIONAL, open_condition="须说明用途",
                           update_frequency=UpdateFrequency.YEARLY)
    c = DatasetPageFactory(parent=open_data, title="丙 转移支付", publisher=budget,
                           update_frequency=UpdateFrequency.YEARLY)
    DatasetPageFactory(parent=open_data, title="丁 不予开放", publisher=budget, open_type=OpenType.CLOSED)
    ingested(a, BUDGET_CSV.encode())
    ingested(c, b'[{"a": 1}]', "c.json")
    DatasetStats.objects.create(dataset=b, view_count=50)
    DatasetStats.objects.create(dataset=c, view_count=10)
    return a, b, c


def titles(response) -> list[str]:
    return re.findall(r'class="catalog__name"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_catalog_lists_public_datasets_with_facet_counts(client, catalog):
    response = client.get("/open-data/catalog/")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(["甲 预算收入", "乙 国库集中支付", "丙 转移支付"])
    facets = {facet["name"]: {v["value"]: v["count"] for v in facet["values"]} for facet in response.context["facets"]}
    assert facets["publisher"] == {"budget": 2, "treasury": 1}
    assert facets["open_type"] == {"open": 2, "conditional": 1}
    assert facets["format"] == {"csv": 1, "json": 1}
    assert facets["frequency"] == {"monthly": 1, "yearly": 2}


def test_catalog_facets_narrow_and_count_the_other_facets(client, catalog):
    response = client.get("/open-data/catalog/?publisher=budget&frequency=yearly")
    assert titles(response) == ["丙 转移支付"]
    facets = {facet["name"]: {v["value"]: v["count"] for v in facet["values"]} for facet in response.context["facets"]}
    assert facets["publisher"] == {"budget": 1, "treasury": 1}
    assert titles(client.get("/open-data/catalog/?format=csv")) == ["甲 预算收入"]
    assert titles(client.get("/open-data/catalog/?theme=budget&open_type=conditional")) == ["乙 国库集中支付"]
    assert titles(client.get("/open-data/catalog/?q=转移")) == ["丙 转移支付"]


def test_catalog_sorts(client, catalog):
    assert titles(client.get("/open-data/catalog/?sort=popular"))[:2] == ["乙 国库集中支付", "丙 转移支付"]
    assert titles(client.get("/open-data/catalog/?sort=name")) == sorted(titles(client.get("/open-data/catalog/")))


@pytest.mark.parametrize("query", ["publisher=nobody", "open_type=closed", "format=pdf", "sort=random",
                                   "frequency=hourly", "theme=x", "page=abc", "q=" + "长" * 101])
def test_bad_catalog_parameters_are_400_naming_the_parameter(client, catalog, query):
    response = client.get(f"/open-data/catalog/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()
