"""The shell's part in "one site": the top bar's date, the home page's feeds, the site-wide latest feed, the
footer badge, undated entries, links to the hall's own pages, and one name per office in the search facet."""

import datetime as dt
import re
from unittest import mock
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.core.exceptions import ValidationError

from portal.models import FooterLink, HomePage, InfoPage, ServiceShortcut
from portal.models.links import validate_link_url
from search.departments import department_name
from tests.content.factories import ArticlePageFactory, PolicyPageFactory
from tests.factories import InfoPageFactory, SectionPageFactory

UTC = dt.timezone.utc


def test_the_top_bar_shows_todays_date_in_beijing_from_the_server(client, home):
    # 17:30 UTC on 22 November is already Monday 23 November in Beijing.
    moment = dt.datetime(2026, 11, 22, 17, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        html = client.get("/").content.decode()

    assert '<span class="topbar__date"><time datetime="2026-11-23">2026年11月23日 星期一</time></span>' in html
    assert "data-today" not in html  # no longer left to the browser's clock


def test_the_home_page_advertises_the_news_feed_and_the_latest_feed(client, home):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")
    HomePage.objects.filter(pk=home.pk).update(headline_section=news)

    html = client.get("/").content.decode()

    alternates = re.findall(r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">', html)
    assert ("application/rss+xml", "财政新闻 RSS 订阅", "/news/feed/rss/") in alternates
    assert ("application/atom+xml", "最新发布 Atom 订阅", "/feed/latest/atom/") in alternates
    assert client.get("/news/feed/rss/").status_code == 200


def test_the_latest_feed_lists_the_newest_entries_of_every_column(client, home):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")
    policies = SectionPageFactory(parent=home, title="政策发布", slug="policies", listing_kind="policy")
    ArticlePageFactory(parent=news, title="财政部召开2026年全国财政工作会议",
                       published=dt.datetime(2026, 11, 20, 9, tzinfo=UTC))
    PolicyPageFactory(parent=policies, title="财政部关于加强预算绩效管理的通知",
                      published=dt.datetime(2026, 11, 21, 9, tzinfo=UTC))

    response = client.get("/feed/latest/rss/")

    feed = feedparser.parse(response.content)
    assert response.status_code == 200 and feed.feed.title.startswith("最新发布")
    assert [entry.title for entry in feed.entries] == ["财政部关于加强预算绩效管理的通知", "财政部召开2026年全国财政工作会议"]
    assert client.get("/feed/latest/json/").status_code == 404


def test_the_party_government_badge_without_an_address_is_not_a_link(client, identity):
    identity.party_government_badge_url = ""
    identity.save()
    html = client.get("/").content.decode()
    assert not re.search(r"<a(?![^>]*href)[^>]*>", html)  # every <a> has an href

    identity.party_government_badge_url = "https://bszs.conac.cn/sitename?method=show&id=1"
    identity.save()
    assert 'class="badge-party-gov" href="https://bszs.conac.cn/' in client.get("/").content.decode()


def test_an_undated_entry_has_no_empty_time_element(client, home):
    column = SectionPageFactory(parent=home, title="互动交流", slug="interaction")
    entry = InfoPageFactory(parent=column, title="网民留言答复")
    InfoPage.objects.filter(pk=entry.pk).update(first_published_at=None)

    html = client.get("/interaction/").content.decode()

    assert "网民留言答复" in html
    assert 'datetime=""' not in html


def test_a_shortcut_may_lead_to_a_hall_page_outside_the_page_tree(client, home):
    ServiceShortcut.objects.create(home=home, label="办件查询", icon="query", link_url="/hall/inquiry/")

    html = client.get("/").content.decode()

    assert re.search(r'href="/hall/inquiry/"[^>]*>.*?办件查询', html, re.S)


@pytest.mark.parametrize("value", ["/hall/inquiry/", "https://www.gov.cn/"])
def test_a_link_is_a_site_path_or_a_web_address(value):
    validate_link_url(value)


@pytest.mark.parametrize("value", ["//evil.example/", "javascript:alert(1)", "hall/inquiry/", "ftp://x.cn/"])
def test_other_links_are_refused_with_a_message(value):
    with pytest.raises(ValidationError, match="本站地址"):
        validate_link_url(value)


@pytest.mark.parametrize("raw", [
    "财政部政府采购管理办公室", "政府采购管理办公室", "国库司（政府采购管理办公室）（演示）", "财政部国库司（政府采购管理办公室）",
])
def test_one_office_has_one_name_in_the_department_facet(raw):
    assert department_name(raw) == "国库司（政府采购管理办公室）"


def test_department_names_keep_what_tells_offices_apart():
    assert department_name("财政部预算司") == department_name("预算司（演示）") == "预算司"
    assert department_name("中华人民共和国财政部") == department_name("财政部") == "中华人民共和国财政部"
    assert department_name("全国人民代表大会常务委员会") == "全国人民代表大会常务委员会"
    assert department_name("") == ""
