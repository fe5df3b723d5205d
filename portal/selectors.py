"""Reads for the site shell, shaped for the pages that show them."""

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import QuerySet
from wagtail.models import Page

from portal.registries import column_kind_for

T = TypeVar("T")

LISTING_FIELDS = ("id", "title", "url_path", "path", "depth", "first_published_at", "search_description", "content_type_id")


def latest_entries(*, section: Page | None, limit: int) -> list[Page]:
    """The newest entries of a column for a home-page region, as its column lists them; empty when none is chosen."""
    if section is None or not section.live:
        return []
    return list(column_kind_for(kind=section.listing_kind).entries(within=section)[:limit])


def section_subsections(*, section: Page) -> list[Page]:
    from portal import cache_tags
    from portal.models import SectionPage

    cache_tags.shows_below(section)
    return list(section.get_children().live().public().type(SectionPage).only(*LISTING_FIELDS))


def reachable(items: Iterable[T]) -> list[T]:
    """Curated links whose target page is published (external links always are)."""
    return [item for item in items if item.link_page is None or item.link_page.live]


def navigation_for(*, site) -> tuple[list, dict[str, list]]:
    """The main menu items and the footer links grouped in editor order, for one site."""
    from portal.models import NavigationSettings

    navigation = NavigationSettings.for_site(site)
    menu = reachable(navigation.main_menu_items.select_related("link_page"))
    groups: dict[str, list] = {}
    for link in reachable(navigation.footer_links.select_related("link_page")):
        groups.setdefault(link.group, []).append(link)
    return menu, groups
