"""Two staff journeys of issue 15 in a browser: a staff member whose password is past 90 days changes it before
anything else, and an editor allows a popular-search candidate from the list (a bulk action), after which the
public sees it under 大家都在搜."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.models import PasswordHistory
from search.models import PopularQuery, PopularStatus
from tests.e2e.conftest import current_totp_code, leave
from tests.factories import UserFactory


def sign_in(browser, live_server, user, width: int):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    desk = context.new_page()
    desk.set_default_timeout(15_000)
    desk.goto(live_server.url + "/admin/login/")
    desk.get_by_label("用户名").fill(user.get_username())
    desk.get_by_placeholder("输入密码").fill("correct-horse-battery")
    code = current_totp_code(user)
    desk.get_by_role("button", name="登录").click()
    desk.get_by_label("验证码或恢复码").fill(code)
    desk.get_by_role("button", name="验证").click()
    return desk


@pytest.fixture
def clerk(transactional_db):
    clerk = UserFactory(username="clerk-old-password", is_staff=True, is_superuser=True)
    clerk.set_password("correct-horse-battery")
    clerk.save()
    PasswordHistory.objects.filter(user=clerk).update(created_at=timezone.now() - dt.timedelta(days=120))
    return clerk


@pytest.mark.parametrize("width", [1280, 360])
def test_an_expired_staff_password_is_changed_before_anything_else(browser, live_server, demo_site, clerk,
                                                                   screenshot, width):
    desk = sign_in(browser, live_server, clerk, width)
    expect(desk.get_by_text("已使用超过 90 天")).to_be_visible()
    screenshot(desk, f"password-expired-{width}")
    desk.goto(live_server.url + "/admin/pages/")  # anything else leads back to the form
    expect(desk.get_by_text("已使用超过 90 天")).to_be_visible()

    desk.get_by_label("当前密码").fill("correct-horse-battery")
    desk.get_by_label("新密码", exact=True).fill("caizheng2027")
    desk.get_by_label("再次输入新密码").fill("caizheng2027")
    desk.get_by_role("button", name="修改密码").click()
    expect(desk.get_by_text("至少 3 类")).to_have_count(2)  # the rule above the form, and the error under it
    screenshot(desk, f"password-too-simple-{width}")

    desk.get_by_label("当前密码").fill("correct-horse-battery")
    desk.get_by_label("新密码", exact=True).fill("Caizheng-2027-new")
    desk.get_by_label("再次输入新密码").fill("Caizheng-2027-new")
    desk.get_by_role("button", name="修改密码").click()
    expect(desk).to_have_url(live_server.url + "/admin/pages/")
    leave(desk.context)


@pytest.mark.parametrize("width", [1280, 360])
def test_an_editor_allows_a_candidate_and_the_public_sees_it(browser, live_server, demo_site, page, screenshot,
                                                              width):
    editor = UserFactory(username="search-editor", is_staff=True, is_superuser=True)
    candidate = PopularQuery.objects.create(text="专项债券", count=6, visitors=6)
    PopularQuery.objects.create(text="另一个待审核的词", count=5, visitors=5)
    desk = sign_in(browser, live_server, editor, width)
    expect(desk).to_have_url(live_server.url + "/admin/")

    desk.goto(live_server.url + "/admin/snippets/search/popularquery/?status=pending")
    expect(desk.get_by_role("link", name="专项债券")).to_be_visible()
    screenshot(desk, f"popular-pending-{width}")
    desk.get_by_role("row").filter(has_text="专项债券").hover()  # the row's checkbox shows on hover
    desk.locator(f"input[data-bulk-action-checkbox][data-object-id='{candidate.pk}']").check()
    desk.get_by_role("link", name="允许所选搜索词显示在热门搜索和搜索建议中").click()
    expect(desk.get_by_text("允许后，它们会出现在")).to_be_visible()
    screenshot(desk, f"popular-confirm-{width}")
    desk.get_by_role("button", name="允许显示").click()
    expect(desk.get_by_text("1 个搜索词已允许显示")).to_be_visible()

    candidate.refresh_from_db()
    assert candidate.status == PopularStatus.ALLOWED
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/search/")
    expect(page.locator(".search-popular")).to_contain_text("专项债券")
    expect(page.locator(".search-popular")).not_to_contain_text("另一个待审核的词")
    leave(desk.context)
