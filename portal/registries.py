"""The seams between the shell and the apps above it: what an app offers, registered from its AppConfig.ready().

portal is the bottom layer (.importlinter, docs/architecture.md): it never imports a domain app. A column page
(SectionPage) lists whatever kind of content its `listing_kind` names; the app that owns that kind registers here
how the column page, its feeds and the home page's regions list it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpResponse


@dataclass(frozen=True)
class ColumnKind:
    """What a column lists, and how: registered by the app that owns the content (content registers its five)."""

    kind: str  # SectionPage.listing_kind; "" lists every page beneath the column
    label: str  # the choice editors see
    page_context: Callable[..., dict]  # (request, *, section) -> the column page's listing context
    feed: Callable[..., HttpResponse]  # (request, *, section, fmt) -> the column's RSS / Atom / JSON feed
    entries: Callable[..., QuerySet]  # (*, within) -> published entries of this kind beneath a page, newest first


_COLUMN_KINDS: dict[str, ColumnKind] = {}


def column_kind_register(*, column_kind: ColumnKind) -> None:
    """Offer a kind of column (apps call this from ready(); registering a kind again replaces it)."""
    _COLUMN_KINDS[column_kind.kind] = column_kind


def column_kind_for(*, kind: str) -> ColumnKind:
    """The registered kind, or the "every page" kind for a kind no installed app offers."""
    return _COLUMN_KINDS.get(kind) or _COLUMN_KINDS[""]


def column_kind_choices() -> list[tuple[str, str]]:
    """The choices of SectionPage.listing_kind, in the order the apps registered them."""
    return [(column_kind.kind, column_kind.label) for column_kind in _COLUMN_KINDS.values()]


_SITEMAP_SECTIONS: dict[str, Callable[[], object]] = {}


def sitemap_section_register(*, name: str, make: Callable[[], object]) -> None:
    """Add a section to /sitemap.xml (`make` returns a django.contrib.sitemaps.Sitemap); apps call this from ready()."""
    _SITEMAP_SECTIONS[name] = make


def sitemap_sections() -> dict[str, Callable[[], object]]:
    return dict(_SITEMAP_SECTIONS)


@dataclass(frozen=True)
class PageRegion:
    """A piece of a page that another app fills: the page's template asks for its `place` with {% page_regions %}.

    Places: "interaction" (the 公众参与 panel of the 互动交流 front door), "policy" (notes under a policy's title,
    such as "本文件曾公开征求意见").
    """

    place: str
    name: str
    render: Callable[..., str]  # (request, *, page) -> HTML, "" when there is nothing to show


_PAGE_REGIONS: dict[tuple[str, str], PageRegion] = {}


def page_region_register(*, region: PageRegion) -> None:
    """Offer a region (apps call this from ready(); registering the same place and name again replaces it)."""
    _PAGE_REGIONS[(region.place, region.name)] = region


def page_regions(*, place: str) -> list[PageRegion]:
    return [region for (region_place, _), region in _PAGE_REGIONS.items() if region_place == place]


# Files written after the site is up (`manage.py build_downloads`, which `make run` starts beside the server): open
# data registers nothing here (the command builds its downloads itself); the demo registers its generated PDFs and
# images. Each builder takes `log` (a function of one line) and returns how many files it wrote.
_DOWNLOAD_BUILDERS: dict[str, Callable[..., int]] = {}


def download_builder_register(*, name: str, build: Callable[..., int]) -> None:
    """Add a builder to `manage.py build_downloads` (apps call this from ready(); the same name again replaces it)."""
    _DOWNLOAD_BUILDERS[name] = build


def download_builders() -> dict[str, Callable[..., int]]:
    return dict(_DOWNLOAD_BUILDERS)
