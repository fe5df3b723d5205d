"""Front-end caches (Varnish) purged by the page cache's tags.

Configured the way wagtail.contrib.frontend_cache is (settings.WAGTAILFRONTENDCACHE, read by its get_backends), with
our backend: VarnishXkeyBackend is Wagtail's HTTPBackend (PURGE of one address still works) plus `purge_tags`, one
PURGE request carrying the tags in an `xkey-purge` header, which deploy/varnish/jincai.vcl hands to vmod xkey.
"""

from __future__ import annotations

import logging
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest

logger = logging.getLogger("wagtail.frontendcache")

# Tags per PURGE request: keeps the header well under Varnish's 8 KB request-header limit.
TAGS_PER_REQUEST = 200


class VarnishXkeyBackend(HTTPBackend):
    def __init__(self, params):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 2.0))
        location = params["LOCATION"]
        super().__init__(params)
        self.location = location.rstrip("/")

    def purge_tags(self, tags: list[str]) -> int:
        """Remove every object Varnish stored under any of `tags`; the number it removed (0 if it failed)."""
        removed = 0
        for start in range(0, len(tags), TAGS_PER_REQUEST):
            chunk = " ".join(tags[start:start + TAGS_PER_REQUEST])
            request = PurgeRequest(url=self.location + "/", headers={"xkey-purge": chunk})
            try:
                with urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 - LOCATION is from settings
                    removed += int(answer.headers.get("X-Purged", "0") or 0)
            except (HTTPError, URLError, OSError, ValueError) as error:
                logger.error("Couldn't purge tags from Varnish at %s: %s", self.location, error)
        return removed


def frontend_backends() -> dict:
    from django.conf import settings
    from wagtail.contrib.frontend_cache.utils import get_backends

    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return {}
    return get_backends()


def purge_frontend_tags(tags: set[str]) -> None:
    for backend in frontend_backends().values():
        purge = getattr(backend, "purge_tags", None)
        if purge is not None:
            purge(sorted(tags))

