"""The 依申请公开 back office in the Wagtail admin: the queue (overdue and due soon first), registering letters and
visits, and one request with every step the statute allows. Views parse input, call a service and render."""

import secrets

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from wagtail.admin import messages

from services_hall.admin_views import StaffView
from services_hall.selectors import work_calendar
from services_hall.storage import private_storage

from .clock import MAX_EXTENSION_DAYS, correction_notice_due
from .forms import RegisterForm, ReviewDecideForm, ReviewForm
from .models import DisclosureAttachment, DisclosureRequest
from .rules import OUTCOMES, TRANSITIONS, Action, OutcomeGroup, ReviewResult, Status, TransitionNotAllowed
from .selectors import request_clock, request_queue
from .services import (
    ReportColumnMissing,
    report_build,
    request_answer,
    request_consult,
    request_consult_end,
    request_correction_ask,
    request_extend,
    request_register,
    review_decide,
    review_record,
)

NAMESPACE = "disclosure_admin"


def admin_url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


def clock_mark(clock) -> tuple[str, str]:
    """(css class, words) telling staff how a request stands against its limit."""
    if clock.waiting_for == "补正":
        return "is-paused", "等待申请人补正"
    if clock.waiting_for:
        return "is-paused", "征求意见中，计时暂停"
    if clock.overdue:
        return "is-overdue", f"已超期 {-clock.days_left} 个工作日"
    if clock.due_soon:
        return "is-due-soon", "即将到期" if clock.days_left else "今日到期"
    return "", ""


def outcome_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The outcomes grouped as the annual report lists them (a <select> with <optgroup>s)."""
    groups: dict[OutcomeGroup, list] = {}
    for outcome, rule in OUTCOMES.items():
        groups.setdefault(rule.group, []).append((outcome.value, outcome.label))
    return [(group.label, options) for group, options in groups.items()]


class DisclosureStaffView(StaffView):
    header_icon = "doc-full"
    template_name = "disclosure/admin/queue.html"


class QueueView(DisclosureStaffView):
    page_title = "依申请公开"

    def get(self, request):
        rows = []
        for row in request_queue():
            mark_class, mark = clock_mark(row.clock)
            rows.append({"row": row, "mark": mark, "mark_class": mark_class,
                         "url": admin_url("request_detail", row.request.pk)})
        answered = DisclosureRequest.objects.filter(status=Status.ANSWERED).order_by("-answered_on", "-pk")[:20]
        return self.render({"rows": rows, "answered": answered, "register_url": admin_url("request_register"),
                            "report_url": admin_url("report_build"), "last_year": timezone.localdate().year - 1})


class RegisterView(DisclosureStaffView):
    """登记: a letter, fax or visit, with the date of receipt its channel defines (条例第三十一条)."""

    template_name = "disclosure/admin/register.html"
    page_title = "登记政府信息公开申请"

    def get_trail(self):
        return [{"url": admin_url("request_queue"), "label": "依申请公开"}, {"url": "", "label": "登记申请"}]

    def get(self, request):
        form = RegisterForm(initial={"idempotency_key": secrets.token_urlsafe(24),
                                     "arrived_on": timezone.localdate()})
        return self.render({"form": form})

    def post(self, request):
        form = RegisterForm(data=request.POST)
        form.is_valid()
        try:
            case = request_register(data=form.request_data(), idempotency_key=form.idempotency_key_value,
                                    actor=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.render({"form": form}, status=400)
        messages.success(request, f"已登记申请 {case.tracking_number}，收到申请之日为{case.received_on:%Y年%m月%d日}。")
        return redirect(admin_url("request_detail", case.pk))


# action name -> (label, the fields its form takes)
STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    Action.REQUEST_CORRECTION: ("告知补正", ("items",)),
    Action.EXTEND: ("延长答复期限", ("days", "approved_by", "reason")),
    Action.CONSULT: ("征求第三方或其他机关意见", ("party", "third_party")),
    Action.CONSULT_END: ("收到征求意见答复", ("opinion",)),
    Action.ANSWER: ("作出答复", ("outcome", "text", "files")),
}


class DetailView(DisclosureStaffView):
    template_name = "disclosure/admin/detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case = get_object_or_404(
            DisclosureRequest.objects.prefetch_related("consultations", "events", "attachments", "reviews"),
            pk=kwargs["pk"],
        )

    def get_page_title(self):
        return f"政府信息公开申请 {self.case.tracking_number}"

    def get_trail(self):
        return [{"url": admin_url("request_queue"), "label": "依申请公开"},
                {"url": "", "label": self.case.tracking_number}]

    def detail(self, *, errors=None, posted_action="", posted=None, status=200, message="", review_form=None,
               decide_form=None, decide_for=None):
        case = self.case
        calendar = work_calendar()
        clock = request_clock(request=case, calendar=calendar)
        mark_class, mark = clock_mark(clock)
        steps = []
        for action, (label, fields) in STEPS.items():
            if (Status(case.status), action) not in TRANSITIONS:
                continue
            if action == Action.REQUEST_CORRECTION and case.correction_requested_on:
                continue
            if action == Action.EXTEND and case.extension_days:
                continue
            steps.append({"action": action.value, "label": label, "fields": fields,
                          "errors": errors if posted_action == action else {},
                          "posted": posted if posted_action == action else {}})
        return self.render({
            "case": case, "clock": clock, "mark": mark, "mark_class": mark_class, "steps": steps,
            "correction_last_day": correction_notice_due(case.received_on, calendar=calendar),
            "outcome_choices": outcome_choices(), "max_extension": MAX_EXTENSION_DAYS,
            "notice_url": admin_url("notice_download", case.pk) if case.notice_file else "",
            "error_message": message,
            "can_record_review": case.status == Status.ANSWERED, "review_form": review_form or ReviewForm(),
            "reviews": [{"review": review, "pending": review.result == ReviewResult.PENDING,
                         "form": decide_form if decide_for == review.pk else ReviewDecideForm(
                             prefix=f"review-{review.pk}")}
                        for review in case.reviews.all()],
        }, status=status)

    def get(self, request, pk):
        return self.detail()

    def post(self, request, pk):
        action = request.POST.get("action", "")
        if action == Action.REVIEW:
            return self.review_post(request)
        if action == Action.REVIEW_DECIDE:
            return self.review_decide_post(request)
        posted = {key: request.POST.get(key, "") for key in
                  ("items", "days", "approved_by", "reason", "party", "third_party", "opinion", "outcome", "text")}
        case, user = self.case, request.user
        try:
            if action == Action.REQUEST_CORRECTION:
                request_correction_ask(request=case, items=posted["items"], actor=user)
            elif action == Action.EXTEND:
                days = int(posted["days"]) if posted["days"].strip().isdigit() else 0
                request_extend(request=case, days=days, approved_by=posted["approved_by"], reason=posted["reason"],
                               actor=user)
            elif action == Action.CONSULT:
                request_consult(request=case, party=posted["party"], third_party=posted["third_party"] != "no",
                                actor=user)
            elif action == Action.CONSULT_END:
                request_consult_end(request=case, opinion=posted["opinion"], actor=user)
            elif action == Action.ANSWER:
                request_answer(request=case, outcome=posted["outcome"], text=posted["text"], actor=user,
                               files=request.FILES.getlist("files"))
            else:
                return self.detail(status=400, message="未知的操作，请刷新页面后重试。")
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {"general": error.messages}
            found["general"] = found.pop("__all__", []) + found.get("general", [])
            return self.detail(errors=found, posted_action=action, posted=posted, status=400,
                               message="未办理：请按提示修改。")
        except TransitionNotAllowed as refused:
            return self.detail(status=409, message=refused.message)
        messages.success(request, f"已{STEPS[action][0]}。")
        return redirect(admin_url("request_detail", case.pk))


    @staticmethod
    def _service_errors(form, error: ValidationError) -> None:
        found = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        for field, problems in found.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)

    def review_post(self, request):
        """登记行政复议或行政诉讼: the form checks the input, the service the dates against the request."""
        form = ReviewForm(data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review_record(request=self.case, kind=data["kind"], filed_on=data["filed_on"], result=data["result"],
                              decided_on=data["decided_on"], after_reconsideration=data["after_reconsideration"],
                              note=data["note"], actor=request.user)
            except ValidationError as error:
                self._service_errors(form, error)
        if form.errors:
            general = "；".join(form.non_field_errors()) or "请按提示修改。"
            return self.detail(review_form=form, status=400, message=f"未登记：{general}")
        messages.success(request, f"已登记{dict(form.fields['kind'].choices)[form.cleaned_data['kind']]}。")
        return redirect(admin_url("request_detail", self.case.pk))

    def review_decide_post(self, request):
        raw = request.POST.get("review", "")
        review = self.case.reviews.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
        if review is None:
            return self.detail(status=400, message="未找到该行政复议或行政诉讼，请刷新页面后重试。")
        form = ReviewDecideForm(data=request.POST, prefix=f"review-{review.pk}")
        if form.is_valid():
            try:
                review_decide(review=review, result=form.cleaned_data["result"],
                              decided_on=form.cleaned_data["decided_on"], actor=request.user)
            except ValidationError as error:
                self._service_errors(form, error)
            except TransitionNotAllowed as refused:
                return self.detail(status=409, message=refused.message)
        if form.errors:
            return self.detail(decide_form=form, decide_for=review.pk, status=400, message="未登记：请按提示修改。")
        messages.success(request, f"已登记{review.get_kind_display()}结果。")
        return redirect(admin_url("request_detail", self.case.pk))


def _stream(name: str, filename: str, content_type: str) -> FileResponse:
    if not name or not private_storage.exists(name):
        raise Http404
    return FileResponse(private_storage.open(name), as_attachment=True, filename=filename, content_type=content_type)


class NoticeDownloadView(DisclosureStaffView):
    def get(self, request, pk):
        case = get_object_or_404(DisclosureRequest, pk=pk)
        return _stream(case.notice_file, f"告知书-{case.tracking_number}.pdf", "application/pdf")


class AttachmentDownloadView(DisclosureStaffView):
    def get(self, request, pk):
        attachment = get_object_or_404(DisclosureAttachment, pk=pk)
        return _stream(attachment.file, attachment.original_name, attachment.content_type)


class ReportBuildView(DisclosureStaffView):
    """生成年度报告: the same build as `manage.py disclosure_report YEAR`, from a button on the queue."""

    http_method_names = ["post"]

    def post(self, request):
        raw = request.POST.get("year", "").strip()
        try:
            page = report_build(year=int(raw) if raw.isdigit() and len(raw) == 4 else 0, actor=request.user)
        except (ValidationError, ReportColumnMissing) as problem:
            messages.error(request, "；".join(getattr(problem, "messages", [str(problem)])))
            return redirect(admin_url("request_queue"))
        state = "并发布" if page.live and not page.has_unpublished_changes else "草稿，请编辑审核后发布"
        messages.success(request, f"已生成《{page.title}》{state}。")
        return redirect("wagtailadmin_pages:edit", page.pk)
