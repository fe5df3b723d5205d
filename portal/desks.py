"""A desk on the admin dashboard: one panel per role, listing what waits for the person who holds it, each item
linking to where to act. The apps fill them (their wagtail_hooks add panels for the roles they know)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from wagtail.admin.ui.components import Component


@dataclass(frozen=True)
class DeskItem:
    label: str
    url: str
    note: str = ""  # a short fact beside the link: the step, the due date, how long it has waited
    urgent: bool = False


@dataclass(frozen=True)
class DeskList:
    title: str
    items: list[DeskItem]
    empty: str = "暂无"
    more_url: str = ""


@dataclass
class DeskPanel(Component):
    """A dashboard panel named for its role, holding one or more lists."""

    name: str
    heading: str
    lists: list[DeskList] = field(default_factory=list)
    order: int = 50
    template_name = "portal/desk_panel.html"

    def get_context_data(self, parent_context):
        return {"panel": self}


def waited(since: dt.datetime, *, now: dt.datetime) -> str:
    """How long something has waited, as a desk shows it: 3天, 5小时, 刚刚."""
    seconds = max((now - since).total_seconds(), 0)
    if seconds >= 86400:
        return f"已等{int(seconds // 86400)}天"
    if seconds >= 3600:
        return f"已等{int(seconds // 3600)}小时"
    return "刚刚提交"
