"""What every page has: identity in the footer, navigation, accessibility basics, error pages."""

import re

import pytest
from django.test import override_settings

from portal.models import FooterLink, MainMenuItem
from tests.factories import SectionPageFactory


def test_footer_shows_every_identity_item(client, identity):
    text = client.get("/").content.decode()

    for item in (
        "主办单位：中华人民共和国财政部（演示）",
        "承办单位：财政部信息网络中心（演示）",
        "北京市西城区三里河南三巷3号",
        "010-68551114",
        "网站标识码：bm99000001",
        "京ICP备20260001号",
        "京公网安备11010202026001号",
        "党政机关网站标识",
    ):
        assert item in text, item


def test_party_government_badge_can_be_turned_off(client, identity):
    identity.show_party_government_badge = False
    identity.save()

    assert "党政机关网站标识" not in client.get("/").content.decode()


def test_main_navigation_is_managed_by_editors_and_marks_the_current_column(client, navigation, home):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news")
    local = SectionPageFactory(parent=news, title="地方财政", slug="local")
    MainMenuItem.objects.create(settings=navigation, link_page=news, sort_order=1)
    MainMenuItem.objects.create(settings=navigation, label="数据", link_url="https://data.example.gov.cn/", sort_order=2)

    text = client.get(local.url).content.decode()

    nav = re.search(r'<nav class="main-nav".*?</nav>', text, re.S).group(0)
    assert '<a href="/news/" class="is-active" aria-current="page">财政新闻</a>' in nav
    assert 'href="https://data.example.gov.cn/"' in nav and "数据" in nav


def test_footer_links_are_grouped(client, navigation, home):
    FooterLink.objects.create(settings=navigation, group="相关链接", label="中国政府网", link_url="https://www.gov.cn/")
    FooterLink.objects.create(settings=navigation, group="网站服务", label="联系我们", link_url="https://example.gov.cn/contact")

    text = client.get("/").content.decode()

    assert "相关链接" in text and "中国政府网" in text
    assert "网站服务" in text and "联系我们" in text


def test_a_link_must_point_to_a_page_or_an_address_not_both(navigation, home):
    from django.core.exceptions import ValidationError

    item = MainMenuItem(settings=navigation, link_page=home, link_url="https://example.gov.cn/")
    with pytest.raises(ValidationError, match="二者选其一"):
        item.clean()
    with pytest.raises(ValidationError):
        MainMenuItem(settings=navigation).clean()


def test_pages_are_chinese_and_accessible(client, home):
    text = client.get("/").content.decode()

    assert '<html lang="zh-CN">' in text
    assert '<a class="skip-link" href="#main">跳到主要内容</a>' in text
    assert 'role="banner"' in text and '<main id="main"' in text and 'role="contentinfo"' in text
    assert 'data-elder-toggle aria-pressed="false">长者模式</button>' in text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in text


def test_unknown_address_gets_the_chinese_404_page(client, home):
    response = client.get("/no-such-column/")

    assert response.status_code == 404
    assert "页面未找到" in response.content.decode()
    assert '<html lang="zh-CN">' in response.content.decode()


def test_server_error_page_is_chinese_and_stands_alone():
    from django.template.loader import render_to_string

    # Rendered without a request or context processors, as Django does for a 500.
    text = render_to_string("500.html")

    assert "系统繁忙" in text and 'lang="zh-CN"' in text


@override_settings(DEBUG=False)
def test_an_unexpected_error_answers_with_the_chinese_500(client, home, monkeypatch):
    from portal.models import HomePage

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(HomePage, "get_context", explode)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert "系统繁忙" in response.content.decode()


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, home):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_elder_mode_script_and_styles_are_served(client, home):
    assert "jincai-elder" in b"".join(client.get("/static/js/portal.js").streaming_content).decode()
    css = b"".join(client.get("/static/css/portal.css").streaming_content).decode()
    assert "html.elder" in css and ":focus-visible" in css
