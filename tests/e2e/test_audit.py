"""A security officer in the admin: the login just made is on top of the audit trail, the list narrows by event,
and an open tamper alert greets them on the dashboard, naming the changed file."""

import pytest
from playwright.sync_api import expect

from audit.models import FingerprintKind, TamperAlert
from audit.services import audit_record
from audit.models import Action
from tests.factories import HomePageFactory, UserFactory


@pytest.fixture
def officer(transactional_db):
    from tests.conftest import tree_root

    HomePageFactory(parent=tree_root(), slug="home-audit")
    officer = UserFactory(username="security-officer", is_staff=True, is_superuser=True)
    audit_record(action=Action.LOGIN_FAILED, target="username:=cmd|' /C calc'!A0")
    TamperAlert.objects.create(kind=FingerprintKind.STATIC, location="css/site.css",
                               problem="静态文件内容与 collectstatic 时的指纹不一致，可能被篡改")
    return officer


@pytest.mark.parametrize("width", [1280, 360])
def test_officer_sees_the_tamper_alert_and_filters_the_audit_trail(live_server, login, officer, screenshot, width):
    desk = login(officer)
    desk.set_viewport_size({"width": width, "height": 900})
    expect(desk.get_by_role("alert").filter(has_text="网页防篡改告警")).to_contain_text("css/site.css")
    screenshot(desk, f"audit-dashboard-{width}")

    desk.goto(live_server.url + "/admin/audit/")
    rows = desk.locator("table.audit-table tbody tr")
    expect(rows.first).to_contain_text("登录成功")
    expect(rows.first).to_contain_text("security-officer")
    desk.get_by_label("事件").select_option(label="登录失败")
    desk.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("username:=cmd")
    screenshot(desk, f"audit-list-{width}")
