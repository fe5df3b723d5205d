"""征求意见 as a citizen and as staff notice it: the draft and countdown, a comment that waits for moderation, the
polite refusal once closed, and the 意见采纳情况 linked from the consultation and from the final policy."""

import datetime as dt

import pytest

from participation import services
from participation.models import ConsultationComment, FeedbackReport, ParticipationEvent
from participation.rules import Adoption, Moderation
from tests.factories import UserFactory

from .factories import ConsultationCommentFactory, ConsultationPageFactory, days

pytestmark = pytest.mark.django_db


def test_open_consultation_shows_the_draft_countdown_and_form(client, consultations):
    page = ConsultationPageFactory(parent=consultations, opens_at=days(-1), closes_at=days(5) + dt.timedelta(hours=3))
    response = client.get(page.url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "第一条 为加强政府采购需求管理" in text
    assert "距征求意见截止还有" in text and "5天" in text
    assert 'name="csrfmiddlewaretoken"' in text and "提交意见" in text


def test_period_defaults_to_thirty_days(consultations):
    page = ConsultationPageFactory(parent=consultations, closes_at=None)
    assert page.closes_at - page.opens_at == dt.timedelta(days=30)


def test_a_comment_waits_for_moderation_before_anyone_sees_it(client, consultations):
    page = ConsultationPageFactory(parent=consultations)
    response = client.post(page.url, {"body": "建议将公示期延长至十个工作日。", "name": "", "contact": ""})
    assert response.status_code == 302
    assert "意见已提交" in client.get(response["Location"]).content.decode()
    comment = ConsultationComment.objects.get()
    assert comment.status == Moderation.PENDING
    assert "建议将公示期延长" not in client.get(page.url).content.decode()

    services.comment_moderate(comment=comment, actor=UserFactory(is_superuser=True), status=Moderation.APPROVED)
    text = client.get(page.url).content.decode()
    assert "建议将公示期延长" in text and "网友" in text  # no name given: shown as 网友
    assert ParticipationEvent.objects.filter(subject=f"comment:{comment.pk}").count() == 2


def test_a_comment_over_the_word_limit_is_refused_and_kept_in_the_form(client, consultations):
    page = ConsultationPageFactory(parent=consultations, comment_max_chars=10)
    response = client.post(page.url, {"body": "这条意见一共有十五个字，超出了限制"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "意见内容最多 10 字" in text
    assert "这条意见一共有十五个字" in text
    assert not ConsultationComment.objects.exists()


def test_comments_are_limited_per_address(client, consultations, settings):
    settings.PARTICIPATION_COMMENT_RATE = "2/h"
    page = ConsultationPageFactory(parent=consultations)
    for n in range(2):
        assert client.post(page.url, {"body": f"意见{n}"}).status_code == 302
    response = client.post(page.url, {"body": "第三条意见"})
    assert response.status_code == 429
    assert "请求过于频繁" in response.content.decode() and response["Retry-After"]
    assert ConsultationComment.objects.count() == 2


def test_the_form_needs_the_csrf_token(consultations):
    from django.test import Client

    page = ConsultationPageFactory(parent=consultations)
    response = Client(enforce_csrf_checks=True).post(page.url, {"body": "没有令牌的意见"})
    assert response.status_code == 403
    assert not ConsultationComment.objects.exists()


def test_a_closed_consultation_refuses_comments_politely(client, consultations):
    page = ConsultationPageFactory(parent=consultations, opens_at=days(-40), closes_at=days(-10))
    shown = client.get(page.url).content.decode()
    assert "结束，不再接收意见" in shown and "提交意见" not in shown
    response = client.post(page.url, {"body": "迟到的意见"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "结束，不再接收意见" in text and "<textarea" not in text
    assert not ConsultationComment.objects.exists()


def test_feedback_report_is_published_after_closing_and_linked(client, consultations):
    staff = UserFactory(is_superuser=True)
    page = ConsultationPageFactory(parent=consultations, opens_at=days(-40), closes_at=days(-10))
    decisions = [(Adoption.ADOPTED, "适用范围", "已在第三条中明确"), (Adoption.PARTLY, "适用范围", "部分吸收"),
                 (Adoption.NOT_ADOPTED, "时限要求", "与上位法规定不一致")]
    for adoption, theme, reason in decisions:
        comment = ConsultationCommentFactory(consultation=page)
        services.comment_moderate(comment=comment, actor=staff, status=Moderation.APPROVED, adoption=adoption,
                                  theme=theme, reason=reason)
    ConsultationCommentFactory(consultation=page, status=Moderation.REJECTED)

    services.feedback_publish(consultation=page, actor=staff, summary="共收到有效意见3条，经认真研究……")

    assert "意见采纳情况" in client.get(page.url).content.decode()
    report = client.get(page.url + "feedback/").content.decode()
    assert "共收到有效意见3条" in report
    assert "与上位法规定不一致" in report and "适用范围" in report
    figures = FeedbackReport.objects.get().feedback
    assert (figures.comments, figures.adopted, figures.partly, figures.not_adopted) == (3, 1, 1, 1)


def test_feedback_cannot_be_published_while_open_or_with_comments_pending(consultations):
    staff = UserFactory(is_superuser=True)
    open_page = ConsultationPageFactory(parent=consultations)
    with pytest.raises(services.Refused, match="尚未结束"):
        services.feedback_publish(consultation=open_page, actor=staff, summary="说明")
    closed = ConsultationPageFactory(parent=consultations, opens_at=days(-40), closes_at=days(-1))
    ConsultationCommentFactory(consultation=closed)
    with pytest.raises(services.Refused, match="1 条留言未审核"):
        services.feedback_publish(consultation=closed, actor=staff, summary="说明")
    assert not FeedbackReport.objects.exists()


def test_no_feedback_page_before_it_is_published(client, consultations):
    page = ConsultationPageFactory(parent=consultations, opens_at=days(-40), closes_at=days(-1))
    assert client.get(page.url + "feedback/").status_code == 404


def test_staff_publish_feedback_from_the_admin(client, consultations):
    staff = UserFactory(is_superuser=True, is_staff=True)
    page = ConsultationPageFactory(parent=consultations, opens_at=days(-40), closes_at=days(-1))
    client.force_login(staff)
    listing = client.get("/admin/participation/feedback/")
    assert page.title in listing.content.decode()
    response = client.post(f"/admin/participation/feedback/{page.pk}/", {"summary": "本次未收到意见。"})
    assert response.status_code == 302
    assert FeedbackReport.objects.get().summary == "本次未收到意见。"
    again = client.post(f"/admin/participation/feedback/{page.pk}/", {"summary": "再发一次"})
    assert again.status_code == 409 and "已经发布" in again.content.decode()


def test_the_admin_moderation_form_goes_through_the_service(client, consultations):
    staff = UserFactory(is_superuser=True, is_staff=True)
    page = ConsultationPageFactory(parent=consultations)
    comment = ConsultationCommentFactory(consultation=page)
    client.force_login(staff)
    response = client.post(f"/admin/participation_comments/edit/{comment.pk}/",
                           {"status": "approved", "adoption": "adopted", "theme": "适用范围", "reason": "采纳"})
    assert response.status_code == 302, response.content.decode()[:500]
    comment.refresh_from_db()
    assert comment.status == Moderation.APPROVED and comment.adoption == Adoption.ADOPTED
    assert ParticipationEvent.objects.filter(subject=f"comment:{comment.pk}", action="moderate", actor=staff).exists()
    assert client.get("/admin/participation_comments/new/").status_code in (302, 403)


def test_policy_page_says_it_was_put_to_public_consultation(client, consultations, home):
    from tests.content.factories import PolicyPageFactory
    from tests.factories import SectionPageFactory

    section = SectionPageFactory(parent=home, title="政策发布", slug="policies")
    policy = PolicyPageFactory(parent=section, title="政府采购需求管理办法")
    page = ConsultationPageFactory(parent=consultations, opens_at=days(-40), closes_at=days(-10), final_policy=policy)
    text = client.get(policy.url).content.decode()
    assert "本文件曾公开征求意见" in text and page.url in text
    assert "本文件曾公开征求意见" not in client.get(page.url).content.decode()
