"""The search page (/search/), the OpenSearch description (/opensearch.xml) and its suggestions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from portal.ratelimit import client_ip
from search.backends.base import FACETS
from search.popular import visitor_key
from search.query import (
    FACET_LABELS,
    MAX_QUERY_LENGTH,
    ORDERS,
    BadSearchParameter,
    PageOutOfRange,
    SearchParams,
    clean_query,
    parse_params,
    run_search,
)
from search.suggestions import popular_queries, suggest


FACET_SHOWN = 8


def _link(params: SearchParams, **changes) -> str:
    """The search URL for `params` with some values changed (None removes one); always back to page 1."""
    values = {"q": params.q, **params.filters, "order": params.order if params.order != "relevance" else None,
              "exact": "1" if params.exact else None}
    values.update(changes)
    query = {name: value for name, value in values.items() if value}
    return reverse("search") + ("?" + urlencode(query) if query else "")


@require_GET
def search(request):
    try:
        params = parse_params(request.GET)
        page = run_search(params, visitor=visitor_key(client_ip(None, request)))
    except BadSearchParameter as error:
        raise BadRequest(str(error)) from error
    except PageOutOfRange as error:
        raise Http404("页码超出范围。") from error

    facet_groups = []
    for facet in FACETS:
        values = [
            {"value": item, "url": _link(params, **{facet: None if item.selected else item.value})}
            for item in page.facets.get(facet, [])
        ]
        if values:
            # A long list shows its first values and folds the rest (a scroll box hid them from view).
            shown = FACET_SHOWN if len(values) > FACET_SHOWN + 2 else len(values)
            facet_groups.append({"name": facet, "label": FACET_LABELS[facet], "values": values[:shown],
                                 "more": values[shown:],
                                 "selected": params.filters.get(facet, ""),
                                 "clear_url": _link(params, **{facet: None})})
    context = {
        "query": params.q,
        "search": page,
        "facet_groups": facet_groups,
        "orders": [
            {"value": value, "label": label, "url": _link(params, order=value), "selected": value == params.order}
            for value, label in ORDERS.items()
        ],
        "filters": params.filters,
        "clear_filters_url": _link(params, **dict.fromkeys(FACETS)),
        "previous_url": _page_url(request, params.page - 1) if params.page > 1 else "",
        "next_url": _page_url(request, params.page + 1) if params.page < page.pages else "",
        "did_you_mean": [{"text": text, "url": _link(SearchParams(q=text))} for text in page.did_you_mean],
        # 已为您显示“…”的结果: what was typed, searched exactly as typed
        "exact_url": _link(params, exact="1") if page.corrected else "",
        "popular": [{"text": text, "url": _link(SearchParams(q=text))}
                    for text in (page.popular if params.q else popular_queries())],
        "first_number": (params.page - 1) * page.per_page + 1,
        "also_searched": page.also_searched,
        "max_query_length": MAX_QUERY_LENGTH,
    }
    return render(request, "search/search.html", context)


def _page_url(request, number: int) -> str:
    params = request.GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@require_GET
def opensearch(request):
    """OpenSearch description, so browsers can add the site search (advertised by <link rel="search">)."""
    context = {
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "金财门户"),
        "search_url": request.build_absolute_uri(reverse("search")),
        "suggest_url": request.build_absolute_uri(reverse("search_suggest")),
        "icon_url": request.build_absolute_uri(settings.STATIC_URL + "img/emblem.svg"),
    }
    return render(request, "search/opensearch.xml", context,
                  content_type="application/opensearchdescription+xml; charset=utf-8")


@require_GET
def opensearch_suggest(request):
    """Suggestions in the OpenSearch format browsers read: [query, [completions]]."""
    q = clean_query(request.GET.get("q", ""))
    texts = [suggestion.text for suggestion in suggest(q)] if q else []
    response = JsonResponse([q, texts], safe=False, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/x-suggestions+json; charset=utf-8"
    return response
