from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap


def on_public_address(url: str, base_url: str) -> str:
    """`url` moved onto the site's public address (scheme and host of `base_url`), path and query kept."""
    if not base_url:
        return url
    base, parts = urlsplit(base_url), urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


def public_base_url(request) -> str:
    """The address the site is served at, as the sitemap names it: PUBLIC_BASE_URL when set, else the Wagtail
    Site record that answers the request (its root URL, as page URLs already use)."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL
    from wagtail.models import Site

    site = Site.find_for_request(request)
    return site.root_url if site else request.build_absolute_uri("/").rstrip("/")


def public_url(request, path_or_url: str) -> str:
    """`path_or_url` as an absolute URL on the site's public address (public_base_url)."""
    return on_public_address(request.build_absolute_uri(path_or_url), public_base_url(request))


class PageSitemap(Sitemap):
    """Every live, public page of the site, 5,000 to a file so large sites stay in the protocol's limits.

    Each <loc> names the address the site is served at: PUBLIC_BASE_URL when it is set (production), else the
    Wagtail Site record, which `load_demo --base-url` points at the address `make run` serves on.
    """

    limit = 5000

    def items(self):
        from portal import cache_tags

        cache_tags.shows_all_pages()
        return super().items()

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = on_public_address(url["location"], settings.PUBLIC_BASE_URL)
        return urls
