"""Seams for the apps built on the hall: other kinds of case (依申请公开 …) shown in 我的办件 and found by the public
inquiry. The hall does not import those apps (.importlinter): they register here from their AppConfig.ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CaseDeadline:
    due: dt.date | None
    days_left: int | None
    paused: bool
    overdue: bool


@dataclass(frozen=True)
class CaseRow:
    """One line of 我的办件 for a case of another kind."""

    title: str
    tracking_number: str
    submitted_on: dt.date
    status: str
    url: str
    deadline: CaseDeadline | None
    action: str = "查看"  # what the link invites the applicant to do (补正, 下载告知书 …)
    message: str = ""  # the latest thing the applicant was told about the case (需要补正：…, 答复期限已延长 …)


@dataclass(frozen=True)
class CaseInquiry:
    """What the public inquiry shows of a case of another kind (the same shape as a filing's)."""

    tracking_number: str
    service: str
    status: str
    timeline: list = field(default_factory=list)  # entries with .at, .action, .status
    deadline: CaseDeadline | None = None


@dataclass(frozen=True)
class CaseKind:
    name: str
    applicant_rows: Callable[..., list[CaseRow]]  # (*, applicant) -> rows, newest first
    inquire: Callable[..., CaseInquiry | None]  # (*, tracking_number, query_code) -> the case or None


_CASE_KINDS: dict[str, CaseKind] = {}


def case_kind_register(*, case_kind: CaseKind) -> None:
    _CASE_KINDS[case_kind.name] = case_kind


def case_kinds() -> list[CaseKind]:
    return list(_CASE_KINDS.values())
