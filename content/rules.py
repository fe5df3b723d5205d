"""Editorial rules as data and pure functions: index numbers, validity notices, notice consistency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

INDEX_NUMBER_SEQUENCE_DIGITS = 5


def index_number(*, department_code: str, year: int, sequence: int) -> str:
    """索引号: `<department code>/<year>-<5-digit sequence>`, e.g. 000014349/2025-00012."""
    if not 1 <= sequence < 10**INDEX_NUMBER_SEQUENCE_DIGITS:
        raise ValueError(f"索引号序号超出范围：{sequence}")
    return f"{department_code}/{year}-{sequence:0{INDEX_NUMBER_SEQUENCE_DIGITS}d}"


def index_number_prefix(*, department_code: str, year: int) -> str:
    return f"{department_code}/{year}-"


def index_number_sequence(value: str) -> int:
    """The sequence part of an index number (0 when there is none)."""
    _, _, tail = value.rpartition("-")
    return int(tail) if tail.isdigit() else 0


# 有效性 → the words of the banner a no-longer-valid policy shows on its own page.
VALIDITY_NOTICES: dict[str, str] = {
    "expired": "本文件已于{date}失效。",
    "repealed": "本文件已于{date}废止。",
    "amended": "本文件已于{date}修订。",
}


def validity_notice(*, validity: str, changed_on: dt.date | None) -> str:
    """The banner text for a policy that is no longer valid; empty for a valid one."""
    template = VALIDITY_NOTICES.get(validity)
    if template is None:
        return ""
    date = f"{changed_on.year}年{changed_on.month}月{changed_on.day}日" if changed_on else ""
    return template.format(date=date) if date else template.replace("于{date}", "")


def policy_validity_errors(
    *, validity: str, changed_on: dt.date | None, replaced_by_id: int | None, own_id: int | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if validity != "valid" and changed_on is None:
        errors["validity_changed_on"] = "文件不再有效时，请填写失效、废止或修订的日期。"
    if validity == "valid" and changed_on is not None:
        errors["validity_changed_on"] = "有效的文件不应填写失效日期。"
    if replaced_by_id is not None and replaced_by_id == own_id:
        errors["replaced_by"] = "替代文件不能是本文件。"
    return errors


RESULT_NOTICE_TYPES = frozenset({"award", "deal", "contract"})
TENDER_NOTICE_TYPES = frozenset(
    {"open_tender", "invited_tender", "negotiation", "consultation", "inquiry", "single_source"}
)

# The order of stages within one project, for notices published on the same day.
TIMELINE_STAGE: dict[str, int] = {
    "intention": 0,
    "prequalification": 1,
    **{kind: 2 for kind in TENDER_NOTICE_TYPES},
    "correction": 3,
    "award": 4,
    "deal": 4,
    "termination": 4,
    "contract": 5,
}


def procurement_notice_errors(
    *, notice_type: str, supplier: str, award_amount: Decimal | None,
    bid_deadline: dt.datetime | None, bid_opening: dt.datetime | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if notice_type in RESULT_NOTICE_TYPES:
        if not supplier:
            errors["supplier"] = "中标、成交和合同公告须填写供应商。"
        if award_amount is None:
            errors["award_amount"] = "中标、成交和合同公告须填写金额。"
    if bid_deadline and bid_opening and bid_opening < bid_deadline:
        errors["bid_opening"] = "开标时间不能早于投标截止时间。"
    return errors
