"""Working-day arithmetic for statutory and promised time limits. Pure: no database, no clock.

Conventions, as in 行政许可法 (第八十二条: limits are counted in working days, excluding statutory holidays):
- the day an interval starts is not counted: 5 working days from acceptance end on the 5th working day *after* it;
- a make-up workday (调休上班) counts, even on a weekend; an official holiday does not, even on a weekday;
- time waiting for the applicant's 补正 does not count: the working days after the request up to and including the
  day the applicant answers are added back to the limit.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

# Statutory limits rarely exceed a few months; a guard against a calendar bug turning into an endless loop.
_MAX_SCAN_DAYS = 366 * 20


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked: Monday to Friday, except official holidays, plus make-up workdays."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *, holidays: Iterable[dt.date] = (), makeup_workdays: Iterable[dt.date] = ()) -> "WorkCalendar":
        return cls(holidays=frozenset(holidays), makeup_workdays=frozenset(makeup_workdays))

    def is_workday(self, day: dt.date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def add_working_days(start: dt.date, days: int, *, calendar: WorkCalendar) -> dt.date:
    """The `days`-th working day after `start` (start itself not counted); `start` when days is 0."""
    if days < 0:
        raise ValueError("days must not be negative")
    day, remaining = start, days
    for _ in range(_MAX_SCAN_DAYS):
        if remaining == 0:
            return day
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            remaining -= 1
    raise ValueError("no working day found within twenty years")


def count_working_days(start: dt.date, end: dt.date, *, calendar: WorkCalendar) -> int:
    """How many working days lie after `start` up to and including `end`; 0 when end <= start."""
    total = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        total += calendar.is_workday(day)
        day += dt.timedelta(days=1)
    return total


def due_date(
    start: dt.date, limit_days: int, *, calendar: WorkCalendar, paused_working_days: int = 0
) -> dt.date:
    """The last day of a limit of `limit_days` working days from `start`, extended by the paused working days."""
    return add_working_days(start, limit_days + paused_working_days, calendar=calendar)


def working_days_left(due: dt.date, today: dt.date, *, calendar: WorkCalendar) -> int:
    """Working days from today until the due date: 0 on the due date itself, negative once it has passed."""
    if today <= due:
        return count_working_days(today, due, calendar=calendar)
    # A weekend right after the due date is already late: at least one day overdue.
    return -max(1, count_working_days(due, today, calendar=calendar))


@dataclass(frozen=True)
class Deadline:
    """What staff and applicant are shown about one limit."""

    due: dt.date
    days_left: int
    paused: bool
    due_soon: bool
    overdue: bool


def deadline_status(
    *,
    start: dt.date,
    limit_days: int,
    today: dt.date,
    calendar: WorkCalendar,
    paused_working_days: int = 0,
    paused_since: dt.date | None = None,
    due_soon_within: int = 3,
) -> Deadline:
    """The state of a limit today. While paused (补正) the count stands still as it was the day the pause began;
    the due date shown is where it would fall if the applicant answered today."""
    if paused_since is None:
        due = due_date(start, limit_days, calendar=calendar, paused_working_days=paused_working_days)
        left = working_days_left(due, today, calendar=calendar)
    else:
        at_pause = due_date(start, limit_days, calendar=calendar, paused_working_days=paused_working_days)
        left = working_days_left(at_pause, paused_since, calendar=calendar)
        # Working days since the pause began do not count, so the due date moves with them.
        waited = count_working_days(paused_since, today, calendar=calendar)
        due = due_date(start, limit_days, calendar=calendar, paused_working_days=paused_working_days + waited)
    overdue = left < 0
    return Deadline(
        due=due,
        days_left=left,
        paused=paused_since is not None,
        due_soon=not overdue and left <= due_soon_within,
        overdue=overdue,
    )
