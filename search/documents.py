"""What search indexes: one function per public type turns an object into a SearchDocument, and a registry of
the types, each with the queryset of everything of that type the public may see.

Ids are "page:<pk>" for pages, "dataset:<pk>" for datasets (also pages, but with their own rules) and
"letter:<pk>" for published letters. The registry's querysets are the only way in: a page that is not live, is
an alias, or sits under a view restriction, a letter not published with its reply, a dataset that is 不予开放
or 涉密 is never in them, so it is never indexed, and re-indexing it removes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing

from search.analyzer import index_text
from search.departments import department_name
from search.backends.base import SearchDocument

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentType:
    name: str  # SearchDocument.type
    label: str  # shown on badges and facets
    model: type[models.Model]
    prefix: str  # of the document ids: "page", "dataset", "letter"
    public: Callable[[], models.QuerySet]  # everything of this type the public may see, ready for `build`
    build: Callable[[models.Model], SearchDocument | None]  # None when it has no public address

    def key(self, pk) -> str:
        return f"{self.prefix}:{pk}"


_TYPES: dict[str, DocumentType] = {}


def register(doc_type: DocumentType) -> DocumentType:
    """Add a type of document to search (apps call this; a later registration of the same name replaces)."""
    _TYPES[doc_type.name] = doc_type
    return doc_type


def document_types() -> list[DocumentType]:
    return list(_TYPES.values())


def type_labels() -> dict[str, str]:
    return {doc_type.name: doc_type.label for doc_type in _TYPES.values()}


def type_for_model(model: type[models.Model]) -> DocumentType | None:
    for doc_type in _TYPES.values():
        if doc_type.model is model:
            return doc_type
    return None


def page_prefixes() -> set[str]:
    """Id prefixes under which a page may be indexed (a deleted page is removed under all of them)."""
    return {doc_type.prefix for doc_type in _TYPES.values() if issubclass(doc_type.model, Page)}


def key_for(instance: models.Model) -> str | None:
    """The document id of an object whose type search indexes, else None."""
    doc_type = type_for_model(type(instance))
    return doc_type.key(instance.pk) if doc_type else None


def keys_for_pages(page_ids_and_content_types: Iterable[tuple[int, int]]) -> list[str]:
    """Document ids for (page id, content type id) pairs, skipping page types search does not index."""
    keys = []
    for page_id, content_type_id in page_ids_and_content_types:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        doc_type = type_for_model(model) if model else None
        if doc_type:
            keys.append(doc_type.key(page_id))
    return keys


def load_document(key: str) -> SearchDocument | None:
    """The document for an id as it should be indexed now, or None when it must not be in the index."""
    prefix, _, raw_pk = key.partition(":")
    if not raw_pk.isdigit():
        return None
    pk = int(raw_pk)
    candidates = [doc_type for doc_type in _TYPES.values() if doc_type.prefix == prefix]
    if prefix == "page":
        # Any registered page model: which one is known from the page's content type.
        content_type_id = Page.objects.filter(pk=pk).values_list("content_type_id", flat=True).first()
        model = ContentType.objects.get_for_id(content_type_id).model_class() if content_type_id else None
        candidates = [doc_type for doc_type in candidates if doc_type.model is model]
    for doc_type in candidates:
        instance = doc_type.public().filter(pk=pk).first()
        if instance is not None:
            return analysed(doc_type.build(instance))
    return None


def iter_documents(types: Iterable[DocumentType] | None = None, *, chunk_size: int = 500) -> Iterator[SearchDocument]:
    """Every public document (analysed), type after type."""
    for doc_type in types or document_types():
        for instance in doc_type.public().iterator(chunk_size=chunk_size):
            try:
                document = doc_type.build(instance)
            except Exception:  # one broken page must not stop a rebuild
                logger.exception("search: could not build the document for %s", doc_type.key(instance.pk))
                continue
            if document is not None:
                yield analysed(document)


def count_documents() -> int:
    """How many objects the registry offers (an upper bound of what a rebuild indexes)."""
    return sum(doc_type.public().count() for doc_type in _TYPES.values())


def analysed(document: SearchDocument | None) -> SearchDocument | None:
    """The document with its index-time tokens filled in from search.analyzer."""
    if document is None:
        return None
    extra = " ".join([*document.tags, document.department, document.region])
    return replace(document, title_tokens=index_text(document.title),
                   body_tokens=index_text(f"{document.body}\n{extra}"))


# --- text helpers -------------------------------------------------------------------------------------------


def stream_text(value) -> str:
    """The plain text of a StreamField value, one block a line."""
    if not value:
        return ""
    parts = value.stream_block.get_searchable_content(value)
    return "\n".join(part.strip() for part in parts if isinstance(part, str) and part.strip())


def rich_text(html: str) -> str:
    return get_text_for_indexing(html or "").strip()


def _join(*parts: str) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _page_url(page: Page) -> str | None:
    return page.get_url()


def _page_document(page: Page, *, type_name: str, body: str, date: dt.date | None, department: str = "",
                   region: str = "", tags: Iterable[str] = (), prefix: str = "page") -> SearchDocument | None:
    url = _page_url(page)
    if url is None:  # not under any site: nobody can reach it
        return None
    return SearchDocument(
        id=f"{prefix}:{page.pk}", url=url, type=type_name, title=page.title, body=body, date=date,
        department=department_name(department), year=date.year if date else None, region=region,
        tags=tuple(tag for tag in tags if tag),
    )


def _public_pages(model: type[Page]) -> models.QuerySet:
    return model.objects.live().public().filter(alias_of__isnull=True)


def _tag_names(page) -> list[str]:
    return [tag.name for tag in page.tags.all()]


# --- editorial content ----------------------------------------------------------------------------------------


def article_document(page) -> SearchDocument | None:
    return _page_document(
        page, type_name="article", body=_join(page.subtitle, page.summary, stream_text(page.body)), date=page.date,
        department=page.department.name if page.department else "", tags=_tag_names(page),
    )


def policy_document(page) -> SearchDocument | None:
    department = page.department or page.issuing_authority
    return _page_document(
        page, type_name="policy",
        body=_join(page.summary, stream_text(page.body), page.document_number, page.index_number),
        date=page.date, department=department.name if department else "", tags=_tag_names(page),
    )


def interpretation_document(page) -> SearchDocument | None:
    return _page_document(
        page, type_name="interpretation", body=_join(page.summary, stream_text(page.body)), date=page.date,
        department=page.department.name if page.department else "", tags=_tag_names(page),
    )


def notice_document(page) -> SearchDocument | None:
    return _page_document(
        page, type_name="notice",
        body=_join(page.summary, stream_text(page.body), page.project_name, page.project_code, page.purchaser,
                   page.agency, page.supplier, page.subject_matter),
        date=page.date, department=page.department.name if page.department else "",
        region=page.region.name if page.region else "", tags=_tag_names(page),
    )


def topic_document(page) -> SearchDocument | None:
    return _page_document(
        page, type_name="topic", body=_join(rich_text(page.introduction), stream_text(page.blocks)),
        date=_local_date(page.first_published_at), tags=[page.tag],
    )


def info_document(page) -> SearchDocument | None:
    return _page_document(
        page, type_name="page", body=_join(page.summary, stream_text(page.body)),
        date=_local_date(page.first_published_at),
    )


def guide_document(page) -> SearchDocument | None:
    materials = [material.name for material in page.materials.all()]
    steps = [_join(step.name, step.description) for step in page.steps.all()]
    faqs = [_join(faq.question, faq.answer) for faq in page.faqs.all()]
    return _page_document(
        page, type_name="guide",
        body=_join(rich_text(page.acceptance_conditions), rich_text(page.legal_basis), "申请材料：" + "；".join(materials)
                   if materials else "", *steps, page.location, page.office_hours, page.fees, *faqs, page.service_code),
        date=_local_date(page.last_published_at or page.first_published_at), department=page.department_label,
    )


def dataset_document(page) -> SearchDocument | None:
    field_names = [field.label or field.name for field in page.data_fields.all()]
    return _page_document(
        page, type_name="dataset", prefix="dataset",
        body=_join(page.summary, page.code, page.open_condition, "信息项：" + "、".join(field_names) if field_names else ""),
        date=page.updated_on or page.published_on, department=page.publisher.name if page.publisher_id else "",
        tags=_tag_names(page),
    )


def letter_document(letter) -> SearchDocument | None:
    """A published letter, masked exactly as the public letters page shows it."""
    from services_hall.selectors import public_letter

    shown = public_letter(letter)
    url = reverse("services_hall:letter_detail", args=[letter.tracking_number])
    return SearchDocument(
        id=f"letter:{letter.pk}", url=url, type="letter", title=shown.subject,
        body=_join(shown.body, f"答复（{shown.department}）：{shown.reply}"), date=shown.replied_on,
        department=department_name(shown.department), year=shown.replied_on.year,
    )


def _register_defaults() -> None:
    from content.models import ArticlePage, InterpretationPage, PolicyPage, ProcurementNoticePage, TopicPage
    from opendata.models import DatasetPage
    from portal.models import InfoPage
    from services_hall.models import Letter, ServiceGuidePage

    register(DocumentType(
        name="article", label="财政新闻", model=ArticlePage, prefix="page", build=article_document,
        public=lambda: _public_pages(ArticlePage).select_related("department").prefetch_related("tags"),
    ))
    register(DocumentType(
        name="policy", label="政策文件", model=PolicyPage, prefix="page", build=policy_document,
        public=lambda: _public_pages(PolicyPage).select_related("department", "issuing_authority")
        .prefetch_related("tags"),
    ))
    register(DocumentType(
        name="interpretation", label="政策解读", model=InterpretationPage, prefix="page",
        build=interpretation_document,
        public=lambda: _public_pages(InterpretationPage).select_related("department").prefetch_related("tags"),
    ))
    register(DocumentType(
        name="notice", label="采购公告", model=ProcurementNoticePage, prefix="page", build=notice_document,
        public=lambda: _public_pages(ProcurementNoticePage).select_related("department", "region")
        .prefetch_related("tags"),
    ))
    register(DocumentType(
        name="topic", label="专题", model=TopicPage, prefix="page", build=topic_document,
        public=lambda: _public_pages(TopicPage),
    ))
    register(DocumentType(
        name="guide", label="办事指南", model=ServiceGuidePage, prefix="page", build=guide_document,
        public=lambda: _public_pages(ServiceGuidePage).prefetch_related("materials", "steps", "faqs"),
    ))
    register(DocumentType(
        name="dataset", label="数据资源", model=DatasetPage, prefix="dataset", build=dataset_document,
        public=lambda: DatasetPage.objects.public_catalog().filter(alias_of__isnull=True)
        .select_related("publisher").prefetch_related("tags", "data_fields"),
    ))
    register(DocumentType(
        name="letter", label="留言答复", model=Letter, prefix="letter", build=letter_document,
        public=lambda: Letter.objects.filter(published=True, state=Letter.State.REPLIED, reply__isnull=False)
        .select_related("reply").order_by("pk"),
    ))
    register(DocumentType(
        name="page", label="信息页", model=InfoPage, prefix="page", build=info_document,
        public=lambda: _public_pages(InfoPage),
    ))
