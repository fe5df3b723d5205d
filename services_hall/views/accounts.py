"""Applicant accounts: registration with email verification, login and logout, password reset, 我的办件."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

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
from ..selectors import applicant_application_rows, applicant_applications
from .common import applicant_required

TOO_MANY = "操作过于频繁，请稍后再试。"
KINDS = {"enterprise": Applicant.Kind.ENTERPRISE, "individual": Applicant.Kind.INDIVIDUAL}
SITE_NAME = "金财门户"
REGISTERED_EMAIL_KEY = "services_hall:registered_email"
MY_APPLICATIONS_PER_PAGE = 20


def _rate(setting: str, default: str):
    def rate(group, request) -> str:
        return getattr(settings, setting, default)

    return rate


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
        if form.is_valid():
            try:
                applicant = accounts.applicant_register(**form.registration_data())
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
@ratelimit(key=client_ip, rate=_rate("SERVICES_HALL_RESEND_RATE", "5/m"), method="POST", block=False)
def resend_verification(request):
    """Send the link again. The answer is the same whether or not the address belongs to an account."""
    if request.method == "POST":
        form = ResendVerificationForm(request.POST)
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(None, TOO_MANY)
            return render(request, "services_hall/accounts/resend_verification.html", {"form": form}, status=429)
        if form.is_valid():
            user = accounts.unverified_user_by_email(email=form.cleaned_data["email"])
            if user is not None:
                _send_verification(request, user)
            return render(request, "services_hall/accounts/resend_verification.html", {"sent": True})
        return render(request, "services_hall/accounts/resend_verification.html", {"form": form}, status=400)
    return render(request, "services_hall/accounts/resend_verification.html", {"form": ResendVerificationForm()})


# ---------------------------------------------------------------------------------------------------------------
# Login, logout, password reset: Django's views with the hall's forms and Chinese templates


@method_decorator(
    ratelimit(key=client_ip, rate=_rate("SERVICES_HALL_LOGIN_RATE", "20/m"), method="POST", block=False),
    name="dispatch",
)
class LoginView(auth_views.LoginView):
    template_name = "services_hall/accounts/login.html"
    form_class = ApplicantLoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("services_hall:my_applications")

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            # Not even checked: the point of the limit is that no password is tried.
            form = self.form_class(request, initial={"username": request.POST.get("username", "")[:254]})
            return self.render_to_response(self.get_context_data(form=form, page_error=TOO_MANY), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("services_hall:login")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "您已安全退出。")
        return response


password_reset = auth_views.PasswordResetView.as_view(
    template_name="services_hall/accounts/password_reset_form.html",
    email_template_name="services_hall/accounts/password_reset_email.txt",
    subject_template_name="services_hall/accounts/password_reset_subject.txt",
    form_class=HallPasswordResetForm,
    extra_email_context={"site_name": SITE_NAME},
    success_url=reverse_lazy("services_hall:password_reset_done"),
)
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
    return render(
        request, "services_hall/my_applications.html",
        {"applicant": request.applicant, "rows": rows, "page_obj": page_obj},
    )
