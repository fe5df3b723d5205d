"""The editor's manual walked in a browser, step by step (docs/editors.md): draft a news article and send it through
三审, each reviewer finds it on their desk and approves it; schedule a page; unpublish one; add a column; edit the
navigation; add a synonym group. Every screen reads in Chinese.

With JINCAI_DOC_SCREENSHOTS=<dir> set, each step's screen is saved there under a stable name (docs/images/ holds the
copies docs/editors.md shows; scripts/doc_screenshots.sh makes them again)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from wagtail.models import Page

from content.models import ArticlePage
from content.review_chain import REVIEW_STEPS, WORKFLOW_NAME
from tests.e2e.test_admin_in_chinese import UI_TEXT, english_strings
from tests.e2e.test_desks import desk_accounts  # noqa: F401 (fixture)
from tests.factories import UserFactory

TITLE = "财政部召开2026年财政预算执行情况新闻发布会"
SUMMARY = "财政部新闻发言人介绍今年以来预算执行情况，回答记者提问。"
DOC_WIDTH, DOC_HEIGHT = 1280, 800


@pytest.fixture
def doc_shot():
    """Check the screen reads in Chinese; with JINCAI_DOC_SCREENSHOTS set, save it there as `<name>.png`."""
    folder = os.environ.get("JINCAI_DOC_SCREENSHOTS")

    def take(page, name: str, *, element=None):
        page.wait_for_load_state("networkidle")
        assert english_strings(page.evaluate(UI_TEXT)) == [], name
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            path = str(Path(folder) / f"{name}.png")
            (element or page).screenshot(path=path, animations="disabled")

    return take


@pytest.fixture
def demo_admin(transactional_db):
    return UserFactory(username="admin", first_name="演示管理员", is_staff=True, is_superuser=True)


def _sized(page):
    page.set_viewport_size({"width": DOC_WIDTH, "height": DOC_HEIGHT})
    return page


def test_the_editor_manual_step_by_step(live_server, desk_accounts, demo_admin, login, doc_shot):  # noqa: F811
    news = Page.objects.get(url_path__endswith="/news/headlines/")

    # 2. 三审发布 — the editor drafts a 财政新闻 and sends it to 初审.
    editor = _sized(login(desk_accounts["demo-editor"]))
    doc_shot(editor, "desk-editor")
    editor.goto(f"{live_server.url}/admin/pages/{news.pk}/")
    editor.get_by_role("link", name="添加子页面").click()
    doc_shot(editor, "publish-1-choose-type")
    editor.get_by_role("link", name=re.compile("^财政新闻 ")).click()
    editor.get_by_role("textbox", name="标题*").fill(TITLE)
    editor.get_by_role("textbox", name="摘要").fill(SUMMARY)
    editor.get_by_role("button", name="更多动作").click()
    doc_shot(editor, "publish-2-submit")
    editor.get_by_role("button", name=f"提交给{WORKFLOW_NAME}").click()
    editor.get_by_role("row", name=re.compile(TITLE)).get_by_role("link", name=TITLE).click()
    expect(editor.get_by_role("main")).to_contain_text(f"正在等待“{WORKFLOW_NAME}”的“初审”")
    doc_shot(editor, "publish-3-awaiting")
    editor.goto("about:blank")  # the editor polls the server; leave it before the reviewers write

    for step, username in zip(REVIEW_STEPS, ("demo-chushen", "demo-fushen", "demo-zhongshen")):
        final = step == REVIEW_STEPS[-1]
        reviewer = _sized(login(desk_accounts[username]))
        desk = reviewer.locator("#desk-reviewer")
        expect(desk.get_by_role("link", name=TITLE)).to_be_visible()
        if step == REVIEW_STEPS[0]:
            doc_shot(reviewer, "publish-4-reviewer-desk")
        desk.get_by_role("link", name=TITLE).click()
        reviewer.get_by_role("button", name="更多动作").click()
        if step == REVIEW_STEPS[0]:
            doc_shot(reviewer, "publish-5-approve")
        reviewer.get_by_role("button", name="批准并发布" if final else "批准", exact=True).click()
        expect(reviewer.get_by_text(f"页面 '{TITLE}' 已被更新。")).to_be_visible()
        if final:
            doc_shot(reviewer, "publish-6-published")
        reviewer.goto("about:blank")
    article = ArticlePage.objects.get(title=TITLE)
    assert article.live

    # 3. 定时发布 — the schedule dialog of the status panel.
    admin = _sized(login(demo_admin))
    admin.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    admin.get_by_role("button", name=re.compile("^状态")).click()
    admin.get_by_role("button", name=re.compile("设置计划|编辑计划")).first.click()
    dialog = admin.get_by_role("dialog")
    expect(dialog.get_by_text("上线日期/时间")).to_be_visible()
    doc_shot(admin, "schedule")
    admin.goto("about:blank")

    # 4. 取消发布 — the confirmation.
    admin.goto(f"{live_server.url}/admin/pages/{article.pk}/unpublish/")
    expect(admin.get_by_role("button", name="是，取消发布")).to_be_visible()
    doc_shot(admin, "unpublish")

    # 5. 栏目管理 — a new column and the choice of what it lists.
    home = news.get_parent().get_parent()
    admin.goto(f"{live_server.url}/admin/pages/add/portal/sectionpage/{home.pk}/")
    admin.get_by_role("textbox", name="标题*").fill("专项资金")
    admin.locator("#id_listing_kind").select_option(label="财政新闻")
    doc_shot(admin, "columns-new")
    admin.goto(f"{live_server.url}/admin/pages/{news.get_parent().pk}/")
    doc_shot(admin, "columns-children")

    # 6. 导航 — the main menu and the footer links.
    admin.goto(f"{live_server.url}/admin/settings/portal/navigationsettings/")
    expect(admin.get_by_text("主导航").first).to_be_visible()
    doc_shot(admin, "navigation")

    # 7. 搜索同义词 — a new synonym group.
    admin.goto(f"{live_server.url}/admin/snippets/search/synonym/add/")
    admin.locator("#id_terms").fill("PPP\n政府和社会资本合作")
    admin.locator("#id_note").fill("政府和社会资本合作的英文缩写")
    doc_shot(admin, "synonyms")
