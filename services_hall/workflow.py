"""The life of an application (办件): its statuses, the actions that move it, and who may take them.

Every allowed move is a row of TRANSITIONS; anything not in the table is refused.
"""

from collections.abc import Iterable

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    CORRECTION = "correction", "补正中"
    UNDER_REVIEW = "under_review", "审查中"
    APPROVED = "approved", "准予许可"
    DENIED = "denied", "不予许可"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


class Action(models.TextChoices):
    SUBMIT = "submit", "提交申请"
    ACCEPT = "accept", "受理"
    REJECT = "reject", "不予受理"
    REQUEST_CORRECTION = "request_correction", "要求补正"
    SUPPLEMENT = "supplement", "提交补正材料"
    START_REVIEW = "start_review", "开始审查"
    APPROVE = "approve", "准予许可"
    DENY = "deny", "不予许可"
    CLOSE = "close", "办结"
    WITHDRAW = "withdraw", "撤回申请"


class Role(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    INTAKE = "intake", "受理员"
    REVIEWER = "reviewer", "审核员"


# The staff groups that carry each staff role (created by a data migration).
ROLE_GROUPS: dict[Role, str] = {Role.INTAKE: "受理员", Role.REVIEWER: "审核员"}

# (from, action) -> (to, who may do it)
TRANSITIONS: dict[tuple[Status, Action], tuple[Status, Role]] = {
    (Status.DRAFT, Action.SUBMIT): (Status.SUBMITTED, Role.APPLICANT),
    # Intake (受理): accept, refuse, or ask once for everything that is missing (一次性告知).
    (Status.SUBMITTED, Action.ACCEPT): (Status.ACCEPTED, Role.INTAKE),
    (Status.SUBMITTED, Action.REJECT): (Status.NOT_ACCEPTED, Role.INTAKE),
    (Status.SUBMITTED, Action.REQUEST_CORRECTION): (Status.CORRECTION, Role.INTAKE),
    (Status.ACCEPTED, Action.REQUEST_CORRECTION): (Status.CORRECTION, Role.INTAKE),
    (Status.UNDER_REVIEW, Action.REQUEST_CORRECTION): (Status.CORRECTION, Role.REVIEWER),
    # The applicant answers once with all the requested material; the case then goes to review.
    (Status.CORRECTION, Action.SUPPLEMENT): (Status.UNDER_REVIEW, Role.APPLICANT),
    (Status.ACCEPTED, Action.START_REVIEW): (Status.UNDER_REVIEW, Role.REVIEWER),
    # Decision (决定).
    (Status.UNDER_REVIEW, Action.APPROVE): (Status.APPROVED, Role.REVIEWER),
    (Status.UNDER_REVIEW, Action.DENY): (Status.DENIED, Role.REVIEWER),
    # 办结: the decision has been delivered.
    (Status.APPROVED, Action.CLOSE): (Status.CLOSED, Role.INTAKE),
    (Status.DENIED, Action.CLOSE): (Status.CLOSED, Role.INTAKE),
    # The applicant may withdraw at any time before the decision.
    (Status.SUBMITTED, Action.WITHDRAW): (Status.WITHDRAWN, Role.APPLICANT),
    (Status.ACCEPTED, Action.WITHDRAW): (Status.WITHDRAWN, Role.APPLICANT),
    (Status.CORRECTION, Action.WITHDRAW): (Status.WITHDRAWN, Role.APPLICANT),
    (Status.UNDER_REVIEW, Action.WITHDRAW): (Status.WITHDRAWN, Role.APPLICANT),
}

# Statuses in which a case is waiting for staff (the back-office queue).
ACTIVE_STATUSES = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.UNDER_REVIEW, Status.CORRECTION})
# Statuses with no way out: the case is over.
FINAL_STATUSES = frozenset({Status.NOT_ACCEPTED, Status.CLOSED, Status.WITHDRAWN})
# 好差评 is invited once a case has been concluded by the office.
RATABLE_STATUSES = frozenset({Status.CLOSED, Status.NOT_ACCEPTED})
# A case may be sent back for 补正 only once: the office must name everything missing in one go.
MAX_CORRECTIONS = 1


class TransitionNotAllowed(Exception):
    """An action that the table does not allow from the current status, or not to this role."""

    def __init__(self, message: str, *, current: Status, action: Action):
        super().__init__(message)
        self.message = message
        self.current = current
        self.action = action


class RoleNotAllowed(TransitionNotAllowed):
    """The move exists, but the person trying it does not hold the role it needs."""


def next_status(current: Status | str, action: Action | str, roles: Role | str | Iterable[Role | str]) -> Status:
    """The status after `action` by someone holding `roles`, or TransitionNotAllowed naming what was tried."""
    current, action = Status(current), Action(action)
    held = {Role(roles)} if isinstance(roles, str) else {Role(role) for role in roles}
    try:
        target, needed = TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionNotAllowed(
            f"办件当前状态为“{current.label}”，不能执行“{action.label}”。", current=current, action=action
        ) from None
    if needed not in held:
        raise RoleNotAllowed(f"“{action.label}”须由{needed.label}办理。", current=current, action=action)
    return target


def allowed_actions(current: Status | str, roles: Iterable[Role | str]) -> list[Action]:
    """The actions someone holding `roles` may take from `current`, in table order (for showing buttons)."""
    held = {Role(role) for role in roles}
    return [action for (source, action), (_, needed) in TRANSITIONS.items() if source == current and needed in held]
