"""The tables of the 政府信息公开工作年度报告, computed from facts (pure: no database).

The layout is the State Council office's format (国办公开办函〔2021〕30号): section 二 (主动公开, here the rows of
规章 and 行政规范性文件 read from the published policies), section 三 (收到和处理政府信息公开申请情况: every outcome
row by applicant column) and section 四 (行政复议、行政诉讼). The tables are built here and nowhere else; editors
write only the narrative sections.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from .rules import OUTCOMES, ApplicantKind, Outcome, OutcomeGroup, ReviewResult

SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
COLUMNS: tuple[ApplicantKind, ...] = tuple(ApplicantKind)
GROUP_NUMBERS = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）")


@dataclass(frozen=True)
class CaseFact:
    applicant_kind: str
    received_on: dt.date
    answered_on: dt.date | None
    outcome: str


@dataclass(frozen=True)
class ReviewFact:
    kind: str  # ReviewKind
    after_reconsideration: bool
    filed_on: dt.date
    result: str
    decided_on: dt.date | None


@dataclass(frozen=True)
class PolicyFact:
    kind: str  # "规章" or "行政规范性文件"
    written_on: dt.date
    repealed_on: dt.date | None  # the day it stopped being in force, if it has


def policy_kind(document_number: str) -> str:
    """规章 are issued by an order (令), e.g. 财政部令第98号; every other numbered policy counts as 规范性文件."""
    return "规章" if "令" in document_number else "行政规范性文件"


def _counts(cases, key) -> dict[str, int]:
    counter = Counter(key(case) for case in cases)
    return {kind.value: counter.get(kind.value, 0) for kind in COLUMNS}


def _row(label: str, counts: dict[str, int], *, key: str) -> dict:
    cells = [counts[kind.value] for kind in COLUMNS]
    return {"key": key, "label": label, "cells": cells, "total": sum(cells)}


def applications_table(cases: list[CaseFact], *, year: int) -> list[dict]:
    """Rows of 收到和处理政府信息公开申请情况. Each row: label, one cell per applicant column, and its 总计.

    新收 are received in the year; 上年结转 received before it and not answered before it; results are the
    answers given in the year, one row per outcome; 结转下年度 received by the year's end and not answered in it.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    kind = lambda case: case.applicant_kind  # noqa: E731
    new = [c for c in cases if start <= c.received_on <= end]
    carried_in = [c for c in cases if c.received_on < start and (c.answered_on is None or c.answered_on >= start)]
    answered = [c for c in cases if c.answered_on and start <= c.answered_on <= end and c.received_on <= end]
    carried_out = [c for c in cases if c.received_on <= end and (c.answered_on is None or c.answered_on > end)]
    rows = [
        _row("一、本年新收政府信息公开申请数量", _counts(new, kind), key="new"),
        _row("二、上年结转政府信息公开申请数量", _counts(carried_in, kind), key="carried_in"),
        {"key": "results", "label": "三、本年度办理结果", "cells": None, "total": None},
    ]
    for number, group in zip(GROUP_NUMBERS, OutcomeGroup, strict=True):
        outcomes = [outcome for outcome, rule in OUTCOMES.items() if rule.group == group]
        in_group = [c for c in answered if c.outcome in outcomes]
        if len(outcomes) == 1:
            label = group.label + ("（区分处理的，只计这一情形，不计其他情形）" if group == OutcomeGroup.PARTLY_DISCLOSED else "")
            rows.append(_row(number + label, _counts(in_group, kind), key=outcomes[0].value))
            continue
        rows.append({"key": group.value, "label": number + group.label, "cells": None, "total": None})
        for index, outcome in enumerate(outcomes, start=1):
            rows.append(_row(f"{index}.{outcome.label}", _counts([c for c in in_group if c.outcome == outcome], kind),
                             key=outcome.value))
    rows.append(_row("（七）总计", _counts(answered, kind), key="answered_total"))
    rows.append(_row("四、结转下年度继续办理", _counts(carried_out, kind), key="carried_out"))
    return rows


def reviews_table(reviews: list[ReviewFact], *, year: int) -> dict:
    """行政复议 and 行政诉讼 (未经复议直接起诉 / 复议后起诉) brought in the year, by their result at its end."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    results = [ReviewResult.UPHELD, ReviewResult.CORRECTED, ReviewResult.OTHER, ReviewResult.PENDING]

    def block(selected: list[ReviewFact]) -> list[int]:
        counter = Counter(
            r.result if r.decided_on and r.decided_on <= end else ReviewResult.PENDING.value for r in selected
        )
        cells = [counter.get(result.value, 0) for result in results]
        return cells + [sum(cells)]

    in_year = [r for r in reviews if start <= r.filed_on <= end]
    return {
        "headers": [result.label for result in results] + ["总计"],
        "reconsideration": block([r for r in in_year if r.kind == "reconsideration"]),
        "direct_litigation": block([r for r in in_year if r.kind == "litigation" and not r.after_reconsideration]),
        "litigation_after_reconsideration": block(
            [r for r in in_year if r.kind == "litigation" and r.after_reconsideration]
        ),
    }


def policies_table(policies: list[PolicyFact], *, year: int) -> list[dict]:
    """第二十条第（一）项: 本年制发件数, 本年废止件数, 现行有效件数 of 规章 and 行政规范性文件."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = []
    for kind in ("规章", "行政规范性文件"):
        mine = [p for p in policies if p.kind == kind]
        rows.append({
            "label": kind,
            "issued": sum(start <= p.written_on <= end for p in mine),
            "repealed": sum(p.repealed_on is not None and start <= p.repealed_on <= end for p in mine),
            "in_force": sum(p.written_on <= end and (p.repealed_on is None or p.repealed_on > end) for p in mine),
        })
    return rows


def report_tables(*, year: int, cases: list[CaseFact], reviews: list[ReviewFact], policies: list[PolicyFact]) -> dict:
    return {
        "year": year,
        "columns": [kind.label for kind in COLUMNS],
        "policies": policies_table(policies, year=year),
        "applications": applications_table(cases, year=year),
        "reviews": reviews_table(reviews, year=year),
    }
