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
from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing

from search.analyzer import index_text, title_index_text
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
# The order of the type facets on the results page (and of a rebuild); a type not named here comes after them.
TYPE_ORDER = ("article", "policy", "interpretation", "notice", "topic", "guide", "dataset", "letter",
              "consultation", "survey", "interview", "disclosure_report", "page")


def register(doc_type: DocumentType) -> DocumentType:
    """Add a type of document to search (each app registers its own from its AppConfig.ready(), before search's
    ready() connects the signals; a later registration of the same name replaces)."""
    _TYPES[doc_type.name] = doc_type
    return doc_type


def document_types() -> list[DocumentType]:
    rank = {name: position for position, name in enumerate(TYPE_ORDER)}
    return sorted(_TYPES.values(), key=lambda doc_type: rank.get(doc_type.name, len(rank)))


def type_labels() -> dict[str, str]:
    return {doc_type.name: doc_type.label for doc_type in document_types()}


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
    return replace(document, title_tokens=title_index_text(document.title),
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


def join_text(*parts: str) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _page_url(page: Page) -> str | None:
    return page.get_url()


def page_document(page: Page, *, type_name: str, body: str, date: dt.date | None, department: str = "",
                  region: str = "", tags: Iterable[str] = (), prefix: str = "page") -> SearchDocument | None:
    url = _page_url(page)
    if url is None:  # not under any site: nobody can reach it
        return None
    return SearchDocument(
        id=f"{prefix}:{page.pk}", url=url, type=type_name, title=page.title, body=body, date=date,
        department=department_name(department), year=date.year if date else None, region=region,
        tags=tuple(tag for tag in tags if tag),
    )


def public_pages(model: type[Page]) -> models.QuerySet:
    return model.objects.live().public().filter(alias_of__isnull=True)


def tag_names(page) -> list[str]:
    return [tag.name for tag in page.tags.all()]




# --- the shell's information pages (the apps register their own types: content, services_hall, opendata) -----


def info_document(page) -> SearchDocument | None:
    return page_document(
        page, type_name="page", body=join_text(page.summary, stream_text(page.body)),
        date=local_date(page.first_published_at),
    )


def register_info_pages() -> None:
    from portal.models import InfoPage

    register(DocumentType(
        name="page", label="信息页", model=InfoPage, prefix="page", build=info_document,
        public=lambda: public_pages(InfoPage),
    ))
