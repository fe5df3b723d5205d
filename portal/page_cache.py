"""The page cache: anonymous GETs of public pages answered from the shared cache, with validators and exact purges.

A response is stored only when nothing in it can depend on who asks: the request carries no session or messages
cookie and no credentials, the response sets no cookie, holds no CSRF token, is not a preview and was rendered for
an anonymous visitor. 长者模式 is kept in the browser (localStorage), so it does not vary the page. The key is the
scheme, host, path and the query string with its parameters sorted (tracking parameters dropped), today's date
(the header shows it) and the release (portal/release.py: a new release never serves what an old one stored). Each
entry keeps the tags of what it shows (portal/cache_tags.py); purging a tag bumps its version, and an entry whose
tag versions moved is never served again. The same tags go to Varnish in the `xkey`
header and to its purge (portal/frontend_cache.py).

Every public page also gets a strong ETag (the body, without its CSP nonce) and a Last-Modified (the newest of what
it shows, and never before today's midnight since the header shows the date), and a 304 when they still match.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from portal import cache_tags
from portal.release import release

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
TAG_HEADER = "xkey"
STORED_TYPES = ("text/html", "application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
                "application/feed+json")
NONCE = re.compile(rb'nonce="[^"]*"')
TRACKING_PARAMETERS = re.compile(r"^(utm_|spm$|from$)")


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _tag_key(tag: str) -> str:
    return f"pagecache:tag:{tag}"


# --- which requests and responses ------------------------------------------------------------------------------


def _excluded(request: HttpRequest) -> bool:
    return bool(settings.PAGE_CACHE_EXCLUDE and re.match(settings.PAGE_CACHE_EXCLUDE, request.path))


def anonymous_request(request: HttpRequest) -> bool:
    """No session, no messages, no credentials: what is rendered cannot belong to one visitor."""
    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies
        or "HTTP_AUTHORIZATION" in request.META
        or "HTTP_X_API_KEY" in request.META
    )


def normalised_query(query_string: str) -> str:
    pairs = [(key, value) for key, value in parse_qsl(query_string, keep_blank_values=True)
             if not TRACKING_PARAMETERS.match(key)]
    return urlencode(sorted(pairs))


def cache_key(request: HttpRequest) -> str:
    raw = "|".join((request.scheme, request.get_host(), request.path, normalised_query(request.META.get(
        "QUERY_STRING", "")), timezone.localdate().isoformat(), release()))
    return "pagecache:entry:" + hashlib.sha1(raw.encode("utf-8", "surrogateescape")).hexdigest()


def storable(request: HttpRequest, response: HttpResponse, collector: cache_tags.TagCollector) -> bool:
    if response.status_code != 200 or response.streaming or collector.uncacheable or not collector.tags:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type not in STORED_TYPES:
        return False
    return b"csrfmiddlewaretoken" not in response.content


# --- validators ---------------------------------------------------------------------------------------------


def strong_etag(content: bytes) -> str:
    # Without the CSP nonce, which differs on every render of the same page.
    return '"' + hashlib.sha256(NONCE.sub(b'nonce=""', content)).hexdigest()[:32] + '"'


def _today_start() -> datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def last_modified(collector: cache_tags.TagCollector, versions: dict[str, int]) -> float:
    """The newest of: today's midnight (the header shows the date), what the page shows says it changed, and the
    last purge of any of its tags (a tag's version is the time it was last purged, or first stored: snippets and
    settings keep no time of their own)."""
    newest = _today_start().timestamp()
    if collector.last_modified is not None:
        newest = max(newest, collector.last_modified.timestamp())
    if versions:
        newest = max(newest, max(versions.values()) / 1e9)
    return min(newest, time.time())


def seconds_to_midnight() -> int:
    return max(1, int((_today_start() + timedelta(days=1) - timezone.localtime()).total_seconds()))


def _set_validators(response: HttpResponse, *, etag: str, modified: float) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return response
    last = response.get("Last-Modified")
    from django.utils.http import parse_http_date_safe

    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=parse_http_date_safe(last) if last else None,
        response=response,
    )


# --- the store ------------------------------------------------------------------------------------------------


def _generation():
    return _cache().get(GENERATION_KEY)


def current_generation():
    """The purge counter, made when missing: a store compares it before and after building what it stores."""
    generation = _generation()
    if generation is None:
        _cache().add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = _generation()
    return generation


def _tag_versions(tags: list[str]) -> dict[str, int]:
    cache = _cache()
    keys = [_tag_key(tag) for tag in tags]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # A fresh number each time a version is made, so a version lost from the cache never matches again.
            cache.add(key, time.time_ns(), timeout=None)
    if len(found) < len(keys):
        found = cache.get_many(keys)
    return found


def _store(key: str, response: HttpResponse, tags: list[str], versions: dict[str, int], generation,
           counts: list) -> None:
    cache = _cache()
    if len(versions) < len(tags) or cache.get(GENERATION_KEY) != generation:
        return  # a purge ran while this page rendered: what it read may be stale
    headers = [(name, value) for name, value in response.items() if name.lower() != "date"]
    entry = {"status": response.status_code, "headers": headers, "content": response.content,
             "versions": versions, "generation": generation, "counts": counts}
    cache.set(key, entry, timeout=min(settings.PAGE_CACHE_SECONDS, seconds_to_midnight()))


def _lookup(key: str) -> HttpResponse | None:
    cache = _cache()
    entry = cache.get(key)
    if entry is None:
        return None
    generation = _generation()
    if generation is None or entry["generation"] != generation:
        # Something was purged since: this entry stands only if none of its own tags was.
        current = cache.get_many(list(entry["versions"]))
        if current != entry["versions"]:
            cache.delete(key)
            return None
        if generation is not None:
            entry["generation"] = generation
            cache.set(key, entry, timeout=min(settings.PAGE_CACHE_SECONDS, seconds_to_midnight()))
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    if entry.get("counts"):
        cache_tags.counted_hit(entry["counts"])
    return response


def purge_tags(tags: set[str]) -> None:
    """Every stored response showing any of `tags` is gone, here and in the front-end caches (Varnish)."""
    if not tags:
        return
    cache = _cache()
    keys = [_tag_key(tag) for tag in sorted(tags)]
    now = time.time_ns()
    # Only tags something was stored under; the new version is the time of the purge (Last-Modified reads it).
    for key in cache.get_many(keys):
        cache.set(key, now, timeout=None)
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    from portal.frontend_cache import purge_frontend_tags

    purge_frontend_tags(tags)


def purging() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", True) or getattr(settings, "FRAGMENT_CACHE_ENABLED", False)
                or getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_on_commit(tags: set[str]) -> None:
    """Purge once the change is committed (a purge before it would let a render store the old content again)."""
    if tags and purging():
        transaction.on_commit(lambda: purge_tags(tags))


# --- the middleware -------------------------------------------------------------------------------------------


class PageCacheMiddleware:
    """Outside the CSP, Permissions-Policy and session middleware: a hit returns a stored response whole, nonce
    and CSP header together, without a session being read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD") or _excluded(request):
            return self.get_response(request)
        anonymous = anonymous_request(request)
        key = None
        if anonymous:
            try:
                key = cache_key(request)
            except Exception:  # DisallowedHost and the like: the ordinary path answers them
                key = None
        if key is not None:
            hit = _lookup(key)
            if hit is not None:
                return _conditional(request, hit)
            generation = current_generation()
        collector, token = cache_tags.collect_start()
        try:
            response = self.get_response(request)
        finally:
            cache_tags.collect_stop(token)
        if response.status_code != 200 or response.streaming:
            return response
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type not in STORED_TYPES:
            return response
        own_validators = response.has_header("ETag")  # feeds make their own
        if key is not None and storable(request, response, collector):
            tags = collector.final_tags()
            versions = _tag_versions(tags)
            if not own_validators:
                _set_validators(response, etag=strong_etag(response.content),
                                modified=last_modified(collector, versions))
            ttl = min(settings.PAGE_CACHE_SECONDS, seconds_to_midnight())
            response["Cache-Control"] = f"public, max-age=0, s-maxage={ttl}"
            response[TAG_HEADER] = " ".join(tags)
            _store(key, response, tags, versions, generation, collector.counts)
            response["X-Page-Cache"] = "miss"
        else:
            # A page rendered for one visitor: the ETag alone (revalidating it renders it again).
            if not own_validators:
                response["ETag"] = strong_etag(response.content)
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-cache"
        return _conditional(request, response)


# --- what purges ----------------------------------------------------------------------------------------------


def _page_published(sender, instance, **kwargs) -> None:
    if purging():
        purge_on_commit(cache_tags.page_change_tags(instance))


def _page_moved(sender, instance, parent_page_before=None, **kwargs) -> None:
    if purging():
        purge_on_commit(cache_tags.page_change_tags(instance, former_parent=parent_page_before)
                        | cache_tags.subtree_tags(instance))


def _slug_changed(sender, instance, **kwargs) -> None:
    # Sent once the new slug is committed; the pages beneath answer at new addresses.
    if purging():
        purge_on_commit(cache_tags.page_change_tags(instance) | cache_tags.subtree_tags(instance))


def _model_saved(sender, instance, created=False, **kwargs) -> None:
    from wagtail.models import Page

    if not purging():
        return
    if isinstance(instance, Page):
        # Pages saved in code (imports, the demo) go live without a publish signal.
        purge_on_commit(cache_tags.page_change_tags(instance))
    elif cache_tags.tracked_label(sender) is not None:
        purge_on_commit(cache_tags.object_change_tags(instance, created=created))


def _model_deleted(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if not purging():
        return
    if isinstance(instance, Page):
        purge_on_commit(cache_tags.page_change_tags(instance))
    elif cache_tags.tracked_label(sender) is not None:
        purge_on_commit(cache_tags.object_change_tags(instance, deleted=True))


def _restriction_changed(sender, instance, **kwargs) -> None:
    if purging():
        page = instance.page
        purge_on_commit(cache_tags.page_change_tags(page) | {f"below:{page.path}"})


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    # post_init is connected per watched model on the first response collected (cache_tags.watch_loaded_instances).
    page_published.connect(_page_published, dispatch_uid="page-cache-published", weak=False)
    page_unpublished.connect(_page_published, dispatch_uid="page-cache-unpublished", weak=False)
    post_page_move.connect(_page_moved, dispatch_uid="page-cache-moved", weak=False)
    page_slug_changed.connect(_slug_changed, dispatch_uid="page-cache-slug-changed", weak=False)
    post_save.connect(_model_saved, dispatch_uid="page-cache-saved", weak=False)
    # Before the delete, while the page's ancestors can still be read.
    pre_delete.connect(_model_deleted, dispatch_uid="page-cache-deleted", weak=False)
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="page-cache-restricted")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="page-cache-unrestricted")
