"""Reads: the lists, a consultation's shown comments and 采纳情况, survey results, an interview's transcript, and
what the 互动交流 front door and a policy page show of participation."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from portal.pagination import paginate

from . import rules
from .models import (
    ConsultationComment, ConsultationIndexPage, ConsultationPage, FeedbackReport, InterviewIndexPage, InterviewPage,
    InterviewQuestion, InterviewTurn, SurveyIndexPage, SurveyPage, SurveyResponse,
)
from .rules import Moderation, Phase


def consultation_list(*, within=None) -> QuerySet[ConsultationPage]:
    pages = ConsultationPage.objects.live().public()
    if within is not None:
        pages = pages.descendant_of(within)
    return pages.select_related("feedback_report").order_by("-opens_at", "-pk")


def survey_list(*, within=None) -> QuerySet[SurveyPage]:
    pages = SurveyPage.objects.live().public()
    if within is not None:
        pages = pages.descendant_of(within)
    return pages.order_by("-opens_at", "-pk")


def interview_list(*, within=None) -> QuerySet[InterviewPage]:
    pages = InterviewPage.objects.live().public()
    if within is not None:
        pages = pages.descendant_of(within)
    return pages.prefetch_related("guests").order_by("-starts_at", "-pk")


def index_context(*, index, request) -> dict:
    """A list page's entries: open (or upcoming / live) ones first, then the rest, newest first."""
    now = timezone.now()
    if isinstance(index, ConsultationIndexPage):
        pages = list(consultation_list(within=index))
        pages.sort(key=lambda p: p.phase(now) != Phase.OPEN)
    elif isinstance(index, SurveyIndexPage):
        pages = list(survey_list(within=index))
        pages.sort(key=lambda p: p.phase(now) != Phase.OPEN)
    else:
        pages = list(interview_list(within=index))
        pages.sort(key=lambda p: p.phase(now) == rules.InterviewPhase.ARCHIVED)
    return {"entries": paginate(request, pages, per_page=index.per_page), "now": now}


def comments_shown(*, consultation: ConsultationPage) -> QuerySet[ConsultationComment]:
    return consultation.comments.filter(status=Moderation.APPROVED).order_by("-submitted_at", "-pk")


def feedback_report_for(*, consultation: ConsultationPage) -> FeedbackReport | None:
    return FeedbackReport.objects.filter(consultation=consultation).first()


def comment_figures(*, consultation: ConsultationPage) -> rules.FeedbackFigures:
    """The 采纳情况 figures as they stand (staff see them before publishing)."""
    valid = consultation.comments.filter(status=Moderation.APPROVED).values_list("adoption", "theme", "reason")
    return rules.feedback_figures(valid)


def survey_results(*, survey: SurveyPage) -> tuple[int, list[rules.QuestionResult]]:
    answers = list(SurveyResponse.objects.filter(survey=survey).values_list("answers", flat=True))
    return len(answers), rules.tally(survey.question_list(), answers)


def questions_shown(*, interview: InterviewPage) -> QuerySet[InterviewQuestion]:
    return interview.questions.filter(status=Moderation.APPROVED).order_by("submitted_at", "pk")


def turns_after(*, interview: InterviewPage, after: int = 0) -> QuerySet[InterviewTurn]:
    return (InterviewTurn.objects.filter(interview=interview, pk__gt=after)
            .select_related("guest", "guest__photo", "interview").order_by("said_at", "pk"))


# --- what other pages show --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InteractionPanel:
    """The 公众参与 panel of the 互动交流 front door."""

    consultations_index: ConsultationIndexPage | None
    surveys_index: SurveyIndexPage | None
    interviews_index: InterviewIndexPage | None
    open_consultations: list
    closed_consultations: list
    surveys: list
    upcoming_interviews: list
    archived_interviews: list
    now: object


def interaction_panel(*, within, count: int = 4) -> InteractionPanel:
    now = timezone.now()
    consultations = list(consultation_list(within=within)[:40])
    interviews = list(interview_list(within=within)[:40])
    upcoming = [i for i in interviews if i.phase(now) != rules.InterviewPhase.ARCHIVED]
    upcoming.sort(key=lambda i: i.starts_at)
    return InteractionPanel(
        consultations_index=ConsultationIndexPage.objects.live().public().descendant_of(within).first(),
        surveys_index=SurveyIndexPage.objects.live().public().descendant_of(within).first(),
        interviews_index=InterviewIndexPage.objects.live().public().descendant_of(within).first(),
        open_consultations=[c for c in consultations if c.phase(now) == Phase.OPEN][:count],
        closed_consultations=[c for c in consultations if c.phase(now) == Phase.CLOSED][:count],
        surveys=list(survey_list(within=within)[:count]),
        upcoming_interviews=upcoming[:count],
        archived_interviews=[i for i in interviews if i.phase(now) == rules.InterviewPhase.ARCHIVED][:count],
        now=now,
    )


def consultation_for_policy(*, policy_id: int) -> ConsultationPage | None:
    """The published consultation whose final document is this policy page, if any."""
    return consultation_list().filter(final_policy_id=policy_id).first()
