import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import passwords, staff_security, views
from portal.registries import sitemap_sections
from portal.sitemaps import PageSitemap

# The apps' URLs are included by module name: portal sits below the apps it serves and imports none of them
# (.importlinter); include() imports each by name when the URLconf loads.


def _sitemaps(request=None):
    # The page tree's, then what the apps registered (published letters …).
    return {"pages": PageSitemap(request), **{name: make() for name, make in sitemap_sections().items()}}


def sitemap_index(request):
    return sitemap_views.index(request, sitemaps=_sitemaps(request), sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    return sitemap_views.sitemap(request, sitemaps=_sitemaps(request), section=section)


urlpatterns = [
    path("django-admin/", admin.site.urls),
    # The staff second factor (portal/staff_security.py), before the admin's own URLs.
    path("admin/2fa/", staff_security.second_factor_verify, name="staff_second_factor"),
    path("admin/password/change/", passwords.password_change, name="staff_password_change"),
    path("admin/2fa/setup/", staff_security.second_factor_setup, name="staff_second_factor_setup"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("content.api.urls")),
    # The services hall's own pages (办件查询 …); /services/ itself is the 政务服务 column of the page tree.
    # 依申请公开 (the disclosure app): the statutory application and the applicant's requests, beside 我的办件.
    path("hall/disclosure/", include("disclosure.urls")),
    path("hall/", include("services_hall.urls")),
    path("search/", include("search.urls")),
    path("", include("search.site_urls")),  # /api/search/v1/, /opensearch.xml
    path("", include("opendata.urls")),  # /open-data/catalog/, downloads (and the data APIs as they land)
    path("", include("content.site_urls")),  # /feed/latest/rss/, /feed/latest/atom/: the site-wide latest feed
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
]

# Public uploads (images, their renditions): nginx serves /media/ in production; `make run` and DEBUG serve them here.
urlpatterns += [re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", views.media, name="media")]

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "django.views.defaults.server_error"
