"""A request limit for every public endpoint, counted per client IP in the shared cache, and `Retry-After` on every 429.

The table says which kind of request counts against which budget. The first row whose pattern matches the path
(and whose methods include the request's) is the budget; the views keep their own finer limits (per account, per
API key) on top. Counters live in the default cache — the shared file cache or Redis, never per process — so a
client meets the same limit whichever worker answers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from portal.ratelimit import client_ip

TOO_MANY = "请求过于频繁，请稍后再试。"
# A 429 that a view made without saying when to come back gets this many seconds.
DEFAULT_RETRY_AFTER = 60


@dataclass(frozen=True)
class Budget:
    group: str
    pattern: re.Pattern
    setting: str  # the settings name holding the rate, "<count>/<s|m|h|d>"
    default_rate: str
    methods: frozenset[str] = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _budget(group: str, pattern: str, setting: str, default_rate: str, methods: str = "") -> Budget:
    if methods:
        return Budget(group, re.compile(pattern), setting, default_rate, frozenset(methods.split()))
    return Budget(group, re.compile(pattern), setting, default_rate)


# First match wins. Paths not listed (static files are answered before this middleware) use the last row.
PUBLIC_BUDGETS: tuple[Budget, ...] = (
    _budget("admin", r"^/(admin|django-admin)/", "LIMIT_ADMIN_RATE", "600/m"),
    _budget("api", r"^/api/", "LIMIT_API_RATE", "300/m"),
    _budget("search", r"^/search/", "LIMIT_SEARCH_RATE", "60/m"),
    _budget("feeds", r"(/feed/|^/open-data/catalog\.|^/sitemap)", "LIMIT_FEED_RATE", "60/m"),
    _budget("downloads", r"(^/documents/|/download[./]|^/hall/files/)", "LIMIT_DOWNLOAD_RATE", "120/m"),
    _budget("forms", r"^/(hall|open-data)/", "LIMIT_FORM_POST_RATE", "30/m", methods="POST"),
    _budget("pages", r"", "LIMIT_PAGE_RATE", "300/m"),
)


def budget_for(path: str, method: str) -> Budget:
    """The budget a request to `path` with `method` counts against (the table's first matching row)."""
    for budget in PUBLIC_BUDGETS:
        if method in budget.methods and budget.pattern.search(path):
            return budget
    return PUBLIC_BUDGETS[-1]


def limit_exceeded(request: HttpRequest, *, group: str, rate: str, key=client_ip) -> int:
    """Count this request; 0 while within `rate`, else the seconds until the window ends (at least 1)."""
    usage = get_usage(request, group=group, key=key, rate=rate, method=get_usage.ALL, increment=True)
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, int(usage["time_left"]))


def too_many_response(request: HttpRequest, retry_after: int, *, message: str = TOO_MANY) -> HttpResponse:
    """429 as JSON for the APIs, as the portal's Chinese page elsewhere, always with Retry-After."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "429.html", {"message": message, "retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class PublicRateLimitMiddleware:
    """Refuses a client over its budget for this kind of request before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "RATELIMIT_ENABLE", True):
            budget = budget_for(request.path, request.method)
            rate = getattr(settings, budget.setting, budget.default_rate)
            retry_after = limit_exceeded(request, group=f"public-{budget.group}", rate=rate)
            if retry_after:
                return too_many_response(request, retry_after)
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(getattr(request, "retry_after", DEFAULT_RETRY_AFTER))
        return response
