"""News lists show each article's cover as a small thumbnail: WebP with a JPEG fallback, its box reserved, loaded
lazily, described by its alt text; and a longer list costs no more queries."""

import re

import pytest
from django.core.cache import cache

from tests.content.factories import ArticlePageFactory, PolicyPageFactory, TopicPageFactory
from tests.factories import ImageFactory
from tests.utils import count_queries

# Thumbnails in lists and the statements they cost are the ORM's and the templates', not the dialect's.
pytestmark = pytest.mark.same_on_every_database


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, flags=re.S)


def _fresh_html(client, url: str) -> str:
    cache.clear()  # the page cache would answer a repeated request without rendering the list
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _articles(parent, count: int, *, start: int = 0, tag: str = "") -> list:
    articles = []
    for n in range(start, start + count):
        article = ArticlePageFactory(parent=parent, title=f"财政部召开第{n}次新闻发布会",
                                     cover_image=ImageFactory(description=f"发布会现场照片{n}"))
        if tag:
            article.tags.add(tag)
            article.save_revision().publish()
        articles.append(article)
    return articles


def test_a_news_column_shows_each_cover_as_a_small_webp_picture_with_jpeg_fallback(client, news):
    _articles(news, 2)
    ArticlePageFactory(parent=news, title="没有配图的新闻")

    html = _fresh_html(client, news.url)

    pictures = _pictures(html)
    assert len(pictures) == 2  # the article without a cover has no empty box
    for picture in pictures:
        assert re.search(r'<source[^>]+type="image/webp"', picture), picture
        img = re.search(r"<img[^>]*>", picture).group(0)
        assert re.search(r'src="[^"]+\.jpg"', img), img  # browsers without WebP get the JPEG
        assert 'width="120"' in img and 'height="90"' in img, img  # the box is reserved before the image arrives
        assert 'loading="lazy"' in img, img
        assert re.search(r'alt="发布会现场照片\d"', img), img
        assert "240w" in picture  # a sharper one for dense screens
    assert "没有配图的新闻" in html


def test_a_news_column_costs_no_more_queries_with_more_covered_articles(client, news, django_assert_max_num_queries):
    _articles(news, 3)
    _fresh_html(client, news.url)  # the first view makes the renditions
    cache.clear()
    few = count_queries(client, news.url)

    _articles(news, 12, start=3)
    assert len(_pictures(_fresh_html(client, news.url))) == 15

    with django_assert_max_num_queries(few):
        _fresh_html(client, news.url)


def test_the_home_page_news_region_shows_thumbnails(client, home, news):
    home.headline_section = news
    home.save()
    _articles(news, 4)

    html = _fresh_html(client, "/")

    headlines = html[html.index('id="region-headlines"'):html.index('id="region-policies"')]
    assert len(_pictures(headlines)) >= 3  # the lead story and the list beneath it


def test_a_topic_lists_its_tagged_news_with_thumbnails_at_a_steady_query_count(
    client, news, policies, topics, django_assert_max_num_queries
):
    topic = TopicPageFactory(parent=topics, slug="ppp", tag="政府和社会资本合作")
    _articles(news, 2, tag=topic.tag)
    policy = PolicyPageFactory(parent=policies, title="关于规范实施政府和社会资本合作新机制的指导意见")
    policy.tags.add(topic.tag)
    policy.save_revision().publish()

    html = _fresh_html(client, topic.url)
    assert len(_pictures(html)) == 2
    assert policy.title in html
    cache.clear()
    few = count_queries(client, topic.url)

    _articles(news, 10, start=2, tag=topic.tag)
    assert len(_pictures(_fresh_html(client, topic.url))) == 12

    with django_assert_max_num_queries(few):
        _fresh_html(client, topic.url)


def test_with_the_fragment_cache_on_a_new_alt_text_or_focal_point_shows_at_once(client, news, settings):
    settings.FRAGMENT_CACHE_ENABLED = True
    [article] = _articles(news, 1)
    image = article.cover_image
    before = _pictures(_fresh_html(client, news.url))[0]

    image.description = "记者会现场（新）"
    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 10, 10, 20, 20
    image.save()
    # Nothing is purged by hand: the kept thumbnail is named by everything it shows.
    after = _pictures(client.get(news.url).content.decode())[0]

    assert 'alt="记者会现场（新）"' in after
    assert after != before.replace('alt="发布会现场照片0"', 'alt="记者会现场（新）"')  # a new crop, new renditions
