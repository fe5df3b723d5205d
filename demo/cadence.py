"""How often each demo column is updated, as on a real ministry site: the dates of its information pages and the
栏目更新要求 an editor would set for it (what the site guard's 栏目长期未更新 check reads).

News is daily (demo.editorial), a monthly statement comes out in the middle of the next month, an annual report in
January, budgets in spring and final accounts in summer; 机构职能, 依申请公开 and the 专题 are kept, not updated.
Pure date arithmetic, plus one idempotent write (`set_update_kinds`).
"""

from __future__ import annotations

import datetime as dt
import random

from demo.editorial import spread_dates, workday

# 栏目更新要求 by column slug, for the columns whose kind is not what their listing implies.
UPDATE_KINDS: dict[str, str] = {
    "functions": "stable",  # 机构职能: changes when the ministry's remit does
    "on-request": "stable",  # 依申请公开: the 申请指南 and the front door
    "topics": "stable",  # 专题专栏: each 专题 gathers its own fresh content by tag
    "annual-reports": "plan",  # 政府信息公开工作年度报告: once a year, by 31 January
    "budgets": "plan",  # 预决算公开: budgets in spring, final accounts in summer
}


def _months_back(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def monthly_dates(seed: str, count: int, *, today: dt.date) -> list[dt.date]:
    """A statement in the middle of every month (1—2月 together in March, as the ministry publishes), newest first."""
    rng = random.Random(f"cadence:{seed}")
    dates: list[dt.date] = []
    months = 0
    while len(dates) < count:
        year, month = _months_back(today, months)
        months += 1
        if month == 2:
            continue
        day = workday(dt.date(year, month, rng.randint(14, 20)), forward=True)
        if day <= today:
            dates.append(day)
    return dates


def yearly_dates(seed: str, count: int, *, today: dt.date, months: tuple[int, ...]) -> list[dt.date]:
    """Pages published once or twice a year, in the given months, newest first."""
    rng = random.Random(f"cadence:{seed}")
    dates: list[dt.date] = []
    year = today.year
    while len(dates) < count:
        for month in sorted(months, reverse=True):
            day = workday(dt.date(year, month, rng.randint(10, 28)), forward=True)
            if day <= today and len(dates) < count:
                dates.append(day)
        year -= 1
    return dates


def column_dates(slug: str, count: int, *, today: dt.date) -> list[dt.date]:
    """The publication dates of a column of information pages, newest first."""
    if slug == "statistics":
        return monthly_dates(slug, count, today=today)
    if slug == "annual-reports":
        return yearly_dates(slug, count, today=today, months=(1,))
    if slug == "budgets":
        return yearly_dates(slug, count, today=today, months=(3, 7))
    return spread_dates(slug, count, today=today)


def set_update_kinds(home) -> None:
    """Give the demo's columns the 栏目更新要求 an editor would; one an editor has set is left alone."""
    from portal.models import SectionPage

    for section in SectionPage.objects.descendant_of(home).filter(slug__in=UPDATE_KINDS, update_kind=""):
        SectionPage.objects.filter(pk=section.pk).update(update_kind=UPDATE_KINDS[section.slug])
