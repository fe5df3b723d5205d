"""Reads for the services hall: each returns data shaped for its page, with a bounded number of queries."""

import datetime as dt
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, DateField, F, Max, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .deadlines import Deadline, WorkCalendar, deadline_status
from .models import Application, Holiday, Letter, ServiceGuidePage
from .workflow import ACTIVE_STATUSES, ROLE_GROUPS, Action, Role, Status

DUE_SOON_WORKING_DAYS = 3


def work_calendar() -> WorkCalendar:
    """The official calendar from the holiday table, cached until the table next changes (one small query)."""
    version = Holiday.objects.aggregate(count=Count("pk"), changed=Max("updated_at"))
    changed = version["changed"].timestamp() if version["changed"] else 0
    key = f"services_hall:calendar:{version['count']}:{changed}"
    calendar = cache.get(key)
    if calendar is None:
        rows = Holiday.objects.values_list("date", "kind")
        calendar = WorkCalendar.of(
            holidays=[day for day, kind in rows if kind == Holiday.Kind.HOLIDAY],
            makeup_workdays=[day for day, kind in rows if kind == Holiday.Kind.WORKDAY],
        )
        cache.set(key, calendar, timeout=24 * 3600)
    return calendar


def user_roles(*, user, application: Application | None = None) -> set[Role]:
    """The workflow roles `user` holds: applicant of this application, and staff roles from their groups."""
    roles: set[Role] = set()
    if user is None or not user.is_authenticated or not user.is_active:
        return roles
    if application is not None and application.applicant.user_id == user.pk:
        roles.add(Role.APPLICANT)
    if user.is_superuser:
        return roles | {Role.INTAKE, Role.REVIEWER}
    groups = set(user.groups.values_list("name", flat=True))
    return roles | {role for role, group in ROLE_GROUPS.items() if group in groups}


def application_queue(
    *,
    service: ServiceGuidePage | None = None,
    status: Status | str | None = None,
    due_by: dt.date | None = None,
) -> QuerySet[Application]:
    """The staff queue: cases waiting for staff, the earliest due first (so overdue ones lead); 补正 cases last,
    since they wait for the applicant and their clock stands still."""
    queryset = (
        Application.objects.filter(status__in=[status] if status else ACTIVE_STATUSES)
        .annotate(
            # While waiting for 补正 the clock stands still, so such a case has no due date to sort or filter by.
            due_on=Case(
                When(status=Status.CORRECTION, then=Value(None, output_field=DateField())),
                default=Coalesce("promised_due_on", "intake_due_on"),
            ),
            waiting_for_applicant=Case(When(status=Status.CORRECTION, then=Value(1)), default=Value(0)),
        )
        .select_related("service", "applicant")
        .order_by("waiting_for_applicant", F("due_on").asc(nulls_last=True), "submitted_at", "pk")
    )
    if service is not None:
        queryset = queryset.filter(service=service)
    if due_by is not None:
        queryset = queryset.filter(due_on__lte=due_by)
    return queryset


def application_deadline(
    *, application: Application, which: str = "promised", today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline | None:
    """Due date, days left, due soon and overdue of an open case (promised or statutory limit), None otherwise.

    Before acceptance the limit shown is the five-day intake limit.
    """
    if application.status not in ACTIVE_STATUSES:
        return None
    calendar = calendar or work_calendar()
    today = today or timezone.localdate()
    if application.accepted_at is None:
        if application.status != Status.SUBMITTED:
            return None  # a 补正 before acceptance: no clock runs yet
        start = timezone.localdate(application.submitted_at)
        limit = int(getattr(settings, "SERVICES_HALL_INTAKE_DAYS", 5))
        paused, paused_since = 0, None
    else:
        start = timezone.localdate(application.accepted_at)
        limit = application.promised_days if which == "promised" else application.statutory_days
        paused, paused_since = application.paused_working_days, application.paused_since
    return deadline_status(
        start=start, limit_days=limit, today=today, calendar=calendar, paused_working_days=paused,
        paused_since=paused_since, due_soon_within=DUE_SOON_WORKING_DAYS,
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One public step of a case: what happened and when, nothing about who."""

    at: dt.datetime
    action: str
    status: str


_DUMMY_CODE = "!" * 6


def application_timeline(*, tracking_number: str, query_code: str) -> tuple[Application, list[TimelineEntry]] | None:
    """The public progress of a case, or None when the pair does not match — whether or not the number exists."""
    tracking_number = "".join(tracking_number.split()).upper()[:24]
    query_code = "".join(query_code.split()).upper()[:8]
    application = (
        Application.objects.select_related("service").filter(tracking_number=tracking_number).first()
        if tracking_number else None
    )
    # Compare even when the number is unknown, so timing does not tell whether it exists.
    expected = application.query_code if application else _DUMMY_CODE
    if not hmac.compare_digest(expected.encode(), query_code.encode()) or application is None:
        return None
    entries = [
        TimelineEntry(at=event.created_at, action=Action(event.action).label, status=Status(event.to_status).label)
        for event in application.events.only("created_at", "action", "to_status")
    ]
    return application, entries


@dataclass(frozen=True)
class LetterStatistics:
    received: int
    replied: int
    replied_on_time: int


def letter_statistics(*, since: dt.date | None = None, until: dt.date | None = None) -> LetterStatistics:
    """Public figures: letters received in the period, how many were answered, and how many within the limit."""
    letters = Letter.objects.all()
    if since:
        letters = letters.filter(received_at__date__gte=since)
    if until:
        letters = letters.filter(received_at__date__lte=until)
    figures = letters.aggregate(
        received=Count("pk"),
        replied=Count("pk", filter=Q(state=Letter.State.REPLIED)),
        replied_on_time=Count("pk", filter=Q(state=Letter.State.REPLIED, reply__on_time=True)),
    )
    return LetterStatistics(**figures)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the family name stays, the rest is hidden."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


@dataclass(frozen=True)
class PublicLetter:
    kind: str
    subject: str
    body: str
    writer: str
    received_on: dt.date
    replied_on: dt.date
    department: str
    reply: str


def letter_public_list(*, kind: str | None = None) -> list[PublicLetter]:
    """Replied letters whose writers consented to publication, newest reply first, the writer's name masked."""
    letters = Letter.objects.filter(published=True, state=Letter.State.REPLIED).select_related("reply")
    if kind:
        letters = letters.filter(kind=kind)
    return [
        PublicLetter(
            kind=letter.get_kind_display(), subject=letter.subject, body=letter.body, writer=mask_name(letter.name),
            received_on=timezone.localdate(letter.received_at), replied_on=timezone.localdate(letter.reply.replied_at),
            department=letter.reply.department, reply=letter.reply.body,
        )
        for letter in letters.order_by("-reply__replied_at")
    ]
