"""Feed documents (RSS 2.0 and Atom) for every app: what a feed says (`Feed`, `FeedItem`), how it is written
(`render_feed`, with feedgen) and how it is answered (`feed_response`: strong ETag, Last-Modified, 304).

Columns and topics (content), the open-data catalog (opendata) and 留言选登 (services_hall) build a `Feed` from
their own reads and answer it here, so they share the format without importing each other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from calendar import timegm
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

CACHE_CONTROL = "public, max-age=300"
LANGUAGE = "zh-CN"
FORMATS = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}

# Control characters (pasted from office documents) are not allowed in XML; lxml would refuse the whole feed.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return XML_INVALID.sub("", value or "")


def site_name(request) -> str:
    """The site's name as its feeds sign them (SiteIdentity of the requested site)."""
    from portal.models import SiteIdentity

    return SiteIdentity.for_request(request).site_name


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


# --- rendering ---------------------------------------------------------------------------------------------------


def feed_response(request, feed: Feed, fmt: str) -> HttpResponse:
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

    from feedgen.feed import FeedGenerator  # 11 MB with lxml's parts: imported by the first feed request

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
