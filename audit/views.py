"""审计记录 in the Wagtail admin: the list with filters (event, actor, date range) and its CSV export.
Only superusers and holders of the "view audit record" permission get in."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django import forms
from django.http import HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit.models import Action, AuditRecord
from audit.selectors import audit_records

PER_PAGE = 50
NAMESPACE = "audit_admin"
MAX_DATE_SPAN_DAYS = 3660


def may_view(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("audit.view_auditrecord"))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="事件", required=False, choices=[("", "全部事件"), *Action.choices],
                               error_messages={"invalid_choice": "所选事件不存在，请重新选择。"})
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": "起始日期格式应为 2026-11-23。"})
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": "截止日期格式应为 2026-11-23。"})

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data

    def records(self):
        data = self.cleaned_data
        return audit_records(action=data.get("action") or "", actor=(data.get("actor") or "").strip(),
                             date_from=data.get("date_from"), date_to=data.get("date_to"))


def neutralise(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ or a tab / carriage return
    gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


EXPORT_HEADER = ["序号", "时间", "事件", "操作人", "来源地址", "对象", "详情", "哈希（SM3）"]


def export_rows(records) -> Iterator[list[str]]:
    for record in records:
        yield [str(record.seq), f"{timezone.localtime(record.created_at):%Y-%m-%d %H:%M:%S}",
               record.get_action_display(), record.actor_name, record.ip, record.target,
               json.dumps(record.detail, ensure_ascii=False), record.hash]


class _Echo:
    def write(self, value: str) -> str:
        return value


class AuditView(WagtailAdminTemplateMixin, View):
    page_title = "审计记录"
    header_icon = "history"
    template_name = "audit/record_list.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_view(request.user):
            return TemplateResponse(request, "audit/forbidden.html",
                                    {"page_title": "无权查看", "header_title": "无权查看", "breadcrumbs_items": []},
                                    status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request):
        form = AuditFilterForm(request.GET or {})
        if not form.is_valid():
            context = self.get_context_data(form=form, records=[], page_obj=None)
            return TemplateResponse(request, self.template_name, context, status=400)
        paginator = WagtailPaginator(form.records(), PER_PAGE)
        page = paginator.get_page(request.GET.get("p"))
        export = reverse(f"{NAMESPACE}:export") + ("?" + request.GET.urlencode() if request.GET else "")
        context = self.get_context_data(
            form=form, records=page.object_list, page_obj=page, export_url=export,
            elided_page_range=paginator.get_elided_page_range(page.number),
        )
        return TemplateResponse(request, self.template_name, context)


class AuditExportView(AuditView):
    """The filtered list as CSV: UTF-8 with a BOM so that Excel reads the Chinese; every cell neutralised."""

    def get(self, request):
        form = AuditFilterForm(request.GET or {})
        if not form.is_valid():
            return HttpResponse("筛选条件无效：" + "；".join(e for errs in form.errors.values() for e in errs),
                                status=400, content_type="text/plain; charset=utf-8")
        writer = csv.writer(_Echo())
        records = form.records().iterator(chunk_size=1000)

        def lines():
            yield "\ufeff" + writer.writerow(EXPORT_HEADER)
            for row in export_rows(records):
                yield writer.writerow([neutralise(cell) for cell in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"'
        return response
