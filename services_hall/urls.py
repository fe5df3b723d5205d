"""Public URLs of the services hall, mounted at /hall/ by portal/urls.py."""

from django.urls import path

from . import feeds, views
from .views import accounts, applications, filing
from .views import letters

app_name = "services_hall"

urlpatterns = [
    path("inquiry/", views.inquiry, name="inquiry"),
    # Applicant accounts
    path("register/", accounts.register_choice, name="register"),
    path("register/sent/", accounts.register_sent, name="register_sent"),
    path("register/<slug:kind>/", accounts.register, name="register_kind"),
    path("verify/resend/", accounts.resend_verification, name="resend_verification"),
    path("verify/<uidb64>/<token>/", accounts.verify_email, name="verify_email"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("password-reset/", accounts.password_reset, name="password_reset"),
    path("password-reset/sent/", accounts.password_reset_done, name="password_reset_done"),
    path("password-reset/complete/", accounts.password_reset_complete, name="password_reset_complete"),
    path("password-reset/<uidb64>/<token>/", accounts.password_reset_confirm, name="password_reset_confirm"),
    # Filing and the applicant's own applications
    path("apply/<id:guide_id>/", filing.apply, name="apply"),
    path("my/", accounts.my_applications, name="my_applications"),
    path("my/<str:tracking_number>/", applications.application_detail, name="application_detail"),
    path("my/<str:tracking_number>/submitted/", filing.application_submitted, name="application_submitted"),
    path(
        "my/<str:tracking_number>/supplement/", applications.application_supplement_view,
        name="application_supplement",
    ),
    path("my/<str:tracking_number>/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path("my/<str:tracking_number>/rate/", applications.application_rate, name="application_rate"),
    path("files/<id:material_id>/", applications.material_download, name="material_download"),
    # Letters (咨询 / 建议 / 投诉) and their published replies
    path("letters/", letters.letter_list, name="letter_list"),
    path("letters/write/", letters.letter_write, name="letter_write"),
    path("letters/sent/", letters.letter_sent, name="letter_sent"),
    path("letters/feed/<str:fmt>/", feeds.letter_feed, name="letter_feed"),
    path("letters/statistics/", letters.letter_statistics_page, name="letter_statistics"),
    path("letters/<str:tracking_number>/", letters.letter_detail, name="letter_detail"),
]
