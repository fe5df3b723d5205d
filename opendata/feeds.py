"""RSS 2.0 and Atom feeds of new and updated datasets: /open-data/feed/rss/ and /atom/.

A feed follows the catalog's own filters (?publisher=slug, ?theme=slug, and the other facets), validated as
the catalog validates them (400 naming a bad parameter), and lists the datasets whose metadata or data changed
most recently. Written by the site's feed writer (portal.feeds); conditional GETs get 304.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.views.decorators.http import require_GET

from opendata import selectors
from opendata.filters import FACETS, CatalogError, CatalogQuery, parse_catalog_query
from opendata.models import Publisher
from portal.feeds import FORMATS, Feed, FeedItem, feed_response, site_name

FEED_SIZE = 20
# An empty feed has no item to date it by; a fixed moment keeps its Last-Modified (and 304s) stable.
EMPTY_FEED_MODIFIED = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


@require_GET
def dataset_feed(request, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("订阅源格式只有 rss 和 atom。")
    try:
        query = parse_catalog_query(request.GET)
    except CatalogError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    datasets = list(selectors.with_modified(selectors.dataset_filter(query=query))
                    .select_related("publisher", "theme").order_by("-modified", "-pk")[:FEED_SIZE])
    title, description = _describe(query, site_name(request))
    normalised = _normalised(query)
    feed = Feed(
        title=title,
        description=description,
        html_path=reverse("opendata:catalog"),
        feed_path=reverse("opendata:dataset_feed", args=["rss"]).removesuffix("rss/"),
        query=normalised,
        site_name=site_name(request),
        items=[
            FeedItem(
                pk=dataset.pk, title=dataset.title, path=dataset.get_url(request=request),
                published=selectors.dataset_published_at(dataset=dataset),
                updated=selectors.dataset_modified_at(dataset=dataset), summary=dataset.summary,
                category=dataset.theme.name if dataset.theme else "",
            )
            for dataset in datasets
        ],
        fallback_modified=EMPTY_FEED_MODIFIED,
        identity=(title, description),
    )
    return feed_response(request, feed, fmt)


def _normalised(query: CatalogQuery) -> str:
    pairs = sorted(query.active().items())
    return "?" + urlencode(pairs) if pairs else ""


def _describe(query: CatalogQuery, site: str) -> tuple[str, str]:
    scope = []
    if query.publisher:
        scope.append(Publisher.objects.get(slug=query.publisher).name)
    if query.theme:
        from content.models import Theme

        scope.append(Theme.objects.get(slug=query.theme).name)
    others = [name for name in FACETS if name not in ("publisher", "theme") and getattr(query, name)]
    if query.q or others:
        scope.append("筛选结果")
    prefix = "·".join(scope)
    title = f"{prefix + ' - ' if prefix else ''}数据资源更新 - {site}"
    description = f"{site}数据资源目录中新发布和更新的数据资源" + (f"（{prefix}）" if prefix else "") + "。"
    return title, description
