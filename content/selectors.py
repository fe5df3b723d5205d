"""Reads for editorial pages, shaped for the pages that show them."""

from __future__ import annotations

from content import rules
from content.models import InterpretationPage, PolicyPage, ProcurementNoticePage


def policy_interpretations(*, policy: PolicyPage) -> list[InterpretationPage]:
    return list(
        InterpretationPage.objects.live().public().filter(policy=policy).defer_streamfields().order_by("date", "pk")
    )


def procurement_timeline(*, project_code: str) -> list[ProcurementNoticePage]:
    """Every published notice of one project, in the order its stages happened."""
    notices = (
        ProcurementNoticePage.objects.live().public().filter(project_code=project_code)
        .only("id", "title", "url_path", "path", "depth", "date", "notice_type", "first_published_at")
    )
    return sorted(notices, key=lambda n: (n.date, rules.TIMELINE_STAGE.get(n.notice_type, 9), n.first_published_at))


def policy_register() -> list[tuple[str, object, str, object]]:
    """Every published policy as (发文字号, 成文日期, 有效性, 失效/废止日期): what the 政府信息公开工作年度报告 counts
    (disclosure reads it here, not from the model)."""
    return list(
        PolicyPage.objects.live().public()
        .values_list("document_number", "written_date", "validity", "validity_changed_on")
    )
