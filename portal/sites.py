"""Which Wagtail Site answers a request, from the shared cache instead of a query on every request.

Wagtail looks the Site up from the Host header on each request (Site.find_for_request, a query joining the root
page) and keeps it on the request as `_wagtail_site`. The middleware here sets that attribute from the cache, keyed on
the host and port and a version that any change to a Site record or to a page at the top of the tree moves.
"""

from __future__ import annotations


from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port

from portal.cache import generation, next_generation

TIMEOUT = 24 * 3600
MISSING = "none"


def _version() -> int:
    return generation("sites")


def sites_changed(**_signal_kwargs) -> None:
    """A Site, or a page Sites point at, changed: every cached lookup is forgotten."""
    next_generation("sites")


def site_for_request(request: HttpRequest):
    from wagtail.models import Site

    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"portal:site:{_version()}:{hostname}:{request.get_port()}:specific-root"
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is not None:
            # Wagtail serves every page from `site.root_page.specific`: kept as its own type, it is not read again.
            site.root_page = site.root_page.specific
        cache.set(key, site if site is not None else MISSING, timeout=TIMEOUT)
    return None if site == MISSING else site


class CachedSiteMiddleware:
    """After CommonMiddleware (the Host header is one ALLOWED_HOSTS accepts): Wagtail finds the Site already set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        # The same switch as the menu and footer fragments (the test settings turn both off).
        if settings.FRAGMENT_CACHE_ENABLED and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)


def _page_saved(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    # A site's root page sits at depth 2; its title, slug or locale are read through the cached Site.
    if isinstance(instance, Page) and (instance.depth or 99) <= 2:
        sites_changed()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Site

    post_save.connect(sites_changed, sender=Site, dispatch_uid="portal-sites-saved")
    post_delete.connect(sites_changed, sender=Site, dispatch_uid="portal-sites-deleted")
    post_save.connect(_page_saved, dispatch_uid="portal-sites-root-saved", weak=False)
