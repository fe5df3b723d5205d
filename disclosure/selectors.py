"""Reads of 依申请公开, shaped for their pages."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from services_hall.deadlines import WorkCalendar
from services_hall.selectors import work_calendar

from .clock import AnswerClock, Consultation, answer_clock, correction_notice_due
from .models import DisclosureRequest
from .rules import OPEN_STATUSES


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
