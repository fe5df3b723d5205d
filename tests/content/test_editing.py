"""How editors publish: the three-step review chain and scheduled publishing."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Workflow

from tests.content.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_every_page_is_under_the_three_step_review_chain(news):
    article = ArticlePageFactory(parent=news)

    workflow = article.get_workflow()

    assert workflow is not None and workflow.active
    assert [task.name for task in workflow.tasks] == ["初审", "复审", "终审"]
    for task, group in zip(workflow.tasks, ["初审", "复审", "终审"], strict=True):
        assert list(task.specific.groups.values_list("name", flat=True)) == [group]


def test_review_groups_can_reach_the_admin_and_only_the_last_step_publishes():
    root = Page.get_first_root_node()
    for name, publishes in (("初审", False), ("复审", False), ("终审", True)):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()
        assert group.page_permissions.filter(page=root, permission__codename="change_page").exists()
        assert group.page_permissions.filter(page=root, permission__codename="publish_page").exists() == publishes


def test_the_default_single_approval_workflow_is_retired():
    assert list(Workflow.objects.filter(active=True).values_list("name", flat=True)) == ["三审（初审、复审、终审）"]


def test_scheduled_page_goes_live_when_publish_scheduled_runs(client, news):
    article = ArticlePageFactory(parent=news, title="定时发布的新闻", live=False)
    article.go_live_at = timezone.now() + dt.timedelta(hours=1)
    article.save_revision().publish()
    article.refresh_from_db()
    assert not article.live
    assert "定时发布的新闻" not in client.get(news.url).content.decode()

    # An hour passes: move the scheduled time (and the revision's copy of it) into the past.
    past = timezone.now() - dt.timedelta(minutes=1)
    revision = article.latest_revision
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")

    article.refresh_from_db()
    assert article.live
    assert "定时发布的新闻" in client.get(news.url).content.decode()
