"""The site-wide "latest" feed: the newest news, policies, interpretations and procurement notices together,
at /feed/latest/rss/ and /atom/ (the home page advertises it beside the news feed)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Page

from content.feeds import FEED_SIZE, PAGE_FIELDS, TYPED_MODELS, _item, _with_details
from portal import cache_tags
from portal.feeds import FORMATS, Feed, feed_response, site_name


def latest_entries(*, limit: int = FEED_SIZE) -> list[Page]:
    """The newest published typed entries of every column, newest first."""
    cache_tags.shows_all_pages()
    return list(Page.objects.live().public().type(*TYPED_MODELS).filter(alias_of__isnull=True)
                .order_by("-first_published_at", "-pk").only(*PAGE_FIELDS)[:limit])


@require_GET
def latest_feed(request, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("订阅源格式只有 rss 和 atom。")
    site = site_name(request)
    title = f"最新发布 - {site}"
    description = f"{site}各栏目最新发布的财政新闻、政策文件、政策解读和政府采购公告。"
    feed = Feed(
        title=title, description=description, html_path="/",
        feed_path=reverse("latest_feed", args=["rss"]).removesuffix("rss/"), query="", site_name=site,
        items=[_item(request, page, details) for page, details in _with_details(latest_entries())],
        fallback_modified=timezone.now().replace(microsecond=0, second=0, minute=0),
        identity=(title, description),
    )
    return feed_response(request, feed, fmt)
