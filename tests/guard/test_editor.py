"""内容检查 in the page editor: 错别字 and 禁用词 keep a page from review until fixed or let through by 终审 with a
reason (in the page's history and the audit trail)."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from audit.models import AuditRecord
from content.review_chain import ensure_review_chain
from guard.models import WordingOverride, WordingRule
from tests.content.factories import ArticlePageFactory
from tests.factories import SectionPageFactory, UserFactory

pytestmark = pytest.mark.django_db

TYPO = "<p>截止目前，全省已签定合同三十份。</p>"
FIXED = "<p>截至目前，全省已签订合同三十份。</p>"


@pytest.fixture
def news(home):
    return SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")


@pytest.fixture
def article(news):
    ensure_review_chain()
    return ArticlePageFactory(parent=news, title="全省政府采购合同签订情况", live=False,
                              body=[("paragraph", "<p>草稿。</p>")])


@pytest.fixture
def editor(news):
    group = Group.objects.create(name="新闻编辑")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(group=group, page=news, permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename))
    user = UserFactory(username="bianji")
    user.groups.add(group)
    return user


@pytest.fixture
def final_reviewer():
    ensure_review_chain()
    from guard.permissions import ensure_guard_permissions

    ensure_guard_permissions()
    user = UserFactory(username="zhongshen", first_name="终审", last_name="王")
    user.groups.add(Group.objects.get(name="终审"))
    return user


def edit_post(article, body_html, *, submit=True):
    data = nested_form_data({
        "title": article.title, "slug": article.slug, "date": "2026-12-01", "summary": "",
        "body": streamfield([("paragraph", rich_text(body_html))]),
        "related_pages": inline_formset([]), "comments": inline_formset([]),
    })
    if submit:
        data["action-submit"] = "提交审核"
    return data


def submit(client, article, body_html):
    return client.post(f"/admin/pages/{article.pk}/edit/", edit_post(article, body_html), follow=True)


def test_typo_keeps_the_page_from_review_and_lists_the_sentence(client, article, editor):
    client.force_login(editor)

    page = submit(client, article, TYPO)

    text = page.content.decode()
    article.refresh_from_db()
    assert article.current_workflow_state is None  # not submitted
    assert "未提交审核：草稿中有2处错别字或禁用词，已保存为草稿" in text
    assert "“签定”应为“签订”" in text and "原句：截止目前，全省已签定合同三十份。" in text
    assert "截止目前" in str(article.get_latest_revision_as_object().body)  # what was typed is kept
    assert "终审放行" not in text  # an editor may not let it through


def test_fixed_page_goes_to_review(client, article, editor):
    client.force_login(editor)
    submit(client, article, TYPO)

    page = submit(client, article, FIXED)

    article.refresh_from_db()
    assert article.current_workflow_state is not None
    assert article.current_workflow_task.name == "初审"
    assert "未提交审核" not in page.content.decode()


def test_normative_wording_is_shown_but_does_not_block(client, article, editor):
    client.force_login(editor)
    page = submit(client, article, "<p>会同发改委研究。</p>")
    article.refresh_from_db()
    assert article.current_workflow_state is not None
    editor_page = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "不规范表述" in editor_page and "“发改委”应为“国家发展改革委”" in editor_page
    assert "须改正后才能提交审核" not in editor_page and page.status_code == 200


def test_forbidden_term_blocks_too(client, article, editor):
    WordingRule.objects.create(kind="forbidden", wrong="最牛", note="绝对化用语")
    client.force_login(editor)
    submit(client, article, "<p>全国最牛的财政服务。</p>")
    article.refresh_from_db()
    assert article.current_workflow_state is None


def test_final_reviewer_lets_the_typo_through_with_a_reason_recorded(client, article, editor, final_reviewer):
    client.force_login(editor)
    submit(client, article, TYPO)

    client.force_login(final_reviewer)
    editor_page = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "终审放行" in editor_page
    form = client.get(f"/admin/site-guard/override/{article.pk}/")
    assert "截止目前，全省已签定合同三十份。" in form.content.decode()
    refused = client.post(f"/admin/site-guard/override/{article.pk}/", {"reason": " "})
    assert refused.status_code == 400 and "请填写放行理由" in refused.content.decode()
    assert not WordingOverride.objects.exists()
    done = client.post(f"/admin/site-guard/override/{article.pk}/", {"reason": "引用合同原文，保留原写法"},
                       follow=True)
    assert "已放行2处用语问题" in done.content.decode()

    entry = PageLogEntry.objects.get(page=article, action="guard.wording_override")
    assert entry.user == final_reviewer and entry.data["reason"] == "引用合同原文，保留原写法"
    history = client.get(f"/admin/pages/{article.pk}/history/").content.decode()
    assert "终审放行2处错别字或禁用词，理由：引用合同原文，保留原写法" in history
    record = AuditRecord.objects.get(action="guard.wording_override")
    assert record.actor_name == "zhongshen" and record.detail["reason"] == "引用合同原文，保留原写法"

    client.force_login(editor)
    submit(client, article, TYPO)
    article.refresh_from_db()
    assert article.current_workflow_state is not None  # the overridden sentence no longer blocks


def test_override_covers_only_the_sentences_it_names(client, article, editor, final_reviewer):
    client.force_login(editor)
    submit(client, article, TYPO)
    client.force_login(final_reviewer)
    client.post(f"/admin/site-guard/override/{article.pk}/", {"reason": "引用合同原文"})

    client.force_login(editor)
    submit(client, article, TYPO + "<p>会计帐簿另行报送。</p>")
    article.refresh_from_db()
    assert article.current_workflow_state is None


def test_an_editor_may_not_override(client, article, editor):
    client.force_login(editor)
    submit(client, article, TYPO)
    page = client.post(f"/admin/site-guard/override/{article.pk}/", {"reason": "我觉得没问题"})
    assert page.status_code == 403 and not WordingOverride.objects.exists()
