"""Reads of 依申请公开, shaped for their pages."""

import datetime as dt
import hmac
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from services_hall.deadlines import WorkCalendar
from services_hall.registries import CaseDeadline, CaseInquiry, CaseRow
from services_hall.selectors import licence_decision_count, work_calendar

from .clock import AnswerClock, Consultation, answer_clock, correction_notice_due
from content.selectors import policy_register

from .models import DisclosureRequest, DisclosureReview
from .notifications import NOTIFIED, event_notice
from .report import CaseFact, PolicyFact, ReviewFact
from .rules import OPEN_STATUSES, Status


def request_clock(
    *, request: DisclosureRequest, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> AnswerClock:
    """The answer's limit for one request today (its consultations prefetched or read here)."""
    return answer_clock(
        received_on=request.received_on,
        today=today or timezone.localdate(),
        calendar=calendar or work_calendar(),
        correction_requested_on=request.correction_requested_on,
        corrected_on=request.corrected_on,
        extension_days=request.extension_days,
        consultations=[Consultation(c.started_on, c.ended_on) for c in request.consultations.all()],
    )


@dataclass(frozen=True)
class QueueRow:
    request: DisclosureRequest
    clock: AnswerClock
    correction_last_day: dt.date


def _urgency(row: QueueRow) -> tuple:
    # Overdue first, then due soon, then by due date; those waiting for the applicant's 补正 last.
    clock = row.clock
    if clock.due is None:
        return (3, dt.date.max, row.request.pk)
    return (0 if clock.overdue else 1 if clock.due_soon else 2, clock.due, row.request.pk)


def request_queue(*, today: dt.date | None = None) -> list[QueueRow]:
    """Open requests for staff, overdue and due-soon first (two queries, whatever the number of requests)."""
    today = today or timezone.localdate()
    calendar = work_calendar()
    requests = DisclosureRequest.objects.filter(status__in=OPEN_STATUSES).prefetch_related("consultations")
    rows = [
        QueueRow(request, request_clock(request=request, today=today, calendar=calendar),
                 correction_notice_due(request.received_on, calendar=calendar))
        for request in requests
    ]
    return sorted(rows, key=_urgency)


def applicant_request(*, account, tracking_number: str) -> DisclosureRequest | None:
    """The request with this number if it is the account's own."""
    return (DisclosureRequest.objects.filter(account=account, tracking_number=tracking_number)
            .prefetch_related("consultations").first())


# ---------------------------------------------------------------------------------------------------------------
# 我的办件 and 办件查询 (registered with services_hall.registries from apps.py)

CASE_TITLE = "政府信息公开申请"
_DUMMY_CODE = "0" * 6


def _case_deadline(case: DisclosureRequest, calendar: WorkCalendar) -> CaseDeadline | None:
    if case.status == Status.ANSWERED:
        return None
    clock = request_clock(request=case, calendar=calendar)
    return CaseDeadline(due=clock.due, days_left=clock.days_left, paused=clock.waiting_for == "补正",
                        overdue=clock.overdue)


def _latest_message(case: DisclosureRequest) -> str:
    """The one-line notice of the latest step the applicant was told of (events and consultations prefetched)."""
    told = [event for event in case.events.all() if event.action in NOTIFIED]
    if not told:
        return ""
    event = told[-1]
    event.request = case
    notice = event_notice(event)
    return notice.summary if notice else ""


def applicant_case_rows(*, applicant) -> list[CaseRow]:
    """The account's requests for 我的办件, newest first (three queries and the calendar)."""
    calendar = work_calendar()
    cases = (DisclosureRequest.objects.filter(account=applicant).prefetch_related("consultations", "events")
             .order_by("-received_on", "-pk"))
    return [
        CaseRow(
            title=CASE_TITLE, tracking_number=case.tracking_number, submitted_on=case.received_on,
            status=case.get_status_display() if not case.outcome else f"已答复：{case.get_outcome_display()}",
            url=reverse("disclosure:request_detail", args=[case.tracking_number]),
            deadline=_case_deadline(case, calendar),
            action="补正" if case.status == Status.CORRECTION else "下载告知书" if case.notice_file else "查看",
            message=_latest_message(case),
        )
        for case in cases
    ]


@dataclass(frozen=True)
class _Entry:
    at: dt.datetime
    action: str
    status: str


def case_inquiry(*, tracking_number: str, query_code: str) -> CaseInquiry | None:
    """The public progress of a request, or None when the pair does not match — whether or not the number exists."""
    tracking_number = "".join(tracking_number.split()).upper()[:24]
    query_code = "".join(query_code.split()).upper()[:8]
    case = (DisclosureRequest.objects.filter(tracking_number=tracking_number).prefetch_related("consultations")
            .first() if tracking_number.startswith("GK") else None)
    expected = case.query_code if case else _DUMMY_CODE
    if not hmac.compare_digest(expected.encode(), query_code.encode()) or case is None:
        return None
    timeline = [_Entry(at=event.created_at, action=event.get_action_display(), status=event.get_to_status_display())
                for event in case.events.all()]
    status = case.get_status_display() if not case.outcome else f"已答复（{case.get_outcome_display()}）"
    return CaseInquiry(tracking_number=case.tracking_number, service=CASE_TITLE, status=status, timeline=timeline,
                       deadline=_case_deadline(case, work_calendar()))


# ---------------------------------------------------------------------------------------------------------------
# The annual report's facts


def report_facts(*, year: int) -> tuple[list[CaseFact], list[ReviewFact], list[PolicyFact]]:
    """What the tables of the year's report are computed from (three queries); the hall's licence decisions are
    licence_decision_count's."""
    end = dt.date(year, 12, 31)
    cases = [
        CaseFact(kind, received, answered, outcome or "")
        for kind, received, answered, outcome in DisclosureRequest.objects.filter(received_on__lte=end)
        .values_list("applicant_kind", "received_on", "answered_on", "outcome")
    ]
    reviews = [
        ReviewFact(*row) for row in DisclosureReview.objects.filter(filed_on__year=year)
        .values_list("kind", "after_reconsideration", "filed_on", "result", "decided_on")
    ]
    policies = [
        PolicyFact(kind, written, changed_on if validity != "valid" else None)
        for kind, written, validity, changed_on in policy_register()
        if written
    ]
    return cases, reviews, policies
