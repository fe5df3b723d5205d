"""The contract every search backend keeps, run against each (see the `backend` fixture in conftest.py).

Queries go through search.query.analyse, exactly as the search page builds them, so synonyms and
segmentation are part of the contract.
"""

import datetime as dt

import pytest
from wagtail.models import PageViewRestriction

from search import highlight
from search.backends.base import FACETS, SearchResult
from search.query import MAX_QUERY_LENGTH, analyse, clean_query
from tests.content.factories import ArticlePageFactory
from tests.search.conftest import doc


def search(backend, text: str, **options) -> SearchResult:
    analysed = analyse(text, **options)
    assert analysed is not None, f"{text!r} has no searchable words"
    return backend.search(analysed[0])


def ids(result: SearchResult) -> list[str]:
    return [hit.id for hit in result.hits]


def test_a_two_character_word_finds_the_longer_word_it_is_part_of_and_is_highlighted(indexed, corpus):
    result = search(indexed, "采购")

    assert "page:1" in ids(result)  # 财政部发布政府采购公告
    query, tokens, expansion = analyse("采购")
    words = highlight.highlight_words(expansion.terms, tokens)
    assert "政府<mark>采购</mark>公告" in highlight.mark(corpus[0].title, words)


def test_an_acronym_finds_pages_that_only_use_the_full_name(indexed):
    result = search(indexed, "PPP")

    assert ids(result) == ["page:3"]  # 推进政府和社会资本合作规范发展: never says PPP


def test_a_full_name_finds_pages_that_only_use_the_short_form(backend):
    backend.rebuild([doc("page:1", "营改增试点扩围", "营改增减轻企业负担。")])

    assert ids(search(backend, "营业税改征增值税")) == ["page:1"]


def test_full_width_and_upper_case_match_their_normal_forms(backend):
    backend.rebuild([doc("page:1", "ＧＤＰ增长情况", "国内生产总值。")])

    assert ids(search(backend, "gdp")) == ["page:1"]
    assert ids(search(backend, "ＧＤＰ")) == ["page:1"]


def test_every_word_must_match(indexed):
    assert ids(search(indexed, "采购 中标")) == ["page:5"]
    assert search(indexed, "采购 火星").total == 0


def test_a_title_match_ranks_above_a_body_match(backend):
    backend.rebuild([
        doc("page:1", "年度工作总结", "其中提到国库现金管理。", date=dt.date(2025, 1, 1)),
        doc("page:2", "国库现金管理办法", "办法全文。", date=dt.date(2025, 1, 1)),
    ])

    assert ids(search(backend, "国库"))[0] == "page:2"


def test_newest_order_puts_the_latest_date_first(indexed, corpus):
    dates = {document.id: document.date for document in corpus}

    result = search(indexed, "采购", order="newest")

    ordered = [dates[hit] for hit in ids(result)]
    assert ordered == sorted(ordered, reverse=True)
    assert ids(result)[0] == "page:1"


def test_facets_count_under_the_other_filters_and_add_up(indexed):
    everything = search(indexed, "采购")
    types = dict(everything.facets["type"])

    assert sum(types.values()) == everything.total == 3
    assert types == {"notice": 2, "policy": 1}

    notices = search(indexed, "采购", filters={"type": "notice"})
    assert notices.total == types["notice"]
    assert sorted(ids(notices)) == ["page:1", "page:5"]
    # The type facet still offers the other types (counted without the type filter) ...
    assert dict(notices.facets["type"]) == types
    # ... while the other facets count only notices.
    assert dict(notices.facets["region"]) == {"北京市": 1, "上海市": 1}
    assert sum(count for _, count in notices.facets["year"]) == notices.total


def test_filters_combine(indexed):
    result = search(indexed, "采购", filters={"type": "notice", "year": "2025"})

    assert ids(result) == ["page:5"]
    assert dict(result.facets["year"]) == {"2026": 1, "2025": 1}
    assert dict(result.facets["department"]) == {"财政部办公厅": 1}


def test_a_filter_value_nothing_has_finds_nothing(indexed):
    result = search(indexed, "采购", filters={"department": "不存在的部门"})

    assert result.total == 0 and result.hits == []


def test_pages_do_not_overlap(indexed):
    first = search(indexed, "财政", per_page=2)
    second = search(indexed, "财政", per_page=2, page=2)

    assert len(first.hits) == 2
    assert not set(ids(first)) & set(ids(second))
    assert first.total == second.total


@pytest.mark.parametrize("text", [
    '"', '""', "*", "采购*", "NEAR(采购 公告)", "采购 NEAR 公告", "采购 AND", "AND OR NOT", "(", ")", "(采购",
    "title:采购", "body : 采购", "采购^2", "采购~", "+采购 -公告", "采购 || 公告", "a:b", "\\", "'", "{采购}",
    "[1 TO 5]", "/regex/", "采购\x00\x07公告", "采" * 10_000, "ＮＥＡＲ（采购）", "采购 " * 500,
])
def test_query_syntax_in_the_input_is_only_text(indexed, text):
    analysed = analyse(clean_query(text))
    if analysed is not None:
        result = indexed.search(analysed[0])
        assert result.total >= 0
    assert len(clean_query(text)) <= MAX_QUERY_LENGTH


def test_fts_keywords_are_searched_as_words(backend):
    backend.rebuild([doc("page:1", "NEAR field communication and OR gates", "")])

    assert ids(search(backend, "near")) == ["page:1"]
    assert ids(search(backend, "or")) == ["page:1"]


def test_index_replaces_a_document_by_id(indexed):
    indexed.index([doc("page:2", "地方政府一般债券发行情况", "今年以来。", date=dt.date(2025, 6, 1))])

    assert "page:2" not in ids(search(indexed, "专项债券"))
    assert "page:2" in ids(search(indexed, "一般债券"))


def test_delete_removes_and_ignores_unknown_ids(indexed):
    indexed.delete(["page:1", "page:999"])

    assert "page:1" not in ids(search(indexed, "采购"))
    assert indexed.count() == 6


def test_rebuild_never_serves_an_empty_index(indexed, corpus):
    seen_during_rebuild = []

    def documents():
        for number, document in enumerate(corpus):
            if number == 3:
                seen_during_rebuild.append(search(indexed, "采购").total)
            yield document

    assert indexed.rebuild(documents()) == len(corpus)
    assert seen_during_rebuild == [3]
    assert search(indexed, "采购").total == 3
    assert indexed.count() == len(corpus)


def test_rebuild_drops_what_is_gone(indexed, corpus):
    indexed.rebuild(corpus[1:])

    assert "page:1" not in ids(search(indexed, "采购"))
    assert indexed.count() == len(corpus) - 1


# --- through the real signals and the immediate task backend ------------------------------------------------


@pytest.fixture
def draft(section):
    page = ArticlePageFactory(parent=section, title="财政部发布政府采购信息公告", live=False)
    page.save_revision()
    return page


def test_publishing_makes_a_page_findable_and_unpublishing_removes_it(backend, draft,
                                                                        django_capture_on_commit_callbacks):
    assert search(backend, "采购信息").total == 0

    with django_capture_on_commit_callbacks(execute=True):
        draft.get_latest_revision().publish()
    assert ids(search(backend, "采购信息")) == [f"page:{draft.pk}"]

    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        draft.unpublish()
    assert search(backend, "采购信息").total == 0


def test_a_view_restriction_removes_a_page(backend, section, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = ArticlePageFactory(parent=section, title="内部资料预算编制说明")
    assert search(backend, "预算编制说明").total == 1

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    assert search(backend, "预算编制说明").total == 0
    assert page.pk


def test_deleting_a_page_removes_it(backend, section, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = ArticlePageFactory(parent=section, title="国库现金管理招标公告")
    assert search(backend, "国库现金").total == 1

    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert search(backend, "国库现金").total == 0


def test_moving_a_column_updates_the_addresses_beneath_it(backend, home, section, django_capture_on_commit_callbacks):
    from tests.factories import SectionPageFactory

    with django_capture_on_commit_callbacks(execute=True):
        page = ArticlePageFactory(parent=section, title="转移支付资金下达情况", slug="transfer")
        archive = SectionPageFactory(parent=home, title="历史资料", slug="archive")
    with django_capture_on_commit_callbacks(execute=True):
        section.move(archive, pos="last-child")

    from search.backends import database_backend

    entry = database_backend().entries([f"page:{page.pk}"])[f"page:{page.pk}"]
    assert entry.url == "/archive/news/transfer/"
    assert search(backend, "转移支付").total == 1


def test_facet_names_are_the_documented_ones(indexed):
    assert set(search(indexed, "采购").facets) == set(FACETS)


def test_a_word_with_synonyms_still_finds_pages_that_split_it(backend):
    # Pages write “三公”经费, indexed as 三公 / 经费; the query word has synonyms and must keep its inner words too.
    from search.models import Synonym

    Synonym.objects.create(terms="三公经费\n三公消费")
    backend.rebuild([doc("page:1", "2025年部门预算“三公”经费情况说明", "“三公”经费预算数比上年下降。")])

    assert ids(search(backend, "三公经费")) == ["page:1"]


# --- search that forgives (issue 14): the same on every backend, through the search service's planning ----------


def planned(backend, text: str, **options):
    from search.query import plan_search

    plan = plan_search(text, backend.search, **options)
    assert plan is not None, f"{text!r} has no searchable words"
    return plan


@pytest.fixture
def guides(backend):
    from search.backends import database_backend

    documents = [
        doc("page:1", "注册会计师注册", "申请注册会计师注册的条件、材料和办理时限。", type="guide"),
        doc("page:2", "会计师事务所执业许可", "会计师事务所申请执业许可的办事指南。", type="guide"),
        doc("page:3", "关于做好预决算公开工作的通知", "各部门应当按规定做好预决算公开。", type="policy"),
        doc("page:4", "国库集中支付电子化管理", "推进国库集中支付电子化。", type="policy"),
        doc("page:5", "代理记账资格审批", "申请代理记账资格的条件。", type="guide"),
        doc("page:6", "财政部副部长会见经济合作与发展组织秘书长", "双方就税收合作交换意见。", type="article"),
        doc("page:7", "地方政府专项债券发行情况", "今年以来各地加快专项债券发行使用。", type="article"),
    ]
    backend.rebuild(documents)
    if backend.name != database_backend().name:
        database_backend().rebuild(documents)  # every deployment keeps it; correction reads its vocabulary
    return backend


def test_a_question_finds_its_guide_first(guides):
    for question, guide in [("怎样办理注册会计师注册", "page:1"), ("会计师事务所执业许可怎么办理？", "page:2"),
                            ("请问代理记账资格需要什么条件", "page:5"), ("地方政府专项债券是如何发行的", "page:7")]:
        assert ids(planned(guides, question).result)[:1] == [guide], question


def test_traditional_characters_find_the_same_pages_as_simplified(guides):
    assert ids(planned(guides, "預決算公開").result) == ids(planned(guides, "预决算公开").result) == ["page:3"]
    assert ids(planned(guides, "國庫集中支付").result) == ["page:4"]


def test_pinyin_and_its_initials_find_the_titles_they_spell(guides):
    for text in ("guoku", "guokujizhongzhifu", "gkjzzf", "dailijizhang", "dljz", "yujuesuan gongkai"):
        found = ids(planned(guides, text).result)
        assert found and found[0] in {"page:3", "page:4", "page:5"}, text


def test_a_homophone_slip_is_corrected_from_the_index_vocabulary(guides):
    plan = planned(guides, "国库集中支附")
    assert plan.corrected == "国库集中支付"
    assert ids(plan.result) == ["page:4"]

    assert planned(guides, "代理记帐").corrected == "代理记账"
    # Asked to search exactly what was typed, nothing is corrected.
    assert planned(guides, "国库集中支附", exact=True).corrected == ""


def test_an_acronym_finds_pages_that_only_use_the_full_name_of_the_body(guides):
    assert ids(planned(guides, "OECD").result) == ["page:6"]


def test_when_no_page_holds_every_word_pages_holding_most_of_them_are_found(guides):
    plan = planned(guides, "专项债券 发行 火星")
    assert plan.best_match
    assert ids(plan.result) == ["page:7"]
    # Quoted words are always required.
    assert planned(guides, '专项债券 发行 "火星"').result.total == 0


def test_best_match_requires_the_minimum_number_of_terms(backend):
    from search.backends.base import SearchQuery

    backend.rebuild([doc("page:1", "甲乙", "苹果 香蕉 橙子"), doc("page:2", "丙丁", "苹果 葡萄 西瓜"),
                     doc("page:3", "戊己", "苹果 香蕉 葡萄")])
    terms = (("苹果",), ("香蕉",), ("葡萄",), ("芒果",))
    two = backend.search(SearchQuery(text="", terms=terms, minimum_should_match=2))
    assert sorted(ids(two)) == ["page:1", "page:2", "page:3"]
    three = backend.search(SearchQuery(text="", terms=terms, minimum_should_match=3))
    assert ids(three) == ["page:3"]
    required = backend.search(SearchQuery(text="", terms=terms, minimum_should_match=1, required=(2,)))
    assert sorted(ids(required)) == ["page:2", "page:3"]
    # The page holding more of the terms ranks first.
    assert ids(backend.search(SearchQuery(text="", terms=terms[1:], minimum_should_match=1)))[0] == "page:3"


def test_a_page_holding_every_word_stays_first_when_best_match_fills_the_page(backend):
    backend.rebuild([doc("page:1", "财政部令第121号公告", "财政部令第121号。"),
                     *[doc(f"page:{n}", f"财政部令第{n}号", f"财政部令第{n}号。") for n in range(2, 9)]])
    plan = planned(backend, "财政部令第121号")
    assert ids(plan.result)[0] == "page:1"
