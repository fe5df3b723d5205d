"""Desks on the admin dashboard: an editor sees their drafts and what was sent back to them, a reviewer the pages
waiting at their step (the longest waiting first), everyone the publications scheduled for the next 7 days; a desk
shows only to those holding its role, and each item links to the page editor."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission, TaskState

from content.review_chain import REVIEW_STEPS, ensure_review_chain
from tests.factories import InfoPageFactory, SectionPageFactory, UserFactory


@pytest.fixture
def newsroom(home):
    ensure_review_chain()
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news")
    editors = Group.objects.create(name="新闻编辑")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(group=editors, page=news, permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename))
    editor = UserFactory(username="xinwen")
    editor.groups.add(editors)
    first = UserFactory(username="chushen")
    first.groups.add(Group.objects.get(name=REVIEW_STEPS[0]))
    return news, editor, first


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def submit(page, user, *, started_at=None):
    page.save_revision(user=user)
    state = page.get_workflow().start(page, user)
    if started_at:
        TaskState.objects.filter(workflow_state=state).update(started_at=started_at)
    return state


def test_an_editor_sees_their_draft_and_not_someone_elses(client, newsroom):
    news, editor, _ = newsroom
    mine = InfoPageFactory(parent=news, title="我写的草稿")
    mine.title = "我写的草稿（改）"
    mine.save_revision(user=editor)
    other = InfoPageFactory(parent=news, title="别人的稿子")
    other.save_revision(user=UserFactory())

    page = dashboard(client, editor)
    assert "编辑工作台" in page and "我的草稿" in page
    assert f'href="/admin/pages/{mine.pk}/edit/"' in page
    assert "别人的稿子" not in page.split("编辑工作台")[1].split("</section>")[0]


def test_a_page_sent_back_is_on_its_editors_desk_with_the_step(client, newsroom):
    news, editor, first = newsroom
    article = InfoPageFactory(parent=news, title="待修改的稿件")
    state = submit(article, editor)
    state.current_task_state.task.specific.on_action(state.current_task_state, first, "reject")

    page = dashboard(client, editor)
    desk = page.split('id="desk-editor"')[1].split("</section>")[0]
    assert "退回给我修改的（1）" in desk and "待修改的稿件" in desk and "初审退回" in desk


def test_a_reviewer_sees_pages_at_their_step_the_longest_waiting_first(client, newsroom):
    news, editor, first = newsroom
    now = timezone.now()
    recent = InfoPageFactory(parent=news, title="昨天送审的稿件")
    submit(recent, editor, started_at=now - dt.timedelta(days=1))
    older = InfoPageFactory(parent=news, title="三天前送审的稿件")
    submit(older, editor, started_at=now - dt.timedelta(days=3))

    page = dashboard(client, first)
    desk = page.split('id="desk-reviewer"')[1].split("</section>")[0]
    assert "审核工作台（初审）" in page
    assert desk.index("三天前送审的稿件") < desk.index("昨天送审的稿件")
    assert "已等3天" in desk and f'href="/admin/pages/{older.pk}/edit/"' in desk
    assert 'id="desk-editor"' not in page  # a reviewer without the editors' role has no editor desk


def test_the_editor_has_no_reviewer_desk_and_a_reviewer_of_another_step_sees_nothing_waiting(client, newsroom):
    news, editor, _ = newsroom
    submit(InfoPageFactory(parent=news, title="初审中的稿件"), editor)
    second = UserFactory(username="fushen")
    second.groups.add(Group.objects.get(name=REVIEW_STEPS[1]))

    assert 'id="desk-reviewer"' not in dashboard(client, editor)
    desk = dashboard(client, second).split('id="desk-reviewer"')[1].split("</section>")[0]
    assert "初审中的稿件" not in desk and "没有等待你审核的稿件" in desk


def test_everyone_sees_the_publications_scheduled_for_the_next_seven_days(client, newsroom):
    news, editor, first = newsroom
    soon = InfoPageFactory(parent=news, title="后天发布的通知")
    revision = soon.save_revision(user=editor)
    revision.approved_go_live_at = timezone.now() + dt.timedelta(days=2)
    revision.save(update_fields=["approved_go_live_at"])
    later = InfoPageFactory(parent=news, title="下个月发布的通知")
    revision = later.save_revision(user=editor)
    revision.approved_go_live_at = timezone.now() + dt.timedelta(days=30)
    revision.save(update_fields=["approved_go_live_at"])

    for user in (editor, first):
        desk = dashboard(client, user).split('id="desk-scheduled"')[1].split("</section>")[0]
        assert "后天发布的通知" in desk and "下个月发布的通知" not in desk
    drafts = dashboard(client, editor).split('id="desk-editor"')[1].split("</section>")[0]
    assert "我的草稿（0）" in drafts  # scheduled versions are not drafts
