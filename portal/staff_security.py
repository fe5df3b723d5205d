"""Staff sign-in: lockout after repeated failures (django-axes) on both admin logins, and a TOTP second factor
(django-otp) that every staff user must pass before any admin page, enrolled on first sign-in, with recovery codes.

The lockout counts only sign-ins at /admin/login/ and /django-admin/login/: the services hall limits applicants its
own way (services_hall/views/accounts.py) and must not lock a shared office IP out of the admin, or the reverse.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

STAFF_LOGIN_PATHS = re.compile(r"^/(admin|django-admin)/login/")
STAFF_AREA = re.compile(r"^/(admin|django-admin)/")
# Pages of the staff area a signed-in user reaches before passing the second factor.
SECOND_FACTOR_EXEMPT = re.compile(r"^/(admin|django-admin)/(login|logout|2fa|jsi18n|sprite)/")
VERIFY_URL = "/admin/2fa/"
SETUP_URL = "/admin/2fa/setup/"
RECOVERY_CODES = 10
ISSUER = "金财门户"
LOCKED_MESSAGE = "登录失败次数过多，账户或来源地址已被锁定 15 分钟，请稍后再试。如需立即解锁，请联系系统管理员。"


# ------------------------------------------------------------------------------------------------ lockout


def is_staff_login(request) -> bool:
    return request is not None and bool(STAFF_LOGIN_PATHS.match(getattr(request, "path", "") or ""))


class StaffLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, counting failures only on the two staff logins."""

    def is_admin_request(self, request) -> bool:
        return is_staff_login(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if is_staff_login(request):
            super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        if is_staff_login(request):
            super().user_logged_in(sender, request, user, **kwargs)


class StaffLockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out account or address before its password is checked. Calls without a request (the demo
    command, the shell) have no address to count and are left to the next backend."""

    def authenticate(self, request=None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def lockout_response(request, credentials=None, *args, **kwargs) -> HttpResponse:
    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    response = render(request, "portal/staff_locked.html", {"message": LOCKED_MESSAGE}, status=429)
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    return response


def client_ip_for_lockout(request) -> str:
    from portal.ratelimit import client_ip

    return client_ip(None, request)


# ------------------------------------------------------------------------------------------------ second factor


def is_staff_account(user) -> bool:
    """Anyone who may use the admin (Wagtail's access_admin, Django's is_staff, a superuser): staff rules apply."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


def needs_second_factor(user) -> bool:
    return is_staff_account(user)


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class StaffSecondFactorMiddleware:
    """Every staff page needs a session verified by a TOTP code or a recovery code; without an enrolled
    authenticator the user is sent to enrol it first. Placed after django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.STAFF_SECOND_FACTOR_REQUIRED
            and STAFF_AREA.match(request.path)
            and not SECOND_FACTOR_EXEMPT.match(request.path)
            and needs_second_factor(request.user)
            and not request.user.is_verified()
        ):
            target = VERIFY_URL if has_confirmed_totp(request.user) else SETUP_URL
            return redirect_to_login(request.get_full_path(), target)
        return self.get_response(request)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return "/admin/"


def _token(request) -> str:
    return "".join(request.POST.get("token", "").split()).lower()[:16]


def _signed_in_staff(view):
    def wrapper(request, *args, **kwargs):
        if not needs_second_factor(request.user):
            return redirect_to_login(request.get_full_path(), "/admin/login/")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@_signed_in_staff
def second_factor_verify(request):
    """二次验证: a code from the authenticator app, or one of the recovery codes (each works once)."""
    if not has_confirmed_totp(request.user):
        return redirect(f"{SETUP_URL}?next={_next_url(request)}")
    error = ""
    if request.method == "POST":
        token = _token(request)
        device = None
        # for_verify locks the devices (select_for_update): on PostgreSQL that needs a transaction, and a served
        # request runs in autocommit.
        with transaction.atomic():
            for candidate in devices_for_user(request.user, for_verify=True):
                if token and candidate.verify_token(token):
                    device = candidate
                    break
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        error = "验证码不正确或已过期，请重新输入验证器应用中当前显示的 6 位数字，或一个未用过的恢复码。"
    return render(request, "portal/twofactor/verify.html", {"error": error, "next": _next_url(request)},
                  status=400 if error else 200)


def _qr_svg(uri: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", xmldecl=False, svgns=True, scale=5, border=2)
    return out.getvalue().decode()


@_signed_in_staff
def second_factor_setup(request):
    """首次登录: enrol an authenticator app (QR code drawn here, no external service), confirm it with a code, and
    receive recovery codes once."""
    if has_confirmed_totp(request.user) and not request.user.is_verified():
        return redirect(f"{VERIFY_URL}?next={_next_url(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="验证器应用", confirmed=False)
    error = ""
    if request.method == "POST":
        if device.verify_token(_token(request)):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = recovery_codes_issue(user=request.user)
            otp_login(request, device)
            return render(request, "portal/twofactor/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
        error = "验证码不正确，请核对手机时间后输入验证器应用中当前显示的 6 位数字。"
    secret = _base32(device.bin_key)
    return render(
        request, "portal/twofactor/setup.html",
        {"qr_svg": _qr_svg(device.config_url), "secret": secret, "error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode().rstrip("=")


def recovery_codes_issue(*, user, count: int = RECOVERY_CODES) -> list[str]:
    """A fresh set of single-use recovery codes for `user` (the old ones stop working)."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name="恢复码", defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(count)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def staff_second_factor_reset(*, user) -> None:
    """Forget the user's authenticator and recovery codes: they enrol again at their next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def demo_second_factor(*, user) -> tuple[str, str]:
    """For `load_demo` only: an enrolled authenticator for a demo staff account and one fresh recovery code.

    Returns (the authenticator's base32 secret, a single-use recovery code). Never called by the site itself.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="验证器应用（演示）", confirmed=True)
        static, _ = StaticDevice.objects.get_or_create(user=user, name="恢复码", defaults={"confirmed": True})
        code = StaticToken.random_token()
        StaticToken.objects.create(device=static, token=code)
    return _base32(device.bin_key), code
