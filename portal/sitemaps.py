from wagtail.contrib.sitemaps import Sitemap


class PageSitemap(Sitemap):
    """Every live, public page of the site, 5,000 to a file so large sites stay in the protocol's limits."""

    limit = 5000
