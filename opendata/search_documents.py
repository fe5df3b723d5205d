"""Datasets as search documents (those the public catalog shows), registered from OpendataConfig.ready()."""

from __future__ import annotations

from search.backends.base import SearchDocument
from search.documents import DocumentType, join_text, page_document, register, tag_names


def dataset_document(page) -> SearchDocument | None:
    field_names = [field.label or field.name for field in page.data_fields.all()]
    return page_document(
        page, type_name="dataset", prefix="dataset",
        body=join_text(page.summary, page.code, page.open_condition,
                       "信息项：" + "、".join(field_names) if field_names else ""),
        date=page.updated_on or page.published_on, department=page.publisher.name if page.publisher_id else "",
        tags=tag_names(page),
    )


def register_search_documents() -> None:
    from opendata.models import DatasetPage

    register(DocumentType(
        name="dataset", label="数据资源", model=DatasetPage, prefix="dataset", build=dataset_document,
        public=lambda: DatasetPage.objects.public_catalog().filter(alias_of__isnull=True)
        .select_related("publisher").prefetch_related("tags", "data_fields"),
    ))
