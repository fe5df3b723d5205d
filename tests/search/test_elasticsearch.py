"""What only the Elasticsearch backend has: the alias swap, versioned index names, its own failure modes.
The behaviour both backends share is in the contract suite (the `backend` fixture)."""

import datetime as dt
import socket
import threading
import time

import pytest

from search.backends.base import SearchBackendUnavailable, SearchDocument, SearchQuery, freshness_boost
from search.backends.elasticsearch import (
    ElasticsearchBackend,
    analyzer_version,
    freshness_approximation,
    index_name_part,
)

TODAY = dt.date(2026, 11, 23)


def document(n: int, *, word: str = "采购", title: str = "") -> SearchDocument:
    return SearchDocument(
        id=f"page:{n}", url=f"/p/{n}/", type="notice", title=title or f"政府{word}公告 {n}",
        body=f"关于{word}的公告",
        date=TODAY - dt.timedelta(days=n), department="财政部", year=2026, region="北京",
        title_tokens=f"政府 {word} 公告 {n}", body_tokens=f"关于 {word} 公告",
    )


def query(*tokens: str, **kwargs) -> SearchQuery:
    return SearchQuery(text=" ".join(tokens), terms=tuple((token,) for token in tokens), **kwargs)


def test_freshness_boost_follows_the_database_formula():
    for age in [0, 1, 7, 30, 90, 182, 365, 500, 730, 1000, 1825, 3650, 7300, 10950, 14600]:
        expected = freshness_boost(TODAY - dt.timedelta(days=age), TODAY)
        assert freshness_approximation(age) == pytest.approx(expected, rel=0.003), age


def test_index_names_carry_the_analyzer_version(elasticsearch_backend):
    backend = elasticsearch_backend
    backend.index([document(1)])
    assert backend.stored_version() == analyzer_version()
    backend.rebuild([document(1), document(2)])

    names = list(backend._indices())
    assert len(names) == 1
    assert names[0].startswith(f"{backend.alias}-{index_name_part(analyzer_version())}-")
    assert backend.stored_version() == analyzer_version()
    assert backend.count() == 2


def test_search_never_comes_back_empty_while_a_rebuild_runs(elasticsearch_backend):
    backend = elasticsearch_backend
    backend.index([document(n) for n in range(50)])

    def slow_documents():
        for n in range(1200):
            if n % 250 == 0:
                time.sleep(0.3)
            yield document(n, word="预算")

    rebuilt = {}
    thread = threading.Thread(target=lambda: rebuilt.setdefault("count", backend.rebuild(slow_documents())))
    thread.start()
    totals = []
    while thread.is_alive():
        totals.append(backend.search(query("公告"), today=TODAY).total)
    thread.join()

    assert rebuilt["count"] == 1200
    assert len(totals) > 5
    assert 0 not in totals
    assert set(totals) <= {50, 1200}
    assert backend.search(query("预算"), today=TODAY).total == 1200
    assert backend.search(query("采购"), today=TODAY).total == 0
    assert len(backend._indices()) == 1


def test_a_page_published_during_a_rebuild_is_in_the_new_index(elasticsearch_backend):
    backend = elasticsearch_backend
    backend.index([document(1)])
    halfway = threading.Event()
    go_on = threading.Event()

    def documents():
        yield document(1)
        halfway.set()
        go_on.wait(10)
        yield document(2)

    thread = threading.Thread(target=backend.rebuild, args=(documents(),))
    thread.start()
    assert halfway.wait(10)
    backend.index([document(3, title="新发布")])
    go_on.set()
    thread.join()

    hits = backend.search(query("公告"), today=TODAY).hits
    assert sorted(hit.id for hit in hits) == ["page:1", "page:2", "page:3"]


def test_a_failed_rebuild_keeps_serving_the_old_index(elasticsearch_backend):
    backend = elasticsearch_backend
    backend.index([document(1), document(2)])

    def broken():
        yield document(3)
        raise OSError("the database went away")

    with pytest.raises(OSError):
        backend.rebuild(broken())

    assert sorted(hit.id for hit in backend.search(query("公告"), today=TODAY).hits) == ["page:1", "page:2"]
    assert len(backend._indices()) == 1


def test_a_rebuilt_index_is_served_merged_into_one_segment(elasticsearch_backend):
    backend = elasticsearch_backend

    def documents_written_in_several_segments():
        for n in range(1500):
            if n and n % 500 == 0:  # the batch before was written: a refresh makes it a segment of its own
                backend.client.indices.refresh(index=backend.building_alias)
            yield document(n, word="预算")

    assert backend.rebuild(documents_written_in_several_segments()) == 1500

    (shards,) = [info["shards"] for info in backend.client.indices.segments(index=backend.alias)["indices"].values()]
    assert [len(copy["segments"]) for copies in shards.values() for copy in copies] == [1]
    assert backend.search(query("预算"), today=TODAY).total == 1500


def test_words_side_by_side_rank_above_the_same_words_apart(elasticsearch_backend):
    backend = elasticsearch_backend
    day = TODAY - dt.timedelta(days=30)

    def page(n: int, *, title: str, body: str) -> SearchDocument:
        return SearchDocument(id=f"page:{n}", url=f"/p/{n}/", type="notice", title=title, body=body, date=day,
                              title_tokens=title, body_tokens=body)

    backend.index([
        page(1, title="通知 其他", body="中央 其他 预算 执行 情况"),
        page(2, title="通知 其他", body="中央 预算 其他 执行 情况"),
        page(3, title="中央 其他 预算 执行", body="通知 其他"),
        page(4, title="中央 预算 其他 执行", body="通知 其他"),
    ])

    central_budget = SearchQuery(text="中央预算", terms=(("中央 预算",),))
    hits = backend.search(central_budget, today=TODAY).hits

    # in the title, where words weigh more, first; in each field the pair side by side above the pair apart
    assert [hit.id for hit in hits] == ["page:4", "page:3", "page:2", "page:1"]
    assert hits[0].score > hits[1].score > hits[2].score > hits[3].score


@pytest.mark.parametrize("text", [
    "*", "?", '"', "\\", "/.*/", "(", ")", "AND", "OR", "NOT", "采购 OR *", "title_tokens:*", "body_tokens:采购",
    "_exists_:title", "[* TO *]", "采购~2", "采购^100", "{!lucene}", "<script>", "a" * 1000,
])
def test_lucene_syntax_in_a_query_is_only_text(elasticsearch_backend, text):
    backend = elasticsearch_backend
    backend.index([document(1), document(2)])

    result = backend.search(SearchQuery(text=text, terms=((text,),)), today=TODAY)

    assert result.total == 0
    # and next to a real word it changes nothing but requiring itself
    assert backend.search(SearchQuery(text=text, terms=(("采购",), ("采购", text))), today=TODAY).total == 2


def test_filter_values_are_only_text(elasticsearch_backend):
    backend = elasticsearch_backend
    backend.index([document(1)])

    for value in ["*", "财政*", "notice OR article", "2026 OR 1=1"]:
        assert backend.search(query("公告", filters={"type": value}), today=TODAY).total == 0
    with pytest.raises(ValueError):
        backend.search(query("公告", filters={"title": "x"}), today=TODAY)


def test_an_unreachable_cluster_raises_search_backend_unavailable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again at once: nothing listens there
    backend = ElasticsearchBackend(url=f"http://127.0.0.1:{port}", timeout=2)

    with pytest.raises(SearchBackendUnavailable):
        backend.search(query("采购"))
    with pytest.raises(SearchBackendUnavailable):
        backend.index([document(1)])
    with pytest.raises(SearchBackendUnavailable):
        backend.delete(["page:1"])
    with pytest.raises(SearchBackendUnavailable):
        backend.count()
    with pytest.raises(SearchBackendUnavailable):
        backend.rebuild([document(1)])


def test_search_before_anything_was_indexed_is_empty(elasticsearch_backend):
    result = elasticsearch_backend.search(query("采购"), today=TODAY)

    assert (result.hits, result.total) == ([], 0)
    assert elasticsearch_backend.count() == 0
    assert elasticsearch_backend.stored_version() == ""
