"""内容检查 in the page editor, in a browser: an editor's 错别字 keeps the article from review until fixed; 终审 lets
a sentence through with a reason, which the page's history shows."""

import re
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect
from wagtail.models import GroupPagePermission

from content.review_chain import WORKFLOW_NAME, ensure_review_chain
from guard.models import WordingRule
from guard.permissions import ensure_guard_permissions
from tests.content.factories import ArticlePageFactory
from tests.factories import SectionPageFactory, UserFactory

TITLE = "全省政府采购合同签订情况"


@pytest.fixture
def desk(transactional_db, home, settings):
    """A draft article in the news column, its editor, and a 终审 reviewer."""
    # The live server's in-memory SQLite (shared cache) answers a request that meets another one's write with
    # "database table is locked" instead of waiting as a database file or PostgreSQL would: no autosave and no
    # editing-session pings racing the form's own POST here.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 600_000
    ensure_review_chain()  # the flush after each transactional test removes what the migrations made
    ensure_guard_permissions()
    for kind, wrong, right, note in import_module("guard.migrations.0002_seed_wording_rules").SEED:
        WordingRule.objects.get_or_create(kind=kind, wrong=wrong, defaults={"right": right, "note": note})
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")
    article = ArticlePageFactory(parent=news, title=TITLE, live=False, body=[("paragraph", "<p>草稿。</p>")])
    editors = Group.objects.create(name="新闻编辑")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(group=editors, page=news, permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename))
    editor = UserFactory(username="xinwen_bianji")
    editor.groups.add(editors)
    reviewer = UserFactory(username="zhongshen")
    reviewer.groups.add(Group.objects.get(name="终审"))
    return article, editor, reviewer


def editing(page):
    """The page editor without the editing-session release it sends on leaving (it would race the form's POST)."""
    page.route(re.compile(r"/admin/editing-sessions/release/"), lambda route: route.abort())
    return page


def type_body(page, text: str) -> None:
    """Replace the first paragraph's text, as typed, and wait until the editor has written it into the form's
    hidden field (Draftail saves its state a moment after the last key)."""
    body = page.locator(".Draftail-Editor [role=textbox]").first
    body.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.wait_for_function(
        "text => [...document.querySelectorAll('input[type=hidden]')].some(input => input.value.includes(text))",
        arg=text)


def submit_for_review(page) -> None:
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=f"提交给{WORKFLOW_NAME}").click()


def test_editor_is_held_by_a_typo_until_it_is_fixed(live_server, desk, login, screenshot):
    article, editor, _reviewer = desk
    edit_url = f"{live_server.url}/admin/pages/{article.pk}/edit/"
    page = editing(login(editor))
    page.goto(edit_url)

    type_body(page, "截止目前，全省已签定政府采购合同三十份。")
    submit_for_review(page)

    expect(page.get_by_text(re.compile("未提交审核：草稿中有2处错别字或禁用词"))).to_be_visible()
    checks = page.get_by_role("list", name="内容检查")
    expect(checks).to_contain_text("“签定”应为“签订”")
    expect(checks).to_contain_text("原句：截止目前，全省已签定政府采购合同三十份。")
    expect(page.get_by_role("main")).not_to_contain_text("的“初审”")
    screenshot(page, "guard-editor-held")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "guard-editor-held-360")
    page.set_viewport_size({"width": 1280, "height": 900})

    type_body(page, "截至目前，全省已签订政府采购合同三十份。")
    submit_for_review(page)

    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("审核中")
    page.goto(edit_url)
    expect(page.get_by_role("main")).to_contain_text("的“初审”")  # awaiting the first review step
    expect(page.get_by_role("list", name="内容检查")).to_have_count(0)
    page.goto(f"{live_server.url}/admin/")  # leave the editor before the live server's database is flushed


def test_final_review_lets_a_sentence_through_with_a_reason(live_server, desk, login, screenshot):
    article, editor, reviewer = desk
    edit_url = f"{live_server.url}/admin/pages/{article.pk}/edit/"
    writer = editing(login(editor))
    writer.goto(edit_url)
    type_body(writer, "合同原文写明“截止目前”的付款条件。")
    submit_for_review(writer)
    expect(writer.get_by_text(re.compile("未提交审核"))).to_be_visible()

    chief = editing(login(reviewer))
    chief.goto(edit_url)
    chief.get_by_role("link", name="终审放行").click()
    expect(chief.get_by_role("main")).to_contain_text("合同原文写明“截止目前”的付款条件。")
    chief.get_by_role("button", name="终审放行").click()
    expect(chief.get_by_role("alert")).to_contain_text("请填写放行理由")
    chief.get_by_label("放行理由").fill("引用合同原文，须保留原写法")
    screenshot(chief, "guard-override-form")
    chief.get_by_role("button", name="终审放行").click()
    expect(chief.get_by_text(re.compile("已放行1处用语问题"))).to_be_visible()
    chief.goto(f"{live_server.url}/admin/pages/{article.pk}/history/")
    expect(chief.get_by_role("main")).to_contain_text("终审放行1处错别字或禁用词，理由：引用合同原文，须保留原写法")
    screenshot(chief, "guard-override-history")

    writer.goto(edit_url)
    submit_for_review(writer)
    expect(writer.get_by_role("row", name=re.compile(TITLE))).to_contain_text("审核中")
    chief.goto(f"{live_server.url}/admin/")  # leave the editor before the live server's database is flushed


def test_dashboard_shows_availability_trend_and_monthly_reports(live_server, desk, login, screenshot):
    import datetime as dt

    from django.utils import timezone

    from guard.models import ProbeResult
    from guard.services import guard_run_perform

    _article, _editor, reviewer = desk
    guard_run_perform()
    guard_run_perform()
    for hours_ago, ok in ((1, True), (30, False), (60, True)):
        ProbeResult.objects.create(round_at=timezone.now() - dt.timedelta(hours=hours_ago), url=f"{live_server.url}/",
                                   status=200 if ok else None, ok=ok, elapsed_ms=120, size=30_000,
                                   error="" if ok else "超时（10 秒无响应）")
    chief = login(reviewer)  # 终审 sees the dashboard by default
    chief.goto(f"{live_server.url}/admin/site-guard/")
    main = chief.get_by_role("main")
    expect(main).to_contain_text("近7天可用率 66.67%")
    expect(main).to_contain_text("超时（10 秒无响应）")
    expect(chief.get_by_role("img", name="最近2次检查的问题数")).to_be_visible()
    this_month = timezone.localdate()
    expect(chief.get_by_role("link", name="PDF")).to_have_attribute(
        "href", f"/admin/site-guard/report/{this_month:%Y-%m}.pdf")
    screenshot(chief, "guard-dashboard")
    chief.set_viewport_size({"width": 360, "height": 800})
    screenshot(chief, "guard-dashboard-360")
