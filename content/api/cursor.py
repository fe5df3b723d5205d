"""Keyset pagination on (date, id): every page is one range query on the date index, however deep it is.

The cursor is opaque to clients (URL-safe base64 of the last row's date and id); a page number would make
the database skip every earlier row, and a total count would grow with the content.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

DEFAULT_SIZE = 20
MAX_SIZE = 100
MAX_CURSOR_LENGTH = 100


@dataclass(frozen=True)
class Position:
    """The last row a page showed; the next page starts strictly after it in (-date, -id) order."""

    date: dt.date
    pk: int


def encode(position: Position) -> str:
    raw = f"{position.date.isoformat()}~{position.pk}".encode("ascii")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(token: str) -> Position:
    """The position in a cursor this API issued; ValueError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4)).decode("ascii")
    except (UnicodeError, binascii.Error) as error:
        raise ValueError("not a cursor") from error
    day, separator, pk = raw.partition("~")
    if not separator or not pk.isascii() or not pk.isdigit() or len(pk) > 18 or len(day) != 10:
        raise ValueError("not a cursor")
    return Position(dt.date.fromisoformat(day), int(pk))


def page_after(queryset: QuerySet, *, position: Position | None, size: int) -> tuple[list, Position | None]:
    """Up to `size` rows after `position` (newest first), and the position to continue from (None at the end)."""
    queryset = queryset.order_by("-date", "-pk")
    if position is not None:
        # The bare `date <=` bound lets the database range-scan the date index before the tie-break by id.
        queryset = queryset.filter(Q(date__lte=position.date), Q(date__lt=position.date) | Q(pk__lt=position.pk))
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, Position(rows[-1].date, rows[-1].pk)
