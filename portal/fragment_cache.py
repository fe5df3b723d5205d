"""Pieces every page repeats (the menu, the footer, the site identity), built once and kept in the shared cache
under the tags of what they show, so a render that cannot come from the page cache still skips their queries.

A fragment is stored with the versions of its tags (portal/cache_tags.py, the same tag keys the page cache keeps);
the purge that drops a stored page showing a menu item's page, a setting or one of its rows moves those versions,
and the fragment is built again on the next request. Its tags and Last-Modified go to the response being rendered,
as if it had been built there. Values must pickle (plain dicts and lists, model instances without querysets).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from portal import cache_tags, page_cache
from portal.release import release

T = TypeVar("T")
K = TypeVar("K")


def _key(name: str, key: str) -> str:
    """The cache key of a fragment: its name, what it was built for and the release (portal/release.py), so a new
    release's templates and code build their own."""
    raw = f"{key}|{release()}"
    return f"fragment:{name}:" + hashlib.sha1(raw.encode("utf-8", "surrogateescape")).hexdigest()


def fragment(*, name: str, key: str, build: Callable[[], T]) -> T:
    """build()'s value, from the shared cache while none of the tags it collected has been purged."""
    if not getattr(settings, "FRAGMENT_CACHE_ENABLED", False):
        return build()
    cache = page_cache._cache()
    full_key = _key(name, key)
    entry = cache.get(full_key)
    if entry is not None and _still_valid(cache, full_key, entry):
        cache_tags.shows_fragment(entry["tags"], last_modified=entry["last_modified"])
        return entry["value"]
    generation = page_cache.current_generation()
    collector, token = cache_tags.collect_start()
    try:
        value = build()
    finally:
        cache_tags.collect_stop(token)
    tags = sorted(collector.tags)
    cache_tags.shows_fragment(tags, last_modified=collector.last_modified)
    if tags and not collector.uncacheable:
        versions = page_cache._tag_versions(tags)
        # A purge while it was built: what it read may be stale, so it is not kept.
        if len(versions) == len(tags) and page_cache.current_generation() == generation:
            cache.set(full_key, {"value": value, "tags": tags, "versions": versions,
                                 "last_modified": collector.last_modified, "generation": generation},
                      timeout=settings.FRAGMENT_CACHE_SECONDS)
    return value


def _still_valid(cache, full_key: str, entry: dict) -> bool:
    """No purge since the entry was last checked (one read), or none of its own tags was purged (one read per tag,
    ~30 for the menu: on the file cache a file each); the same shortcut the page cache takes for a stored page."""
    generation = page_cache.current_generation()
    if entry.get("generation") == generation:
        return True
    if cache.get_many(list(entry["versions"])) != entry["versions"]:
        return False
    entry["generation"] = generation
    cache.set(full_key, entry, timeout=settings.FRAGMENT_CACHE_SECONDS)
    return True


def by_content(*, name: str, parts: tuple, build: Callable[[], str]) -> str:
    """build()'s value kept under a key made of everything it depends on (`parts`): a change to any of them is a
    new key, so nothing needs purging (an image's rendered <picture>: its id, file, focal point and alt text)."""
    if not getattr(settings, "FRAGMENT_CACHE_ENABLED", False):
        return build()
    cache = page_cache._cache()
    full_key = _key(name, "|".join(str(part) for part in parts))
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout=settings.FRAGMENT_CACHE_SECONDS)
    return value



def by_content_many(*, name: str, parts: dict[K, tuple], build: Callable[[list[K]], dict[K, str]]) -> dict[K, str]:
    """by_content for several values at once (a list's cover thumbnails): one read for all of them, and one build
    for those not kept yet."""
    if not getattr(settings, "FRAGMENT_CACHE_ENABLED", False):
        return build(list(parts))
    cache = page_cache._cache()
    keys = {item: _key(name, "|".join(str(part) for part in item_parts)) for item, item_parts in parts.items()}
    found = cache.get_many(list(keys.values()))
    values = {item: found[key] for item, key in keys.items() if key in found}
    missing = [item for item in parts if item not in values]
    if missing:
        built = build(missing)
        cache.set_many({keys[item]: value for item, value in built.items()}, timeout=settings.FRAGMENT_CACHE_SECONDS)
        values.update(built)
    return values


def page_part(*, name: str, page, request, build: Callable[[], T], key: tuple = (), private: bool = False) -> T:
    """A part of one page, written by build(): kept under the page's publication (publishing it again is a new
    key), the Site answering (addresses in it are the Site's) and `key` (whatever else it shows that carries no tag,
    e.g. a resource's import); with `private`, the private pages' version too (it lists other pages, which a
    restriction may hide). A preview, or no request, builds it as edited."""
    if request is None or getattr(request, "is_preview", False):
        return build()
    from wagtail.models import Site

    from portal import restrictions, sites

    site = Site.find_for_request(request)
    parts = (sites._version(), site.pk if site else 0, page.pk, page.last_published_at, *key)
    if private:
        parts += (restrictions._version(),)
    return fragment(name=name, key=":".join(map(str, parts)), build=build)
