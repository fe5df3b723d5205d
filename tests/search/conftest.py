"""Fixtures for the search tests.

`backend` runs a test once per search backend. To add a backend, add one entry to BACKENDS: a function that
takes pytest's `request` and returns a ready, empty backend (and, for the end-to-end tests, makes
search.backends.index_backends() and primary_backend() include it, e.g. through the `settings` fixture).
When the backend's server cannot be reached, the function calls `unavailable(...)`: a failure under CI=true,
a skip with the message elsewhere.
"""

import datetime as dt
import os
import uuid

import pytest
from django.core.cache import cache

from search.backends import database_backend
from search.backends.base import SearchDocument
from search.documents import analysed
from tests.factories import SectionPageFactory


def unavailable(message: str):
    """A backend that cannot run here: fail under CI (where every backend must run), else skip saying why."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _database(request):
    return database_backend()


def _elasticsearch(request):
    backend = request.getfixturevalue("elasticsearch_backend")
    # What the search service and the indexer use (search.backends) is this backend, on its own indices.
    request.getfixturevalue("settings").ELASTICSEARCH_URL = os.environ["JINCAI_TEST_ELASTICSEARCH_URL"]
    request.getfixturevalue("monkeypatch").setattr("search.backends.elasticsearch_backend", lambda: backend)
    return backend


BACKENDS = {
    "database": _database,
    "elasticsearch": _elasticsearch,
}


@pytest.fixture
def elasticsearch_backend():
    """An Elasticsearch backend on a fresh, uniquely named alias (its indices are deleted afterwards), on the
    node at JINCAI_TEST_ELASTICSEARCH_URL, which scripts/test.sh sets when it could start one."""
    url = os.environ.get("JINCAI_TEST_ELASTICSEARCH_URL", "")
    if not url:
        unavailable("Elasticsearch tests need JINCAI_TEST_ELASTICSEARCH_URL: run `make test`, or "
                    "`export JINCAI_TEST_ELASTICSEARCH_URL=$(bash scripts/elasticsearch.sh start)` (JDK 17 + Maven)")
    from search.backends.elasticsearch import ElasticsearchBackend

    backend = ElasticsearchBackend(url=url, alias=f"jincai-test-{uuid.uuid4().hex[:12]}", refresh=True)
    yield backend
    backend.drop()
    backend.client.close()


@pytest.fixture(params=list(BACKENDS))
def backend(request, db):
    return BACKENDS[request.param](request)


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Synonym groups and rate-limit counters are cached; every test starts from the database."""
    from search import correction

    settings.SEARCH_API_RATE = "100000/m"
    cache.clear()
    correction.clear_cache()
    yield
    cache.clear()
    correction.clear_cache()


def doc(id: str, title: str, body: str = "", *, type: str = "article", date: dt.date | None = None,
        department: str = "", region: str = "", tags: tuple[str, ...] = ()) -> SearchDocument:
    """An analysed search document, as the indexer would hand it to a backend."""
    return analysed(SearchDocument(
        id=id, url=f"/{id.replace(':', '-')}/", type=type, title=title, body=body, date=date,
        department=department, year=date.year if date else None, region=region, tags=tags,
    ))


@pytest.fixture
def corpus() -> list[SearchDocument]:
    """A small portal's worth of documents: notices, news, policies over three years and two departments."""
    return [
        doc("page:1", "财政部发布政府采购公告", "财政部政府采购管理办公室发布本年度第一批采购意向。", type="notice",
            date=dt.date(2026, 3, 2), department="财政部办公厅", region="北京市"),
        doc("page:2", "地方政府专项债券发行情况", "今年以来各地加快专项债券发行使用。", type="article",
            date=dt.date(2025, 6, 1), department="财政部债务管理司"),
        doc("page:3", "推进政府和社会资本合作规范发展", "规范实施政府和社会资本合作新机制，聚焦使用者付费项目。",
            type="article", date=dt.date(2024, 5, 20), department="财政部金融司"),
        doc("page:4", "关于加强预算绩效管理的通知", "各省财政厅：为加强预算绩效管理，现就政府采购预算编制通知如下。",
            type="policy", date=dt.date(2025, 1, 15), department="财政部预算司"),
        doc("page:5", "某市教育局办公设备采购项目中标公告", "本项目采购方式为公开招标，预算金额120万元。", type="notice",
            date=dt.date(2025, 11, 3), department="财政部办公厅", region="上海市"),
        doc("page:6", "全面实施营业税改征增值税试点", "营业税改征增值税试点全面推开。", type="policy",
            date=dt.date(2024, 4, 30), department="财政部税政司"),
        doc("dataset:7", "全国一般公共预算收支月度数据", "按月公布全国一般公共预算收入和支出。", type="dataset",
            date=dt.date(2026, 1, 10), department="财政部国库司"),
    ]


@pytest.fixture
def indexed(backend, corpus):
    backend.rebuild(corpus)
    return backend


@pytest.fixture
def section(home):
    return SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")


@pytest.fixture
def site_index(db):
    """Rebuild the database index from the pages the test created (factories bypass the publish signals'
    after-commit hooks inside a test transaction)."""

    def rebuild():
        from search.indexing import rebuild as rebuild_all

        return rebuild_all(backends=[database_backend()])[0]

    return rebuild
