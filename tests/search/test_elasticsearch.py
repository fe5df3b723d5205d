"""What only the Elasticsearch backend has: the alias swap, versioned index names, its own failure modes.
The behaviour both backends share is in the contract suite (the `backend` fixture)."""

import datetime as dt
import socket
import threading
import time

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import ApiError

from search.backends.base import SearchBackendUnavailable, SearchDocument, SearchQuery, freshness_boost
from search.backends.elasticsearch import (
    MAX_RESULT_WINDOW,
    RESCORE_WINDOW_MIN,
    ElasticsearchBackend,
    _item_error,
    _unavailable_on_failure,
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


def test_paging_through_relevance_order_shows_every_hit_once_newest_first_among_equals(elasticsearch_backend):
    backend = elasticsearch_backend
    dated = [document(n) for n in range(1, 31)]
    same_day = [  # equal text, equal date: by id
        SearchDocument(**{**vars(document(40)), "id": f"page:4{n}", "url": f"/p/4{n}/"}) for n in (2, 0, 1)
    ]
    undated = [SearchDocument(**{**vars(document(50 + n)), "date": None}) for n in range(3)]
    backend.index(dated + same_day + undated)
    everything = backend.search(query("采购", limit=50), today=TODAY)

    pages = [backend.search(query("采购", offset=offset, limit=7), today=TODAY) for offset in range(0, 42, 7)]

    assert [hit.id for page in pages for hit in page.hits] == [hit.id for hit in everything.hits]
    assert {page.total for page in pages} == {36}
    # the same words: the freshness boost decides, the newest first; one day's equals by id; undated last
    assert [hit.id for hit in everything.hits] == (
        [f"page:{n}" for n in range(1, 31)] + ["page:40", "page:41", "page:42"] + ["page:50", "page:51", "page:52"]
    )
    scores = [hit.score for hit in everything.hits]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[29] > scores[-1]


def test_totals_and_facets_count_every_match_beyond_the_ranked_window(elasticsearch_backend):
    backend = elasticsearch_backend
    count = RESCORE_WINDOW_MIN + 50
    backend.index([
        SearchDocument(**{**vars(document(n)), "region": "北京" if n % 5 else "上海"}) for n in range(1, count + 1)
    ])

    first = backend.search(query("采购", limit=10), today=TODAY)
    shanghai = backend.search(query("采购", limit=10, filters={"region": "上海"}), today=TODAY)
    last = backend.search(query("采购", offset=count - 5, limit=10), today=TODAY)
    unreachable = backend.search(query("采购", offset=MAX_RESULT_WINDOW, limit=10), today=TODAY)

    assert first.total == count
    assert dict(first.facets["region"]) == {"北京": count - count // 5, "上海": count // 5}
    assert shanghai.total == count // 5
    assert [hit.id for hit in shanghai.hits] == [f"page:{n}" for n in range(5, 55, 5)]
    # its own filter left out: every region still offered with its count
    assert dict(shanghai.facets["region"]) == {"北京": count - count // 5, "上海": count // 5}
    assert [hit.id for hit in last.hits] == [f"page:{n}" for n in range(count - 4, count + 1)]
    assert (unreachable.hits, unreachable.total) == ([], count)


def test_newest_order_pages_by_date(elasticsearch_backend):
    backend = elasticsearch_backend
    backend.index([document(n) for n in range(1, 26)])

    second_page = backend.search(query("采购", order="newest", offset=10, limit=10), today=TODAY)

    assert [hit.id for hit in second_page.hits] == [f"page:{n}" for n in range(11, 21)]
    assert second_page.total == 25


def test_a_busy_cluster_answering_one_body_of_the_search_is_unavailable():
    answer = {"status": 429, "error": {"type": "es_rejected_execution_exception", "reason": "queue full"}}
    meta = ApiResponseMeta(status=200, http_version="1.1", headers=HttpHeaders(), duration=0.01, node=NodeConfig(
        "http", "127.0.0.1", 9200))

    with pytest.raises(SearchBackendUnavailable):
        with _unavailable_on_failure():
            raise _item_error(meta, answer)
    with pytest.raises(ApiError):  # a request Elasticsearch refuses is a mistake of ours, not an outage
        with _unavailable_on_failure():
            raise _item_error(meta, {"status": 400, "error": {"type": "parsing_exception", "reason": "bad"}})
