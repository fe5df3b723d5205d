"""The page cache: what an anonymous visitor gets from it, what never goes into it, and what a change purges."""

import io
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import PageViewRestriction, Workflow

from content.review_chain import REVIEW_STEPS, ensure_review_chain
from tests.content.factories import (
    ArticlePageFactory,
    DepartmentFactory,
    InterpretationPageFactory,
    PolicyPageFactory,
    TopicPageFactory,
)
from tests.factories import SectionPageFactory, UserFactory
from tests.services_hall.factories import ApplicantFactory

# Stored pages, their tags and purges live in the cache, not in SQL: the SQLite pass has these.
pytestmark = pytest.mark.same_on_every_database


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` around a change: it commits, so what runs on commit (the purge) runs."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def site(home, identity):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")
    policies = SectionPageFactory(parent=home, title="政策发布", slug="policies", listing_kind="policy")
    home.headline_section = news
    home.policy_section = policies
    home.save_revision().publish()
    return news, policies


def visit(client: Client, url: str, **headers):
    response = client.get(url, headers=headers)
    return response, response.content.decode()


def test_a_second_anonymous_visit_is_answered_from_the_cache_with_the_same_page(client, site):
    news, _ = site
    ArticlePageFactory(parent=news, title="全国财政收支情况发布")
    first, first_text = visit(client, "/")
    second, second_text = visit(client, "/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "全国财政收支情况发布" in second_text and second_text == first_text
    # The stored page keeps its own CSP header: the inline script's nonce is the one the header allows.
    nonce = re.search(r'nonce="([^"]+)"', second_text).group(1)
    assert f"'nonce-{nonce}'" in second["Content-Security-Policy"]
    assert "s-maxage=" in second["Cache-Control"] and "public" in second["Cache-Control"]


def test_query_strings_in_another_order_share_one_entry_and_tracking_parameters_are_ignored(client, site):
    news, _ = site
    ArticlePageFactory(parent=news)
    assert client.get(news.url + "?year=2026&page=1")["X-Page-Cache"] == "miss"
    assert client.get(news.url + "?page=1&year=2026")["X-Page-Cache"] == "hit"
    assert client.get(news.url + "?page=1&utm_source=weixin&year=2026")["X-Page-Cache"] == "hit"
    assert client.get(news.url + "?page=1&year=2025")["X-Page-Cache"] == "miss"


def test_an_unchanged_page_answers_304_to_its_validators(client, site):
    news, _ = site
    article = ArticlePageFactory(parent=news, title="预算执行情况")
    page = client.get(article.url)
    etag, modified = page["ETag"], page["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert client.get(article.url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(article.url, headers={"If-None-Match": "*"}).status_code == 304
    assert client.get(article.url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(article.url, headers={"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}).status_code == 200
    # Uncached renders have the same validator (the CSP nonce is left out of it).
    cache.clear()
    assert client.get(article.url, headers={"If-None-Match": etag}).status_code == 304


def test_a_changed_page_no_longer_matches_its_old_etag(client, site, committed):
    news, _ = site
    article = ArticlePageFactory(parent=news, title="旧标题")
    etag = client.get(article.url)["ETag"]
    article.title = "新标题"
    with committed():
        article.save_revision().publish()
    changed = client.get(article.url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "新标题" in changed.content.decode()


def test_a_setting_change_moves_last_modified_so_if_modified_since_gets_the_new_page(client, site, identity,
                                                                                     committed):
    modified = client.get("/")["Last-Modified"]
    time.sleep(1.1)  # HTTP dates are in whole seconds
    identity.sponsor = "某某省财政厅（改名）"
    with committed():
        identity.save()
    changed = client.get("/", headers={"If-Modified-Since": modified})
    assert changed.status_code == 200 and "某某省财政厅（改名）" in changed.content.decode()
    assert changed["Last-Modified"] != modified


def _review_and_publish(page, *, title: str) -> None:
    """Edit `page` as an editor and take it through 初审, 复审 and 终审; 终审's approval publishes it."""
    ensure_review_chain()
    workflow = Workflow.objects.get(name__startswith="三审")
    editor = UserFactory(username="editor", is_staff=True)
    reviewers = []
    from django.contrib.auth.models import Group

    for step in REVIEW_STEPS:
        reviewer = UserFactory(username=f"reviewer-{REVIEW_STEPS.index(step)}", is_staff=True)
        reviewer.groups.add(Group.objects.get(name=step))
        reviewers.append(reviewer)
    page.title = title
    page.save_revision(user=editor)
    state = workflow.start(page, editor)
    for reviewer in reviewers:
        state.refresh_from_db()
        state.current_task_state.approve(user=reviewer)
    page.refresh_from_db()
    assert page.live and page.title == title and not page.has_unpublished_changes


def test_publishing_through_the_review_chain_shows_the_change_on_every_url_that_shows_the_page(client, site, committed):
    news, policies = site
    article = ArticlePageFactory(parent=news, title="一季度财政收支情况")
    article.tags.add("预算公开")
    article.save_revision().publish()
    sibling = ArticlePageFactory(parent=news, title="另一篇新闻")
    policy = PolicyPageFactory(parent=policies, title="关于预算管理的通知")
    topic = TopicPageFactory(parent=news.get_parent(), title="预算公开专题", tag="预算公开")
    urls = ["/", news.url, news.url + "?page=1", article.url, topic.url, "/feed/latest/rss/"]
    for url in urls + [sibling.url, policy.url, "/sitemap-pages.xml"]:
        client.get(url)
    for url in urls + [sibling.url, policy.url, "/sitemap-pages.xml"]:
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit", url
        assert url in (sibling.url, policy.url, "/sitemap-pages.xml") or "一季度财政收支情况" in response.content.decode(), url

    with committed():
        _review_and_publish(article, title="一季度全国一般公共预算收支情况")
    # The very first request after 终审 approves shows the change: the purge ran as the publish committed (well
    # within a second), no expiry is waited for.
    for url in urls:
        response = client.get(url)
        assert "一季度全国一般公共预算收支情况" in response.content.decode(), url
    assert client.get("/sitemap-pages.xml")["X-Page-Cache"] == "miss"  # its <lastmod> is made again
    # Pages that do not show the article were left in the cache.
    assert client.get(sibling.url)["X-Page-Cache"] == "hit"
    assert client.get(policy.url)["X-Page-Cache"] == "hit"


def test_a_new_page_appears_in_its_column_and_on_the_home_page_at_once(client, site, committed):
    news, policies = site
    for url in ("/", news.url, policies.url):
        client.get(url)
    with committed():
        ArticlePageFactory(parent=news, title="新发布的财政新闻")
    assert "新发布的财政新闻" in client.get("/").content.decode()
    assert "新发布的财政新闻" in client.get(news.url).content.decode()
    assert client.get(policies.url)["X-Page-Cache"] == "hit"


def test_unpublishing_and_deleting_remove_the_page_from_every_list(client, site, committed):
    news, _ = site
    gone = ArticlePageFactory(parent=news, title="即将撤下的新闻")
    deleted = ArticlePageFactory(parent=news, title="即将删除的新闻")
    for url in ("/", news.url, "/feed/latest/rss/"):
        assert "即将撤下的新闻" in client.get(url).content.decode()
    with committed():
        gone.unpublish()
        deleted.delete()
    for url in ("/", news.url, "/feed/latest/rss/"):
        text = client.get(url).content.decode()
        assert "即将撤下的新闻" not in text and "即将删除的新闻" not in text, url
    assert client.get(gone.url).status_code == 404


def test_moving_a_page_changes_both_columns(client, site, committed):
    news, policies = site
    article = ArticlePageFactory(parent=news, title="移动的新闻")
    other = SectionPageFactory(parent=news.get_parent(), title="工作动态", slug="work", listing_kind="article")
    for url in (news.url, other.url):
        client.get(url)
    with committed():
        article.move(other, pos="last-child")
    assert "移动的新闻" not in client.get(news.url).content.decode()
    assert "移动的新闻" in client.get(other.url).content.decode()


def test_moving_or_renaming_a_column_sends_readers_of_its_pages_to_the_new_addresses(client, site, committed):
    """A topic lists an article by its tag, not by its column: when the column moves or its slug changes, the topic
    must link the article's new address, and the old address must send the reader there, not show a kept copy."""
    news, policies = site
    topic = TopicPageFactory(parent=news.get_parent(), title="政府和社会资本合作", slug="ppp")
    column = SectionPageFactory(parent=news, title="地方动态", slug="local", listing_kind="article")
    article = ArticlePageFactory(parent=column, title="某市推进政府和社会资本合作", slug="ppp-city")
    article.tags.add("政府和社会资本合作")
    article.save_revision().publish()
    assert "/news/local/ppp-city/" in client.get(topic.url).content.decode()
    assert client.get("/news/local/ppp-city/").status_code == 200

    with committed():
        column.refresh_from_db()
        column.move(policies, pos="last-child")
    assert "/policies/local/ppp-city/" in client.get(topic.url).content.decode()
    assert client.get("/news/local/ppp-city/")["Location"] == "/policies/local/ppp-city/"
    assert client.get("/policies/local/ppp-city/").status_code == 200

    column.refresh_from_db()
    column.slug = "regions"
    with committed():
        column.save_revision().publish()
    assert "/policies/regions/ppp-city/" in client.get(topic.url).content.decode()
    assert client.get("/policies/local/ppp-city/")["Location"] == "/policies/regions/ppp-city/"


def test_editing_a_snippet_or_a_setting_changes_the_pages_that_show_it(client, site, committed, identity, navigation):
    _, policies = site
    department = DepartmentFactory(name="预算司")
    policy = PolicyPageFactory(parent=policies, title="关于预算的通知", issuing_authority=department)
    unrelated = PolicyPageFactory(parent=policies, title="另一份通知",
                                  issuing_authority=DepartmentFactory(code="000014350", name="国库司"))
    assert "预算司" in client.get(policy.url).content.decode()
    client.get(unrelated.url)
    department.name = "预算管理司"
    with committed():
        department.save()
    assert "预算管理司" in client.get(policy.url).content.decode()
    assert client.get(unrelated.url)["X-Page-Cache"] == "hit"

    identity.sponsor = "某某省财政厅（新）"
    with committed():
        identity.save()
    for url in ("/", policy.url, unrelated.url):
        assert "某某省财政厅（新）" in client.get(url).content.decode(), url


def test_signed_in_applicants_and_staff_never_get_or_leave_a_cached_page(client, site):
    news, _ = site
    article = ArticlePageFactory(parent=news, title="公开的新闻")
    applicant = ApplicantFactory(name="福州市鼓楼区测试代理记账有限公司")
    staff = UserFactory(username="staffer", is_staff=True, is_superuser=True)

    for person in (applicant.user, staff):
        signed_in = Client()
        signed_in.force_login(person)
        for url in ("/", article.url):
            response = signed_in.get(url)
            assert response.status_code == 200
            assert "X-Page-Cache" not in response and "private" in response["Cache-Control"]
            assert "xkey" not in response

    anonymous, text = visit(client, article.url)
    assert anonymous["X-Page-Cache"] == "miss"  # nothing the signed-in visits rendered was stored
    assert "wagtail-userbar" not in text and "staffer" not in text and "csrfmiddlewaretoken" not in text
    # A cached page is not served to a signed-in visitor: the staff userbar is theirs.
    staff_client = Client()
    staff_client.force_login(staff)
    assert "X-Page-Cache" not in staff_client.get(article.url)


def test_a_page_with_a_form_token_or_a_cookie_is_never_stored(client, site):
    news, _ = site
    locked = ArticlePageFactory(parent=news, title="需要密码的页面")
    PageViewRestriction.objects.create(page=locked, restriction_type=PageViewRestriction.PASSWORD, password="x")
    first = client.get(locked.url)
    assert "csrfmiddlewaretoken" in first.content.decode()
    again = client.get(locked.url)
    assert "X-Page-Cache" not in again or again["X-Page-Cache"] != "hit"
    assert "private" in again["Cache-Control"]


def test_a_visitor_with_a_message_waiting_is_not_answered_from_the_cache(client, site):
    client.get("/")
    client.cookies["messages"] = "anything"
    assert client.get("/").get("X-Page-Cache") != "hit"


def test_each_cached_page_names_what_it_shows_in_its_tags(client, site):
    news, _ = site
    article = ArticlePageFactory(parent=news)
    home_tags = client.get("/")["xkey"].split()
    assert f"page:{article.pk}" in home_tags and f"below:{news.path}" in home_tags
    article_tags = client.get(article.url)["xkey"].split()
    assert f"page:{article.pk}" in article_tags and f"page:{news.pk}" in article_tags
    assert f"below:{news.path}" not in article_tags


def test_a_dataset_page_answered_from_the_cache_still_counts_the_visit(client, site, committed):
    from opendata.models import DatasetStats
    from tests.opendata.factories import DatasetPageFactory

    open_data = SectionPageFactory(parent=site[0].get_parent(), title="数据开放", slug="open-data")
    dataset = DatasetPageFactory(parent=open_data, title="全国一般公共预算收支月度数据")
    client.get(dataset.url)
    assert client.get(dataset.url)["X-Page-Cache"] == "hit"
    assert client.get(dataset.url)["X-Page-Cache"] == "hit"
    from django.core.management import call_command

    with committed():
        call_command("flush_view_counts", stdout=io.StringIO())
    assert DatasetStats.objects.get(dataset=dataset).view_count == 3


def test_the_data_catalog_lists_a_newly_published_dataset_at_once(client, site, committed):
    from tests.opendata.factories import DatasetPageFactory

    open_data = SectionPageFactory(parent=site[0].get_parent(), title="数据开放", slug="open-data")
    DatasetPageFactory(parent=open_data, title="第一个数据资源")
    assert "第一个数据资源" in client.get("/open-data/catalog/").content.decode()
    with committed():
        DatasetPageFactory(parent=open_data, title="新发布的数据资源")
    assert "新发布的数据资源" in client.get("/open-data/catalog/").content.decode()


def test_after_an_upgrade_no_page_or_fragment_the_old_release_stored_is_served(client, site, settings, monkeypatch):
    """A new release's templates show at once: stored pages and fragments are kept per release (portal/release.py),
    not until they expire (an hour for a page, a day for a fragment)."""
    from portal import release

    settings.FRAGMENT_CACHE_ENABLED = True
    news, _ = site
    ArticlePageFactory(parent=news, title="全国财政收支情况发布")
    monkeypatch.setenv("JINCAI_RELEASE", "2026.11")
    release.release.cache_clear()
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    fragments = {key for key in _cache_keys() if ":fragment:" in key}
    assert fragments

    monkeypatch.setenv("JINCAI_RELEASE", "2026.12")
    release.release.cache_clear()
    upgraded = client.get("/")
    assert upgraded["X-Page-Cache"] == "miss" and "全国财政收支情况发布" in upgraded.content.decode()
    assert {key for key in _cache_keys() if ":fragment:" in key} > fragments  # built again, for the new release
    release.release.cache_clear()


def _cache_keys() -> set[str]:
    """The keys in the test cache (local memory)."""
    return set(cache._cache.keys())


def test_the_release_fingerprint_follows_code_and_templates_not_tests_or_state(tmp_path):
    from portal.release import fingerprint

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<h1>{{ page.title }}</h1>")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_page.py").write_text("def test(): pass\n")
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "state.py").write_text("x = 1\n")
    before = fingerprint(tmp_path)

    (tmp_path / "tests" / "test_page.py").write_text("def test(): assert True\n")
    (tmp_path / "var" / "state.py").write_text("x = 2\n")
    assert fingerprint(tmp_path) == before
    (tmp_path / "templates" / "page.html").write_text("<h1 class=title>{{ page.title }}</h1>")
    assert fingerprint(tmp_path) != before


@pytest.mark.parametrize("fragments", [True, False])
def test_a_new_interpretation_shows_on_its_stored_policy_page(client, site, committed, settings, fragments):
    """A policy's page lists its 政策解读: one published later reaches a reader of the stored page, with the fragment
    cache on (as in production) or off."""
    settings.FRAGMENT_CACHE_ENABLED = fragments
    _, policies = site
    with committed():
        policy = PolicyPageFactory(parent=policies, title="关于加强预算管理的通知")
    assert client.get(policy.url)["X-Page-Cache"] == "miss"
    assert client.get(policy.url)["X-Page-Cache"] == "hit"
    with committed():
        InterpretationPageFactory(parent=policies, policy=policy, title="专家解读：预算管理新规")
    assert "专家解读：预算管理新规" in client.get(policy.url).content.decode()


def _media_urls(html: str) -> set[str]:
    return set(re.findall(r"/media/[^\"'\s,]+", html))


def test_replacing_an_images_file_changes_every_stored_page_that_shows_it(client, site, committed, settings):
    # The admin's image form, given a new file, deletes the old file and every rendition of it: a stored page that
    # still pointed at them showed a broken picture until it expired.
    from django.core.files.base import ContentFile
    from PIL import Image as PILImage

    from tests.factories import ImageFactory

    news, _ = site
    photo = ImageFactory(title="预算执行情况图")
    article = ArticlePageFactory(parent=news, title="预算执行情况", cover_image=photo)
    other = ArticlePageFactory(parent=news, title="另一篇新闻")
    old = {url: _media_urls(client.get(url).content.decode()) for url in ("/", news.url, article.url)}
    client.get(other.url)
    assert old[article.url] and old[news.url]

    replacement = io.BytesIO()
    PILImage.new("RGB", (800, 600), "#1c8a3a").save(replacement, format="JPEG")
    original = photo.file
    photo.file = ContentFile(replacement.getvalue(), name="budget-chart-new.jpg")
    photo._set_image_file_metadata()
    with committed():
        photo.save()
        original.storage.delete(original.name)
        photo.renditions.all().delete()

    for url in ("/", news.url, article.url):
        shown = _media_urls(client.get(url).content.decode())
        assert not shown & old[url], url  # none of the deleted renditions
        for media in shown:
            assert (settings.MEDIA_ROOT / media.removeprefix("/media/")).exists(), (url, media)
    assert client.get(other.url)["X-Page-Cache"] == "hit"


def test_replacing_an_attachments_file_changes_the_stored_policy_page(client, site, committed, settings, tmp_path):
    # A document's address ends in its file name, and Wagtail answers 404 to the old name once the file is replaced.
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from content.models import PolicyAttachment

    settings.MEDIA_ROOT = tmp_path
    _, policies = site
    document = Document.objects.create(title="附件1", file=ContentFile(b"%PDF-1.4 old", name="fujian-old.pdf"))
    policy = PolicyPageFactory(parent=policies, title="关于印发预算管理办法的通知")
    PolicyAttachment.objects.create(policy=policy, document=document, title="", sort_order=0)
    policy.save_revision().publish()
    link = re.compile(r'href="(/documents/[^"]+)"')
    [old] = link.findall(client.get(policy.url).content.decode())
    assert client.get(policy.url)["X-Page-Cache"] == "hit"

    original = document.file
    document.file = ContentFile(b"%PDF-1.4 new", name="fujian-new.pdf")
    with committed():
        document.save()
        original.storage.delete(original.name)

    [new] = link.findall(client.get(policy.url).content.decode())
    assert new != old and new.endswith("fujian-new.pdf")
    assert client.get(new).status_code == 200


def test_a_column_lists_a_sub_column_published_under_it_and_drops_it_when_unpublished(client, site, committed,
                                                                                     settings):
    # The sub-columns are kept with the column's parts (the fragment cache, as in production) under what they list.
    settings.FRAGMENT_CACHE_ENABLED = True
    news, _ = site
    with committed():
        SectionPageFactory(parent=news, title="财政要闻", slug="headlines", listing_kind="article")
    assert "财政要闻" in client.get(news.url).content.decode()
    with committed():
        local = SectionPageFactory(parent=news, title="地方财政", slug="local", listing_kind="article")
    assert "地方财政" in client.get(news.url).content.decode()
    with committed():
        local.unpublish()
    shown = client.get(news.url).content.decode()
    assert "地方财政" not in shown and "财政要闻" in shown
