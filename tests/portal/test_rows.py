"""Lists read as rows (portal/rows.py), not page objects: a visitor sees the same links, dates and thumbnails."""

import datetime as dt

from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Page, Site

from portal.rows import entry_rows
from tests.content.factories import ArticlePageFactory, TopicPageFactory
from tests.factories import HomePageFactory, ImageFactory, InfoPageFactory, SectionPageFactory


def request_to(host: str = "localhost"):
    request = RequestFactory().get("/", HTTP_HOST=host)
    request._wagtail_site = Site.find_for_request(request)
    return request


def test_a_listed_entry_links_where_pageurl_links_it_even_with_a_chinese_address(home):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news")
    entry = InfoPageFactory(parent=news, title="预算公开", slug="预算公开")
    request = request_to()

    [row] = entry_rows(Page.objects.filter(pk=entry.pk), request=request, date_field="first_published_at")

    assert row.url == entry.get_url(request) == "/news/%E9%A2%84%E7%AE%97%E5%85%AC%E5%BC%80/"


def test_with_two_sites_an_entry_of_the_other_site_links_with_its_host(home):
    other_home = HomePageFactory.build(title="分站首页", slug="branch")
    Page.get_first_root_node().add_child(instance=other_home)
    Site.objects.create(hostname="branch.example.gov.cn", port=80, root_page=other_home, site_name="分站")
    here = InfoPageFactory(parent=home, slug="here")
    there = InfoPageFactory(parent=other_home, slug="there")
    request = request_to()

    rows = entry_rows(Page.objects.filter(pk__in=[here.pk, there.pk]).order_by("path"), request=request,
                      date_field="first_published_at")

    assert [row.url for row in rows] == [here.get_url(request), there.get_url(request)]
    assert rows[1].url == "http://branch.example.gov.cn/there/"


def test_home_lead_headline_shows_its_summary_date_and_thumbnail(client, home):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")
    ArticlePageFactory(parent=news, title="全国财政工作会议在京召开", date=dt.date(2026, 11, 23),
                       summary="会议总结2026年财政工作。", cover_image=ImageFactory(title="会场"))
    home.headline_section = news
    home.save()

    text = client.get("/").content.decode()

    lead = text[text.index('class="lead-story"'):text.index("</article>")]
    assert "全国财政工作会议在京召开" in lead
    assert "会议总结2026年财政工作。" in lead
    assert "2026年11月23日" in lead
    assert "<picture" in lead


def test_a_topic_lists_an_article_with_its_link_thumbnail_and_publication_date(client, home):
    topics = SectionPageFactory(parent=home, title="专题专栏", slug="topics")
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")
    topic = TopicPageFactory(parent=topics, slug="ppp")
    published = timezone.now() - dt.timedelta(days=3)
    article = ArticlePageFactory(parent=news, title="政府和社会资本合作新机制落地", published=published,
                                 cover_image=ImageFactory(title="签约"))
    article.tags.add(topic.tag)
    article.save()

    text = client.get(topic.url).content.decode()

    assert f'<a href="{article.url}">政府和社会资本合作新机制落地</a>' in text
    assert text.count('class="entry-thumb"') == 1
    assert f'<time datetime="{timezone.localdate(published):%Y-%m-%d}">' in text
