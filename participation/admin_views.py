"""Back office: 意见采纳情况 — the closed consultations, their figures as they stand, and the publish form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import selectors, services
from .models import ConsultationPage
from .rules import Moderation, Phase

NAMESPACE = "participation_admin"


def may_publish_feedback(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("participation.add_feedbackreport"))


class FeedbackView(WagtailAdminTemplateMixin, View):
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not may_publish_feedback(request.user):
            return TemplateResponse(request, "participation/admin/forbidden.html",
                                    {"message": "只有有权发布意见采纳情况的工作人员可以办理。"}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse(f"{NAMESPACE}:feedback_list"), "label": "意见采纳情况"},
                *self.trail()]

    def trail(self):
        return []


class FeedbackListView(FeedbackView):
    page_title = "意见采纳情况"
    template_name = "participation/admin/feedback_list.html"

    def get(self, request):
        now = timezone.now()
        rows = []
        for page in selectors.consultation_list().specific():
            rows.append({"page": page, "phase": page.phase(now), "report": getattr(page, "feedback_report", None),
                         "pending": page.comments.filter(status=Moderation.PENDING).count(),
                         "comments": page.comments.count()})
        return TemplateResponse(request, self.template_name, self.get_context_data(rows=rows))


class FeedbackPublishView(FeedbackView):
    template_name = "participation/admin/feedback_publish.html"

    def get_page_title(self):
        return f"发布意见采纳情况：{self.page.title}"

    def trail(self):
        return [{"url": "", "label": self.page.title}]

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.page = get_object_or_404(ConsultationPage, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra):
        page = self.page
        return self.get_context_data(
            page=page, phase=page.phase(), closed=page.phase() == Phase.CLOSED,
            report=selectors.feedback_report_for(consultation=page),
            figures=selectors.comment_figures(consultation=page),
            pending=page.comments.filter(status=Moderation.PENDING).count(), **extra,
        )

    def get(self, request, pk=None):
        return TemplateResponse(request, self.template_name, self.context(summary=""))

    def post(self, request, pk=None):
        summary = request.POST.get("summary", "")
        try:
            services.feedback_publish(consultation=self.page, actor=request.user, summary=summary)
        except ValidationError as error:
            return TemplateResponse(request, self.template_name, self.context(summary=summary, error=" ".join(
                error.messages)), status=400)
        except services.Refused as refusal:
            return TemplateResponse(request, self.template_name,
                                    self.context(summary=summary, error=refusal.message), status=refusal.status)
        messages.success(request, "意见采纳情况已发布。")
        return redirect(reverse(f"{NAMESPACE}:feedback_publish", args=[self.page.pk]))
