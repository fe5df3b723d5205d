"""Avatars drawn from a person's name (no outside service), and the project's own Chinese for the admin strings
Wagtail's catalogue leaves in English: compiled from locale/*.po without gettext, and winning over Wagtail's."""

import base64
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from portal.avatars import avatar_colour, avatar_data_url, avatar_initials
from portal.translations import translations_compile
from tests.factories import UserFactory


@pytest.mark.parametrize(("full_name", "username", "shown"), [
    ("王 芳", "wangfang", "王芳"),
    ("小明", "liming", "小明"),
    ("李小明", "lixiaoming", "小明"),
    ("演示 受理员", "shouli", "受理员"),
    ("Ada Lovelace", "ada", "AL"),
    ("", "editor7", "ED"),
    ("", "__", "?"),
])
def test_the_avatar_shows_initials_of_the_name(full_name, username, shown):
    assert avatar_initials(full_name=full_name, username=username) == shown


def test_a_person_keeps_one_colour_and_people_differ():
    assert avatar_colour(username="wangfang") == avatar_colour(username="wangfang")
    assert len({avatar_colour(username=f"user{n}") for n in range(40)}) > 3


def test_the_avatar_is_an_svg_of_the_initials_inline(db):
    user = UserFactory(first_name="演示", last_name="管理员")
    url = avatar_data_url(user)
    assert url.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(url.split(",", 1)[1]).decode("utf-8")
    assert "管理员" in svg and "<svg" in svg


class _AssetLinks(HTMLParser):
    """Addresses a browser would fetch on its own: scripts, styles, icons, images, fonts, frames."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and set((attrs.get("rel") or "").split()) & {"stylesheet", "icon", "preload", "manifest",
                                                                         "apple-touch-icon", "modulepreload"}:
            self.urls.append(attrs.get("href") or "")
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed"):
            self.urls.append(attrs.get("src") or "")
        for name in ("srcset", "data-srcset"):
            self.urls.extend(part.strip().split(" ")[0] for part in (attrs.get(name) or "").split(",") if part.strip())
        style = attrs.get("style") or ""
        self.urls.extend(re.findall(r"url\(['\"]?([^'\")]+)", style))


def outside_assets(html: str) -> list[str]:
    parser = _AssetLinks()
    parser.feed(html)
    return [url for url in parser.urls if urlsplit(url).netloc and urlsplit(url).netloc != "testserver"]


def test_asset_finder_sees_an_outside_script_image_and_font():
    html = ('<script src="https://cdn.example.com/x.js"></script><img srcset="/a.webp 1x, //img.example.com/b.jpg 2x">'
            '<link rel="stylesheet" href="https://fonts.example.com/css"><img src="/media/a.jpg">')
    assert sorted(outside_assets(html)) == ["//img.example.com/b.jpg", "https://cdn.example.com/x.js",
                                            "https://fonts.example.com/css"]


def test_admin_screens_ask_no_other_host_for_an_asset(client, home):
    admin = UserFactory(is_staff=True, is_superuser=True, first_name="演示", last_name="管理员")
    client.force_login(admin)
    for path in ("/admin/", "/admin/pages/", f"/admin/pages/{home.pk}/edit/", "/admin/images/", "/admin/documents/",
                 "/admin/account/", "/admin/reports/site-history/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert outside_assets(response.content.decode()) == [], path


def test_public_pages_ask_no_other_host_for_an_asset(client, home):
    for path in ("/", "/search/?q=采购"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert outside_assets(response.content.decode()) == [], path


def test_the_dashboard_speaks_chinese_where_wagtail_left_english(client, home):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/").content.decode()
    assert "搜索全部页面……" in page
    assert "Search all pages" not in page
    assert "个页面" in page and "Pages <span" not in page


def test_project_translations_win_over_wagtails():
    with translation.override("zh-hans"):
        assert translation.gettext("%(label)s and Publish") % {"label": "批准"} == "批准并发布"
        assert translation.gettext("Search all pages…") == "搜索全部页面……"
        # Wagtail's own read "创建一个页面，在 财政要闻" and "此页面确定要取消发布吗？".
        assert translation.gettext("Create a page in") == "在以下位置新建页面："
        assert translation.gettext("Are you sure you want to unpublish this page?") == "确定要取消发布此页面吗？"
        assert translation.gettext("live") == "已发布"  # a page's status in the listings (Wagtail's: 在用)


def test_translations_compile_without_gettext_and_only_when_changed(tmp_path):
    catalogue = tmp_path / "zh_Hans" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    source = settings.LOCALE_PATHS[0] / "zh_Hans" / "LC_MESSAGES" / "django.po"
    (catalogue / "django.po").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")

    assert translations_compile(root=tmp_path) == [catalogue / "django.mo"]
    assert translations_compile(root=tmp_path) == []  # up to date: nothing written
    import gettext

    compiled = gettext.GNUTranslations(open(catalogue / "django.mo", "rb"))
    assert compiled.gettext("Search all pages…") == "搜索全部页面……"


def test_the_command_compiles_the_projects_catalogues(capsys):
    call_command("compile_translations")
    for name in ("django", "djangojs"):
        assert (settings.LOCALE_PATHS[0] / "zh_Hans" / "LC_MESSAGES" / f"{name}.mo").exists()
