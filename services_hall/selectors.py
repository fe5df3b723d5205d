"""Reads for the services hall: each returns data shaped for its page, with a bounded number of queries."""

import datetime as dt
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Case, Count, DateField, F, Max, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .deadlines import Deadline, WorkCalendar, add_working_days, deadline_status, working_days_left
from .models import Application, Holiday, Letter, Rating, ServiceGuidePage
from .workflow import ACTIVE_STATUSES, RATABLE_STATUSES, ROLE_GROUPS, Action, Role, Status, allowed_actions

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
    tracking_number: str = ""


def letter_published_recent(*, limit: int) -> list[Letter]:
    """The most recently answered published letters, with their replies (for feeds, sitemap and search)."""
    return list(Letter.objects.filter(published=True, state=Letter.State.REPLIED).select_related("reply")
                .order_by("-reply__replied_at", "-pk")[:limit])


def letter_public_list(*, kind: str | None = None) -> list[PublicLetter]:
    """Replied letters whose writers consented to publication, newest reply first, personal data masked."""
    letters = Letter.objects.filter(published=True, state=Letter.State.REPLIED).select_related("reply")
    if kind:
        letters = letters.filter(kind=kind)
    return [public_letter(letter) for letter in letters.order_by("-reply__replied_at", "-pk")]


# ---------------------------------------------------------------------------------------------------------------
# Published letters: personal data masked in every public field


_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[-－ ]?(\d{5,6})(\d{2})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_EMAIL = re.compile(r"([A-Za-z0-9])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def mask_personal_data(text: str, *, name: str = "") -> str:
    """Text fit for publication: mobile and landline numbers, ID numbers, email addresses and the writer's own
    name, wherever they appear, are partly hidden (13900001111 → 139****1111)."""
    text = _ID_NUMBER.sub(lambda m: f"{m[1]}********{m[2]}", text)
    text = _MOBILE.sub(lambda m: f"{m[1]}****{m[2]}", text)
    text = _LANDLINE.sub(lambda m: f"{m[1]}-{'*' * len(m[2])}{m[3]}", text)
    text = _EMAIL.sub(lambda m: f"{m[1]}***{m[2]}", text)
    name = name.strip()
    if len(name) >= 2:
        text = text.replace(name, mask_name(name))
    return text


def public_letter(letter: Letter) -> PublicLetter:
    """The published form of a replied letter (its reply loaded with select_related)."""
    reply = letter.reply

    def masked(text: str) -> str:
        return mask_personal_data(text, name=letter.name)

    return PublicLetter(
        kind=letter.get_kind_display(), subject=masked(letter.subject), body=masked(letter.body),
        writer=mask_name(letter.name), received_on=timezone.localdate(letter.received_at),
        replied_on=timezone.localdate(reply.replied_at), department=reply.department, reply=masked(reply.body),
        tracking_number=letter.tracking_number,
    )


def letter_public_detail(*, tracking_number: str) -> PublicLetter | None:
    """One published letter by its number, or None when it does not exist or is not published."""
    letter = (
        Letter.objects.filter(published=True, state=Letter.State.REPLIED, tracking_number=tracking_number)
        .select_related("reply")
        .first()
    )
    return public_letter(letter) if letter else None


# ---------------------------------------------------------------------------------------------------------------
# Back office (Wagtail admin)


STAFF_ROLES = frozenset({Role.INTAKE, Role.REVIEWER})


def staff_roles(*, user, application: Application | None = None) -> set[Role]:
    """The staff roles `user` holds (受理员, 审核员); the applicant role never acts in the back office."""
    return user_roles(user=user, application=application) & STAFF_ROLES


class DueFilter(models.TextChoices):
    ALL = "", "全部"
    OVERDUE = "overdue", "已超期"
    DUE_SOON = "due_soon", "即将到期"


def application_queue_filtered(
    *,
    service: ServiceGuidePage | None = None,
    status: Status | str | None = None,
    due: DueFilter | str = DueFilter.ALL,
    search: str = "",
    today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> QuerySet[Application]:
    """application_queue narrowed by due date (overdue: past its due date; due soon: due within
    DUE_SOON_WORKING_DAYS working days, not yet overdue) and by tracking number or applicant name."""
    today = today or timezone.localdate()
    due = DueFilter(due)
    queryset = application_queue(service=service, status=status or None)
    if due == DueFilter.OVERDUE:
        queryset = queryset.filter(due_on__lt=today)
    elif due == DueFilter.DUE_SOON:
        horizon = add_working_days(today, DUE_SOON_WORKING_DAYS, calendar=calendar or work_calendar())
        queryset = queryset.filter(due_on__gte=today, due_on__lte=horizon)
    search = search.strip()
    if search:
        queryset = queryset.filter(Q(tracking_number__icontains=search) | Q(applicant__name__icontains=search))
    return queryset


@dataclass(frozen=True)
class DayLimit:
    """A plain working-day limit that does not pause: a letter's reply, a rating's follow-up."""

    due: dt.date
    days_left: int
    due_soon: bool
    overdue: bool

    @classmethod
    def of(cls, due: dt.date, *, today: dt.date | None = None, calendar: WorkCalendar | None = None) -> "DayLimit":
        left = working_days_left(due, today or timezone.localdate(), calendar=calendar or work_calendar())
        return cls(due=due, days_left=left, due_soon=0 <= left <= DUE_SOON_WORKING_DAYS, overdue=left < 0)


def letter_deadline(*, letter: Letter, today: dt.date | None = None,
                    calendar: WorkCalendar | None = None) -> DayLimit | None:
    """Days left to answer a letter still waiting for its reply (None once replied)."""
    if letter.state != Letter.State.RECEIVED:
        return None
    return DayLimit.of(letter.due_on, today=today, calendar=calendar)


def rating_follow_up_deadline(*, rating: Rating, today: dt.date | None = None,
                              calendar: WorkCalendar | None = None) -> DayLimit | None:
    """Days left to resolve the follow-up of a poor rating (None when there is none open)."""
    if rating.follow_up != Rating.FollowUp.OPEN or rating.follow_up_due_on is None:
        return None
    return DayLimit.of(rating.follow_up_due_on, today=today, calendar=calendar)


def letter_queue(*, state: str | None = Letter.State.RECEIVED, kind: str | None = None) -> QuerySet[Letter]:
    """Letters for staff: those waiting for a reply come earliest-due first; replied ones newest first."""
    letters = Letter.objects.select_related("reply")
    if state:
        letters = letters.filter(state=state)
    if kind:
        letters = letters.filter(kind=kind)
    if state == Letter.State.RECEIVED:
        return letters.order_by("due_on", "received_at", "pk")
    return letters.order_by("state", "due_on", "-received_at", "-pk")


def rating_follow_ups(*, follow_up: str | None = None) -> QuerySet[Rating]:
    """Poor ratings and their follow-up: open ones earliest-due first, then the resolved, latest first."""
    ratings = Rating.objects.exclude(follow_up=Rating.FollowUp.NONE).select_related(
        "application__service", "application__applicant", "follow_up_by"
    )
    if follow_up:
        ratings = ratings.filter(follow_up=follow_up)
    return ratings.order_by(
        Case(When(follow_up=Rating.FollowUp.OPEN, then=Value(0)), default=Value(1)),
        F("follow_up_due_on").asc(nulls_last=True), "-created_at", "-pk",
    )


# ---------------------------------------------------------------------------------------------------------------
# 我的办件 and the applicant's own case page


def applicant_applications(*, applicant) -> QuerySet[Application]:
    """An applicant's applications for 我的办件, newest first, with what each row shows."""
    return (
        Application.objects.filter(applicant=applicant)
        .select_related("service", "rating")
        .order_by("-submitted_at", "-pk")
    )


def applicant_application_rows(*, applications, calendar: WorkCalendar | None = None) -> list[dict]:
    """One row of 我的办件 per application (one page of them): its time left and what the applicant may do next."""
    calendar = calendar or work_calendar()
    return [
        {
            "application": application,
            "deadline": application_deadline(application=application, calendar=calendar),
            "needs_correction": application.status == Status.CORRECTION,
            "can_rate": application.status in RATABLE_STATUSES and not hasattr(application, "rating"),
        }
        for application in applications
    ]


def applicant_application(*, applicant, tracking_number: str) -> Application | None:
    """The application with this number if it is this applicant's; None for anyone else's (and unknown numbers)."""
    return (
        Application.objects.select_related("service", "applicant__user")
        .filter(tracking_number=tracking_number, applicant=applicant)
        .first()
    )


def _display_value(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return "" if value is None else str(value)


def application_form_rows(*, application: Application) -> list[tuple[str, str]]:
    """The filed form as (label, value), in the order of the guide's fields; keys no longer defined come last."""
    labels = {f.clean_name: f.label for f in application.service.form_fields.all() if f.clean_name}
    data = dict(application.form_data or {})
    rows = [(label, _display_value(data.pop(name))) for name, label in labels.items() if name in data]
    return rows + [(name, _display_value(value)) for name, value in data.items()]


def applicant_case(*, application: Application) -> dict:
    """What the applicant's case page shows of an application (the forms on it are the view's)."""
    calendar = work_calendar()
    rating = Rating.objects.filter(application=application).first()
    materials = list(application.materials.all())
    return {
        "application": application,
        "status_label": application.status_label,
        "deadline": application_deadline(application=application, calendar=calendar),
        "statutory_deadline": application_deadline(application=application, which="statutory", calendar=calendar),
        "events": list(application.events.all()),
        "form_rows": application_form_rows(application=application),
        "filed_materials": [m for m in materials if not m.for_correction],
        "correction_materials": [m for m in materials if m.for_correction],
        "in_correction": application.status == Status.CORRECTION,
        "can_withdraw": Action.WITHDRAW in allowed_actions(application.status, [Role.APPLICANT]),
        "can_rate": application.status in RATABLE_STATUSES and rating is None,
        "rating": rating,
    }


# ---------------------------------------------------------------------------------------------------------------
# The hall's front door (ServicesHallPage): its matters and its public figures


def hall_matters(*, hall, query: str = "") -> list[ServiceGuidePage]:
    """The live matters under the hall, by title; `query` narrows them to those whose title, summary, code or
    department contain it."""
    guides = ServiceGuidePage.objects.child_of(hall).live().public()
    if query:
        guides = guides.filter(
            Q(title__icontains=query) | Q(search_description__icontains=query) | Q(service_code__icontains=query)
            | Q(implementing_body__icontains=query) | Q(department__icontains=query) | Q(theme__icontains=query)
        )
    return list(guides.order_by("path"))


@dataclass(frozen=True)
class MatterGroup:
    label: str
    slug: str
    guides: list[ServiceGuidePage]


@dataclass(frozen=True)
class MatterGrouping:
    label: str
    slug: str
    groups: list[MatterGroup]


def hall_matter_groups(*, guides: list[ServiceGuidePage]) -> list[MatterGrouping]:
    """The same matters three ways: by 服务对象 (a matter for both appears under 个人 and 法人), 主题 and 部门."""
    Audience = ServiceGuidePage.Audience
    audiences = [
        MatterGroup(label, value, [g for g in guides if g.audience in (value, Audience.BOTH)])
        for value, label in ((Audience.PERSONAL, "个人办事"), (Audience.LEGAL_PERSON, "法人办事"))
    ]

    def grouped(key) -> list[MatterGroup]:
        groups: dict[str, list[ServiceGuidePage]] = {}
        for guide in guides:
            groups.setdefault(key(guide) or "其他", []).append(guide)
        return [MatterGroup(label, f"g{number}", items) for number, (label, items) in enumerate(groups.items(), 1)]

    return [
        MatterGrouping("按服务对象", "audience", [group for group in audiences if group.guides]),
        MatterGrouping("按主题", "theme", grouped(lambda guide: guide.theme)),
        MatterGrouping("按部门", "department", grouped(lambda guide: guide.department_label)),
    ]


@dataclass(frozen=True)
class HallFigures:
    year: int
    filed: int  # 办件量: applications submitted this year
    decided: int
    decided_on_time: int
    rated: int
    satisfied: int  # 好差评 of 基本满意 or better

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率 in per cent, or None before anything was decided this year."""
        return round(100 * self.decided_on_time / self.decided, 1) if self.decided else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None


def hall_figures(*, today: dt.date) -> HallFigures:
    """The hall's public figures for the calendar year of `today`, computed from the filings (three queries)."""
    start = dt.date(today.year, 1, 1)
    filed = Application.objects.filter(submitted_at__date__gte=start, submitted_at__date__lte=today).count()
    decided = Application.objects.filter(decided_at__date__gte=start, decided_at__date__lte=today).aggregate(
        decided=Count("pk"),
        on_time=Count("pk", filter=Q(decided_at__date__lte=Coalesce("promised_due_on", "intake_due_on"))),
    )
    ratings = Rating.objects.filter(created_at__date__gte=start, created_at__date__lte=today).aggregate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(level__gte=Rating.Level.FAIRLY_SATISFIED)),
    )
    return HallFigures(year=today.year, filed=filed, decided=decided["decided"], decided_on_time=decided["on_time"],
                       rated=ratings["rated"], satisfied=ratings["satisfied"])


def applications_returned_from_correction(*, limit: int = 10) -> QuerySet[Application]:
    """Cases the applicant has answered a 补正 request for, waiting for staff again; the earliest answered first."""
    from django.db.models import Max

    from .models import ApplicationEvent

    answered = (ApplicationEvent.objects.filter(action=Action.SUPPLEMENT).values("application")
                .annotate(at=Max("created_at")))
    return (application_queue(status=Status.UNDER_REVIEW)
            .filter(pk__in=answered.values("application"))
            .annotate(answered_at=Max("events__created_at", filter=Q(events__action=Action.SUPPLEMENT)))
            .order_by("answered_at", "pk")[:limit])


# ---------------------------------------------------------------------------------------------------------------
# What the 政府信息公开工作年度报告 counts from the hall (disclosure reads it here)


def licence_decision_count(*, year: int) -> int:
    """行政许可 decisions of the year (准予许可 and 不予许可 on matters of the type 行政许可, dated in Asia/Shanghai):
    the row 第二十条第（五）项 of the annual report."""
    from .models import ApplicationEvent

    zone = timezone.get_default_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone)
    return ApplicationEvent.objects.filter(
        action__in=[Action.APPROVE, Action.DENY], created_at__gte=start, created_at__lt=end,
        application__service__service_type=ServiceGuidePage.ServiceType.LICENSING,
    ).count()
