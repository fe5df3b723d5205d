"""The client address rate limits count against.

Behind nginx the address is in the header named by RATELIMIT_IP_META_KEY (production: X-Real-IP). A request
that reaches the app without it (a health check, a misrouted proxy) falls back to the socket address instead
of failing: django-ratelimit's own "ip" key raises ImproperlyConfigured there, which would be a 500.
"""

from django.conf import settings


def client_ip(group, request) -> str:
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None)
    forwarded = request.META.get(meta_key, "") if isinstance(meta_key, str) else ""
    address = forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "") or "unknown"
    return address
