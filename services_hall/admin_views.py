"""The back office in the Wagtail admin: the filings queue (办件管理), letters (信件办理) and rating follow-ups
(差评整改). Views parse input, call a selector or service, and render; every rule lives in workflow.py and
services.py. Only 受理员, 审核员 and superusers get in; anyone else with admin access gets a 403.
"""

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit.models import Action as AuditAction
from audit.services import audit_record
from portal.forms import IdChoiceField

from .models import Application, ApplicationEvent, ApplicationMaterial, Letter, Rating, ServiceGuidePage
from .selectors import (
    DueFilter,
    application_deadline,
    application_queue_filtered,
    letter_deadline,
    letter_queue,
    rating_follow_up_deadline,
    rating_follow_ups,
    staff_roles,
    work_calendar,
)
from .services import application_transition, letter_reply, rating_follow_up_resolve
from .storage import private_storage
from .workflow import (
    MAX_CORRECTIONS,
    TRANSITIONS,
    Action,
    Role,
    RoleNotAllowed,
    Status,
    TransitionNotAllowed,
    allowed_actions,
)

PER_PAGE = 50
NAMESPACE = "services_hall_admin"

# Refusals are shown as red buttons; they end the case for the applicant.
REFUSALS = frozenset({Action.REJECT, Action.DENY})
# The comment is required for these; the service enforces it too (行政许可法第三十二条、第三十八条).
COMMENT_REQUIRED = frozenset({Action.REJECT, Action.DENY})


def admin_url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


def _error_list(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


class StaffView(WagtailAdminTemplateMixin, View):
    """A back-office page for 受理员 and 审核员 (and superusers); anyone else gets a 403 page."""

    header_icon = "tasks"
    forbidden_message = "只有受理员或审核员可以办理此项业务。"

    def dispatch(self, request, *args, **kwargs):
        self.roles = staff_roles(user=request.user)
        if not self.roles:
            return self.forbidden(self.forbidden_message)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as denied:
            # Wagtail would turn this into a redirect to the dashboard; a refused action answers 403 instead.
            return self.forbidden(str(denied) or self.forbidden_message)

    def forbidden(self, message: str) -> TemplateResponse:
        return TemplateResponse(
            self.request, "services_hall/admin/forbidden.html",
            {"header_title": "无权操作", "page_title": "无权操作", "header_icon": "warning", "message": message,
             "breadcrumbs_items": []},
            status=403,
        )

    def get_trail(self) -> list[dict]:
        """The breadcrumbs after the dashboard; by default just this page."""
        return [{"url": "", "label": self.get_page_title()}]

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, *self.get_trail()]

    def render(self, context: dict, *, status: int = 200) -> TemplateResponse:
        return TemplateResponse(self.request, self.template_name, self.get_context_data(**context), status=status)


def _paginate(request, queryset) -> tuple:
    paginator = WagtailPaginator(queryset, PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    return page, paginator.get_elided_page_range(page.number)


# ---------------------------------------------------------------------------------------------------------------
# 办件管理: the queue, CSV export, one application, its transitions and its files


class QueueFilterForm(forms.Form):
    service = IdChoiceField(
        label="事项", queryset=ServiceGuidePage.objects.order_by("title"), required=False, empty_label="全部事项",
        error_messages={"invalid_choice": "所选事项不存在，请重新选择。"},
    )
    status = forms.ChoiceField(
        label="状态", required=False,
        choices=[("", "全部在办")] + [(s.value, s.label) for s in Status if s != Status.DRAFT],
        error_messages={"invalid_choice": "所选状态无效，请重新选择。"},
    )
    due = forms.ChoiceField(
        label="期限", required=False, choices=DueFilter.choices,
        error_messages={"invalid_choice": "所选期限无效，请重新选择。"},
    )
    q = forms.CharField(label="申报号 / 申请人", required=False, max_length=100)

    def queryset(self, *, today: dt.date, calendar):
        data = self.cleaned_data
        return application_queue_filtered(
            service=data.get("service"), status=data.get("status") or None, due=data.get("due") or DueFilter.ALL,
            search=data.get("q") or "", today=today, calendar=calendar,
        )


def _deadline_mark(deadline) -> tuple[str, str]:
    """(css class, words) telling staff how a case stands against its limit."""
    if deadline is None:
        return "", ""
    if getattr(deadline, "paused", False):
        return "is-paused", "补正中，计时暂停"
    if deadline.overdue:
        return "is-overdue", f"已超期 {-deadline.days_left} 个工作日"
    if deadline.due_soon:
        return "is-due-soon", "即将到期" if deadline.days_left else "今日到期"
    return "", ""


class QueueRow:
    """One line of the queue, with its deadline worked out once."""

    def __init__(self, application: Application, *, today: dt.date, calendar):
        self.application = application
        self.deadline = application_deadline(application=application, today=today, calendar=calendar)
        self.mark_class, self.mark = _deadline_mark(self.deadline)
        if self.deadline is None and application.status == Status.CORRECTION:
            # Sent back for 补正 before acceptance: no clock runs until the applicant answers.
            self.mark_class, self.mark = "is-paused", "等待申请人补正"
        self.url = admin_url("application_detail", application.pk)


class ApplicationQueueView(StaffView):
    template_name = "services_hall/admin/application_queue.html"
    page_title = "办件管理"

    def get(self, request):
        form = QueueFilterForm(request.GET or None)
        today, calendar = timezone.localdate(), work_calendar()
        if form.is_bound and not form.is_valid():
            return self.render({"form": form, "rows": [], "page_obj": None}, status=400)
        if not form.is_bound:
            form = QueueFilterForm({})
            form.is_valid()
        page, elided = _paginate(request, form.queryset(today=today, calendar=calendar))
        rows = [QueueRow(application, today=today, calendar=calendar) for application in page.object_list]
        return self.render({
            "form": form, "rows": rows, "page_obj": page, "elided_page_range": elided,
            "export_url": admin_url("application_export") + ("?" + request.GET.urlencode() if request.GET else ""),
            "today": today,
        })


def neutralise(value) -> object:
    """A cell Excel will not run as a formula: text starting with = + - @ (or a tab / carriage return) gets a
    leading apostrophe. Numbers we computed are left as numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


EXPORT_HEADER = ["申报号", "事项", "事项编码", "申请人", "统一社会信用代码 / 身份证号", "状态", "提交时间",
                 "受理时间", "办结期限", "剩余工作日", "时限状态"]


def _export_rows(applications: Iterable[Application], *, today: dt.date, calendar) -> Iterator[list]:
    for application in applications:
        deadline = application_deadline(application=application, today=today, calendar=calendar)
        _, mark = _deadline_mark(deadline)
        applicant = application.applicant
        yield [
            application.tracking_number, application.service.title, application.service.service_code,
            applicant.name, applicant.uscc or applicant.id_number, application.status_label,
            f"{timezone.localtime(application.submitted_at):%Y-%m-%d %H:%M}",
            f"{timezone.localtime(application.accepted_at):%Y-%m-%d %H:%M}" if application.accepted_at else "",
            deadline.due.isoformat() if deadline else "", deadline.days_left if deadline else "", mark,
        ]


class ApplicationExportView(StaffView):
    """The filtered queue as CSV: UTF-8 with a BOM so that Excel reads the Chinese, every text cell neutralised."""

    def get(self, request):
        form = QueueFilterForm(request.GET or {})
        if not form.is_valid():
            return HttpResponse("筛选条件无效：" + "；".join(e for errs in form.errors.values() for e in errs),
                                status=400, content_type="text/plain; charset=utf-8")
        today, calendar = timezone.localdate(), work_calendar()
        applications = form.queryset(today=today, calendar=calendar).iterator(chunk_size=500)
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff" + writer.writerow(EXPORT_HEADER)
            for row in _export_rows(applications, today=today, calendar=calendar):
                yield writer.writerow([neutralise(cell) for cell in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="applications-{today:%Y%m%d}.csv"'
        return response


def _form_data_rows(application: Application) -> list[tuple[str, object]]:
    """The filed form data in the guide's field order, labelled as the applicant saw it."""
    labels = {field.clean_name: field.label for field in application.service.form_fields.all()}
    data = application.form_data or {}
    rows = [(labels[key], data[key]) for key in labels if key in data]
    rows += [(key, value) for key, value in data.items() if key not in labels]
    return [(label, _readable(value)) for label, value in rows]


def _readable(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(item) for item in value)
    return "" if value is None else str(value)


def _staff_actions(application: Application, roles: set[Role]) -> list[Action]:
    actions = allowed_actions(application.status, roles)
    if application.correction_count >= MAX_CORRECTIONS:
        actions = [action for action in actions if action != Action.REQUEST_CORRECTION]
    return actions


class ApplicationDetailView(StaffView):
    template_name = "services_hall/admin/application_detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.application = get_object_or_404(
            Application.objects.select_related("service", "applicant__user").prefetch_related(
                Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "pk")),
                "materials",
            ),
            pk=kwargs["pk"],
        )

    def get_page_title(self):
        return f"办件 {self.application.tracking_number}"

    def get_trail(self):
        return [{"url": admin_url("application_queue"), "label": "办件管理"},
                {"url": "", "label": self.application.tracking_number}]

    def detail(self, *, errors: dict | None = None, posted_action: str = "", posted: dict | None = None,
               status: int = 200, message: str = "") -> TemplateResponse:
        application = self.application
        roles = staff_roles(user=self.request.user, application=application)
        calendar = work_calendar()
        actions = [
            {
                "action": action, "label": action.label, "danger": action in REFUSALS,
                "needs_items": action == Action.REQUEST_CORRECTION, "needs_comment": action in COMMENT_REQUIRED,
                "errors": errors if posted_action == action else {},
                "posted": posted if posted_action == action else {},
            }
            for action in _staff_actions(application, roles)
        ]
        promised = application_deadline(application=application, calendar=calendar)
        promised_mark_class, promised_mark = _deadline_mark(promised)
        return self.render({
            "application": application,
            "applicant": application.applicant,
            "form_rows": _form_data_rows(application),
            "materials": [
                {"material": m, "url": admin_url("material_download", m.pk)} for m in application.materials.all()
            ],
            "events": application.events.all(),
            "promised": promised, "promised_mark": promised_mark, "promised_mark_class": promised_mark_class,
            "statutory": application_deadline(application=application, which="statutory", calendar=calendar),
            "actions": actions,
            "transition_url": admin_url("application_transition", application.pk),
            "error_message": message,
            "roles": sorted(role.label for role in roles),
        }, status=status)

    def get(self, request, pk):
        return self.detail()


class ApplicationTransitionView(ApplicationDetailView):
    """One workflow step by POST. A step the user's group may not take: 403, nothing changed; a step that no
    longer fits the case (someone else moved it meanwhile): 409 and a clear message."""

    http_method_names = ["post"]

    def post(self, request, pk):
        application = self.application
        posted = {"comment": request.POST.get("comment", ""),
                  "correction_items": request.POST.get("correction_items", "")}
        try:
            action = Action(request.POST.get("action", ""))
        except ValueError:
            return self.detail(message="无法识别要执行的操作，请刷新页面后重试。", status=400)

        roles = staff_roles(user=request.user, application=application)
        current = Status(application.status)
        entry = TRANSITIONS.get((current, action))
        may_ever = {role for (_, step), (_, role) in TRANSITIONS.items() if step == action} & roles
        if not may_ever or (entry is not None and entry[1] not in roles):
            needed = entry[1].label if entry else "、".join(
                sorted({r.label for (_, step), (_, r) in TRANSITIONS.items() if step == action}))
            return self.forbidden(f"您无权执行“{action.label}”：该操作须由{needed}办理。")
        seen = request.POST.get("status", "")
        if entry is None or (seen and seen != current):
            return self.detail(
                message=f"该办件当前状态为“{current.label}”，不能执行“{action.label}”。"
                        "可能已由他人办理，请核对办理记录后再操作。",
                status=409,
            )
        try:
            application_transition(
                application=application, action=action, actor=request.user, comment=posted["comment"],
                correction_items=posted["correction_items"].splitlines(),
            )
        except RoleNotAllowed as error:
            return self.forbidden(error.message)
        except TransitionNotAllowed as error:
            self.application.refresh_from_db()
            return self.detail(message=error.message, status=409)
        except ValidationError as error:
            errors = {("general" if key == "__all__" else key): value for key, value in _error_list(error).items()}
            return self.detail(errors=errors, posted_action=action, posted=posted, status=400)
        messages.success(request, f"已{action.label}：办件 {application.tracking_number}。")
        return redirect(admin_url("application_detail", application.pk))


class MaterialDownloadView(StaffView):
    """Streams one filed material from private storage as an attachment, to staff only."""

    def get(self, request, pk):
        material = get_object_or_404(ApplicationMaterial, pk=pk)
        try:
            handle = private_storage.open(material.file.name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404("文件不存在或已被移除。") from None
        filename = PurePath(material.original_name).name or f"material-{material.pk}"
        audit_record(action=AuditAction.PRIVATE_DOWNLOAD, target=f"material:{material.pk} {filename}"[:255],
                     detail={"application": material.application_id}, request=request)
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=material.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# ---------------------------------------------------------------------------------------------------------------
# 信件办理: letters waiting for a reply, and the reply


class LetterFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "待答复"), ("replied", "已答复"), ("all", "全部")],
        error_messages={"invalid_choice": "所选状态无效，请重新选择。"},
    )
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *Letter.Kind.choices],
        error_messages={"invalid_choice": "所选类型无效，请重新选择。"},
    )


class LetterRow:
    def __init__(self, letter: Letter, *, today: dt.date, calendar):
        self.letter = letter
        self.deadline = letter_deadline(letter=letter, today=today, calendar=calendar)
        self.mark_class, self.mark = _deadline_mark(self.deadline)
        self.url = admin_url("letter_detail", letter.pk)


class LetterQueueView(StaffView):
    template_name = "services_hall/admin/letter_queue.html"
    page_title = "信件办理"
    header_icon = "mail"

    def get(self, request):
        form = LetterFilterForm(request.GET or {})
        if not form.is_valid():
            return self.render({"form": form, "rows": [], "page_obj": None}, status=400)
        state = {"": Letter.State.RECEIVED, "replied": Letter.State.REPLIED, "all": None}[form.cleaned_data["state"]]
        today, calendar = timezone.localdate(), work_calendar()
        page, elided = _paginate(request, letter_queue(state=state, kind=form.cleaned_data["kind"] or None))
        rows = [LetterRow(letter, today=today, calendar=calendar) for letter in page.object_list]
        return self.render({"form": form, "rows": rows, "page_obj": page, "elided_page_range": elided})


class LetterDetailView(StaffView):
    """A letter with the writer's contact details, and the reply form while it waits for its answer."""

    template_name = "services_hall/admin/letter_detail.html"
    header_icon = "mail"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.letter = get_object_or_404(Letter.objects.select_related("reply__replied_by"), pk=kwargs["pk"])

    def get_page_title(self):
        return f"留言 {self.letter.tracking_number}"

    def get_trail(self):
        return [{"url": admin_url("letter_queue"), "label": "信件办理"},
                {"url": "", "label": self.letter.tracking_number}]

    def detail(self, *, errors=None, posted=None, message: str = "", status: int = 200) -> TemplateResponse:
        letter = self.letter
        deadline = letter_deadline(letter=letter)
        mark_class, mark = _deadline_mark(deadline)
        return self.render({
            "letter": letter,
            "reply": getattr(letter, "reply", None),
            "deadline": deadline, "mark": mark, "mark_class": mark_class,
            "errors": errors or {},
            "posted": posted or {"department": "", "body": "", "publish": True},
            "error_message": message,
        }, status=status)

    def get(self, request, pk):
        return self.detail()

    def post(self, request, pk):
        posted = {"department": request.POST.get("department", "")[:120], "body": request.POST.get("body", ""),
                  "publish": request.POST.get("publish") == "on"}
        try:
            letter_reply(letter=self.letter, actor=request.user, department=posted["department"],
                         body=posted["body"], publish=posted["publish"])
        except ValidationError as error:
            errors = _error_list(error)
            self.letter.refresh_from_db()
            if "__all__" in errors:
                # Already answered (perhaps by a colleague a moment ago): nothing is changed.
                return self.detail(message="".join(errors["__all__"]), status=409)
            return self.detail(errors=errors, posted=posted, status=400)
        messages.success(request, f"已答复留言 {self.letter.tracking_number}。")
        return redirect(admin_url("letter_detail", self.letter.pk))


# ---------------------------------------------------------------------------------------------------------------
# 差评整改: follow-ups of poor ratings


class FollowUpFilterForm(forms.Form):
    follow_up = forms.ChoiceField(
        label="整改状态", required=False,
        choices=[("", "待整改"), (Rating.FollowUp.RESOLVED.value, "已整改"), ("all", "全部")],
        error_messages={"invalid_choice": "所选状态无效，请重新选择。"},
    )


class FollowUpRow:
    def __init__(self, rating: Rating, *, today: dt.date, calendar):
        self.rating = rating
        self.deadline = rating_follow_up_deadline(rating=rating, today=today, calendar=calendar)
        self.mark_class, self.mark = _deadline_mark(self.deadline)
        self.url = admin_url("follow_up_detail", rating.pk)


class FollowUpListView(StaffView):
    template_name = "services_hall/admin/follow_up_list.html"
    page_title = "差评整改"
    header_icon = "warning"

    def get(self, request):
        form = FollowUpFilterForm(request.GET or {})
        if not form.is_valid():
            return self.render({"form": form, "rows": [], "page_obj": None}, status=400)
        choice = form.cleaned_data["follow_up"]
        follow_up = {"": Rating.FollowUp.OPEN, "all": None}.get(choice, choice)
        today, calendar = timezone.localdate(), work_calendar()
        page, elided = _paginate(request, rating_follow_ups(follow_up=follow_up))
        rows = [FollowUpRow(rating, today=today, calendar=calendar) for rating in page.object_list]
        return self.render({"form": form, "rows": rows, "page_obj": page, "elided_page_range": elided})


class FollowUpDetailView(StaffView):
    template_name = "services_hall/admin/follow_up_detail.html"
    header_icon = "warning"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.rating = get_object_or_404(
            Rating.objects.select_related("application__service", "application__applicant", "follow_up_by"),
            pk=kwargs["pk"],
        )

    def get_page_title(self):
        return f"差评整改 {self.rating.application.tracking_number}"

    def get_trail(self):
        return [{"url": admin_url("follow_up_list"), "label": "差评整改"},
                {"url": "", "label": self.rating.application.tracking_number}]

    def detail(self, *, errors=None, note: str = "", message: str = "", status: int = 200) -> TemplateResponse:
        rating = self.rating
        deadline = rating_follow_up_deadline(rating=rating)
        mark_class, mark = _deadline_mark(deadline)
        return self.render({
            "rating": rating,
            "application_url": admin_url("application_detail", rating.application_id),
            "deadline": deadline, "mark": mark, "mark_class": mark_class,
            "errors": errors or {}, "note": note, "error_message": message,
        }, status=status)

    def get(self, request, pk):
        return self.detail()

    def post(self, request, pk):
        note = request.POST.get("note", "")
        try:
            rating_follow_up_resolve(rating=self.rating, actor=request.user, note=note)
        except ValidationError as error:
            errors = _error_list(error)
            self.rating.refresh_from_db()
            if "__all__" in errors:
                return self.detail(message="".join(errors["__all__"]), status=409)
            return self.detail(errors=errors, note=note, status=400)
        messages.success(request, f"已记录整改情况：办件 {self.rating.application.tracking_number}。")
        return redirect(admin_url("follow_up_list"))
