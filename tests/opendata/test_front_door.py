"""The 数据开放 front door: the catalog itself with its facets and sorts, and the 开发者 page."""

import re

import pytest

from opendata.models import OpenDataPage
from tests.factories import PageFactory
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, PublisherFactory, ingested


class OpenDataPageFactory(PageFactory):
    class Meta:
        model = OpenDataPage

    title = "数据开放"
    slug = "open-data"


@pytest.fixture
def door(home):
    return OpenDataPageFactory(parent=home)


@pytest.fixture
def datasets(door):
    budget = PublisherFactory(name="预算司", slug="budget")
    treasury = PublisherFactory(name="国库司", slug="treasury")
    monthly = DatasetPageFactory(parent=door, slug="budget-monthly", code="000014349/00001",
                                 title="全国一般公共预算收支月度数据", publisher=budget)
    ingested(monthly, BUDGET_CSV.encode())
    payments = DatasetPageFactory(parent=door, slug="treasury-payments", code="000014350/00001",
                                  title="国库集中支付月度统计", publisher=treasury)
    return monthly, payments


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_front_door_is_the_catalog_with_its_facets_and_sorts(client, datasets):
    html = text(client.get("/open-data/"))

    assert "全国一般公共预算收支月度数据" in html and "国库集中支付月度统计" in html
    assert 'data-facet="publisher" data-value="budget"' in html
    assert "排序：" in html and "最近更新" in html


def test_a_facet_narrows_the_catalog_on_the_front_door(client, datasets):
    html = text(client.get("/open-data/", {"publisher": "treasury"}))

    assert "国库集中支付月度统计" in html and "全国一般公共预算收支月度数据" not in html
    assert "共 1 个数据资源" in html


def test_a_bad_filter_is_a_400_with_a_message(client, door):
    response = client.get("/open-data/", {"sort": "random"})

    assert response.status_code == 400


def test_the_catalog_search_form_posts_back_to_the_page_it_is_on(client, door):
    html = text(client.get("/open-data/"))

    assert re.search(r'<form class="catalog__search" method="get" action="/open-data/"', html)
    assert 'action=""' not in html


def test_the_old_catalog_address_leads_to_the_front_door_with_its_filters(client, door):
    response = client.get("/open-data/catalog/", {"publisher": "budget"})

    assert response.status_code == 301
    assert response["Location"] == "/open-data/?publisher=budget"


def test_the_developers_page_gives_a_copyable_request_for_every_interface(client, datasets):
    html = text(client.get("/open-data/developers/"))

    for name in ("数据接口", "目录接口", "CKAN 接口", "DCAT 目录", "订阅源"):
        assert f">{name}</h2>" in html
    resource = datasets[0].resources.get()
    assert f"curl &quot;http://testserver/api/data/v1/resources/{resource.pk}/rows?limit=20&quot;" in html
    assert "http://testserver/api/3/action/package_search" in html
    assert "http://testserver/open-data/catalog.jsonld" in html
    assert "http://testserver/open-data/feed/atom/" in html
    assert html.count("data-copy=") == 5
    crumbs = re.search(r'<nav class="breadcrumb" aria-label="当前位置">(.*?)</nav>', html).group(1)
    assert re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]+)", crumbs) == ["首页", "数据开放", "开发者"]


def test_the_dataset_page_sits_behind_the_front_door(client, datasets):
    html = text(client.get("/open-data/budget-monthly/"))

    crumbs = re.search(r'<nav class="breadcrumb" aria-label="当前位置">(.*?)</nav>', html).group(1)
    assert "数据开放" in crumbs


def test_the_data_api_docs_carry_the_site_header_and_a_breadcrumb(client, door):
    html = text(client.get("/api/data/v1/docs"))

    assert 'aria-label="主导航"' in html or "site-header" in html
    crumbs = re.search(r'<nav class="breadcrumb" aria-label="当前位置">(.*?)</nav>', html).group(1)
    assert re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]+)", crumbs) == ["首页", "数据开放", "开发者", "数据接口文档"]
