"""Writes: comments, 采纳情况, survey answers, interview questions and turns. Each runs in one transaction, locks
what it changes, and appends a ParticipationEvent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import rules
from .models import (
    ConsultationComment, ConsultationPage, FeedbackReport, InterviewPage, InterviewQuestion, InterviewTurn,
    ParticipationEvent, SurveyPage, SurveyResponse,
)
from .rules import Moderation, Phase


class Refused(Exception):
    """A submission the rules refuse, with the message for the person (the page answers 4xx with it)."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _event(*, subject: str, action: str, actor=None, note: str = "") -> None:
    ParticipationEvent.objects.create(subject=subject, action=action, actor=actor if actor and actor.pk else None,
                                      note=note[:300])


def _refuse_unless_open(page, what: str) -> None:
    phase = page.phase()
    if phase == Phase.UPCOMING:
        raise Refused(f"本{what}尚未开始，开始时间为{rules_date(page.opens_at)}。", status=403)
    if phase == Phase.CLOSED:
        raise Refused(f"本{what}已于{rules_date(page.closes_at)}结束，不再接收提交。感谢您的关注。", status=403)


def rules_date(moment) -> str:
    from portal.formatting import cn_datetime

    return cn_datetime(moment)


# --- 征求意见 -------------------------------------------------------------------------------------------------


def comment_submit(*, consultation: ConsultationPage, body: str, name: str = "",
                   contact: str = "") -> ConsultationComment:
    """Store a comment for moderation; refused when the consultation is not open or the comment too long."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "请填写意见内容。"})
    count = rules.character_count(body)
    if count > consultation.comment_max_chars:
        raise ValidationError({"body": f"意见内容最多 {consultation.comment_max_chars} 字（现有 {count} 字）。"})
    with transaction.atomic():
        locked = ConsultationPage.objects.select_for_update().get(pk=consultation.pk)
        _refuse_unless_open(locked, "征求意见")
        comment = ConsultationComment.objects.create(consultation=locked, body=body, name=name.strip(),
                                                     contact=contact.strip())
        _event(subject=f"comment:{comment.pk}", action="submit", note=f"征求意见 {locked.pk}")
    return comment


def comment_moderate(*, comment: ConsultationComment, actor, status: str, adoption: str = "", theme: str = "",
                     reason: str = "") -> ConsultationComment:
    """Staff decide whether a comment is shown, and (after reading it) whether it was adopted and why."""
    if status not in Moderation.values:
        raise ValidationError({"status": "审核结果无效。"})
    if adoption not in rules.Adoption.values:
        raise ValidationError({"adoption": "采纳情况无效。"})
    with transaction.atomic():
        locked = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
        if FeedbackReport.objects.filter(consultation_id=locked.consultation_id).exists():
            raise Refused("意见采纳情况已发布，留言的审核和采纳结果不能再修改。", status=409)
        locked.status, locked.adoption, locked.theme, locked.reason = status, adoption, theme.strip(), reason.strip()
        locked.save(update_fields=["status", "adoption", "theme", "reason"])
        _event(subject=f"comment:{locked.pk}", action="moderate", actor=actor,
               note=f"{Moderation(status).label} {rules.Adoption(adoption).label}")
    return locked


def feedback_publish(*, consultation: ConsultationPage, actor, summary: str) -> FeedbackReport:
    """Publish 意见采纳情况 once the consultation has closed and every comment is moderated; figures frozen here."""
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": "请填写采纳情况说明。"})
    with transaction.atomic():
        locked = ConsultationPage.objects.select_for_update().get(pk=consultation.pk)
        if locked.phase() != Phase.CLOSED:
            raise Refused("征求意见尚未结束，结束后才能发布意见采纳情况。", status=409)
        if FeedbackReport.objects.filter(consultation=locked).exists():
            raise Refused("本次征求意见的采纳情况已经发布。", status=409)
        pending = locked.comments.filter(status=Moderation.PENDING).count()
        if pending:
            raise Refused(f"还有 {pending} 条留言未审核，请先审核。", status=409)
        valid = locked.comments.filter(status=Moderation.APPROVED).values_list("adoption", "theme", "reason")
        figures = rules.feedback_figures(valid)
        report = FeedbackReport.objects.create(consultation=locked, summary=summary, figures=figures.as_json(),
                                               published_at=timezone.now(), published_by=actor)
        _event(subject=f"consultation:{locked.pk}", action="feedback_publish", actor=actor,
               note=f"意见 {figures.comments} 条，采纳 {figures.adopted}，部分采纳 {figures.partly}")
    return report


# --- 网上调查 -------------------------------------------------------------------------------------------------


def survey_answer(*, survey: SurveyPage, voter_key: str, raw: dict[str, list[str]],
                  user=None) -> tuple[SurveyResponse, bool]:
    """Store one person's answers; (response, created). A second submit by the same person stores nothing."""
    answers = rules.clean_answers(survey.question_list(), raw)
    with transaction.atomic():
        locked = SurveyPage.objects.select_for_update().get(pk=survey.pk)
        _refuse_unless_open(locked, "调查")
        existing = SurveyResponse.objects.filter(survey=locked, voter_key=voter_key).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(survey=locked, voter_key=voter_key, answers=answers,
                                                         user=user if user and user.pk else None)
        except IntegrityError:  # the same person's other request got there first
            return SurveyResponse.objects.get(survey=locked, voter_key=voter_key), False
        _event(subject=f"survey:{locked.pk}", action="answer", note=f"答卷 {response.pk}")
    return response, True


# --- 在线访谈 -------------------------------------------------------------------------------------------------


QUESTION_MAX_CHARS = 500


def question_submit(*, interview: InterviewPage, body: str, name: str = "") -> InterviewQuestion:
    body = body.strip()
    if not body:
        raise ValidationError({"body": "请填写您的问题。"})
    count = rules.character_count(body)
    if count > QUESTION_MAX_CHARS:
        raise ValidationError({"body": f"问题最多 {QUESTION_MAX_CHARS} 字（现有 {count} 字）。"})
    with transaction.atomic():
        locked = InterviewPage.objects.select_for_update().get(pk=interview.pk)
        if locked.phase() == rules.InterviewPhase.ARCHIVED:
            raise Refused("本期访谈已经结束，不再接收提问。欢迎阅读文字实录。", status=403)
        question = InterviewQuestion.objects.create(interview=locked, body=body, name=name.strip())
        _event(subject=f"question:{question.pk}", action="submit", note=f"访谈 {locked.pk}")
    return question


def turn_add(*, interview: InterviewPage, actor, speaker: str, text: str, guest=None, netizen_name: str = "",
             said_at=None) -> InterviewTurn:
    """Publish one turn of the transcript (the live page picks it up at its next poll)."""
    turn = InterviewTurn(interview=interview, speaker=speaker, guest=guest, netizen_name=netizen_name,
                         text=text.strip(), said_at=said_at or timezone.now())
    turn.full_clean()
    with transaction.atomic():
        InterviewPage.objects.select_for_update().get(pk=interview.pk)
        turn.save()
        _event(subject=f"turn:{turn.pk}", action="publish", actor=actor, note=f"访谈 {interview.pk}")
    return turn


def question_moderate(*, question: InterviewQuestion, actor, status: str) -> InterviewQuestion:
    if status not in Moderation.values:
        raise ValidationError({"status": "审核结果无效。"})
    with transaction.atomic():
        locked = InterviewQuestion.objects.select_for_update().get(pk=question.pk)
        locked.status = status
        locked.save(update_fields=["status"])
        _event(subject=f"question:{locked.pk}", action="moderate", actor=actor, note=Moderation(status).label)
    return locked
