"""The plain facts the checks read, gathered from the database by guard/selectors.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FindingData:
    """One thing wrong, before it is stored: the indicator, where (a page or a URL), what, and the words at fault."""

    indicator: str
    page_id: int | None = None
    subject: str = ""
    detail: str = ""
    excerpt: str = ""
    url: str = ""
    veto: bool = False


@dataclass(frozen=True)
class ColumnFacts:
    page_id: int
    title: str
    listing_kind: str
    update_kind: str
    entry_count: int  # live entries anywhere beneath the column (subcolumns included), columns themselves excluded
    newest: dt.date | None
    undated_count: int = 0
    undated_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class HomeRegionFacts:
    home_id: int
    name: str
    section_id: int | None
    listing_kind: str = ""
    update_kind: str = ""
    newest: dt.date | None = None


@dataclass(frozen=True)
class LetterFacts:
    tracking_number: str
    kind: str
    subject: str
    received_on: dt.date
    due_on: dt.date
    replied: bool
    admin_url: str = ""


@dataclass(frozen=True)
class GuideFacts:
    page_id: int
    title: str
    present: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PageText:
    page_id: int
    title: str
    text: str


@dataclass(frozen=True)
class WordingRuleFacts:
    kind: str  # typo | normative | forbidden
    wrong: str
    right: str = ""
    note: str = ""


@dataclass(frozen=True)
class LinkFacts:
    page_id: int
    page_title: str
    kind: str  # 链接 | 图片 | 附件
    target: str
    reason: str = ""  # empty when the target works
