"""How dates and amounts read on the site (DESIGN: 2026年11月23日; amounts in 元 with thousands separators)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone


def cn_date(value: dt.date | dt.datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


WEEKDAYS = "一二三四五六日"


def cn_weekday_date(value: dt.date) -> str:
    """2026年11月23日 星期一: the top bar's date."""
    return f"{cn_date(value)} 星期{WEEKDAYS[value.weekday()]}"


def cn_datetime(value: dt.datetime | None) -> str:
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{cn_date(local)} {local:%H:%M}"


def yuan(amount: Decimal | int | float | None) -> str:
    """1280000 → 1,280,000.00元 (empty for no amount)."""
    if amount is None:
        return ""
    return f"{Decimal(amount):,.2f}元"
