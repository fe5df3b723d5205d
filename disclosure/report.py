"""The tables of the 政府信息公开工作年度报告, computed from facts (pure: no database).

The layout is the State Council office's format (国办公开办函〔2021〕30号): section 二 (主动公开: 规章 and 行政规范性文件
from the published policies by their 文件类别, 行政许可 decisions from the services hall's filings; 行政处罚, 行政强制 and
行政事业性收费 are not handled in this system and stay in the narrative editors write), section 三 (收到和处理政府信息公开申请情况: every outcome
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
    kind: str  # content.models.PolicyKind
    written_on: dt.date
    repealed_on: dt.date | None  # the day it stopped being in force (废止, 失效 or replaced by a revision), if it has


# 第二十条第（一）项: the 文件类别 (content.models.PolicyKind values) counted, in the format's order.
POLICY_ROWS = (("regulation", "规章"), ("normative", "行政规范性文件"))
# 第二十条第（五）、（六）、（八）项: rows this system cannot count (no 处罚, 强制 or 收费 is handled here).
NARRATIVE_ROWS = (
    ("第二十条第（六）项", "行政处罚", "本年处理决定数量"),
    ("第二十条第（六）项", "行政强制", "本年处理决定数量"),
    ("第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）"),
)
NARRATIVE_NOTE = "行政处罚、行政强制和行政事业性收费不在本系统办理，其数量和金额见本部分的说明。"


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
    """第二十条第（一）项: 本年制发件数, 本年废止件数 (no longer in force from a day in the year), 现行有效件数 (at the
    year's end) of 规章 and 行政规范性文件, so that 现行有效 = last year's 现行有效 + 制发 − 废止."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = []
    for kind, label in POLICY_ROWS:
        mine = [p for p in policies if p.kind == kind]
        rows.append({
            "key": kind,
            "label": label,
            "issued": sum(start <= p.written_on <= end for p in mine),
            "repealed": sum(p.repealed_on is not None and start <= p.repealed_on <= end for p in mine),
            "in_force": sum(p.written_on <= end and (p.repealed_on is None or p.repealed_on > end) for p in mine),
        })
    return rows


def decisions_table(*, licence_decisions: int) -> list[dict]:
    """第二十条第（五）项 from the hall (准予 and 不予许可 decided in the year), then the rows only editors can tell."""
    rows = [{"basis": "第二十条第（五）项", "label": "行政许可", "header": "本年处理决定数量",
             "value": licence_decisions, "computed": True}]
    rows += [{"basis": basis, "label": label, "header": header, "value": None, "computed": False}
             for basis, label, header in NARRATIVE_ROWS]
    return rows


def report_tables(*, year: int, cases: list[CaseFact], reviews: list[ReviewFact], policies: list[PolicyFact],
                  licence_decisions: int = 0) -> dict:
    return {
        "year": year,
        "columns": [kind.label for kind in COLUMNS],
        "policies": policies_table(policies, year=year),
        "decisions": decisions_table(licence_decisions=licence_decisions),
        "applications": applications_table(cases, year=year),
        "reviews": reviews_table(reviews, year=year),
    }
