"""Reads for the site shell, shaped for the pages that show them."""

from collections.abc import Iterable
from typing import TypeVar

from wagtail.models import Page

from portal.registries import column_kind_for
from portal.rows import EntryRow, entry_rows

T = TypeVar("T")

LISTING_FIELDS = ("id", "title", "url_path", "path", "depth", "first_published_at", "search_description", "content_type_id")


def latest_entries(*, section: Page | None, limit: int, request=None) -> list[EntryRow]:
    """The newest entries of a column for a home-page region, as its column lists them, as rows (title, address, date,
    summary, cover); empty when none is chosen."""
    if section is None or not section.live:
        return []
    qs = column_kind_for(kind=section.listing_kind).entries(within=section)
    fields = {field.name for field in qs.model._meta.concrete_fields}
    return entry_rows(
        qs, request=request, limit=limit, date_field="date" if "date" in fields else "first_published_at",
        summary_field="summary" if "summary" in fields else None,
        cover_field="cover_image" if "cover_image" in fields else None,
    )


def home_region(*, section: Page | None, limit: int, request) -> list[EntryRow]:
    """latest_entries for a home-page region, kept in the fragment cache under the tags of the column and the
    entries it lists: publishing beneath the column, or changing a listed entry, builds it again on the next
    request, while a change to the home page itself re-renders the page around the kept regions."""
    from wagtail.models import Site

    from portal import fragment_cache, sites

    if section is None or not section.live:
        return []
    site = Site.find_for_request(request) if request is not None else None
    return fragment_cache.fragment(
        name="home-region",
        key=f"{sites._version()}:{site.pk if site else 0}:{section.pk}:{section.path}:{section.listing_kind}:{limit}",
        build=lambda: latest_entries(section=section, limit=limit, request=request),
    )


# The home page's hand-picked panels: (context name, template) in the order the page shows them.
HOME_CURATED = (("services", "portal/home/services.html"), ("data", "portal/home/data.html"),
                ("topics", "portal/home/topics.html"))


def home_curated(*, home, request) -> dict[str, str]:
    """The home page's service shortcuts, data highlights and topic banners, written: kept in the fragment cache under
    the home page's tag and the tags of the pages they link (loading those pages and their links was a fifth of the
    home page's render); a preview shows the panels as edited."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from portal import cache_tags, fragment_cache

    def build() -> dict[str, str]:
        cache_tags.shows(f"page:{home.pk}")
        context = {
            "request": request,
            "service_shortcuts": reachable(home.service_shortcuts.select_related("link_page")),
            "data_highlights": list(home.data_highlights.select_related("link_page")),
            "topic_banners": reachable(home.topic_banners.select_related("link_page", "image")),
        }
        return {name: str(render_to_string(template, context)) for name, template in HOME_CURATED}

    panels = fragment_cache.page_part(name="home-curated", page=home, request=request, build=build)
    return {name: mark_safe(html) for name, html in panels.items()}


def section_subsections(*, section: Page, request=None) -> list[EntryRow]:
    """The column's published sub-columns in tree order, as rows (title and address, one query), kept with the
    column's other parts (fragment_cache.page_part) under the tags of what they list: publishing, moving or
    restricting a sub-column builds them again."""
    from portal import cache_tags, fragment_cache
    from portal.models import SectionPage

    def build() -> list[EntryRow]:
        cache_tags.shows_below(section)
        return entry_rows(section.get_children().live().public().type(SectionPage), request=request,
                          date_field="first_published_at")

    return fragment_cache.page_part(name="subsections", page=section, request=request, build=build, private=True)


def reachable(items: Iterable[T]) -> list[T]:
    """Curated links whose target page is published (external links always are)."""
    return [item for item in items if item.link_page is None or item.link_page.live]


def navigation_links(*, site, request=None) -> tuple[list[dict], dict[str, list[dict]]]:
    """navigation_for as plain values (what the menu and footer show), so they can be kept in the shared cache."""
    menu, groups = navigation_for(site=site)
    items = [{"text": item.text, "href": item.href(request), "external": item.is_external,
              "target_pk": item.link_page_id, "target_path": item.link_page.path if item.link_page_id else "",
              "target_depth": item.link_page.depth if item.link_page_id else 0} for item in menu]
    footer = {group: [{"href": link.href(request), "label": link.label, "is_external": link.is_external}
                      for link in links] for group, links in groups.items()}
    return items, footer


def site_identity(*, site):
    """The site's SiteIdentity with its logo loaded (the header shows it)."""
    from portal.models import SiteIdentity

    identity = SiteIdentity.for_site(site)
    if identity.logo_id:
        identity.logo  # noqa: B018  (loaded here, so a cached copy carries it)
    return identity


def navigation_for(*, site) -> tuple[list, dict[str, list]]:
    """The main menu items and the footer links grouped in editor order, for one site."""
    from portal.models import NavigationSettings

    navigation = NavigationSettings.for_site(site)
    menu = reachable(navigation.main_menu_items.select_related("link_page"))
    groups: dict[str, list] = {}
    for link in reachable(navigation.footer_links.select_related("link_page")):
        groups.setdefault(link.group, []).append(link)
    return menu, groups
