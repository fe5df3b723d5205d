"""What goes into the audit trail: logins and failures, permission and group changes, publishing and workflow
decisions, and the staff list (filters, CSV export)."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission

from audit.models import Action, AuditRecord
from audit.selectors import audit_verify
from tests.factories import InfoPageFactory, UserFactory

AUDIT = "/admin/audit/"


def last(action: Action) -> AuditRecord:
    return AuditRecord.objects.filter(action=action).order_by("-seq").first()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_admin_logins_and_failures_are_recorded_with_the_address(client, home, superuser):
    client.post("/admin/login/", {"username": "root", "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
    failed = last(Action.LOGIN_FAILED)
    assert failed.target == "username:root" and failed.ip == "203.0.113.7"
    assert "wrong" not in str(failed.detail)
    client.post("/admin/login/", {"username": "root", "password": "correct-horse-battery"}, REMOTE_ADDR="203.0.113.7")
    login = last(Action.LOGIN)
    assert login.actor_name == "root" and login.ip == "203.0.113.7"
    client.post("/django-admin/login/", {"username": "root", "password": "nope"})
    assert AuditRecord.objects.filter(action=Action.LOGIN_FAILED).count() == 2
    assert audit_verify() == []


def test_group_and_permission_changes_are_recorded(superuser, db):
    editor = UserFactory(username="zhangsan")
    editors = Group.objects.create(name="编辑")
    editor.groups.add(editors)
    added = last(Action.USER_GROUPS)
    assert added.detail == {"change": "added", "items": ["编辑"]} and "zhangsan" in added.target
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    assert last(Action.GROUP_PERMISSIONS).detail == {"change": "added", "items": ["wagtailadmin.access_admin"]}
    editor.groups.clear()
    assert last(Action.USER_GROUPS).detail == {"change": "cleared", "items": ["编辑"]}
    editor.is_superuser = True
    editor.save()
    assert last(Action.USER_FLAGS).detail["changed"] == {"is_superuser": [False, True]}


def test_publishing_and_unpublishing_are_recorded(home, superuser):
    page = InfoPageFactory(parent=home, title="关于我们", slug="about", live=False)
    page.save_revision(user=superuser).publish(user=superuser)
    published = last(Action.PAGE_PUBLISH)
    assert published.target == f"page:{page.pk} 关于我们" and published.actor_name == "root"
    page.refresh_from_db()
    page.unpublish(user=superuser)
    assert last(Action.PAGE_UNPUBLISH).target == f"page:{page.pk} 关于我们"


def test_workflow_submissions_and_decisions_are_recorded(home, superuser):
    page = InfoPageFactory(parent=home, title="预算公开", slug="budget")
    page.save_revision(user=superuser)
    state = page.get_workflow().start(page, superuser)  # the default 三审 chain
    assert last(Action.WORKFLOW_SUBMIT).target == f"page:{page.pk} 预算公开"
    state.current_task_state.approve(user=superuser, comment="同意")
    approved = last(Action.WORKFLOW_APPROVE)
    assert approved.actor_name == "root" and approved.detail["task"] == "初审"


# ------------------------------------------------------------------------------------------------ the staff list


@pytest.fixture
def trail(superuser):
    from audit.services import audit_record

    audit_record(action=Action.LOGIN_FAILED, target="username:=HYPERLINK(\"http://evil\")")
    audit_record(action=Action.LOGIN, actor=superuser, target="user:root")
    return superuser


def test_staff_filter_the_audit_list_by_event_and_actor(client, home, trail):
    client.force_login(trail)
    page = client.get(AUDIT, {"action": Action.LOGIN_FAILED})
    assert page.status_code == 200
    text = page.content.decode()
    assert "登录失败" in text and "username:=HYPERLINK" in text and "user:root" not in text
    assert "user:root" in client.get(AUDIT, {"actor": "roo"}).content.decode()
    bad = client.get(AUDIT, {"date_from": "2026-13-45"})
    assert bad.status_code == 400 and "起始日期格式应为" in bad.content.decode()
    reversed_range = client.get(AUDIT, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "截止日期不能早于起始日期" in reversed_range.content.decode()


def test_csv_export_opens_in_excel_and_runs_no_formula(client, home, trail):
    client.force_login(trail)
    response = client.get(AUDIT + "export.csv", {"action": Action.LOGIN_FAILED})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff序号")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    targets = [row[5] for row in rows[1:]]
    assert targets and all(not t.startswith("=") for t in targets)
    assert any(t.startswith("username:=HYPERLINK") for t in targets)
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')


def test_formula_cells_get_an_apostrophe():
    from audit.views import neutralise

    assert neutralise("=1+1") == "'=1+1" and neutralise("@SUM(A1)") == "'@SUM(A1)" and neutralise("普通") == "普通"


def test_editors_without_the_audit_permission_get_403(client, home, trail):
    editor = UserFactory(username="editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(AUDIT).status_code == 403
    assert client.get(AUDIT + "export.csv").status_code == 403
    editor.user_permissions.add(Permission.objects.get(codename="view_auditrecord"))
    assert client.get(AUDIT).status_code == 200
