"""Site-wide request guards: JSON body size and depth, NUL characters, session lifetimes, Permissions-Policy."""

from __future__ import annotations

import logging
import re
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse

from portal.jsonbody import JsonBodyError, json_depth

logger = logging.getLogger("portal.security")

SESSION_STARTED = "portal:session_started"
SESSION_SEEN = "portal:session_seen"
SESSION_EXPIRED_MESSAGE = "登录已超时，请重新登录。"


# Endpoints that bound their JSON bodies themselves and answer in their own envelope (CKAN's {"success": false, ...}).
OWN_JSON_LIMITS = re.compile(r"^/api/(3/)?action/")


class JsonBodyGuardMiddleware:
    """Every JSON body is bounded in size and depth before a view or parser reads it: 400 as JSON otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in ("POST", "PUT", "PATCH")
            and request.content_type in ("application/json", "text/json")
            and not OWN_JSON_LIMITS.match(request.path)
        ):
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request.META.get(
                "CONTENT_LENGTH", "").isdigit() else 0
            try:
                if length > settings.JSON_BODY_MAX_BYTES:
                    raise JsonBodyError(f"请求体过大：JSON 不能超过 {settings.JSON_BODY_MAX_BYTES // 1024} KB。")
                # Size and depth only: whether the body is valid JSON is the view's to answer, in its own format.
                if len(request.body) > settings.JSON_BODY_MAX_BYTES:
                    raise JsonBodyError(f"请求体过大：JSON 不能超过 {settings.JSON_BODY_MAX_BYTES // 1024} KB。")
                if json_depth(request.body) > settings.JSON_BODY_MAX_DEPTH:
                    raise JsonBodyError(f"JSON 嵌套过深：不能超过 {settings.JSON_BODY_MAX_DEPTH} 层。")
            except JsonBodyError as error:
                logger.warning("JSON body refused: %s %s: %s", request.method, request.path, error)
                return JsonResponse({"detail": str(error)}, status=400, json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)


NUL_MESSAGE = "提交的内容含有不允许的控制字符（NUL），请删除后重试。"
SEARCH_PATHS = re.compile(r"^/(search|api/search)/")


class NulCharacterGuardMiddleware:
    """A NUL character in the query string or a form body is refused with a 400 before any view sees it: no
    person types one, and PostgreSQL refuses it in text (a lookup with it would be a 500). A multipart body larger
    than DATA_UPLOAD_MAX_MEMORY_SIZE is left to the views (their size checks come first; services check what they
    look up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            from portal.errors import PublicBadRequest
            from portal.views import bad_request

            logger.warning("NUL character refused: %s %s", request.method, request.path)
            return bad_request(request, PublicBadRequest(NUL_MESSAGE))
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        query = request.META.get("QUERY_STRING", "")
        # The search page and API clean control characters out of a query and answer it.
        if ("\x00" in query or "%00" in query) and not SEARCH_PATHS.match(request.path):
            return True
        if request.method != "POST":
            return False
        if request.content_type == "multipart/form-data":
            # Small multipart bodies only (a form sent by a script, or with small files): reading a large upload
            # here would come before the views' own size checks and their messages.
            length = request.META.get("CONTENT_LENGTH", "")
            if not length.isdigit() or int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return False
        elif request.content_type != "application/x-www-form-urlencoded":
            return False
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.POST.lists())


def session_limits(user) -> tuple[int, int | None]:
    """(idle seconds, absolute seconds or None) for the signed-in `user`: staff are held shorter than applicants."""
    from portal.staff_security import is_staff_account

    if is_staff_account(user):
        return settings.STAFF_SESSION_IDLE_SECONDS, settings.STAFF_SESSION_ABSOLUTE_SECONDS
    return settings.APPLICANT_SESSION_IDLE_SECONDS, None


def session_expired(*, now: float, started: float, seen: float, idle: int, absolute: int | None) -> bool:
    return now - seen > idle or (absolute is not None and now - started > absolute)


class SessionTimeoutMiddleware:
    """Logs a user out after the idle time for their kind of account, and staff after an absolute limit too.

    Times are kept in the session itself, so every worker (and a restart) agrees on them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            idle, absolute = session_limits(user)
            started = request.session.get(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            if session_expired(now=now, started=started, seen=seen, idle=idle, absolute=absolute):
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": SESSION_EXPIRED_MESSAGE}, status=401,
                                        json_dumps_params={"ensure_ascii": False})
                from django.contrib import messages

                messages.warning(request, SESSION_EXPIRED_MESSAGE)
                admin = request.path.startswith(("/admin/", "/django-admin/"))
                login_url = "/admin/login/" if admin else "/hall/login/"
                return redirect_to_login(request.get_full_path(), login_url)
            request.session[SESSION_STARTED] = started
            # Written at most once a minute, so most requests do not save the session.
            if now - seen > 60 or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


# Browser features no page of the portal uses, switched off for every page and every frame.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "usb",
        "browsing-topics",
    )
) + ", fullscreen=(self)"


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
