"""数据使用申请 in the Wagtail admin: the list, one application with approve / refuse, and key revocation.

Approval shows the new API key on the page that answers the approval, once: it is not stored in clear, put in
the session or shown again (the applicant also gets it by email). Only users with the permission to change
access applications (and superusers) get in.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from opendata import services
from opendata.models import AccessApplication, ApiKey
from opendata.rules import AccessStatus, AccessTransitionNotAllowed

NAMESPACE = "opendata_access"
PERMISSION = "opendata.change_accessapplication"
PER_PAGE = 50
STATUS_FILTERS = {"": AccessStatus.PENDING, "approved": AccessStatus.APPROVED, "refused": AccessStatus.REFUSED,
                  "all": None}


def admin_url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


def may_review(user) -> bool:
    return bool(user and user.is_active and user.has_perm(PERMISSION))


class ReviewView(WagtailAdminTemplateMixin, View):
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not may_review(request.user):
            return TemplateResponse(request, "opendata/admin/forbidden.html",
                                    {"header_title": "无权操作", "page_title": "无权操作", "header_icon": "warning",
                                     "breadcrumbs_items": []}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_trail(self) -> list[dict]:
        return [{"url": "", "label": self.get_page_title()}]

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, *self.get_trail()]

    def render(self, context: dict, *, status: int = 200) -> TemplateResponse:
        return TemplateResponse(self.request, self.template_name, self.get_context_data(**context), status=status)


class ApplicationListView(ReviewView):
    template_name = "opendata/admin/access_list.html"
    page_title = "数据使用申请"

    def get(self, request):
        status = request.GET.get("status", "")
        if status not in STATUS_FILTERS:
            status = ""
        queryset = AccessApplication.objects.select_related("dataset", "decided_by", "api_key")
        if STATUS_FILTERS[status]:
            queryset = queryset.filter(status=STATUS_FILTERS[status])
        # Oldest first while waiting, newest decisions first otherwise.
        queryset = queryset.order_by(*(("submitted_at", "pk") if status == "" else ("-submitted_at", "-pk")))
        paginator = WagtailPaginator(queryset, PER_PAGE)
        page = paginator.get_page(request.GET.get("p"))
        return self.render({
            "applications": page.object_list, "page_obj": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "status": status,
            "filters": [("", "待审核"), ("approved", "已批准"), ("refused", "未批准"), ("all", "全部")],
        })


class ApplicationDetailView(ReviewView):
    template_name = "opendata/admin/access_detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.application = get_object_or_404(
            AccessApplication.objects.select_related("dataset", "dataset__publisher", "decided_by"), pk=kwargs["pk"])

    def get_page_title(self):
        return f"数据使用申请 {self.application.pk}"

    def get_trail(self):
        return [{"url": admin_url("list"), "label": "数据使用申请"}, {"url": "", "label": str(self.application.pk)}]

    def detail(self, *, plaintext_key: str = "", errors: dict | None = None, reason: str = "", message: str = "",
               status: int = 200) -> TemplateResponse:
        key = ApiKey.objects.filter(application=self.application).select_related("revoked_by").first()
        return self.render({
            "application": self.application, "key": key, "plaintext_key": plaintext_key,
            "errors": errors or {}, "reason": reason, "error_message": message,
            "pending": self.application.status == AccessStatus.PENDING,
        }, status=status)

    def get(self, request, pk):
        return self.detail()

    def post(self, request, pk):
        action, reason = request.POST.get("action", ""), request.POST.get("reason", "")[:1000]
        try:
            if action == "approve":
                self.application, plaintext = services.access_application_approve(
                    application=self.application, actor=request.user, reason=reason)
                # Rendered, not redirected: the key exists in clear only in this response.
                response = self.detail(plaintext_key=plaintext)
                response["Cache-Control"] = "no-store"
                return response
            if action == "refuse":
                services.access_application_refuse(application=self.application, actor=request.user, reason=reason)
                messages.success(request, f"已不予批准申请 {self.application.pk}，已通知申请人。")
                return redirect(admin_url("detail", self.application.pk))
        except AccessTransitionNotAllowed as error:
            self.application.refresh_from_db()
            return self.detail(message=str(error), status=409)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"reason": error.messages}
            return self.detail(errors=errors, reason=reason, status=400)
        return self.detail(message="未知的操作。", status=400)


class KeyRevokeView(ReviewView):
    def post(self, request, pk):
        key = get_object_or_404(ApiKey, pk=pk)
        services.api_key_revoke(key=key, actor=request.user)
        messages.success(request, f"接口密钥 {key} 已吊销，使用它的请求将被拒绝（403）。")
        if key.application_id:
            return redirect(admin_url("detail", key.application_id))
        return redirect(admin_url("list"))
