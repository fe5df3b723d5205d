"""The statutory clock of 依申请公开 (条例第三十条、第三十三条), as arithmetic on the working-day calendar."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosure.clock import (
    ANSWER_DAYS,
    Consultation,
    answer_clock,
    correction_notice_due,
    third_party_reply_due,
)
from services_hall.deadlines import WorkCalendar, add_working_days, count_working_days

D = dt.date
# 2025 国庆节 and 中秋节: 1-8 October off; Sunday 28 September and Saturday 11 October worked.
NATIONAL_DAY_2025 = WorkCalendar.of(
    holidays=[D(2025, 10, day) for day in range(1, 9)],
    makeup_workdays=[D(2025, 9, 28), D(2025, 10, 11)],
)
PLAIN = WorkCalendar()

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31))
calendars = st.sampled_from([PLAIN, NATIONAL_DAY_2025])


def test_twenty_working_days_skip_the_national_day_holiday():
    clock = answer_clock(received_on=D(2025, 9, 26), today=D(2025, 9, 26), calendar=NATIONAL_DAY_2025)
    # 28-30 Sep (3, the Sunday worked), 9-11 Oct (3, the Saturday worked), then 14 more working days.
    assert clock.due == D(2025, 10, 30)
    assert clock.days_left == 20 and not clock.overdue


def test_a_request_answered_late_shows_overdue():
    clock = answer_clock(received_on=D(2026, 3, 2), today=D(2026, 4, 1), calendar=PLAIN)
    assert clock.due == D(2026, 3, 30)
    assert clock.overdue and clock.days_left == -2


def test_nothing_runs_while_the_applicant_corrects():
    clock = answer_clock(received_on=D(2026, 3, 2), today=D(2026, 6, 1), calendar=PLAIN,
                         correction_requested_on=D(2026, 3, 4))
    assert clock.due is None and clock.waiting_for == "补正" and not clock.overdue


def test_correction_may_be_asked_until_the_seventh_working_day():
    assert correction_notice_due(D(2026, 3, 2), calendar=PLAIN) == D(2026, 3, 11)
    assert third_party_reply_due(D(2026, 3, 2), calendar=PLAIN) == D(2026, 3, 23)


def test_an_extension_beyond_twenty_days_is_refused():
    with pytest.raises(ValueError, match="20个工作日"):
        answer_clock(received_on=D(2026, 3, 2), today=D(2026, 3, 2), calendar=PLAIN, extension_days=21)


@given(received=dates, calendar=calendars, extension=st.integers(0, 20))
def test_the_due_day_is_a_workday_exactly_twenty_plus_extension_working_days_after_receipt(
    received, calendar, extension
):
    clock = answer_clock(received_on=received, today=received, calendar=calendar, extension_days=extension)
    assert calendar.is_workday(clock.due)
    assert count_working_days(received, clock.due, calendar=calendar) == ANSWER_DAYS + extension


@given(received=dates, calendar=calendars, extension=st.integers(1, 20))
def test_an_extension_moves_the_due_day_by_exactly_its_working_days(received, calendar, extension):
    plain = answer_clock(received_on=received, today=received, calendar=calendar)
    extended = answer_clock(received_on=received, today=received, calendar=calendar, extension_days=extension)
    assert extended.due > plain.due
    assert count_working_days(plain.due, extended.due, calendar=calendar) == extension


@given(received=dates, calendar=calendars, delay=st.integers(0, 7), wait=st.integers(0, 60))
def test_after_a_correction_the_twenty_days_run_from_the_corrected_application(
    received, calendar, delay, wait
):
    asked = add_working_days(received, delay, calendar=calendar)
    corrected = asked + dt.timedelta(days=wait)
    clock = answer_clock(received_on=received, today=corrected, calendar=calendar,
                         correction_requested_on=asked, corrected_on=corrected)
    assert clock.starts_on == corrected
    assert count_working_days(corrected, clock.due, calendar=calendar) == ANSWER_DAYS
    assert clock.days_left == ANSWER_DAYS


@given(received=dates, calendar=calendars, offset=st.integers(0, 19), length=st.integers(0, 40))
def test_consultation_time_is_not_counted(received, calendar, offset, length):
    sent = add_working_days(received, offset, calendar=calendar)
    back = sent + dt.timedelta(days=length)
    plain = answer_clock(received_on=received, today=received, calendar=calendar)
    consulted = answer_clock(received_on=received, today=back, calendar=calendar,
                             consultations=[Consultation(sent, back)])
    paused = count_working_days(sent, back, calendar=calendar)
    assert consulted.due == add_working_days(plain.due, paused, calendar=calendar)
    assert count_working_days(received, consulted.due, calendar=calendar) == ANSWER_DAYS + paused
    # The days left when the answer came back are those left when the letter went out.
    assert consulted.days_left == ANSWER_DAYS - offset


@given(received=dates, calendar=calendars, offset=st.integers(0, 19), waited=st.integers(0, 40))
def test_while_a_consultation_is_open_the_count_stands_still(received, calendar, offset, waited):
    sent = add_working_days(received, offset, calendar=calendar)
    today = sent + dt.timedelta(days=waited)
    clock = answer_clock(received_on=received, today=today, calendar=calendar,
                         consultations=[Consultation(sent, None)])
    assert clock.waiting_for == "征求意见"
    assert clock.days_left == ANSWER_DAYS - offset
    assert not clock.overdue
    if calendar.is_workday(today):
        assert clock.due >= today


@given(received=dates, calendar=calendars, elapsed=st.integers(0, 80))
def test_days_left_falls_by_one_each_working_day_and_overdue_follows_it(received, calendar, elapsed):
    today = received + dt.timedelta(days=elapsed)
    clock = answer_clock(received_on=received, today=today, calendar=calendar)
    if today <= clock.due:
        assert clock.days_left == ANSWER_DAYS - count_working_days(received, today, calendar=calendar)
    assert clock.overdue == (today > clock.due)
