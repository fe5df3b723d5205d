"""The statutory clock of a request (政府信息公开条例第三十条、第三十二条、第三十三条). Pure: no database, no clock.

- answer within 20 working days of the date of receipt (第三十三条第一款); the day of receipt is not counted;
- one extension of at most 20 working days, approved by the head of the disclosure office, with a notice (同款);
- 补正 asked for once, within 7 working days of receipt; the 20 days then run from the day the corrected
  application is received (第三十条);
- time spent consulting a third party or another office is not counted (第三十三条第二款); the third party has
  15 working days to answer (第三十二条).
Working days come from the hall's calendar (services_hall.deadlines), so holidays and 调休 count as there.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from services_hall.deadlines import WorkCalendar, add_working_days, count_working_days, deadline_status

ANSWER_DAYS = 20
MAX_EXTENSION_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
THIRD_PARTY_DAYS = 15
DUE_SOON_WORKING_DAYS = 5


@dataclass(frozen=True)
class Consultation:
    """One period of consulting a third party or another office: from the day the letter went out to the day the
    answer came back (None while it is still awaited)."""

    started_on: dt.date
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class AnswerClock:
    """What staff and the applicant are shown about the answer's limit."""

    starts_on: dt.date | None  # the day the 20 days run from; None while a 补正 is awaited
    due: dt.date | None
    days_left: int | None
    waiting_for: str  # "" counting; "补正" the applicant's correction; "征求意见" a consultation
    due_soon: bool
    overdue: bool


def correction_notice_due(received_on: dt.date, *, calendar: WorkCalendar) -> dt.date:
    """The last day to ask for 补正: the 7th working day after receipt."""
    return add_working_days(received_on, CORRECTION_NOTICE_DAYS, calendar=calendar)


def third_party_reply_due(sent_on: dt.date, *, calendar: WorkCalendar) -> dt.date:
    """The last day for the third party's opinion: the 15th working day after it received the letter."""
    return add_working_days(sent_on, THIRD_PARTY_DAYS, calendar=calendar)


def consulted_working_days(consultations: Sequence[Consultation], *, calendar: WorkCalendar) -> int:
    """Working days spent on finished consultations, which the limit does not count."""
    return sum(
        count_working_days(c.started_on, c.ended_on, calendar=calendar) for c in consultations if c.ended_on
    )


def answer_clock(
    *,
    received_on: dt.date,
    today: dt.date,
    calendar: WorkCalendar,
    correction_requested_on: dt.date | None = None,
    corrected_on: dt.date | None = None,
    extension_days: int = 0,
    consultations: Sequence[Consultation] = (),
    due_soon_within: int = DUE_SOON_WORKING_DAYS,
) -> AnswerClock:
    """The answer's limit today. While a 补正 is awaited nothing runs; while a consultation is open the count
    stands still and the due date shown is where it would fall if the answer came back today."""
    if not 0 <= extension_days <= MAX_EXTENSION_DAYS:
        raise ValueError(f"延长答复期限最长不得超过{MAX_EXTENSION_DAYS}个工作日。")
    if correction_requested_on is not None and corrected_on is None:
        return AnswerClock(None, None, None, "补正", due_soon=False, overdue=False)
    starts_on = corrected_on or received_on
    open_since = next((c.started_on for c in consultations if c.ended_on is None), None)
    state = deadline_status(
        start=starts_on,
        limit_days=ANSWER_DAYS + extension_days,
        today=today,
        calendar=calendar,
        paused_working_days=consulted_working_days(consultations, calendar=calendar),
        paused_since=open_since,
        due_soon_within=due_soon_within,
    )
    return AnswerClock(
        starts_on=starts_on,
        due=state.due,
        days_left=state.days_left,
        waiting_for="征求意见" if open_since else "",
        due_soon=state.due_soon,
        overdue=state.overdue,
    )
