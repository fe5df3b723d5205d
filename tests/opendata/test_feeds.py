"""RSS and Atom feeds of new and updated datasets, as a feed reader sees them."""

import datetime as dt

import feedparser
import pytest
from django.utils import timezone

from opendata.models import DatasetPage
from opendata.rules import OpenType
from tests.content.factories import ThemeFactory
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, PublisherFactory, ingested

LONG_AGO = timezone.now() - dt.timedelta(days=30)


@pytest.fixture
def datasets(open_data):
    budget, treasury = PublisherFactory(name="预算司", slug="budget"), PublisherFactory(name="国库司", slug="treasury")
    theme = ThemeFactory(name="预算管理", slug="budget-theme")
    older = DatasetPageFactory(parent=open_data, title="转移支付分地区情况", publisher=budget, theme=theme,
                               published=LONG_AGO)
    newer = DatasetPageFactory(parent=open_data, title="国库集中支付明细", publisher=treasury,
                               open_type=OpenType.CONDITIONAL, open_condition="用于学术研究",
                               published=LONG_AGO + dt.timedelta(days=1))
    DatasetPageFactory(parent=open_data, title="国库现金管理操作", publisher=treasury, open_type=OpenType.CLOSED)
    return older, newer


def feed(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.content.decode()
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.bozo_exception
    return response, parsed


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_the_feed_lists_public_datasets_newest_first(client, datasets, fmt):
    response, parsed = feed(client, f"/open-data/feed/{fmt}/")
    assert response["Content-Type"].startswith(f"application/{fmt}+xml")
    assert [entry.title for entry in parsed.entries] == ["国库集中支付明细", "转移支付分地区情况"]
    assert parsed.entries[1].link.endswith(datasets[0].url)
    assert "数据资源" in parsed.feed.title


def test_new_data_moves_a_dataset_to_the_top(client, datasets):
    older, _ = datasets
    ingested(older, BUDGET_CSV.encode())
    _, parsed = feed(client, "/open-data/feed/atom/")
    assert parsed.entries[0].title == "转移支付分地区情况"


def test_feeds_per_publisher_and_per_theme(client, datasets):
    _, parsed = feed(client, "/open-data/feed/rss/?publisher=treasury")
    assert [entry.title for entry in parsed.entries] == ["国库集中支付明细"]
    assert "国库司" in parsed.feed.title
    _, parsed = feed(client, "/open-data/feed/atom/?theme=budget-theme")
    assert [entry.title for entry in parsed.entries] == ["转移支付分地区情况"]
    assert parsed.feed.links[0].href.endswith("/open-data/feed/atom/?theme=budget-theme")


@pytest.mark.parametrize("query", ["publisher=nobody", "theme=nothing", "open_type=closed", "format=pdf"])
def test_bad_filters_are_400(client, datasets, query):
    response = client.get(f"/open-data/feed/rss/?{query}")
    assert response.status_code == 400 and query.split("=")[0] in response.content.decode()


def test_conditional_get_answers_304_until_something_changes(client, datasets):
    first = client.get("/open-data/feed/rss/")
    assert client.get("/open-data/feed/rss/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/open-data/feed/rss/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    ingested(datasets[0], BUDGET_CSV.encode())
    assert client.get("/open-data/feed/rss/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get("/open-data/feed/json/").status_code == 404


def test_the_catalog_advertises_its_feeds_with_its_filters(client, datasets):
    html = client.get("/open-data/catalog/?publisher=treasury").content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert 'href="/open-data/feed/atom/?publisher=treasury"' in html
    assert "/open-data/catalog.jsonld" in html and "/api/3/action/package_list" in html


@pytest.fixture
def undated(open_data):
    """Datasets as the demo made them: live pages never published through a revision, so without a first or
    last publication time, one with data and one without."""
    with_data = DatasetPageFactory(parent=open_data, title="未记录发布时间的数据资源")
    without_data = DatasetPageFactory(parent=open_data, title="没有数据文件的数据资源")
    DatasetPage.objects.filter(pk__in=[with_data.pk, without_data.pk]).update(
        first_published_at=None, last_published_at=None)
    ingested(DatasetPage.objects.get(pk=with_data.pk), BUDGET_CSV.encode())
    return with_data, without_data


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_datasets_without_a_publication_time_are_in_the_feed(client, undated, fmt):
    _, parsed = feed(client, f"/open-data/feed/{fmt}/")
    assert {entry.title for entry in parsed.entries} == {"未记录发布时间的数据资源", "没有数据文件的数据资源"}
    assert all(entry.get("updated") or entry.get("published") for entry in parsed.entries)


def test_the_demo_catalog_is_dated_and_its_feeds_answer(client, home, monkeypatch):
    from demo import opendata as demo

    small = [spec for spec in demo.specs() if spec.code in ("000014349/R2025", "000014352/A0002")]
    monkeypatch.setattr(demo, "specs", lambda: small)
    assert demo.build_opendata_demo(home, log=lambda *args: None) == 2
    assert not DatasetPage.objects.filter(first_published_at__isnull=True).exists()
    for fmt in ("rss", "atom"):
        _, parsed = feed(client, f"/open-data/feed/{fmt}/")
        assert len(parsed.entries) == 2
    package = client.get("/api/3/action/package_show?id=000014349-r2025").json()["result"]
    assert package["metadata_created"].startswith(str(DatasetPage.objects.get(code="000014349/R2025").published_on))
    assert package["organization"]["created"]
