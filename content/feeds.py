"""RSS 2.0 and Atom feeds of columns and topics.

A column's feed lists what its page lists, narrowed by the same filters in the URL's query string;
a topic's feed lists what the topic gathers by tag. Both answer conditional GETs with 304.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from calendar import timegm
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from feedgen.feed import FeedGenerator
from wagtail.models import Page

from content import listings
from content.models import ArticlePage, InterpretationPage, PolicyPage, ProcurementNoticePage

FEED_SIZE = 20
CACHE_CONTROL = "public, max-age=300"
LANGUAGE = "zh-CN"
FORMATS = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}

# What a feed item needs from any page; nothing else is read (no body, no revisions).
PAGE_FIELDS = (
    "id", "title", "url_path", "path", "depth", "content_type_id",
    "first_published_at", "last_published_at", "search_description",
)
# Typed pages carry their own date, summary and theme.
TYPED_MODELS = (ArticlePage, PolicyPage, InterpretationPage, ProcurementNoticePage)
TYPED_FIELDS = (*PAGE_FIELDS, "date", "summary", "theme__name")

# Control characters (pasted from office documents) are not allowed in XML; lxml would refuse the whole feed.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return XML_INVALID.sub("", value or "")


@dataclass(frozen=True)
class Details:
    date: dt.date | None
    summary: str
    category: str


@dataclass(frozen=True)
class FeedItem:
    pk: int
    title: str
    path: str
    published: dt.datetime
    updated: dt.datetime
    summary: str
    category: str


@dataclass(frozen=True)
class Feed:
    """What a feed document says, independent of its format."""

    title: str
    description: str
    html_path: str
    feed_path: str  # without the format segment
    query: str  # the normalised filters, "" or "?a=1&b=2"
    site_name: str
    items: list[FeedItem]
    fallback_modified: dt.datetime
    identity: tuple  # what else the feed text depends on besides its items (owner, its title and description)

    @property
    def last_modified(self) -> dt.datetime:
        return max((item.updated for item in self.items), default=self.fallback_modified)

    def etag(self, fmt: str) -> str:
        parts = [fmt, self.query, self.site_name, *map(str, self.identity)]
        parts += [f"{item.pk}@{item.updated.isoformat()}" for item in self.items]
        return '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'


# --- views -------------------------------------------------------------------------------------------------------


def section_feed(request, *, section, fmt: str) -> HttpResponse:
    """The feed of a column, following the filters in the query string as the column page does."""
    if fmt not in FORMATS:
        raise Http404
    listing = listings.listing_for(section.listing_kind)
    request.plain_text_errors = True  # a feed reader gets a bad filter (FilterError) named in plain text
    entries, cleaned = listing.filtered(request.GET, within=section)
    query = _normalised_query(listing, cleaned)
    site_name = _site_name(request)
    feed = Feed(
        title=f"{section.title} - {site_name}",
        description=section.search_description or f"{site_name}“{section.title}”栏目的最新内容。",
        html_path=section.get_url(request=request),
        feed_path=section.get_url(request=request) + "feed/",
        query=query,
        site_name=site_name,
        items=_section_items(request, entries, typed=listing.model in TYPED_MODELS),
        fallback_modified=section.last_published_at or section.first_published_at or timezone.now(),
        identity=(section.pk, section.title, section.search_description),
    )
    return _respond(request, feed, fmt)


def topic_feed(request, *, topic, fmt: str) -> HttpResponse:
    """The feed of a topic: published content of every kind tagged with the topic's tag."""
    if fmt not in FORMATS:
        raise Http404
    site_name = _site_name(request)
    pages = list(listings.topic_entries(topic=topic).only(*PAGE_FIELDS)[:FEED_SIZE])
    feed = Feed(
        title=f"{topic.title} - {site_name}",
        description=topic.search_description or f"{site_name}“{topic.title}”专题的最新内容。",
        html_path=topic.get_url(request=request),
        feed_path=topic.get_url(request=request) + "feed/",
        query="",
        site_name=site_name,
        items=[_item(request, page, details) for page, details in _with_details(pages)],
        fallback_modified=topic.last_published_at or topic.first_published_at or timezone.now(),
        identity=(topic.pk, topic.title, topic.search_description),
    )
    return _respond(request, feed, fmt)


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


def _site_name(request) -> str:
    from portal.models import SiteIdentity

    return SiteIdentity.for_request(request).site_name


# --- rendering ---------------------------------------------------------------------------------------------------


def _respond(request, feed: Feed, fmt: str) -> HttpResponse:
    """200 with the feed, or 304 when the reader's copy (If-None-Match / If-Modified-Since) is current."""
    modified = timegm(feed.last_modified.utctimetuple())
    validators = HttpResponse()  # carries the headers a 304 must repeat
    validators["ETag"] = feed.etag(fmt)
    validators["Last-Modified"] = http_date(modified)
    validators["Cache-Control"] = CACHE_CONTROL
    conditional = get_conditional_response(request, etag=validators["ETag"], last_modified=modified,
                                           response=validators)
    if conditional is not validators:
        return conditional
    response = HttpResponse(render_feed(request, feed, fmt), content_type=FORMATS[fmt])
    for name, value in validators.items():
        if name != "Content-Type":
            response[name] = value
    return response


def render_feed(request, feed: Feed, fmt: str) -> bytes:
    """The feed document in `fmt` ("rss" or "atom"), built with feedgen."""
    absolute = request.build_absolute_uri
    self_url = absolute(f"{feed.feed_path}{fmt}/{feed.query}")
    html_url = absolute(feed.html_path + feed.query)

    fg = FeedGenerator()
    # The Atom id names the feed whatever its format, so a reader switching formats sees the same feed.
    fg.id(absolute(f"{feed.feed_path}atom/{feed.query}"))
    fg.title(_xml_text(feed.title))
    fg.description(_xml_text(feed.description))
    fg.subtitle(_xml_text(feed.description))
    fg.author(name=_xml_text(feed.site_name))
    fg.link(href=self_url, rel="self", type=FORMATS[fmt].split(";")[0])
    fg.link(href=html_url, rel="alternate", type="text/html")
    fg.language(LANGUAGE)
    fg.updated(feed.last_modified)
    fg.lastBuildDate(feed.last_modified)

    for item in feed.items:
        if not item.path:  # not routable on any site: nothing a reader could open
            continue
        url = absolute(item.path)
        entry = fg.add_entry(order="append")  # items arrive newest first; keep that order
        entry.guid(url, permalink=True)
        entry.title(_xml_text(item.title))
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(item.published)
        entry.updated(item.updated)
        if summary := _xml_text(item.summary):
            entry.summary(summary)
        if category := _xml_text(item.category):
            entry.category(term=category)
    return fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True)
