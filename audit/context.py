"""The request being served, so that receivers of model signals (group changes made in either admin) can name who
acted and from where. Set by AuditContextMiddleware; empty in management commands and background tasks."""

from __future__ import annotations

from contextvars import ContextVar

current_request: ContextVar = ContextVar("audit_current_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
