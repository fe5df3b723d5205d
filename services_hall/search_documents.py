"""Service guides and published letters as search documents, registered from ServicesHallConfig.ready(); a letter
is re-indexed when it or its reply changes."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from search.backends.base import SearchDocument
from search.departments import department_name
from search.documents import DocumentType, join_text, local_date, page_document, public_pages, register, rich_text
from search.indexing import schedule_removal, schedule_update


def guide_document(page) -> SearchDocument | None:
    materials = [material.name for material in page.materials.all()]
    steps = [join_text(step.name, step.description) for step in page.steps.all()]
    faqs = [join_text(faq.question, faq.answer) for faq in page.faqs.all()]
    return page_document(
        page, type_name="guide",
        body=join_text(rich_text(page.acceptance_conditions), rich_text(page.legal_basis),
                       "申请材料：" + "；".join(materials) if materials else "", *steps, page.location,
                       page.office_hours, page.fees, *faqs, page.service_code),
        date=local_date(page.last_published_at or page.first_published_at), department=page.department_label,
    )


def letter_document(letter) -> SearchDocument | None:
    """A published letter, masked exactly as the public letters page shows it."""
    from services_hall.selectors import public_letter

    shown = public_letter(letter)
    url = reverse("services_hall:letter_detail", args=[letter.tracking_number])
    return SearchDocument(
        id=f"letter:{letter.pk}", url=url, type="letter", title=shown.subject,
        body=join_text(shown.body, f"答复（{shown.department}）：{shown.reply}"), date=shown.replied_on,
        department=department_name(shown.department), year=shown.replied_on.year,
    )


def _letter_changed(sender, instance, **kwargs):
    schedule_update([f"letter:{instance.pk}"])


def _letter_reply_changed(sender, instance, **kwargs):
    schedule_update([f"letter:{instance.letter_id}"])


def _letter_deleted(sender, instance, **kwargs):
    schedule_removal([f"letter:{instance.pk}"])


def register_search_documents() -> None:
    from services_hall.models import Letter, LetterReply, ServiceGuidePage

    register(DocumentType(
        name="guide", label="办事指南", model=ServiceGuidePage, prefix="page", build=guide_document,
        public=lambda: public_pages(ServiceGuidePage).prefetch_related("materials", "steps", "faqs"),
    ))
    register(DocumentType(
        name="letter", label="留言答复", model=Letter, prefix="letter", build=letter_document,
        public=lambda: Letter.objects.filter(published=True, state=Letter.State.REPLIED, reply__isnull=False)
        .select_related("reply").order_by("pk"),
    ))
    post_save.connect(_letter_changed, sender=Letter, dispatch_uid="search-letter-saved")
    post_delete.connect(_letter_deleted, sender=Letter, dispatch_uid="search-letter-deleted")
    post_save.connect(_letter_reply_changed, sender=LetterReply, dispatch_uid="search-letter-reply-saved")
