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
