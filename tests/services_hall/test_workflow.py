import itertools

import pytest

from services_hall.workflow import (
    FINAL_STATUSES,
    TRANSITIONS,
    Action,
    Role,
    RoleNotAllowed,
    Status,
    TransitionNotAllowed,
    allowed_actions,
    next_status,
)

EXPECTED = {
    ("draft", "submit"): ("submitted", "applicant"),
    ("submitted", "accept"): ("accepted", "intake"),
    ("submitted", "reject"): ("not_accepted", "intake"),
    ("submitted", "request_correction"): ("correction", "intake"),
    ("accepted", "request_correction"): ("correction", "intake"),
    ("under_review", "request_correction"): ("correction", "reviewer"),
    ("correction", "supplement"): ("under_review", "applicant"),
    ("accepted", "start_review"): ("under_review", "reviewer"),
    ("under_review", "approve"): ("approved", "reviewer"),
    ("under_review", "deny"): ("denied", "reviewer"),
    ("approved", "close"): ("closed", "intake"),
    ("denied", "close"): ("closed", "intake"),
    ("submitted", "withdraw"): ("withdrawn", "applicant"),
    ("accepted", "withdraw"): ("withdrawn", "applicant"),
    ("correction", "withdraw"): ("withdrawn", "applicant"),
    ("under_review", "withdraw"): ("withdrawn", "applicant"),
}


def test_the_table_is_exactly_the_agreed_workflow():
    assert {(s.value, a.value): (t.value, r.value) for (s, a), (t, r) in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize(("source", "action"), list(EXPECTED))
def test_every_move_in_the_table_is_allowed_to_its_role_only(source, action):
    target, role = EXPECTED[(source, action)]
    assert next_status(source, action, role) == target
    for other in set(Role) - {Role(role)}:
        with pytest.raises(RoleNotAllowed) as error:
            next_status(source, action, other)
        assert Role(role).label in error.value.message


@pytest.mark.parametrize(
    ("source", "action"),
    [pair for pair in itertools.product(Status.values, Action.values) if pair not in EXPECTED],
)
def test_every_move_outside_the_table_is_refused_for_everyone(source, action):
    with pytest.raises(TransitionNotAllowed) as error:
        next_status(source, action, list(Role))
    assert not isinstance(error.value, RoleNotAllowed)
    assert Status(source).label in error.value.message and Action(action).label in error.value.message


def test_withdrawal_is_possible_until_the_decision_and_not_after():
    may_withdraw = {s for s in Status if (s, Action.WITHDRAW) in TRANSITIONS}
    assert may_withdraw == {Status.SUBMITTED, Status.ACCEPTED, Status.CORRECTION, Status.UNDER_REVIEW}


def test_final_statuses_have_no_way_out():
    assert not [key for key in TRANSITIONS if key[0] in FINAL_STATUSES]


def test_every_status_can_be_reached_from_a_draft():
    reached, frontier = {Status.DRAFT}, [Status.DRAFT]
    while frontier:
        current = frontier.pop()
        for (source, _), (target, _) in TRANSITIONS.items():
            if source == current and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(Status)


def test_a_person_holding_both_staff_roles_may_act_as_either():
    assert next_status(Status.SUBMITTED, Action.ACCEPT, [Role.INTAKE, Role.REVIEWER]) == Status.ACCEPTED
    assert next_status(Status.UNDER_REVIEW, Action.APPROVE, [Role.INTAKE, Role.REVIEWER]) == Status.APPROVED


def test_buttons_offered_to_each_role():
    assert allowed_actions(Status.SUBMITTED, [Role.INTAKE]) == [
        Action.ACCEPT, Action.REJECT, Action.REQUEST_CORRECTION,
    ]
    assert allowed_actions(Status.SUBMITTED, [Role.REVIEWER]) == []
    assert allowed_actions(Status.UNDER_REVIEW, [Role.REVIEWER]) == [
        Action.REQUEST_CORRECTION, Action.APPROVE, Action.DENY,
    ]
    assert allowed_actions(Status.CORRECTION, [Role.APPLICANT]) == [Action.SUPPLEMENT, Action.WITHDRAW]
