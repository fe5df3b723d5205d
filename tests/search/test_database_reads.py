"""How the database backend reads: facets counted in one pass, relevance re-sorted in a window, results
cached under the index revision. What a person notices: counts that add up, pages that never repeat or skip a
result, and a page published a moment ago found at once even though the same search was just made."""

import datetime as dt
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from search.backends import database
from search.backends.base import FACETS
from search.backends.database import count_facets
from search.query import analyse
from tests.search.conftest import doc

VALUES = {"type": ["article", "notice", "policy"], "department": ["预算司", "国库司", ""],
          "year": ["2024", "2025", ""], "region": ["北京市", "上海市", ""]}

documents = st.lists(st.tuples(*[st.sampled_from(VALUES[facet]) for facet in FACETS]), max_size=40)
filters = st.dictionaries(st.sampled_from(FACETS), st.sampled_from(["article", "预算司", "2025", "北京市", "火星"]))


def naive_facets(rows: list[tuple[str, ...]], filters: dict[str, str]):
    """What the four GROUP BY queries used to say: one count per facet, under every filter but its own."""

    def passes(row, ignoring=None):
        return all(row[FACETS.index(name)] == value for name, value in filters.items() if name != ignoring)

    total = sum(1 for row in rows if passes(row))
    facets = {}
    for index, facet in enumerate(FACETS):
        counts = Counter(row[index] for row in rows if passes(row, ignoring=facet) and row[index])
        facets[facet] = dict(counts)
    return total, facets


@given(rows=documents, filters=filters)
def test_one_pass_facets_count_what_a_query_per_facet_counted(rows, filters):
    combinations = list(Counter(rows).items())

    total, facets = count_facets(combinations, filters)

    expected_total, expected = naive_facets(rows, filters)
    assert total == expected_total
    assert {facet: dict(values) for facet, values in facets.items()} == expected


@given(rows=documents)
def test_facets_counted_by_value_numbers_are_the_same_counts(rows):
    # PostgreSQL counts an unfiltered search's facets from the combinations held in memory by value numbers.
    held = database.EntryFacets(generation=1)
    held.add([(pk, None, *row) for pk, row in enumerate(rows)])
    counted = Counter(held.combination[pk] for pk in range(len(rows)))

    assert held.count_unfiltered(counted) == count_facets(Counter(rows).items(), {})


def test_facets_list_years_newest_first_and_the_rest_by_count():
    combinations = [(("notice", "国库司", "2024", ""), 1), (("article", "预算司", "2025", ""), 3),
                    (("article", "国库司", "2023", ""), 1)]

    total, facets = count_facets(combinations, {})

    assert total == 5
    assert [value for value, _ in facets["year"]] == ["2025", "2024", "2023"]
    assert facets["type"] == [("article", 4), ("notice", 1)]
    assert facets["department"] == [("预算司", 3), ("国库司", 2)]
    assert facets["region"] == []


@pytest.fixture
def many(db):
    """Twelve pages about 国库: some say it in the title (they rank first), old and new."""
    backend = database.DatabaseBackend()
    backend.rebuild([
        doc(f"page:{number}", f"国库集中支付通知{number}" if number % 3 == 0 else f"工作动态{number}",
            "国库" * (1 + number % 4) + "现金管理。", date=dt.date(2016 + number % 10, 1, 1),
            type="notice" if number % 2 else "article")
        for number in range(1, 13)
    ])
    return backend


def query(text, **options):
    return analyse(text, **options)[0]


@pytest.mark.parametrize("window", [1, 4, 5, 1000])
@pytest.mark.parametrize("filters", [{}, {"type": "article"}])
def test_paging_through_results_shows_every_match_once_whatever_the_rescore_window(many, monkeypatch, window,
                                                                                  filters):
    monkeypatch.setattr(database, "RESCORE_WINDOW", window)
    total = many.search(query("国库", filters=filters)).total
    seen = []
    for page in range(1, total // 5 + 2):
        seen += [hit.id for hit in many.search(query("国库", filters=filters, page=page, per_page=5)).hits]

    assert len(seen) == len(set(seen)) == total == (12 if not filters else 6)


def test_the_window_is_ordered_by_relevance_with_freshness_and_the_rest_by_relevance(many, monkeypatch):
    monkeypatch.setattr(database, "FRESHNESS_WEIGHT", 0.0)
    by_relevance = [hit.id for hit in many.search(query("国库", per_page=12)).hits]
    monkeypatch.undo()
    cache.clear()
    monkeypatch.setattr(database, "RESCORE_WINDOW", 4)

    hits = many.search(query("国库", per_page=12)).hits

    window, rest = hits[:4], hits[4:]
    assert {hit.id for hit in window} == set(by_relevance[:4])
    assert [hit.score for hit in window] == sorted((hit.score for hit in window), reverse=True)
    assert [hit.id for hit in rest] == by_relevance[4:]


def test_a_repeated_search_is_answered_from_the_cache(many, django_assert_num_queries):
    asked = query("国库")
    first = many.search(asked)

    with django_assert_num_queries(1):  # the index state, to know the cached answer is still current
        again = many.search(asked)

    assert again == first


def test_a_page_indexed_after_a_search_is_found_by_the_same_search(many):
    asked = query("转移支付")
    assert many.search(asked).total == 0

    many.index([doc("page:99", "中央对地方转移支付预算表", "转移支付。")])
    assert [hit.id for hit in many.search(asked).hits] == ["page:99"]

    many.delete(["page:99"])
    assert many.search(asked).total == 0


def test_facet_counts_follow_every_change_to_the_index_with_the_answer_cache_off(many, settings):
    settings.SEARCH_RESULT_CACHE_SECONDS = 0  # every search worked out afresh: the facet values held are what could be stale
    asked = query("国库")
    before = many.search(asked)
    types = dict(before.facets["type"])

    many.index([doc("page:99", "国库现金管理公告", "国库现金管理。", type="policy", department="国库司")])
    after = many.search(asked)

    assert after.total == before.total + 1
    assert dict(after.facets["type"]) == {**types, "policy": 1}
    assert dict(after.facets["department"]) == {"国库司": 1}

    many.delete(["page:99"])
    assert many.search(asked).facets == before.facets


def test_the_cache_can_be_turned_off(many, settings, django_assert_max_num_queries):
    settings.SEARCH_RESULT_CACHE_SECONDS = 0
    asked = query("国库")
    many.search(asked)

    with django_assert_max_num_queries(10) as counted:
        many.search(asked)

    assert len(counted) > 1


@pytest.mark.parametrize("first_pass", [1, 4, 5, 200])
def test_a_common_word_ranks_its_best_title_matches_first_and_pages_through_every_match_once(many, monkeypatch,
                                                                                            first_pass):
    # A query with more than FULL_RANK_MAX matches is ranked from a first pass over the titles (both databases);
    # below the limit every match is ranked. A person sees the same either way: pages that say it in the title
    # first, every match once, counts that add up.
    every_match_ranked = [hit.id for hit in many.search(query("国库", per_page=4)).hits]
    cache.clear()
    monkeypatch.setattr(database, "FULL_RANK_MAX", 2)
    monkeypatch.setattr(database, "FIRST_PASS", first_pass)
    first = many.search(query("国库", per_page=4))
    seen = []
    for page in range(1, 4):
        seen += [hit.id for hit in many.search(query("国库", page=page, per_page=5)).hits]

    assert first.total == 12 and sum(count for _, count in first.facets["type"]) == 12
    if first_pass == 4:  # the first pass is the four pages with 国库 in the title
        assert {hit.id for hit in first.hits} == {"page:3", "page:6", "page:9", "page:12"}
    if first_pass == 200:  # the first pass holds every match: ranked as if there were no first pass
        assert [hit.id for hit in first.hits] == every_match_ranked
    assert len(seen) == len(set(seen)) == 12


@pytest.mark.parametrize("first_pass", [2, 5])
def test_a_broad_search_under_a_filter_shows_every_filtered_match_once_title_matches_newest_first(many, monkeypatch,
                                                                                                  first_pass):
    # The first pass of a broad search takes the matches saying it in the title, newest first, then
    # the others newest first; the filter holds for both, and the pages still show every match once.
    monkeypatch.setattr(database, "FULL_RANK_MAX", 2)
    monkeypatch.setattr(database, "FIRST_PASS", first_pass)
    asked = {"filters": {"type": "article"}, "per_page": 2}
    result = many.search(query("国库", **asked))
    seen = []
    for page in range(1, 5):
        seen += [hit.id for hit in many.search(query("国库", page=page, **asked)).hits]

    # The articles are the even pages; 6 and 12 say 国库 in the title (12 of 2022, 6 of 2016).
    assert result.total == 6 and dict(result.facets["type"]) == {"article": 6, "notice": 6}
    assert {hit.id for hit in result.hits} == {"page:6", "page:12"}
    assert sorted(seen) == sorted(f"page:{number}" for number in range(2, 13, 2)) and len(seen) == 6


def test_past_the_ranked_title_matches_a_broad_search_lists_the_others_newest_first(many, monkeypatch):
    # A broad search ranks only its first pass in full (SQLite: bm25 read for those rows alone, not for every
    # match); the pages after it list the other matches newest first, on both databases.
    monkeypatch.setattr(database, "FULL_RANK_MAX", 2)
    monkeypatch.setattr(database, "FIRST_PASS", 4)

    first, second = (many.search(query("国库", page=page, per_page=4)) for page in (1, 2))

    assert {hit.id for hit in first.hits} == {"page:3", "page:6", "page:9", "page:12"}  # 国库 in the title
    # Then the others by date: 8 of 2024, 7 of 2023, 5 of 2021, 4 of 2020 (not by how often they say 国库).
    assert [hit.id for hit in second.hits] == ["page:8", "page:7", "page:5", "page:4"]


def test_an_undated_match_comes_after_the_dated_ones_in_the_first_pass(many, monkeypatch):
    monkeypatch.setattr(database, "FULL_RANK_MAX", 2)
    monkeypatch.setattr(database, "FIRST_PASS", 1)
    many.index([doc("page:0", "工作动态", "国库现金管理。")])

    seen = [hit.id for page in range(1, 15) for hit in many.search(query("国库", page=page, per_page=1)).hits]

    assert len(seen) == len(set(seen)) == 13 and seen[-1] == "page:0"


def test_publishing_a_page_does_not_make_the_next_search_read_every_entry_again(many, settings):
    # PostgreSQL: the facet values held for counting are read whole once per generation; a page published since is
    # read on its own (a new row, under an id never used before). SQLite reads them again after every change, as
    # a deleted entry's rowid can come back.
    if connections["default"].vendor != "postgresql":
        pytest.skip("SQLite reads the facet values again after every change")
    settings.SEARCH_RESULT_CACHE_SECONDS = 0
    many.search(query("国库"))
    many.index([doc("page:99", "国库现金管理公告", "国库现金管理。", type="policy")])

    with CaptureQueriesContext(connections["default"]) as captured:
        result = many.search(query("国库"))

    assert result.total == 13 and dict(result.facets["type"])["policy"] == 1
    whole_reads = [entry["sql"] for entry in captured if "e.department" in entry["sql"] and "ANY" not in entry["sql"]
                   and "MATCH" not in entry["sql"] and "@@" not in entry["sql"]]
    assert whole_reads == []
