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
    """Every published policy as (文件类别, 成文日期, 有效性, 失效/废止日期): what the 政府信息公开工作年度报告 counts
    (disclosure reads it here, not from the model)."""
    return list(
        PolicyPage.objects.live().public()
        .values_list("kind", "written_date", "validity", "validity_changed_on")
    )
# ---------------------------------------------------------------------------------------------------------------
# The editors' and reviewers' desks on the admin dashboard


def page_drafts_of(*, user, limit: int = 10) -> list:
    """Pages whose latest change is this user's and not yet published, scheduled nor sent for review, latest
    first."""
    from wagtail.models import Page, WorkflowState

    in_review = WorkflowState.objects.active().filter(base_content_type__model="page").values("object_id")
    return list(
        Page.objects.filter(latest_revision__user=user, has_unpublished_changes=True,
                            latest_revision__approved_go_live_at__isnull=True)
        .exclude(pk__in=[int(row["object_id"]) for row in in_review])
        .order_by("-latest_revision_created_at", "-pk")[:limit]
    )


def pages_sent_back_to(*, user, limit: int = 10) -> list:
    """Pages this user sent for review that a reviewer sent back for changes, latest first (with the step)."""
    from wagtail.models import Page, WorkflowState

    states = (WorkflowState.objects.filter(status=WorkflowState.STATUS_NEEDS_CHANGES, requested_by=user,
                                           base_content_type__model="page")
              .select_related("current_task_state__task").order_by("-created_at")[:limit])
    pages = Page.objects.in_bulk([int(state.object_id) for state in states])
    return [(pages[int(state.object_id)], state) for state in states if int(state.object_id) in pages]


def pages_awaiting_step_of(*, user, limit: int = 20) -> list:
    """Pages waiting at a review step this user's groups take (初审, 复审, 终审), the longest waiting first."""
    from wagtail.models import Page, TaskState

    states = (TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS,
                                       task__groupapprovaltask__groups__in=user.groups.all(),
                                       workflow_state__base_content_type__model="page")
              .select_related("task", "workflow_state").distinct().order_by("started_at", "pk")[:limit])
    pages = Page.objects.in_bulk([int(state.workflow_state.object_id) for state in states])
    return [(pages[int(state.workflow_state.object_id)], state) for state in states
            if int(state.workflow_state.object_id) in pages]


def pages_scheduled_between(*, start, end, limit: int = 20) -> list:
    """Page versions approved to go live between `start` and `end`, soonest first."""
    from wagtail.models import Page, Revision

    revisions = (Revision.page_revisions.filter(approved_go_live_at__gte=start, approved_go_live_at__lt=end)
                 .order_by("approved_go_live_at", "pk")[:limit])
    pages = Page.objects.in_bulk([int(revision.object_id) for revision in revisions])
    return [(pages[int(revision.object_id)], revision) for revision in revisions if int(revision.object_id) in pages]


# The parts of a topic page kept written: (name, template), each rendered with the page and the request.
TOPIC_CURATED = (("banner", "content/topic/banner.html"), ("blocks", "content/topic/blocks.html"))


def topic_curated(*, topic, request) -> dict[str, str]:
    """A topic's banner and curated blocks, written: kept in the fragment cache under the topic's tag and the tags of
    the pages its blocks link (loading those pages through in_bulk and the banner's image and rendition was a third
    of a topic's render); publishing the topic is a new key, and unpublishing, moving or retitling a linked page
    builds them again. A preview shows them as edited."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from portal import cache_tags, fragment_cache

    shown = {"banner": bool(topic.banner_id), "blocks": bool(topic.blocks)}

    def build() -> dict[str, str]:
        cache_tags.shows(f"page:{topic.pk}")
        context = {"page": topic, "request": request}
        return {name: str(render_to_string(template, context)) if shown[name] else ""
                for name, template in TOPIC_CURATED}

    parts = fragment_cache.page_part(name="topic-curated", page=topic, request=request, build=build,
                                     key=(topic.url_path, topic.banner_id))
    return {name: mark_safe(html) for name, html in parts.items()}


def policy_related_sections(*, policy: PolicyPage, request) -> str:
    """A policy's 附件, 政策解读 and 本文件替代的文件 sections, written: kept in the fragment cache under the policy's
    tag, the documents' pages it lists and every interpretation and policy (publishing an interpretation of it, or a
    policy it replaces, builds them again); three queries and their lists were a fifth of a policy's render. A
    preview shows them as edited."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from portal import cache_tags, fragment_cache

    def build() -> str:
        cache_tags.shows(f"page:{policy.pk}")
        cache_tags.shows_kind(InterpretationPage)
        cache_tags.shows_kind(PolicyPage)
        context = {
            "request": request,
            "attachments": list(policy.attachments.select_related("document")),
            "interpretations": policy_interpretations(policy=policy),
            "replaces": list(policy.replaces.live().public().only(
                "id", "title", "url_path", "path", "depth", "date", "document_number", "validity")),
        }
        return str(render_to_string("content/policy/related.html", context))

    return mark_safe(fragment_cache.page_part(name="policy-related", page=policy, request=request, build=build,
                                              private=True))
