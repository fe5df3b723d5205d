"""RSS 2.0 and Atom feeds of 留言选登 (published letters and their replies): /hall/letters/feed/rss/ and /atom/.

Written by the site's feed writer (portal.feeds); personal data masked as on the page; conditional GETs get 304.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from portal.feeds import FORMATS, Feed, FeedItem, feed_response, site_name

from .selectors import letter_published_recent, public_letter

FEED_SIZE = 20
EMPTY_FEED_MODIFIED = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


@require_GET
def letter_feed(request, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("订阅源格式只有 rss 和 atom。")
    site = site_name(request)
    items = []
    for letter in letter_published_recent(limit=FEED_SIZE):
        shown = public_letter(letter)
        items.append(FeedItem(
            pk=letter.pk, title=f"[{shown.kind}] {shown.subject}",
            path=reverse("services_hall:letter_detail", args=[letter.tracking_number]),
            published=letter.reply.replied_at, updated=letter.reply.replied_at,
            summary=f"答复部门：{shown.department}。{shown.reply[:200]}", category=shown.kind,
        ))
    title = f"留言选登 - {site}"
    description = f"{site}选登的咨询、建议、投诉及其答复（个人信息已隐去）。"
    feed = Feed(title=title, description=description, html_path=reverse("services_hall:letter_list"),
                feed_path=reverse("services_hall:letter_feed", args=["rss"]).removesuffix("rss/"), query="",
                site_name=site, items=items, fallback_modified=EMPTY_FEED_MODIFIED,
                identity=(title, description))
    return feed_response(request, feed, fmt)
