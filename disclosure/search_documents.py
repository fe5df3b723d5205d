"""The annual reports as search documents, registered from DisclosureConfig.ready()."""

from __future__ import annotations

from search.backends.base import SearchDocument
from search.documents import DocumentType, join_text, local_date, page_document, public_pages, register


def report_document(page) -> SearchDocument | None:
    rows = (page.tables or {}).get("applications", [])
    totals = "；".join(f"{row['label']}{row['total']}件" for row in rows if row.get("total") is not None)
    return page_document(
        page, type_name="disclosure_report",
        body=join_text(page.overview, "收到和处理政府信息公开申请情况：" + totals if totals else "", page.problems,
                       page.other_matters),
        date=local_date(page.last_published_at or page.first_published_at),
    )


def register_search_documents() -> None:
    from disclosure.models import DisclosureReportPage

    register(DocumentType(
        name="disclosure_report", label="年度报告", model=DisclosureReportPage, prefix="page",
        build=report_document, public=lambda: public_pages(DisclosureReportPage),
    ))
