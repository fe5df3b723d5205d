"""Production: refuses to start without a secret key and the hosts it answers for."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma separated host names).")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31_536_000
# HSTS covers every subdomain (等保: no plain-HTTP door beside the site); a deployment whose sibling subdomains
# still serve plain HTTP may say SECURE_HSTS_INCLUDE_SUBDOMAINS=false (docs/production.md).
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true") != "false"
# Preloading is a promise to browser vendors that is slow to undo: only when asked for. Until then its
# check --deploy reminder (security.W021) is silenced on purpose, see docs/production.md.
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "") == "true"
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Paths answered over plain HTTP without the redirect to HTTPS, as regular expressions without the leading slash
# (Django's SECURE_REDIRECT_EXEMPT), e.g. "^healthz/$" for a load balancer's health check. Empty by default.
SECURE_REDIRECT_EXEMPT = [item for item in os.environ.get("SECURE_REDIRECT_EXEMPT", "").split(",") if item]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Real mail by default in production (the console backend only logs it).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Behind nginx every REMOTE_ADDR is 127.0.0.1: per-IP rate limits read the address nginx sets.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY", "HTTP_X_REAL_IP")
