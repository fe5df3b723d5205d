"""The closed lists of the annual report and the date of receipt by channel (条例第三十一条)."""

import datetime as dt

import pytest

from disclosure.rules import (
    OUTCOMES,
    TRANSITIONS,
    Action,
    Channel,
    Outcome,
    OutcomeGroup,
    Status,
    TransitionNotAllowed,
    next_status,
    outcomes_in,
    receipt_date,
)

D = dt.date


def test_every_outcome_of_the_annual_report_is_in_exactly_one_group():
    assert [len(outcomes_in(group)) for group in OutcomeGroup] == [1, 1, 8, 3, 5, 3]
    assert set(OUTCOMES) == set(Outcome)
    assert outcomes_in(OutcomeGroup.WITHHELD)[2].label == "危及“三安全一稳定”"
    assert outcomes_in(OutcomeGroup.NOT_PROCESSED)[0].label == "信访举报投诉类申请"


def test_handed_in_is_received_that_day():
    assert receipt_date(channel=Channel.IN_PERSON, arrived_on=D(2026, 3, 2)) == D(2026, 3, 2)


def test_registered_post_is_received_the_day_it_is_signed_for():
    assert receipt_date(channel=Channel.POST_SIGNED, arrived_on=D(2026, 3, 2), fixed_on=D(2026, 3, 3)) == D(2026, 3, 3)


@pytest.mark.parametrize("channel", [Channel.POST_UNSIGNED, Channel.ONLINE, Channel.FAX])
def test_other_channels_are_received_the_day_both_sides_confirm(channel):
    assert receipt_date(channel=channel, arrived_on=D(2026, 3, 2), fixed_on=D(2026, 3, 4)) == D(2026, 3, 4)
    with pytest.raises(ValueError, match="不能早于申请到达日期"):
        receipt_date(channel=channel, arrived_on=D(2026, 3, 2), fixed_on=D(2026, 3, 1))
    with pytest.raises(ValueError, match="请填写"):
        receipt_date(channel=channel, arrived_on=D(2026, 3, 2))


def test_an_answered_request_cannot_move_again():
    for action in Action:
        assert (Status.ANSWERED, action) not in TRANSITIONS
        with pytest.raises(TransitionNotAllowed, match="已答复"):
            next_status(Status.ANSWERED, action)
