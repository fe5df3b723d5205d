"""Search on the demo site as a citizen uses it (header box, highlights, facets, synonyms), and an editor's
publish and unpublish reaching the search page within seconds."""

import re
import time
from urllib.parse import quote

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from content.models import ArticlePage
from portal.models import SectionPage
from tests.content.factories import ArticlePageFactory

NEW_TITLE = "财政支持珊瑚礁生态保护修复试点工作启动"
NEW_WORD = "珊瑚礁"  # a word nothing on the demo site uses


@pytest.fixture
def searchable_site(demo_site):
    """The demo site (which puts back the seeded synonyms a flush removes) with its search index rebuilt."""
    from search.indexing import rebuild

    cache.clear()  # synonym groups and rate-limit counters are cached
    rebuild()
    return demo_site


def total(page) -> int:
    return int(page.locator(".search-summary__count strong").inner_text())


def facet_counts(page, label: str) -> dict[str, int]:
    """{value label: count} of one facet group of the search page (its "全部…" link has no count)."""
    group = page.locator(".search-facet").filter(has=page.get_by_role("heading", name=label, exact=True))
    counts = {}
    for link in group.locator("a").all():
        count = link.locator(".search-facet__count")
        if count.count():
            number = count.inner_text()
            counts[link.inner_text().removesuffix(number).strip()] = int(number)
    return counts


def facet_link(page, label: str, value: str):
    group = page.locator(".search-facet").filter(has=page.get_by_role("heading", name=label, exact=True))
    return group.get_by_role("link", name=re.compile(f"^{re.escape(value)}"))


def test_citizen_searches_narrows_by_type_and_year_and_finds_synonyms(page, live_server, searchable_site,
                                                                      screenshot):
    # From the header search box on the home page.
    page.goto(live_server.url + "/")
    header = page.locator("form.site-search")
    header.get_by_role("searchbox", name="站内搜索").fill("采购")
    header.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=%E9%87%87%E8%B4%AD$"))
    expect(page.get_by_role("status")).to_contain_text("与“采购”相关的结果")

    found = total(page)
    results = page.locator(".search-result")
    expect(results.first).to_be_visible()
    notices = results.filter(has=page.locator(".badge--notice"))
    expect(notices.first).to_be_visible()
    # 采购 highlighted in the notices' titles.
    expect(notices.first.locator(".search-result__title mark").first).to_have_text("采购")
    marks = [result.locator("mark").all_inner_texts() for result in results.all()]
    assert all(marks) and {text for texts in marks for text in texts} <= {"采购", "政府采购", "政采"}, marks

    types = facet_counts(page, "类型")
    years = facet_counts(page, "年份")
    assert "采购公告" in types and types["采购公告"] >= 2
    assert sum(types.values()) == found, (types, found)
    assert sum(years.values()) == found, (years, found)
    screenshot(page, "search-results")

    # Narrow by type: only procurement notices, as many as the facet said.
    facet_link(page, "类型", "采购公告").click()
    expect(page).to_have_url(re.compile(r"type=notice"))
    assert total(page) == types["采购公告"]
    badges = page.locator(".search-result__title .badge").all_inner_texts()
    assert badges and set(badges) == {"采购公告"}
    narrowed_years = facet_counts(page, "年份")
    assert sum(narrowed_years.values()) == total(page), narrowed_years
    # The type facet still offers the other types (counted without the type filter), this one marked chosen.
    assert facet_counts(page, "类型") == types
    expect(facet_link(page, "类型", "采购公告")).to_have_attribute("aria-current", "true")

    # And by year: both filters kept, the count the year facet promised.
    year, count = max(narrowed_years.items(), key=lambda item: item[1])
    facet_link(page, "年份", year).click()
    expect(page).to_have_url(re.compile(r"type=notice"))
    expect(page).to_have_url(re.compile(r"year=\d{4}"))
    assert total(page) == count
    dates = page.locator(".search-result__meta time").all_inner_texts()
    assert dates and all(text.startswith(year) for text in dates), (year, dates)
    expect(page.get_by_role("status")).to_contain_text("已筛选")

    # A result opens its page.
    first = page.locator(".search-result__title a").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()

    # PPP finds pages that never say PPP, only 政府和社会资本合作.
    page.goto(live_server.url + "/search/?q=PPP")
    expect(page.get_by_text("已同时搜索同义词")).to_contain_text("政府和社会资本合作")
    expect(page.locator(".search-result mark", has_text="政府和社会资本合作").first).to_be_visible()
    only_full_name = None
    for link in page.locator(".search-result__title a").all():
        href = link.get_attribute("href")
        html = page.request.get(live_server.url + href).text()
        main = re.search(r"<main\b.*?</main>", html, re.S).group(0)
        text = re.sub(r"<[^>]+>", "", main)
        if "政府和社会资本合作" in text and "ppp" not in text.lower():
            only_full_name = link
            break
    assert only_full_name is not None, "PPP 的结果中没有只写“政府和社会资本合作”的页面"
    only_full_name.click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("政府和社会资本合作")
    expect(main).not_to_contain_text(re.compile("PPP", re.I))


def search_for(page, url: str, word: str, *, present: bool, within: float = 5.0) -> float:
    """Reload the search page for `word` until NEW_TITLE is (or is not) among the results; seconds it took."""
    started = time.monotonic()
    while True:
        page.goto(f"{url}/search/?q={quote(word)}")
        shown = page.locator(".search-result__title a", has_text=NEW_TITLE).count() > 0
        if shown == present or time.monotonic() - started > within:
            break
        time.sleep(0.25)
    assert shown == present, f"{within} 秒后{'仍未找到' if present else '仍能找到'}“{NEW_TITLE}”"
    return time.monotonic() - started


def test_a_published_article_is_findable_within_seconds_and_gone_after_unpublishing(page, live_server,
                                                                                    searchable_site):
    search_for(page, live_server.url, NEW_WORD, present=False, within=0)
    expect(page.get_by_role("status")).to_contain_text("没有找到")

    news = SectionPage.objects.filter(listing_kind="article").order_by("path").first()
    article = ArticlePageFactory(parent=news, title=NEW_TITLE, live=False,
                                 summary="财政部门安排专项资金，支持沿海地区开展珊瑚礁生态保护修复试点。")
    assert not ArticlePage.objects.get(pk=article.pk).live
    search_for(page, live_server.url, NEW_WORD, present=False, within=0)  # a draft is not searchable

    article.save_revision().publish()
    search_for(page, live_server.url, NEW_WORD, present=True)
    result = page.locator(".search-result").filter(has_text=NEW_TITLE)
    expect(result.locator("mark").first).to_have_text(NEW_WORD)
    result.get_by_role("link", name=NEW_TITLE).click()
    expect(page.get_by_role("heading", name=NEW_TITLE, level=1)).to_be_visible()

    ArticlePage.objects.get(pk=article.pk).unpublish()
    search_for(page, live_server.url, NEW_WORD, present=False)
    expect(page.get_by_role("status")).to_contain_text("没有找到")


def result_titles(page) -> list[str]:
    return page.locator(".search-result__title a").all_inner_texts()


def open_search(page, live_server, text: str, **extra):
    """Open the search page for `text` with extra parameters (type, department …)."""
    query = "&".join([f"q={quote(text)}", *(f"{name}={value}" for name, value in extra.items())])
    page.goto(f"{live_server.url}/search/?{query}")


def test_search_forgives_questions_traditional_characters_pinyin_slips_and_acronyms(page, live_server,
                                                                                      searchable_site, screenshot):
    # A question finds its notice in the top 3, although no page asks 如何.
    open_search(page, live_server, "地方政府专项债券如何发行")
    assert any("专项债券发行" in title for title in result_titles(page)[:3]), result_titles(page)[:3]

    # Traditional characters give the same first page as simplified, marked as written.
    open_search(page, live_server, "预决算公开")
    simplified = result_titles(page)
    open_search(page, live_server, "預決算公開")
    assert result_titles(page) == simplified and simplified
    expect(page.locator(".search-result mark").first).to_be_visible()

    # Pinyin and its initials find the pages whose titles they spell.
    # The characters they spell are marked in those titles.
    for spelled in ("lingjiyusuan", "ljys"):
        open_search(page, live_server, spelled)
        assert any("零基预算" in title for title in result_titles(page)[:3]), (spelled, result_titles(page)[:3])
        marked = page.locator(".search-result__title mark").all_inner_texts()
        assert "零基预算" in marked, (spelled, marked)
    screenshot(page, "search-pinyin")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "search-pinyin-360")
    page.set_viewport_size({"width": 1280, "height": 800})

    # A one-character homophone slip: the intended pages, the notice above them, and a way back.
    open_search(page, live_server, "国库集中支附")
    expect(page.get_by_role("status").first).to_contain_text("已为您显示“国库集中支付”的结果")
    assert any("国库集中支付" in title for title in result_titles(page)), result_titles(page)
    screenshot(page, "search-corrected")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "search-corrected-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="国库集中支附").click()
    expect(page).to_have_url(re.compile(r"exact=1"))
    expect(page.locator("body")).not_to_contain_text("已为您显示")

    # An acronym finds pages that only use the full name.
    open_search(page, live_server, "OECD")
    assert any("经济合作与发展组织" in title for title in result_titles(page)), result_titles(page)
