"""The search page at /search/, and the OpenSearch description browsers read."""

import pytest

from search.models import PopularQuery, PopularStatus
from search.popular import popular_query_decide

from tests.content.factories import ArticlePageFactory, ProcurementNoticePageFactory, RegionFactory
from tests.factories import SectionPageFactory


@pytest.fixture
def site(home, section, site_index):
    procurement = SectionPageFactory(parent=home, title="政府采购", slug="procurement", listing_kind="procurement")
    ProcurementNoticePageFactory(parent=procurement, title="财政部发布政府采购公告", region=RegionFactory())
    ArticlePageFactory(parent=section, title="推进政府和社会资本合作规范发展")
    ArticlePageFactory(parent=section, title="政府采购<改革>“放管服”进展", summary="采购人&供应商。")
    ArticlePageFactory(parent=section, title="地方政府专项债券发行情况")
    site_index()
    return home


def test_a_search_highlights_the_words_in_titles_and_snippets(client, site):
    text = client.get("/search/", {"q": "采购"}).content.decode()

    assert "财政部发布政府<mark>采购</mark>公告" in text
    assert "地方政府专项债券发行情况" not in text
    # Everything but the marks is escaped.
    assert "政府<mark>采购</mark>&lt;改革&gt;“放管服”进展" in text
    assert "<mark>采购</mark>人&amp;供应商" in text


def test_synonyms_find_pages_that_only_use_the_full_name(client, site):
    text = client.get("/search/", {"q": "PPP"}).content.decode()

    assert "推进<mark>政府和社会资本合作</mark>规范发展" in text
    assert "已同时搜索同义词" in text


def test_facets_narrow_and_their_counts_add_up(client, site):
    page = client.get("/search/", {"q": "采购"})
    facets = {group["name"]: group for group in page.context["facet_groups"]}
    types = {item["value"].value: item["value"].count for item in facets["type"]["values"]}

    assert types == {"article": 1, "notice": 1}
    assert sum(types.values()) == page.context["search"].total

    narrowed = client.get("/search/", {"q": "采购", "type": "notice"})
    assert narrowed.context["search"].total == 1
    assert "财政部发布政府<mark>采购</mark>公告" in narrowed.content.decode()
    assert "放管服" not in narrowed.content.decode()
    # Facet links keep the query.
    link = next(item["url"] for item in facets["type"]["values"] if item["value"].value == "notice")
    assert "q=%E9%87%87%E8%B4%AD" in link and "type=notice" in link


def test_newest_order_is_a_link_that_keeps_the_query(client, site):
    page = client.get("/search/", {"q": "采购", "order": "newest"})

    assert page.status_code == 200
    assert any(order["selected"] and order["value"] == "newest" for order in page.context["orders"])


@pytest.mark.parametrize("params", [
    {"q": "采购", "page": "-1"}, {"q": "采购", "page": "abc"}, {"q": "采购", "page": "0"},
    {"q": "采购", "page": "999"}, {"q": "采购", "type": "nonsense"}, {"q": "采购", "year": "20x5"},
    {"q": "采购", "department": "不存在的部门"}, {"q": "采购", "colour": "red"}, {"q": "采购", "order": "random"},
])
def test_bad_parameters_get_a_400_naming_them(client, site, params):
    response = client.get("/search/", params)

    assert response.status_code == 400
    bad = next(name for name in params if name != "q")
    assert f"参数 {bad}" in response.content.decode()


def test_a_page_past_the_last_is_not_found(client, site):
    assert client.get("/search/", {"q": "采购", "page": "3"}).status_code == 404


def test_tracking_parameters_from_other_sites_are_ignored(client, site):
    assert client.get("/search/", {"q": "采购", "utm_source": "weixin", "from": "timeline"}).status_code == 200


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "a:b", "title:(采购) AND", "\x00\x07采购", "采" * 10_000,
                                   "AND OR", "！！！"])
def test_odd_queries_get_an_answer(client, site, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_nothing_found_offers_help(client, site):
    for number in range(5):  # five visitors find it, and an editor allows it: it becomes a popular search
        client.get("/search/", {"q": "专项债券"}, REMOTE_ADDR=f"203.0.113.{number}")
    popular_query_decide(queries=PopularQuery.objects.filter(text="专项债券"), status=PopularStatus.ALLOWED,
                         actor=None)

    text = client.get("/search/", {"q": "czys"}).content.decode()

    assert "没有找到" in text
    assert "您是不是要找" in text and "财政预算" in text  # czys spelled out
    assert "大家都在搜" in text and "专项债券" in text


def test_longer_terms_are_offered_as_related_searches_not_as_a_correction(client, site):
    page = client.get("/search/", {"q": "社会资本合作"})
    text = page.content.decode()

    assert page.context["search"].total == 1
    assert "相关搜索" in text and "政府和社会资本合作" in text
    assert "您是不是要找" not in text  # nothing was wrong with what was typed


def test_pagination_keeps_the_query_and_filters(client, home, section, site_index):
    for number in range(12):
        ArticlePageFactory(parent=section, title=f"预算执行情况通报第{number}期")
    site_index()

    page = client.get("/search/", {"q": "预算", "type": "article"})

    assert page.context["search"].pages == 2
    assert "page=2" in page.context["next_url"] and "type=article" in page.context["next_url"]
    second = client.get("/search/" + page.context["next_url"])
    assert len(second.context["search"].results) == 2


def test_the_site_advertises_its_opensearch_description(client, home):
    text = client.get("/search/").content.decode()

    assert '<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"' in text


def test_opensearch_description_points_at_search_and_suggestions(client, home):
    response = client.get("/opensearch.xml")
    text = response.content.decode()

    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    assert 'template="http://testserver/search/?q={searchTerms}"' in text
    assert 'type="application/x-suggestions+json"' in text


def test_opensearch_suggestions_spell_out_pinyin_initials(client, db):
    response = client.get("/search/suggest/", {"q": "czys"})

    assert response["Content-Type"].startswith("application/x-suggestions+json")
    query, completions = response.json()
    assert query == "czys" and completions[0] == "财政预算"


def test_a_homophone_slip_shows_the_corrected_results_with_a_link_to_what_was_typed(client, site):
    page = client.get("/search/", {"q": "政府彩购"})
    text = page.content.decode()

    assert "已为您显示“<strong>政府采购</strong>”的结果" in text
    assert "财政部发布<mark>政府采购</mark>公告" in text
    assert page.context["exact_url"] == "/search/?q=%E6%94%BF%E5%BA%9C%E5%BD%A9%E8%B4%AD&exact=1"

    exact = client.get(page.context["exact_url"]).content.decode()
    assert "已为您显示" not in exact
    assert "没有找到与“政府彩购”相关的内容" in exact


def test_a_traditional_query_shows_the_same_results_with_the_words_marked(client, site):
    simplified = client.get("/search/", {"q": "政府采购"}).context["search"]
    traditional = client.get("/search/", {"q": "政府採購"}).context["search"]

    assert [r.id for r in traditional.results] == [r.id for r in simplified.results]
    assert "财政部发布<mark>政府采购</mark>公告" in [r.title_html for r in traditional.results]


@pytest.mark.parametrize(("query", "marked"), [
    ("guoku", "关于<mark>國庫</mark>集中支付电子化管理的通知"),
    ("gkjzzf", "关于<mark>國庫集中支付</mark>电子化管理的通知"),
    ("dianzihua", "关于國庫集中支付<mark>电子化</mark>管理的通知"),
])
def test_a_page_found_by_pinyin_has_the_words_it_spells_marked_in_its_title(client, site, section, site_index,
                                                                             query, marked):
    ArticlePageFactory(parent=section, title="关于國庫集中支付电子化管理的通知", summary="推进国库集中支付电子化。")
    site_index()

    results = client.get("/search/", {"q": query}).context["search"].results

    assert [result.title_html for result in results] == [marked]


def test_exact_takes_only_one_or_zero(client, site):
    page = client.get("/search/", {"q": "采购", "exact": "yes"})

    assert page.status_code == 400
    assert "exact" in page.content.decode()
