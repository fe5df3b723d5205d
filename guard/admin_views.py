"""网站检查 in the Wagtail admin: the latest run's findings grouped as the 检查指标 group them, veto items first,
each linked to the page's edit view, and the trend of past runs. Only for users with guard.view_guard_dashboard."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from guard import selectors
from guard.indicators import INDICATORS, Group

NAMESPACE = "guard"
PERMISSION = "guard.view_guard_dashboard"


def may_view(user) -> bool:
    return bool(user and user.is_active and user.has_perm(PERMISSION))


class DashboardView(WagtailAdminTemplateMixin, View):
    template_name = "guard/admin/dashboard.html"
    page_title = "网站检查"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not may_view(request.user):
            return TemplateResponse(request, "guard/admin/forbidden.html",
                                    {"header_title": "无权查看", "page_title": "无权查看", "header_icon": "warning",
                                     "breadcrumbs_items": []}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request):
        run = selectors.run_latest()
        trend = selectors.run_trend()
        peak = max((item.finding_count for item in trend), default=0) or 1
        groups = []
        if run is not None:
            for group, indicators in selectors.run_findings_by_group(run=run):
                groups.append({
                    "name": group,
                    "veto": any(f.veto for _name, items in indicators for f in items),
                    "indicators": [
                        {"name": name, "veto": any(f.veto for f in items), "count": len(items),
                         "has_excerpt": any(f.excerpt for f in items),
                         "findings": [{"finding": f, "fix": _fix(f)} for f in items]}
                        for name, items in indicators
                    ],
                })
        context = self.get_context_data(
            run=run, groups=groups,
            trend=[{"run": item, "height": max(4, round(item.finding_count * 100 / peak))} for item in trend],
            table=[(group.value, [i for i in INDICATORS if i.group is group]) for group in Group],
            availability=selectors.availability_summary(),
            report_months=[{"month": month, "label": f"{month.year}年{month.month}月", "key": f"{month:%Y-%m}"}
                           for month in selectors.report_months()],
        )
        return TemplateResponse(request, self.template_name, context)


# Findings about a column are fixed among its entries (add one, date them): link to the column's page list.
COLUMN_INDICATORS = frozenset({"column_stale", "columns_empty", "entry_undated"})


def _fix(finding) -> tuple[str, str]:
    """(url, label) of where the finding is fixed in the admin, or ("", "")."""
    if finding.url:
        return finding.url, "去处理"
    if finding.indicator == "identity_missing":  # the footer marks come from the 网站标识 settings
        return reverse("wagtailsettings:edit", args=["portal", "siteidentity"]), "去设置"
    if finding.page_id and finding.indicator in COLUMN_INDICATORS:
        return reverse("wagtailadmin_explore", args=[finding.page_id]), "去栏目"
    if finding.page_id:
        return reverse("wagtailadmin_pages:edit", args=[finding.page_id]), "去修改"
    return "", ""


# ---------------------------------------------------------------------------------------------------------------
# 内容检查 in the page editor, and 终审's override of what blocks submission

OVERRIDE_PERMISSION = "guard.override_wording"
SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")
REASON_MAX = 1000


def may_override(user, page) -> bool:
    return bool(user and user.is_active and user.has_perm(OVERRIDE_PERMISSION)
                and page.permissions_for_user(user).can_edit())


def _draft_findings(page, *, field_names=None):
    from guard import drafts

    field_names = field_names if field_names is not None else page.get_edit_handler().get_form_class().base_fields
    text = drafts.draft_text(page, field_names)
    return drafts.wording_findings(page_id=page.pk, title=page.title or "", text=text,
                                   rules=selectors.wording_rules())


def blocking_findings(page):
    """The 错别字 and 禁用词 of the page's latest draft that 终审 has not let through."""
    from guard import drafts

    return drafts.blocking(_draft_findings(page), overridden=selectors.wording_overrides(page_id=page.pk))


def hold_submission(request, *, instance, parent, page_id: int | None) -> None:
    """On a submission for review whose draft has 错别字 or 禁用词: keep the draft (save it) and do not submit.

    The edit/create view then saves the page as it would for 保存草稿 and shows the editor again, with this message
    and the 内容检查 list of what to fix."""
    from django.contrib import messages as django_messages

    from guard import drafts

    form_class = instance.get_edit_handler().get_form_class()
    form = form_class(request.POST, request.FILES, instance=instance, parent_page=parent, for_user=request.user)
    if not form.is_valid():
        return None  # the view shows the form's own errors and submits nothing
    findings = drafts.wording_findings(page_id=page_id, title=form.instance.title or "",
                                       text=drafts.draft_text(form.instance, form_class.base_fields),
                                       rules=selectors.wording_rules())
    held = drafts.blocking(findings, overridden=selectors.wording_overrides(page_id=page_id))
    if not held:
        return None
    post = request.POST.copy()
    for action in SUBMIT_ACTIONS:
        post.pop(action, None)
    request.POST = post
    django_messages.error(request, f"未提交审核：草稿中有{len(held)}处错别字或禁用词，已保存为草稿。"
                                   "请按“内容检查”所列原句改正后再提交；确需保留的，须经终审核实放行。")
    return None


def show_editor_checks(request, page) -> None:
    """内容检查 above the page editor: the draft's wording findings (live) and, for those who may see the dashboard,
    what the latest site run found on the page."""
    from wagtail.admin import messages

    from guard import drafts
    from guard.indicators import BY_CODE

    findings = _draft_findings(page)
    overridden = selectors.wording_overrides(page_id=page.pk)
    items = [{"finding": f, "label": BY_CODE[f.indicator].name, "quote": "原句",
              "blocks": bool(drafts.blocking([f], overridden=overridden)),
              "overridden": drafts.override_key(f) in overridden} for f in findings]
    if may_view(request.user):
        items += [{"finding": f, "label": f.get_indicator_display(), "quote": "所指地址" if "links" in f.indicator
                   else "原文", "blocks": False, "overridden": False}
                  for f in selectors.page_findings(page=page) if not f.indicator.startswith("wording_")]
    if not items:
        return
    blocked = sum(1 for item in items if item["blocks"])
    buttons = []
    if blocked and may_override(request.user, page):
        buttons.append(messages.button(reverse("guard_wording_override", args=[page.pk]), "终审放行"))
    from django.template.loader import render_to_string

    detail = render_to_string("guard/admin/editor_checks.html", {
        "items": items, "override": selectors.wording_override_latest(page_id=page.pk) if overridden else None})
    title = (f"内容检查：发现{len(items)}项问题，其中{blocked}项须改正后才能提交审核" if blocked
             else f"内容检查：发现{len(items)}项问题")
    storage = messages.render(title, buttons, detail=detail)
    from django.contrib import messages as django_messages

    (django_messages.error if blocked else django_messages.warning)(request, storage)


class WordingOverrideView(WagtailAdminTemplateMixin, View):
    """终审放行: let the draft's 错别字/禁用词 through to review, with a reason."""

    template_name = "guard/admin/override.html"
    page_title = "终审放行用语问题"
    header_icon = "warning"

    def dispatch(self, request, page_id: int):
        from django.shortcuts import get_object_or_404
        from wagtail.models import Page

        self.page = get_object_or_404(Page, pk=page_id).get_latest_revision_as_object()
        if not may_override(request.user, self.page):
            return TemplateResponse(request, "guard/admin/forbidden_override.html",
                                    {"header_title": "无权放行", "page_title": "无权放行", "header_icon": "warning",
                                     "breadcrumbs_items": []}, status=403)
        return super().dispatch(request, page_id)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def render(self, request, *, reason: str = "", error: str = "", status: int = 200):
        context = self.get_context_data(page=self.page, findings=blocking_findings(self.page), reason=reason,
                                        error=error, edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]))
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request, page_id: int):
        return self.render(request)

    def post(self, request, page_id: int):
        from django.shortcuts import redirect
        from wagtail.admin import messages

        from guard.services import wording_override_record

        reason = request.POST.get("reason", "").strip()
        findings = blocking_findings(self.page)
        if not findings:
            messages.info(request, "草稿中没有需要放行的错别字或禁用词。")
            return redirect("wagtailadmin_pages:edit", self.page.pk)
        if len(reason) < 4:
            return self.render(request, reason=reason, error="请填写放行理由（至少4个字），说明为何保留这些写法。",
                               status=400)
        if len(reason) > REASON_MAX:
            return self.render(request, reason=reason[:REASON_MAX], error=f"放行理由不能超过{REASON_MAX}个字。",
                               status=400)
        wording_override_record(page=self.page, user=request.user, reason=reason, findings=findings, request=request)
        messages.success(request, f"已放行{len(findings)}处用语问题，本页可以提交审核。放行理由已记入页面历史和审计记录。")
        return redirect("wagtailadmin_pages:edit", self.page.pk)


class ReportDownloadView(View):
    """The month's report as PDF or XLSX, for those who may see the dashboard."""

    CONTENT_TYPES = {"pdf": "application/pdf",
                     "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

    def get(self, request, month: str, fmt: str):
        import datetime as dt

        from django.http import HttpResponse

        from guard.report import report_pdf, report_xlsx

        if not may_view(request.user):
            return HttpResponse("只有有“可查看网站检查”权限的工作人员可以下载检查报告。", status=403,
                                content_type="text/plain; charset=utf-8")
        try:
            first = dt.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            return HttpResponse(f"月份应为 YYYY-MM 格式，收到“{month}”。", status=400,
                                content_type="text/plain; charset=utf-8")
        report = selectors.report_month(month=first)
        if not report.run_count:
            return HttpResponse(f"{report.label}没有网站检查记录。", status=404, content_type="text/plain; charset=utf-8")
        data = report_pdf(report) if fmt == "pdf" else report_xlsx(report)
        response = HttpResponse(data, content_type=self.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{report.filename}.{fmt}"'
        return response
