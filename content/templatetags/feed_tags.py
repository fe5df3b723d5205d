"""Advertise the feeds of a column or topic: `<link rel="alternate">` in the head and a visible 订阅 line."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html_join
from wagtail.models import Page

register = template.Library()

FEED_TYPES = (("rss", "RSS", "application/rss+xml"), ("atom", "Atom", "application/atom+xml"))


def feed_owner(page) -> Page | None:
    """The page whose feeds `page` advertises: itself for a column or topic, else its parent column (or None)."""
    from content.models import TopicPage
    from portal.models import SectionPage

    if page is None or not isinstance(page, Page):
        return None
    if isinstance(page, (SectionPage, TopicPage)):
        return page
    if not page.path:  # a page not yet in the tree (e.g. some previews) has no column
        return None
    parent = page.get_parent()
    if parent is not None and issubclass(parent.specific_class or Page, (SectionPage, TopicPage)):
        return parent
    return None


def filter_query(owner: Page, page, request) -> str:
    """The current filters of a column page as a query string: declared, non-empty parameters only (never `page`)."""
    from content.listings import listing_for

    if request is None or owner is not page or not hasattr(owner, "listing_kind"):
        return ""
    declared = listing_for(owner.listing_kind).filterset.base_filters
    pairs = [(name, value) for name, value in request.GET.items() if name in declared and value]
    return "?" + urlencode(pairs) if pairs else ""


def feed_hrefs(page, request) -> list[dict]:
    """One {format, label, type, href, title} per feed format, or [] when the page has no feeds to advertise."""
    owner = feed_owner(page)
    if owner is None:
        return []
    base = owner.get_url(request=request)
    if not base:
        return []
    query = filter_query(owner, page, request)
    return [
        {"format": fmt, "label": label, "type": mime, "href": f"{base}feed/{fmt}/{query}",
         "title": f"{owner.title}{'（筛选结果）' if query else ''} {label} 订阅"}
        for fmt, label, mime in FEED_TYPES
    ]


@register.simple_tag
def feed_alternates(page, request=None):
    """`<link rel="alternate">` for the RSS and Atom feeds of the page's column or topic."""
    return format_html_join(
        "\n", '<link rel="alternate" type="{}" title="{}" href="{}">',
        ((feed["type"], feed["title"], feed["href"]) for feed in feed_hrefs(page, request)),
    )


@register.inclusion_tag("components/feed_links.html")
def feed_links(page, request=None):
    """The visible 订阅：RSS | Atom line."""
    return {"feeds": feed_hrefs(page, request)}
