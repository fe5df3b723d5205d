"""The editorial pages as search documents: what search indexes of each, registered from ContentConfig.ready()."""

from __future__ import annotations

from search.backends.base import SearchDocument
from search.documents import (
    DocumentType,
    join_text,
    local_date,
    page_document,
    public_pages,
    register,
    rich_text,
    stream_text,
    tag_names,
)


def article_document(page) -> SearchDocument | None:
    return page_document(
        page, type_name="article", body=join_text(page.subtitle, page.summary, stream_text(page.body)),
        date=page.date, department=page.department.name if page.department else "", tags=tag_names(page),
    )


def policy_document(page) -> SearchDocument | None:
    department = page.department or page.issuing_authority
    return page_document(
        page, type_name="policy",
        body=join_text(page.summary, stream_text(page.body), page.document_number, page.index_number),
        date=page.date, department=department.name if department else "", tags=tag_names(page),
    )


def interpretation_document(page) -> SearchDocument | None:
    return page_document(
        page, type_name="interpretation", body=join_text(page.summary, stream_text(page.body)), date=page.date,
        department=page.department.name if page.department else "", tags=tag_names(page),
    )


def notice_document(page) -> SearchDocument | None:
    return page_document(
        page, type_name="notice",
        body=join_text(page.summary, stream_text(page.body), page.project_name, page.project_code, page.purchaser,
                       page.agency, page.supplier, page.subject_matter),
        date=page.date, department=page.department.name if page.department else "",
        region=page.region.name if page.region else "", tags=tag_names(page),
    )


def topic_document(page) -> SearchDocument | None:
    return page_document(
        page, type_name="topic", body=join_text(rich_text(page.introduction), stream_text(page.blocks)),
        date=local_date(page.first_published_at), tags=[page.tag],
    )


def register_search_documents() -> None:
    from content.models import ArticlePage, InterpretationPage, PolicyPage, ProcurementNoticePage, TopicPage

    register(DocumentType(
        name="article", label="财政新闻", model=ArticlePage, prefix="page", build=article_document,
        public=lambda: public_pages(ArticlePage).select_related("department").prefetch_related("tags"),
    ))
    register(DocumentType(
        name="policy", label="政策文件", model=PolicyPage, prefix="page", build=policy_document,
        public=lambda: public_pages(PolicyPage).select_related("department", "issuing_authority")
        .prefetch_related("tags"),
    ))
    register(DocumentType(
        name="interpretation", label="政策解读", model=InterpretationPage, prefix="page",
        build=interpretation_document,
        public=lambda: public_pages(InterpretationPage).select_related("department").prefetch_related("tags"),
    ))
    register(DocumentType(
        name="notice", label="采购公告", model=ProcurementNoticePage, prefix="page", build=notice_document,
        public=lambda: public_pages(ProcurementNoticePage).select_related("department", "region")
        .prefetch_related("tags"),
    ))
    register(DocumentType(
        name="topic", label="专题", model=TopicPage, prefix="page", build=topic_document,
        public=lambda: public_pages(TopicPage),
    ))
