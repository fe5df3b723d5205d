"""What participation shows on other apps' pages, through portal/registries.py (so they never import it): the
公众参与 panel of 互动交流 and the "本文件曾公开征求意见" note on a policy page."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import selectors


def interaction_region(request, *, page) -> str:
    panel = selectors.interaction_panel(within=page)
    if not (panel.consultations_index or panel.surveys_index or panel.interviews_index):
        return ""  # nothing placed yet: the front door keeps its "筹备中" cards
    return render_to_string("participation/regions/interaction.html", {"panel": panel}, request=request)


def policy_region(request, *, page) -> str:
    if page is None:
        return ""
    consultation = selectors.consultation_for_policy(policy_id=page.pk)
    if consultation is None:
        return ""
    report = selectors.feedback_report_for(consultation=consultation)
    return render_to_string("participation/regions/policy_note.html",
                            {"consultation": consultation, "report": report}, request=request)
