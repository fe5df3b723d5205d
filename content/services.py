"""Writes for editorial content."""

from __future__ import annotations

from django.db.models import Max

from content import rules


def policy_next_index_number(*, department, year: int) -> str:
    """The next free 索引号 for a department and year (unique; the database constraint settles a race)."""
    from content.models import PolicyPage

    prefix = rules.index_number_prefix(department_code=department.code, year=year)
    last = PolicyPage.objects.filter(index_number__startswith=prefix).aggregate(last=Max("index_number"))["last"]
    sequence = rules.index_number_sequence(last) + 1 if last else 1
    return rules.index_number(department_code=department.code, year=year, sequence=sequence)
