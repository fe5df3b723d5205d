"""Consultations, surveys and interviews as search documents, registered from ParticipationConfig.ready(); pages
are re-indexed on publish like every page (search/indexing.py)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from search.backends.base import SearchDocument
from search.documents import DocumentType, join_text, local_date, page_document, public_pages, register, rich_text


def consultation_document(page) -> SearchDocument | None:
    return page_document(
        page, type_name="consultation", body=join_text(page.summary, rich_text(page.draft), page.department),
        date=local_date(page.opens_at), department=page.department,
    )


def survey_document(page) -> SearchDocument | None:
    questions = [question.text for question in page.question_list()]
    return page_document(page, type_name="survey", body=join_text(rich_text(page.intro), *questions),
                         date=local_date(page.opens_at))


def interview_document(page) -> SearchDocument | None:
    guests = [f"{guest.title} {guest.name}" for guest in page.guests.all()]
    turns = [f"{turn.speaker_label}：{turn.text}" for turn in page.turns.select_related("guest", "interview")]
    return page_document(page, type_name="interview",
                         body=join_text(page.topic, rich_text(page.intro), *guests, *turns),
                         date=local_date(page.starts_at))


def _turn_changed(sender, instance, **kwargs):
    # A turn published during the interview makes its words findable (the transcript is part of the page's text).
    from search.indexing import schedule_update

    schedule_update([f"page:{instance.interview_id}"])


def register_search_documents() -> None:
    from participation.models import ConsultationPage, InterviewPage, SurveyPage

    register(DocumentType(name="consultation", label="征求意见", model=ConsultationPage, prefix="page",
                          build=consultation_document, public=lambda: public_pages(ConsultationPage)))
    register(DocumentType(name="survey", label="网上调查", model=SurveyPage, prefix="page",
                          build=survey_document, public=lambda: public_pages(SurveyPage)))
    register(DocumentType(name="interview", label="在线访谈", model=InterviewPage, prefix="page",
                          build=interview_document,
                          public=lambda: public_pages(InterviewPage).prefetch_related("guests")))
    from participation.models import InterviewTurn

    post_save.connect(_turn_changed, sender=InterviewTurn, dispatch_uid="search-interview-turn-saved")
    post_delete.connect(_turn_changed, sender=InterviewTurn, dispatch_uid="search-interview-turn-deleted")
