"""Each role logs in as its demo account and finds its desk on the dashboard with the right items: the editor the
draft 复审 sent back, 初审 the draft waiting three days, the data approver the waiting applications, everyone the
publication scheduled in three days. The screenshots are kept for docs/editors.md."""

import pytest
from playwright.sync_api import expect

from demo.desk_accounts import ACCOUNTS, build_desk_accounts
from django.contrib.auth import get_user_model
from wagtail.models import WorkflowState


@pytest.fixture
def desk_accounts(demo_site):
    build_desk_accounts(demo_site)
    User = get_user_model()
    users = {}
    for username, _group, _label in ACCOUNTS:
        user = User.objects.get(username=username)
        user.set_password("correct-horse-battery")
        user.save(update_fields=["password"])
        users[username] = user
    return users


def test_each_role_sees_its_desk_with_its_items(live_server, desk_accounts, login, screenshot):
    sent_back = WorkflowState.objects.get(status=WorkflowState.STATUS_NEEDS_CHANGES)
    waiting = WorkflowState.objects.get(status=WorkflowState.STATUS_IN_PROGRESS)
    sent_back_title = sent_back.content_object.get_latest_revision_as_object().title
    waiting_title = waiting.content_object.get_latest_revision_as_object().title

    editor = login(desk_accounts["demo-editor"])
    desk = editor.locator("#desk-editor")
    expect(desk.get_by_role("heading", name="退回给我修改的（1）")).to_be_visible()
    expect(desk.get_by_role("link", name=sent_back_title)).to_be_visible()
    expect(desk).to_contain_text("复审退回")
    expect(editor.locator("#desk-reviewer")).to_have_count(0)
    expect(editor.locator("#desk-scheduled").get_by_role("listitem")).to_have_count(1)
    expect(desk.get_by_role("heading", name="我的草稿（0）")).to_be_visible()  # the scheduled one is not a draft
    screenshot(editor, "desk-editor")

    first = login(desk_accounts["demo-chushen"])
    desk = first.locator("#desk-reviewer")
    expect(desk.get_by_role("heading", name="审核工作台（初审）")).to_be_visible()
    expect(desk).to_contain_text("已等3天")
    desk.get_by_role("link", name=waiting_title).click()
    expect(first.get_by_role("button", name="更多动作")).to_be_visible()  # the editor, where 批准 is
    screenshot(first, "desk-reviewer-opens-the-draft")
    first.goto("about:blank")

    third = login(desk_accounts["demo-zhongshen"])
    expect(third.locator("#desk-reviewer")).to_contain_text("没有等待你审核的稿件")

    data = login(desk_accounts["demo-data"])
    expect(data.locator("#desk-data").get_by_role("heading", name="数据开放工作台")).to_be_visible()
    expect(data.locator("#desk-editor")).to_have_count(0)
