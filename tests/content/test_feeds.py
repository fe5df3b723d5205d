"""RSS and Atom feeds of columns and topics, as a feed reader sees them."""

import datetime as dt
from decimal import Decimal

import feedparser
import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.http import http_date

from tests.content.factories import (
    ArticlePageFactory,
    InterpretationPageFactory,
    PolicyPageFactory,
    ProcurementNoticePageFactory,
    RegionFactory,
    ThemeFactory,
    TopicPageFactory,
)
from tests.factories import InfoPageFactory

FORMATS = ["rss", "atom"]
TODAY = dt.date(2026, 3, 20)


def read(client, url: str, **headers):
    """GET a feed, assert it is a clean feed document, and return (response, parsed feed)."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content[:300]
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return response, parsed


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


def award(parent, **kwargs):
    return ProcurementNoticePageFactory(
        parent=parent, notice_type="award", supplier="北京某科技有限公司", award_amount=Decimal("1180000.00"), **kwargs
    )


@pytest.fixture
def three_articles(news):
    now = timezone.now()
    return [
        ArticlePageFactory(parent=news, title=f"新闻{n}", date=TODAY - dt.timedelta(days=n),
                           published=now - dt.timedelta(hours=n))
        for n in range(3)
    ]


# --- what a reader sees --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_column_feed_parses_cleanly_and_names_the_column_and_site(client, news, three_articles, fmt):
    response, parsed = read(client, f"/news/feed/{fmt}/")

    assert response["Content-Type"] == f"application/{fmt}+xml; charset=utf-8"
    assert parsed.version == ("rss20" if fmt == "rss" else "atom10")
    assert parsed.feed.title == "财政新闻 - 金财门户"
    assert parsed.feed.language == "zh-CN"
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == f"http://testserver/news/feed/{fmt}/"
    assert links["alternate"] == "http://testserver/news/"


@pytest.mark.parametrize("fmt", FORMATS)
def test_items_are_newest_first_with_absolute_links_dates_summary_and_theme(client, news, fmt):
    theme = ThemeFactory(name="预算管理", slug="budget")
    ArticlePageFactory(parent=news, title="较早的新闻", date=dt.date(2026, 3, 1), slug="older")
    ArticlePageFactory(parent=news, title="最新的新闻", date=dt.date(2026, 3, 18), slug="newest", theme=theme,
                       summary="财政部介绍一季度财政收支情况。")

    _, parsed = read(client, f"/news/feed/{fmt}/")

    assert titles(parsed) == ["最新的新闻", "较早的新闻"]
    newest = parsed.entries[0]
    assert newest.link == "http://testserver/news/newest/"
    assert newest.id == "http://testserver/news/newest/"
    assert newest.summary == "财政部介绍一季度财政收支情况。"
    assert [tag.term for tag in newest.tags] == ["预算管理"]
    # The article's own date, at midnight in Beijing (16:00 UTC the day before).
    assert tuple(newest.published_parsed[:5]) == (2026, 3, 17, 16, 0)
    assert newest.updated_parsed is not None


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_pasted_into_a_title_do_not_break_the_feed(client, news, fmt):
    ArticlePageFactory(parent=news, title="关于\x0b做好年度预算\x08工作的通知", summary="摘要\x0c内容")

    _, parsed = read(client, f"/news/feed/{fmt}/")

    assert titles(parsed) == ["关于做好年度预算工作的通知"]
    assert parsed.entries[0].summary == "摘要内容"


def test_rss_guid_is_the_permalink(client, news, three_articles):
    body = client.get("/news/feed/rss/").content.decode()

    assert '<guid isPermaLink="true">http://testserver/news/' in body


def test_feed_lists_the_twenty_newest_items(client, news):
    for n in range(23):
        ArticlePageFactory(parent=news, title=f"新闻{n:02d}", date=TODAY - dt.timedelta(days=n))

    _, parsed = read(client, "/news/feed/rss/")

    assert titles(parsed) == [f"新闻{n:02d}" for n in range(20)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_mixed_column_feed_uses_publication_time_and_search_description(client, section, fmt):
    now = timezone.now()
    InfoPageFactory(parent=section, title="较早的通知", published=now - dt.timedelta(days=2),
                    search_description="一则较早的通知。")
    ArticlePageFactory(parent=section, title="一则新闻", date=TODAY, published=now - dt.timedelta(days=3),
                       summary="新闻的摘要。")
    InfoPageFactory(parent=section, title="最新的通知", published=now)

    _, parsed = read(client, f"/news/feed/{fmt}/")

    # A mixed column lists by publication time, as its page does.
    assert titles(parsed) == ["最新的通知", "较早的通知", "一则新闻"]
    assert parsed.entries[1].summary == "一则较早的通知。"
    assert parsed.entries[2].summary == "新闻的摘要。"


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_column_still_gives_a_valid_feed(client, news, fmt):
    _, parsed = read(client, f"/news/feed/{fmt}/")

    assert parsed.entries == []
    assert parsed.feed.title == "财政新闻 - 金财门户"


def test_unknown_format_is_not_found(client, news):
    assert client.get("/news/feed/json/").status_code == 404
    assert client.get("/news/feed/RSS/").status_code == 404


# --- filters ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_filtered_procurement_feed_lists_only_matching_notices(client, procurement, fmt):
    elsewhere = RegionFactory(code="310000", name="上海市")
    award(procurement, title="北京的中标公告")
    award(procurement, title="上海的中标公告", region=elsewhere)
    ProcurementNoticePageFactory(parent=procurement, title="北京的招标公告")

    response, parsed = read(client, f"/procurement/feed/{fmt}/?type=award&region=110000&page=3")

    assert titles(parsed) == ["北京的中标公告"]
    links = {link.rel: link.href for link in parsed.feed.links}
    # The feed names itself with its filters in a canonical order, without `page`.
    assert links["self"] == f"http://testserver/procurement/feed/{fmt}/?region=110000&type=award"
    assert links["alternate"] == "http://testserver/procurement/?region=110000&type=award"


def test_policy_feed_follows_the_validity_filter(client, policies):
    PolicyPageFactory(parent=policies, title="现行有效的通知")
    PolicyPageFactory(parent=policies, title="已废止的通知", validity="repealed",
                      validity_changed_on=dt.date(2025, 12, 31))

    _, parsed = read(client, "/policies/feed/atom/?validity=repealed")

    assert titles(parsed) == ["已废止的通知"]


def test_differently_ordered_filters_give_the_same_feed(client, procurement):
    award(procurement)

    one = client.get("/procurement/feed/rss/?type=award&region=110000")
    other = client.get("/procurement/feed/rss/?region=110000&type=award&page=2")

    assert one["ETag"] == other["ETag"]


@pytest.mark.parametrize(
    "query, param",
    [("year=abc", "year"), ("type=nonsense", "type"), ("region=999999", "region"),
     ("date_from=2026-13-45", "date_from"), ("project=" + "项" * 5000, "project")],
)
def test_bad_filter_is_a_400_naming_the_parameter(client, procurement, query, param):
    response = client.get(f"/procurement/feed/rss/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert param in text and "无效" in text
    assert len(text) < 200


def test_a_very_long_value_of_any_filter_is_a_400(client, news):
    assert client.get("/news/feed/atom/?theme=" + "a" * 5000).status_code == 400


# --- conditional GET -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_says_how_long_to_cache_and_when_it_changed(client, news, three_articles, fmt):
    response = client.get(f"/news/feed/{fmt}/")

    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"')
    newest = max(page.last_published_at for page in three_articles)
    assert response["Last-Modified"] == http_date(newest.timestamp())


def test_unchanged_feed_answers_304_to_if_none_match(client, news, three_articles):
    first = client.get("/news/feed/rss/")

    again = client.get("/news/feed/rss/", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=300"


def test_unchanged_feed_answers_304_to_if_modified_since(client, news, three_articles):
    first = client.get("/news/feed/atom/")

    again = client.get("/news/feed/atom/", headers={"If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 304
    assert again.content == b""


def test_rss_and_atom_and_each_filter_have_their_own_etag(client, procurement):
    award(procurement)

    etags = {
        client.get(url)["ETag"]
        for url in ("/procurement/feed/rss/", "/procurement/feed/atom/", "/procurement/feed/rss/?type=award")
    }

    assert len(etags) == 3


def test_publishing_a_new_item_changes_the_etag_and_shows_it(client, news, three_articles):
    before = client.get("/news/feed/rss/")

    ArticlePageFactory(parent=news, title="刚刚发布的新闻", date=TODAY + dt.timedelta(days=1))
    after = client.get("/news/feed/rss/", headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert titles(feedparser.parse(after.content))[0] == "刚刚发布的新闻"


def test_republishing_a_changed_item_changes_the_etag(client, news, three_articles):
    before = client.get("/news/feed/atom/")

    page = three_articles[1]
    page.title = "更正后的标题"
    page.save_revision().publish()
    after = client.get("/news/feed/atom/", headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "更正后的标题" in titles(feedparser.parse(after.content))


@pytest.mark.parametrize("fmt", FORMATS)
def test_unpublishing_an_item_removes_it_and_changes_the_etag(client, news, three_articles, fmt):
    before = client.get(f"/news/feed/{fmt}/")
    assert "新闻1" in titles(feedparser.parse(before.content))

    three_articles[1].unpublish()
    after = client.get(f"/news/feed/{fmt}/", headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert titles(feedparser.parse(after.content)) == ["新闻0", "新闻2"]


# --- topics ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_topic_feed_lists_tagged_content_of_every_kind(client, topics, news, policies, interpretations, procurement,
                                                        fmt):
    topic = TopicPageFactory(parent=topics, slug="ppp")
    now = timezone.now()
    article = ArticlePageFactory(parent=news, title="合作项目新闻", published=now - dt.timedelta(hours=4))
    policy = PolicyPageFactory(parent=policies, title="合作新机制的通知", published=now - dt.timedelta(hours=3))
    interpretation = InterpretationPageFactory(parent=interpretations, policy=policy, title="合作新机制解读",
                                               published=now - dt.timedelta(hours=2))
    notice = ProcurementNoticePageFactory(parent=procurement, title="合作项目采购公告",
                                          published=now - dt.timedelta(hours=1))
    for page in (article, policy, interpretation, notice):
        page.tags.add("政府和社会资本合作")
        page.save()
    ArticlePageFactory(parent=news, title="无关的新闻")

    _, parsed = read(client, f"/topics/ppp/feed/{fmt}/")

    assert parsed.feed.title == "政府和社会资本合作 - 金财门户"
    assert titles(parsed) == ["合作项目采购公告", "合作新机制解读", "合作新机制的通知", "合作项目新闻"]
    assert parsed.entries[1].link == iri_to_uri(f"http://testserver/interpretations/{interpretation.slug}/")
    assert parsed.entries[1].summary == interpretation.summary
    assert client.get(f"/topics/ppp/feed/{fmt}/")["ETag"] == client.get(f"/topics/ppp/feed/{fmt}/")["ETag"]
    assert topic.live


def test_topic_feed_rejects_an_unknown_format(client, topics):
    TopicPageFactory(parent=topics, slug="ppp")

    assert client.get("/topics/ppp/feed/xml/").status_code == 404


# --- cost --------------------------------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.same_on_every_database  # the ORM's statement count, not the dialect's
@pytest.mark.parametrize("url", ["/news/feed/rss/", "/news/feed/atom/?year=2026", "/mixed/feed/rss/"])
def test_feed_query_count_does_not_grow_with_content(client, news, home, url):
    from tests.factories import SectionPageFactory

    mixed = SectionPageFactory(parent=home, title="信息公开", slug="mixed")
    theme = ThemeFactory(name="预算管理", slug="budget")

    def add(count):
        for n in range(count):
            ArticlePageFactory(parent=news, date=TODAY, theme=theme)
            ArticlePageFactory(parent=mixed, date=TODAY, theme=theme)
            InfoPageFactory(parent=mixed)

    add(3)
    _queries(client, url)  # warm the site-root cache
    few = _queries(client, url)
    add(27)
    many = _queries(client, url)

    assert few == many


@pytest.mark.same_on_every_database  # the ORM's statement count, not the dialect's
def test_topic_feed_query_count_does_not_grow_with_content(client, topics, news, policies):
    TopicPageFactory(parent=topics, slug="ppp")

    def add(count):
        for _ in range(count):
            for page in (ArticlePageFactory(parent=news), PolicyPageFactory(parent=policies)):
                page.tags.add("政府和社会资本合作")
                page.save()

    add(2)
    _queries(client, "/topics/ppp/feed/atom/")
    few = _queries(client, "/topics/ppp/feed/atom/")
    add(15)
    many = _queries(client, "/topics/ppp/feed/atom/")

    assert few == many


# --- advertising the feeds ---------------------------------------------------------------------------------------------


def render(source: str, page, path: str = "/") -> str:
    request = RequestFactory().get(path)
    return Template("{% load feed_tags %}" + source).render(Context({"page": page, "request": request}))


def test_column_advertises_its_rss_and_atom_feeds(procurement):
    html = render("{% feed_alternates page request %}", procurement)

    assert '<link rel="alternate" type="application/rss+xml" title="政府采购 RSS 订阅" href="/procurement/feed/rss/">' in html
    assert '<link rel="alternate" type="application/atom+xml" title="政府采购 Atom 订阅" href="/procurement/feed/atom/">' in html


def test_filtered_column_advertises_the_filtered_feeds_without_page(procurement):
    html = render("{% feed_alternates page request %}", procurement,
                  "/procurement/?type=award&page=2&region=110000&utm_source=x&theme=")

    assert 'href="/procurement/feed/rss/?type=award&amp;region=110000"' in html
    assert 'href="/procurement/feed/atom/?type=award&amp;region=110000"' in html
    assert "page=" not in html and "utm_source" not in html


def test_article_advertises_the_feeds_of_its_column(news):
    article = ArticlePageFactory(parent=news, slug="a")

    html = render("{% feed_alternates page request %}", article, "/news/a/?year=2020")

    assert 'href="/news/feed/rss/"' in html and 'href="/news/feed/atom/"' in html
    assert 'title="财政新闻 RSS 订阅"' in html


def test_topic_advertises_its_feeds(topics):
    topic = TopicPageFactory(parent=topics, slug="ppp")

    html = render("{% feed_alternates page request %}", topic)

    assert 'href="/topics/ppp/feed/rss/"' in html and 'href="/topics/ppp/feed/atom/"' in html


def test_page_outside_a_column_advertises_nothing(home):
    assert render("{% feed_alternates page request %}{% feed_links page request %}", home).strip() == ""


def test_visible_subscribe_line_links_both_feeds(procurement):
    html = render("{% feed_links page request %}", procurement, "/procurement/?type=award")

    assert 'class="feed-links"' in html
    assert "订阅：" in html
    assert '<a class="feed-links__rss" href="/procurement/feed/rss/?type=award"' in html
    assert '<a class="feed-links__atom" href="/procurement/feed/atom/?type=award"' in html
    assert ">RSS</a> | <a" in html


def test_advertised_feeds_are_real_feeds(client, procurement):
    award(procurement, title="北京的中标公告")
    ProcurementNoticePageFactory(parent=procurement, title="北京的招标公告")
    html = render("{% feed_alternates page request %}", procurement, "/procurement/?type=award")
    href = html.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")

    _, parsed = read(client, href)

    assert titles(parsed) == ["北京的中标公告"]


def test_column_page_lets_a_reader_discover_and_subscribe_to_its_filtered_feed(client, procurement):
    award(procurement, title="北京的中标公告")
    ProcurementNoticePageFactory(parent=procurement, title="北京的招标公告")

    html = client.get("/procurement/?type=award&page=1").content.decode()

    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/procurement/feed/atom/?type=award"' in html
    assert 'class="feed-links"' in html and "订阅：" in html
    _, parsed = read(client, "/procurement/feed/atom/?type=award")
    assert titles(parsed) == ["北京的中标公告"]


def test_article_page_advertises_its_column_feeds(client, news):
    ArticlePageFactory(parent=news, slug="a")

    html = client.get("/news/a/").content.decode()

    assert '<link rel="alternate" type="application/rss+xml" title="财政新闻 RSS 订阅" href="/news/feed/rss/">' in html
