import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import InfoPageFactory, SectionPageFactory
from tests.utils import count_queries


@pytest.fixture
def news(home):
    return SectionPageFactory(parent=home, title="财政新闻", slug="news")


def test_column_lists_its_entries_newest_first(client, news):
    now = timezone.now()
    InfoPageFactory(parent=news, title="较早的通知", published=now - dt.timedelta(days=30))
    InfoPageFactory(parent=news, title="最新的通知", published=now)

    text = client.get("/news/").content.decode()

    assert "<h1" in text and "财政新闻" in text
    assert text.index("最新的通知") < text.index("较早的通知")


def test_column_includes_entries_of_its_sub_columns_and_links_to_them(client, news):
    local = SectionPageFactory(parent=news, title="地方财政", slug="local")
    InfoPageFactory(parent=local, title="四川省财政厅推进预算一体化建设")

    text = client.get("/news/").content.decode()

    assert "四川省财政厅推进预算一体化建设" in text
    assert 'href="/news/local/"' in text


def test_column_shows_a_breadcrumb_from_the_home_page(client, news):
    local = SectionPageFactory(parent=news, title="地方财政", slug="local")

    text = client.get("/news/local/").content.decode()

    trail = re.search(r'<nav class="breadcrumb".*?</nav>', text, re.S).group(0)
    assert trail.index("首页") < trail.index("财政新闻") < trail.index("地方财政")
    assert 'aria-current="page">地方财政' in trail


def test_long_columns_are_paginated_and_keep_other_query_parameters(client, news):
    now = timezone.now()
    for n in range(25):
        InfoPageFactory(parent=news, title=f"第{n:02d}号公告", published=now - dt.timedelta(hours=n))

    first = client.get("/news/?year=2026").content.decode()
    second = client.get("/news/?year=2026&page=2").content.decode()

    assert "第00号公告" in first and "第19号公告" in first and "第20号公告" not in first
    assert "第20号公告" in second and "第24号公告" in second
    assert "year=2026&amp;page=2" in first
    assert "共 2 页" in first


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "1.5", "9" * 5000, "１"])
def test_a_bad_page_number_gets_a_chinese_400(client, news, bad):
    response = client.get("/news/", {"page": bad})

    assert response.status_code == 400
    assert "page" in response.content.decode() and "页码" in response.content.decode()


def test_a_page_number_past_the_end_is_not_found(client, news):
    InfoPageFactory(parent=news)

    response = client.get("/news/?page=99")

    assert response.status_code == 404
    assert "页面未找到" in response.content.decode()


def test_draft_and_private_entries_are_not_listed(client, news):
    from wagtail.models import PageViewRestriction

    InfoPageFactory(parent=news, title="尚未发布的草稿", live=False)
    private = InfoPageFactory(parent=news, title="仅限内部的材料")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    text = client.get("/news/").content.decode()

    assert "尚未发布的草稿" not in text
    assert "仅限内部的材料" not in text


def test_column_query_count_does_not_grow_with_content(client, news):
    InfoPageFactory(parent=news)
    client.get("/news/")  # warm the caches (content types, site root paths, the column's count)
    small = count_queries(client, "/news/")
    for _ in range(45):
        InfoPageFactory(parent=news)
    client.get("/news/")  # the first look after a change counts the column again
    client.get("/news/?page=3")

    assert count_queries(client, "/news/") == small
    assert count_queries(client, "/news/?page=3") == small


def test_info_page_shows_title_date_source_and_body(client, news):
    page = InfoPageFactory(
        parent=news,
        title="财政部召开党组会议",
        source="财政部办公厅",
        published=timezone.make_aware(dt.datetime(2026, 3, 5, 10, 0)),
        body=[("paragraph", "<p>会议强调，要坚持过紧日子，把有限的资金用在刀刃上。</p>")],
    )

    text = client.get(page.url).content.decode()

    assert "财政部召开党组会议" in text
    assert "2026年3月5日" in text
    assert "来源：财政部办公厅" in text
    assert "把有限的资金用在刀刃上" in text
