"""Demo accounts for the roles whose desk the dashboard shows and that the services-hall demo has no account for:
an editor, one reviewer per step of 三审, and a data-access approver; and a little work on their desks (a draft
waiting at 初审 for three days, one sent back from 复审, one scheduled). Running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, TaskState, WorkflowState

from content.models import ArticlePage
from content.review_chain import REVIEW_STEPS
from demo.services_hall import DemoAccount, _keep_password, _password_of_existing
from portal.passwords import password_age_exempt
from portal.staff_security import demo_second_factor

EDITORS_GROUP = "栏目编辑"
DATA_GROUP = "数据审批员"
ACCOUNTS = (
    # username, group, the name shown in the admin
    ("demo-editor", EDITORS_GROUP, "演示编辑"),
    ("demo-chushen", REVIEW_STEPS[0], "演示初审员"),
    ("demo-fushen", REVIEW_STEPS[1], "演示复审员"),
    ("demo-zhongshen", REVIEW_STEPS[2], "演示终审员"),
    ("demo-data", DATA_GROUP, "演示数据审批员"),
)


def build_desk_accounts(home: Page, *, now: dt.datetime | None = None) -> list[str]:
    """Make the accounts and their desks' work; returns the lines load_demo prints (login, second factor)."""
    _ensure_groups(home)
    User = get_user_model()
    login = reverse("wagtailadmin_login")
    lines, users = [], {}
    for username, group, label in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        password = _password_of_existing(username)
        if user is None:
            password = secrets.token_urlsafe(9)
            user = User.objects.create_user(username, f"{username}@portal.example.gov.cn", password, first_name=label)
            user.groups.add(Group.objects.get(name=group))
            _keep_password(username, password)
        users[username] = user
        account = DemoAccount(label, username, password, login)
        lines.append(f"{account.role}：登录名 {account.username}  密码 {account.password}  （{account.login_path}）")
    _desk_work(home, editor=users["demo-editor"], first=users["demo-chushen"], second=users["demo-fushen"],
               now=now or timezone.now())
    for username, _group, _label in ACCOUNTS:
        secret, code = demo_second_factor(user=users[username])
        password_age_exempt(user=users[username], reason="演示账户：载入演示时设置，密码不过期，使 make run 始终可用")
        lines.append(f"  二次验证 {username}：恢复码 {code}  （验证器密钥 {secret}）")
    return lines


def _ensure_groups(home: Page) -> None:
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    editors.permissions.add(access_admin)
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(group=editors, page=home, permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename))
    data, _ = Group.objects.get_or_create(name=DATA_GROUP)
    data.permissions.add(access_admin, Permission.objects.get(content_type__app_label="opendata",
                                                              codename="change_accessapplication"))


def _desk_work(home: Page, *, editor, first, second, now: dt.datetime) -> None:
    if WorkflowState.objects.filter(requested_by=editor).exists():
        return
    articles = list(ArticlePage.objects.descendant_of(home).live().order_by("-first_published_at", "-pk")[:3])
    if len(articles) < 3:
        return
    waiting, sent_back, scheduled = articles
    for article in (waiting, sent_back):
        article.title = article.title + "（修改稿）"
        article.save_revision(user=editor)
        state = article.get_workflow().start(article, editor)
        TaskState.objects.filter(workflow_state=state).update(started_at=now - dt.timedelta(days=3))
    # 复审 sends the second back: 初审 approves it first, as the chain requires.
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(sent_back.pk),
                                      status=WorkflowState.STATUS_IN_PROGRESS)
    state.current_task_state.approve(user=first)
    state.refresh_from_db()
    state.current_task_state.reject(user=second)
    revision = scheduled.save_revision(user=editor)
    revision.approved_go_live_at = now + dt.timedelta(days=3)
    revision.save(update_fields=["approved_go_live_at"])
