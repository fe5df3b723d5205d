"""Applicant accounts: registration with email verification, login and logout, password reset, 我的办件."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from portal.limits import limit_exceeded
from portal.ratelimit import client_ip

from .. import accounts
from ..forms import (
    REGISTRATION_FORMS,
    ApplicantLoginForm,
    HallPasswordResetForm,
    HallSetPasswordForm,
    ResendVerificationForm,
)
from ..models import Applicant
from ..registries import case_kinds
from ..selectors import applicant_application_rows, applicant_applications
from .common import applicant_required

TOO_MANY = "操作过于频繁，请稍后再试。"
KINDS = {"enterprise": Applicant.Kind.ENTERPRISE, "individual": Applicant.Kind.INDIVIDUAL}
SITE_NAME = "金财门户"
REGISTERED_EMAIL_KEY = "services_hall:registered_email"
MY_APPLICATIONS_PER_PAGE = 20


# (group, what is counted, the setting naming the rate, its default). Per account means per identity code or email
# address as typed, whether or not an account has it: a limit that only existing accounts met would tell who has one.
PER_IP = "ip"
PER_ACCOUNT = "account"
THROTTLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "login": ((PER_IP, "SERVICES_HALL_LOGIN_RATE", "20/m"), (PER_ACCOUNT, "SERVICES_HALL_LOGIN_ACCOUNT_RATE", "10/15m")),
    "register": ((PER_IP, "SERVICES_HALL_REGISTER_RATE", "10/h"),
                 (PER_ACCOUNT, "SERVICES_HALL_REGISTER_ACCOUNT_RATE", "3/h")),
    "password-reset": ((PER_IP, "SERVICES_HALL_RESET_RATE", "10/h"),
                       (PER_ACCOUNT, "SERVICES_HALL_RESET_ACCOUNT_RATE", "3/h")),
    "resend-verification": ((PER_IP, "SERVICES_HALL_RESEND_RATE", "5/m"),
                            (PER_ACCOUNT, "SERVICES_HALL_RESEND_ACCOUNT_RATE", "3/h")),
}


def throttle(request, action: str, *, accounts: tuple[str, ...] = ()) -> int:
    """Count this attempt at `action` per client IP and per each of `accounts` (login names or addresses as typed);
    the seconds to wait when any is over its limit, else 0."""
    names = {name.strip().lower()[:254] for name in accounts if name.strip()}
    waits = []
    for counted, setting, default in THROTTLES[action]:
        rate = getattr(settings, setting, default)
        group = f"hall-{action}-{counted}"
        if counted == PER_IP:
            waits.append(limit_exceeded(request, group=group, key=client_ip, rate=rate))
        else:
            for name in sorted(names):
                waits.append(limit_exceeded(request, group=group, key=lambda g, r, name=name: "account:" + name,
                                            rate=rate))
    return max(waits, default=0)


def _too_many(response, retry_after: int):
    response["Retry-After"] = str(retry_after)
    return response


def mask_email(email: str) -> str:
    """zhang.san@example.com → z***@example.com"""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


def _send_verification(request, user) -> None:
    uidb64, token = accounts.verification_path_args(user)
    link = request.build_absolute_uri(reverse("services_hall:verify_email", args=[uidb64, token]))
    accounts.verification_email_send(user=user, link=link, site_name=SITE_NAME)


# ---------------------------------------------------------------------------------------------------------------
# Registration and verification


def register_choice(request):
    return render(request, "services_hall/accounts/register_choice.html")


@require_http_methods(["GET", "POST"])
def register(request, kind: str):
    """注册: an enterprise by 统一社会信用代码 or a person by 居民身份证号; the account waits for email verification."""
    if kind not in KINDS:
        raise Http404
    form_class = REGISTRATION_FORMS[KINDS[kind]]
    context = {"kind": kind, "kind_label": KINDS[kind].label}
    if request.method == "POST":
        form = form_class(request.POST)
        code_field = "uscc" if KINDS[kind] == Applicant.Kind.ENTERPRISE else "id_number"
        retry_after = throttle(request, "register",
                               accounts=(request.POST.get(code_field, ""), request.POST.get("email", "")))
        if retry_after:
            form.is_valid()
            form.add_error(None, TOO_MANY)
            return _too_many(render(request, "services_hall/accounts/register.html", {**context, "form": form},
                                    status=429), retry_after)
        if form.is_valid():
            data = form.registration_data()
            try:
                applicant = accounts.applicant_register(**data)
            except accounts.AccountExists as exists:
                # Answered exactly as a new registration; only the existing account's owner learns of it.
                accounts.account_exists_email_send(
                    user=exists.user, site_name=SITE_NAME,
                    login_link=request.build_absolute_uri(reverse("services_hall:login")),
                    reset_link=request.build_absolute_uri(reverse("services_hall:password_reset")),
                )
                request.session[REGISTERED_EMAIL_KEY] = data["email"].strip()
                return redirect("services_hall:register_sent")
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                _send_verification(request, applicant.user)
                request.session[REGISTERED_EMAIL_KEY] = applicant.user.email
                return redirect("services_hall:register_sent")
        return render(request, "services_hall/accounts/register.html", {**context, "form": form}, status=400)
    return render(request, "services_hall/accounts/register.html", {**context, "form": form_class()})


def register_sent(request):
    email = request.session.get(REGISTERED_EMAIL_KEY, "")
    return render(request, "services_hall/accounts/register_sent.html", {"masked_email": mask_email(email)})


def verify_email(request, uidb64: str, token: str):
    result = accounts.applicant_email_verify(uidb64=uidb64, token=token)
    verified = result == accounts.Verification.VERIFIED
    return render(
        request, "services_hall/accounts/verify_email.html", {"verified": verified}, status=200 if verified else 400
    )


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    """Send the link again. The answer is the same whether or not the address belongs to an account."""
    if request.method == "POST":
        form = ResendVerificationForm(request.POST)
        retry_after = throttle(request, "resend-verification", accounts=(request.POST.get("email", ""),))
        if retry_after:
            form.is_valid()
            form.add_error(None, TOO_MANY)
            return _too_many(render(request, "services_hall/accounts/resend_verification.html", {"form": form},
                                    status=429), retry_after)
        if form.is_valid():
            user = accounts.unverified_user_by_email(email=form.cleaned_data["email"])
            if user is not None:
                _send_verification(request, user)
            return render(request, "services_hall/accounts/resend_verification.html", {"sent": True})
        return render(request, "services_hall/accounts/resend_verification.html", {"form": form}, status=400)
    return render(request, "services_hall/accounts/resend_verification.html", {"form": ResendVerificationForm()})


# ---------------------------------------------------------------------------------------------------------------
# Login, logout, password reset: Django's views with the hall's forms and Chinese templates


class LoginView(auth_views.LoginView):
    template_name = "services_hall/accounts/login.html"
    form_class = ApplicantLoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("services_hall:my_applications")

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")[:254]
        retry_after = throttle(request, "login", accounts=(ApplicantLoginForm.username_for(username) if username else "",))
        if retry_after:
            # Not even checked: the point of the limit is that no password is tried.
            form = self.form_class(request, initial={"username": username})
            return _too_many(self.render_to_response(self.get_context_data(form=form, page_error=TOO_MANY),
                                                     status=429), retry_after)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("services_hall:login")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "您已安全退出。")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """找回密码 for applicants only (the form never finds a staff account), a bounded number of mails per address
    and per client IP; the answer is the same whether or not the address has an account."""

    template_name = "services_hall/accounts/password_reset_form.html"
    email_template_name = "services_hall/accounts/password_reset_email.txt"
    subject_template_name = "services_hall/accounts/password_reset_subject.txt"
    form_class = HallPasswordResetForm
    extra_email_context = {"site_name": SITE_NAME}
    success_url = reverse_lazy("services_hall:password_reset_done")

    def post(self, request, *args, **kwargs):
        retry_after = throttle(request, "password-reset", accounts=(request.POST.get("email", ""),))
        if retry_after:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, TOO_MANY)
            return _too_many(self.render_to_response(self.get_context_data(form=form), status=429), retry_after)
        return super().post(request, *args, **kwargs)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="services_hall/accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="services_hall/accounts/password_reset_confirm.html",
    form_class=HallSetPasswordForm,
    success_url=reverse_lazy("services_hall:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="services_hall/accounts/password_reset_complete.html"
)


# ---------------------------------------------------------------------------------------------------------------
# 我的办件


@applicant_required
def my_applications(request):
    """The applicant's applications, newest first, each with its status and the time left."""
    applications = applicant_applications(applicant=request.applicant)
    page_obj = Paginator(applications, MY_APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = applicant_application_rows(applications=page_obj)
    # Cases of the apps built on the hall (依申请公开 …), each kind registered in services_hall/registries.py.
    other_rows = [row for kind in case_kinds() for row in kind.applicant_rows(applicant=request.applicant)]
    return render(
        request, "services_hall/my_applications.html",
        {"applicant": request.applicant, "rows": rows, "page_obj": page_obj, "other_rows": other_rows},
    )
