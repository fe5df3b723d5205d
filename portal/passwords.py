"""Password rules as 等保 2.0 third level expects (身份鉴别 a): for everyone, at least 10 characters of three of
the four classes (Django's validators plus CharacterClassesValidator); for staff, no reuse of the last five
passwords and a maximum age (PASSWORD_MAX_AGE_DAYS, 90 by default) after which every admin page first sends them
to change it. Applicants get the complexity rule only. Every change is in the audit trail (audit.signals)."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from portal.models import PasswordAgeExemption, PasswordHistory

HISTORY_KEPT = 5
CHANGE_URL = "/admin/password/change/"
# Pages a staff user with an expired password may still reach: signing in and out, the second factor, the change
# form itself, and what those pages load.
AGE_EXEMPT_PATHS = re.compile(r"^/(admin|django-admin)/(login|logout|2fa|password/change|jsi18n|sprite)/")
STAFF_AREA = re.compile(r"^/(admin|django-admin)/")
# The four classes of characters a password is made of.
CHARACTER_CLASSES: tuple[tuple[str, re.Pattern], ...] = (
    ("小写字母", re.compile(r"[a-z]")),
    ("大写字母", re.compile(r"[A-Z]")),
    ("数字", re.compile(r"[0-9]")),
    ("符号", re.compile(r"[^a-zA-Z0-9]")),
)


def character_classes(password: str) -> list[str]:
    """The classes (小写字母, 大写字母, 数字, 符号) `password` uses."""
    return [name for name, pattern in CHARACTER_CLASSES if pattern.search(password)]


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """Django's length rule, worded in Chinese (Django 5.2 changed its message, and the zh_Hans catalogue lags)."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"


class CharacterClassesValidator:
    """At least `min_classes` of lower case, upper case, digits and symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


def _is_staff(user) -> bool:
    from portal.staff_security import is_staff_account

    return user is not None and getattr(user, "pk", None) is not None and is_staff_account(user)


class PasswordReuseValidator:
    """Staff may not reuse any of their last `keep` passwords; remembers each new one (for everyone, so that its
    age is known and the change is audited)."""

    def __init__(self, keep: int = HISTORY_KEPT):
        self.keep = keep

    def validate(self, password: str, user=None) -> None:
        if not _is_staff(user):
            return
        recent = [user.password, *PasswordHistory.objects.filter(user=user).values_list("password", flat=True)
                  [:self.keep]]
        if any(encoded and check_password(password, encoded) for encoded in recent):
            raise ValidationError(f"新密码不能与最近 {self.keep} 次使用过的密码相同。", code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        password_history_add(user=user, keep=self.keep)

    def get_help_text(self) -> str:
        return f"工作人员的新密码不能与最近 {self.keep} 次使用过的密码相同。"


def password_history_add(*, user, keep: int = HISTORY_KEPT) -> PasswordHistory:
    """Remember `user`'s current password hash, keeping the newest `keep`."""
    with transaction.atomic():
        entry = PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-pk").values_list("pk", flat=True)
        PasswordHistory.objects.filter(pk__in=list(stale[keep:])).delete()
    return entry


def max_age() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90)))


def password_set_at(user) -> dt.datetime:
    """When `user`'s current password was set: the newest history entry, else when the account was made."""
    latest = PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True).first()
    return latest or user.date_joined


def password_expired(user, *, now: dt.datetime | None = None) -> bool:
    """Whether a staff user must change their password before anything else (applicants never: complexity only)."""
    if not _is_staff(user) or PasswordAgeExemption.objects.filter(user=user).exists():
        return False
    return (now or timezone.now()) - password_set_at(user) > max_age()


def password_age_exempt(*, user, reason: str) -> PasswordAgeExemption:
    """For `load_demo` only: the demo accounts' passwords never expire (a demo site must stay usable)."""
    exemption, _ = PasswordAgeExemption.objects.update_or_create(user=user, defaults={"reason": reason[:200]})
    return exemption


class PasswordAgeMiddleware:
    """A staff user whose password is older than the maximum age is sent to change it before any other admin
    page. Placed after the second-factor middleware, so the second factor comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            STAFF_AREA.match(request.path)
            and not AGE_EXEMPT_PATHS.match(request.path)
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and password_expired(request.user)
        ):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path(), CHANGE_URL)
        return self.get_response(request)


def _next_url(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    candidate = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return "/admin/"


def password_change(request):
    """修改密码: where an expired staff password is changed (any signed-in staff user may use it)."""
    from portal.staff_security import is_staff_account

    if not is_staff_account(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path(), "/admin/login/")
    form = PasswordChangeForm(request.user, request.POST or None)
    form.fields["old_password"].label = "当前密码"
    form.fields["new_password1"].label = "新密码"
    form.fields["new_password2"].label = "再次输入新密码"
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        from django.contrib import messages

        messages.success(request, "密码已修改。")
        return redirect(_next_url(request))
    return render(request, "portal/password_change.html",
                  {"form": form, "expired": password_expired(request.user), "next": _next_url(request),
                   "max_age_days": max_age().days},
                  status=400 if form.errors else 200)
