import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services_hall.deadlines import (
    WorkCalendar,
    add_working_days,
    count_working_days,
    deadline_status,
    due_date,
    working_days_left,
)

D = dt.date
# 2025 国庆节 and 中秋节: 1-8 October off; Sunday 28 September and Saturday 11 October worked.
NATIONAL_DAY_2025 = WorkCalendar.of(
    holidays=[D(2025, 10, day) for day in range(1, 9)],
    makeup_workdays=[D(2025, 9, 28), D(2025, 10, 11)],
)


@pytest.mark.parametrize(
    ("days", "due"),
    [
        (0, D(2025, 9, 26)),
        (1, D(2025, 9, 28)),  # the make-up Sunday is a working day
        (2, D(2025, 9, 29)),
        (3, D(2025, 9, 30)),
        (4, D(2025, 10, 9)),  # the whole holiday week is skipped
        (5, D(2025, 10, 10)),
        (6, D(2025, 10, 11)),  # the make-up Saturday
        (7, D(2025, 10, 13)),
    ],
)
def test_working_days_from_the_friday_before_national_day(days, due):
    assert add_working_days(D(2025, 9, 26), days, calendar=NATIONAL_DAY_2025) == due


def test_twenty_day_statutory_limit_from_acceptance_on_30_september_ends_on_4_november():
    # Counted by hand: 9, 10, 11, 13-17, 20-24, 27-31 October and 3, 4 November.
    assert due_date(D(2025, 9, 30), 20, calendar=NATIONAL_DAY_2025) == D(2025, 11, 4)


def test_the_holiday_week_counts_as_one_working_day_between_its_edges():
    assert count_working_days(D(2025, 9, 30), D(2025, 10, 9), calendar=NATIONAL_DAY_2025) == 1
    assert count_working_days(D(2025, 10, 1), D(2025, 10, 8), calendar=NATIONAL_DAY_2025) == 0


def test_weekday_holiday_is_off_and_make_up_weekend_is_on():
    assert not NATIONAL_DAY_2025.is_workday(D(2025, 10, 8))  # a Wednesday
    assert NATIONAL_DAY_2025.is_workday(D(2025, 10, 11))  # a Saturday
    assert not NATIONAL_DAY_2025.is_workday(D(2025, 10, 12))  # an ordinary Sunday


def test_correction_time_does_not_count():
    # Accepted Friday 26 September with 5 working days; 补正 requested Monday 29 September, answered 9 October.
    # Paused: 30 September and 9 October (the holiday week was never going to count).
    paused = count_working_days(D(2025, 9, 29), D(2025, 10, 9), calendar=NATIONAL_DAY_2025)
    assert paused == 2
    assert due_date(D(2025, 9, 26), 5, calendar=NATIONAL_DAY_2025) == D(2025, 10, 10)
    assert due_date(D(2025, 9, 26), 5, calendar=NATIONAL_DAY_2025, paused_working_days=paused) == D(2025, 10, 13)


def test_clock_stands_still_while_waiting_for_correction():
    before = deadline_status(
        start=D(2025, 9, 26), limit_days=5, today=D(2025, 9, 29), calendar=NATIONAL_DAY_2025,
        paused_since=D(2025, 9, 29),
    )
    weeks_later = deadline_status(
        start=D(2025, 9, 26), limit_days=5, today=D(2025, 10, 20), calendar=NATIONAL_DAY_2025,
        paused_since=D(2025, 9, 29),
    )
    assert before.paused and weeks_later.paused
    assert before.days_left == weeks_later.days_left == 3
    assert not weeks_later.overdue


@pytest.mark.parametrize(
    ("today", "days_left", "due_soon", "overdue"),
    [
        (D(2025, 9, 26), 5, False, False),
        (D(2025, 9, 29), 3, True, False),
        (D(2025, 10, 3), 2, True, False),  # during the holiday the count does not move
        (D(2025, 10, 10), 0, True, False),  # the due date itself
        (D(2025, 10, 11), -1, False, True),
        (D(2025, 10, 12), -1, False, True),  # a Sunday after the due date is already late
        (D(2025, 10, 13), -2, False, True),
    ],
)
def test_days_left_due_soon_and_overdue_across_national_day(today, days_left, due_soon, overdue):
    status = deadline_status(start=D(2025, 9, 26), limit_days=5, today=today, calendar=NATIONAL_DAY_2025)
    assert status.due == D(2025, 10, 10)
    assert (status.days_left, status.due_soon, status.overdue) == (days_left, due_soon, overdue)


def test_negative_limits_are_a_programming_error():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 1), -1, calendar=NATIONAL_DAY_2025)


# Property tests over random calendars: any mix of holidays and make-up days.
days_2025_2026 = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))
calendars = st.builds(
    WorkCalendar.of,
    holidays=st.frozensets(days_2025_2026, max_size=60),
    makeup_workdays=st.frozensets(days_2025_2026, max_size=10),
)
starts = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 6, 30))


@given(start=starts, days=st.integers(min_value=1, max_value=60), calendar=calendars)
def test_due_date_is_a_workday_and_counts_exactly_n_workdays(start, days, calendar):
    due = add_working_days(start, days, calendar=calendar)
    assert calendar.is_workday(due)
    assert count_working_days(start, due, calendar=calendar) == days
    # and it is the first such day: the day before falls one short
    assert count_working_days(start, due - dt.timedelta(days=1), calendar=calendar) == days - 1


@given(start=starts, a=st.integers(0, 40), b=st.integers(0, 40), calendar=calendars)
def test_adding_working_days_in_two_steps_equals_adding_them_at_once(start, a, b, calendar):
    step = add_working_days(start, a, calendar=calendar)
    assert add_working_days(step, b, calendar=calendar) == add_working_days(start, a + b, calendar=calendar)


@given(start=starts, days=st.integers(1, 40), extra=st.integers(0, 20), calendar=calendars)
def test_pausing_never_brings_the_due_date_forward(start, days, extra, calendar):
    plain = due_date(start, days, calendar=calendar)
    assert due_date(start, days, calendar=calendar, paused_working_days=extra) >= plain


@given(start=starts, days=st.integers(1, 40), offset=st.integers(0, 120), calendar=calendars)
def test_days_left_counts_down_to_zero_on_the_due_date_and_is_negative_only_after_it(start, days, offset, calendar):
    due = add_working_days(start, days, calendar=calendar)
    today = start + dt.timedelta(days=offset)
    left = working_days_left(due, today, calendar=calendar)
    assert (left < 0) == (today > due)
    if today <= due:
        assert add_working_days(today, left, calendar=calendar) == due or not calendar.is_workday(due)


@given(start=starts, days=st.integers(1, 30), pause_at=st.integers(0, 20), wait=st.integers(0, 60), calendar=calendars)
def test_days_left_are_frozen_while_paused(start, days, pause_at, wait, calendar):
    paused_since = start + dt.timedelta(days=pause_at)
    when_paused = deadline_status(
        start=start, limit_days=days, today=paused_since, calendar=calendar, paused_since=paused_since
    )
    later = deadline_status(
        start=start, limit_days=days, today=paused_since + dt.timedelta(days=wait), calendar=calendar,
        paused_since=paused_since,
    )
    assert later.days_left == when_paused.days_left
