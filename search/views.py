"""Site search page.

Until the Chinese-segmenting search lands, this matches the query as a substring of titles and
summaries of live public pages — which already finds 采购 in 财政部发布政府采购公告.
"""

from django.db.models import Q
from django.shortcuts import render
from wagtail.models import Page

from portal.pagination import paginate
from portal.selectors import LISTING_FIELDS

MAX_QUERY_LENGTH = 100
PER_PAGE = 20


def clean_query(raw: str) -> str:
    """The query as searched: control characters dropped, whitespace collapsed, cut to MAX_QUERY_LENGTH."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search(request):
    query = clean_query(request.GET.get("q", ""))
    page_obj = None
    if query:
        results = Page.objects.live().public().filter(depth__gt=2).only(*LISTING_FIELDS).order_by("-first_published_at", "-id")
        for term in query.split():
            results = results.filter(Q(title__icontains=term) | Q(search_description__icontains=term))
        page_obj = paginate(request, results, per_page=PER_PAGE)
    return render(request, "search/search.html", {"query": query, "page_obj": page_obj})
