"""RSS 2.0 and Atom feeds of columns and topics.

A column's feed lists what its page lists, narrowed by the same filters in the URL's query string;
a topic's feed lists what the topic gathers by tag. Both answer conditional GETs with 304.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from wagtail.models import Page

from content import listings
from content.models import ArticlePage, InterpretationPage, PolicyPage, ProcurementNoticePage
from portal.feeds import FORMATS, Feed, FeedItem, feed_response, site_name

FEED_SIZE = 20

# What a feed item needs from any page; nothing else is read (no body, no revisions).
PAGE_FIELDS = (
    "id", "title", "url_path", "path", "depth", "content_type_id",
    "first_published_at", "last_published_at", "search_description",
)
# Typed pages carry their own date, summary and theme.
TYPED_MODELS = (ArticlePage, PolicyPage, InterpretationPage, ProcurementNoticePage)
TYPED_FIELDS = (*PAGE_FIELDS, "date", "summary", "theme__name")

@dataclass(frozen=True)
class Details:
    date: dt.date | None
    summary: str
    category: str


# --- views -------------------------------------------------------------------------------------------------------


def section_feed(request, *, section, fmt: str) -> HttpResponse:
    """The feed of a column, following the filters in the query string as the column page does."""
    if fmt not in FORMATS:
        raise Http404
    listing = listings.listing_for(section.listing_kind)
    request.plain_text_errors = True  # a feed reader gets a bad filter (FilterError) named in plain text
    entries, cleaned = listing.filtered(request.GET, within=section)
    query = _normalised_query(listing, cleaned)
    site = site_name(request)
    feed = Feed(
        title=f"{section.title} - {site}",
        description=section.search_description or f"{site}“{section.title}”栏目的最新内容。",
        html_path=section.get_url(request=request),
        feed_path=section.get_url(request=request) + "feed/",
        query=query,
        site_name=site,
        items=_section_items(request, entries, typed=listing.model in TYPED_MODELS),
        fallback_modified=section.last_published_at or section.first_published_at or timezone.now(),
        identity=(section.pk, section.title, section.search_description),
    )
    return feed_response(request, feed, fmt)


def topic_feed(request, *, topic, fmt: str) -> HttpResponse:
    """The feed of a topic: published content of every kind tagged with the topic's tag."""
    if fmt not in FORMATS:
        raise Http404
    site = site_name(request)
    pages = list(listings.topic_entries(topic=topic).only(*PAGE_FIELDS)[:FEED_SIZE])
    feed = Feed(
        title=f"{topic.title} - {site}",
        description=topic.search_description or f"{site}“{topic.title}”专题的最新内容。",
        html_path=topic.get_url(request=request),
        feed_path=topic.get_url(request=request) + "feed/",
        query="",
        site_name=site,
        items=[_item(request, page, details) for page, details in _with_details(pages)],
        fallback_modified=topic.last_published_at or topic.first_published_at or timezone.now(),
        identity=(topic.pk, topic.title, topic.search_description),
    )
    return feed_response(request, feed, fmt)


# --- reads -------------------------------------------------------------------------------------------------------


def _section_items(request, entries: QuerySet, *, typed: bool) -> list[FeedItem]:
    """The newest entries of a (filtered) column listing, reading only the fields a feed shows."""
    if typed:
        pages = entries.select_related(None).select_related("theme").only(*TYPED_FIELDS)[:FEED_SIZE]
        return [
            _item(request, page, Details(page.date, page.summary, page.theme.name if page.theme_id else ""))
            for page in pages
        ]
    pages = list(entries.only(*PAGE_FIELDS)[:FEED_SIZE])
    return [_item(request, page, details) for page, details in _with_details(pages)]


def _with_details(pages: list[Page]) -> list[tuple[Page, Details | None]]:
    """Pair plain pages with their typed date/summary/theme, read in one query whatever the mix of types."""
    ids = [page.pk for page in pages]
    details: dict[int, Details] = {}
    if ids:
        queries = [
            model.objects.filter(pk__in=ids).order_by().values_list("pk", "date", "summary", "theme__name")
            for model in TYPED_MODELS
        ]
        for pk, date, summary, theme in queries[0].union(*queries[1:], all=True):
            details[pk] = Details(date, summary or "", theme or "")
    return [(page, details.get(page.pk)) for page in pages]


def _item(request, page: Page, details: Details | None) -> FeedItem:
    published = page.first_published_at
    if details is not None and details.date is not None:
        # A typed page's date is the one its readers see; midnight in the site's time zone (Asia/Shanghai).
        published = timezone.make_aware(dt.datetime.combine(details.date, dt.time.min))
    summary = (details.summary if details else "") or page.search_description or ""
    return FeedItem(
        pk=page.pk,
        title=page.title,
        path=page.get_url(request=request),
        published=published,
        updated=page.last_published_at or page.first_published_at,
        summary=summary,
        category=details.category if details else "",
    )


def _normalised_query(listing: listings.Listing, cleaned: dict) -> str:
    """The validated filters as a canonical query string (sorted, each value in its URL form)."""
    fields = listing.filterset(None, queryset=listing.model.objects.none()).form.fields
    pairs = sorted((name, str(fields[name].prepare_value(value))) for name, value in cleaned.items())
    return "?" + urlencode(pairs) if pairs else ""
