"""Staff sign-in as staff and attackers meet it: five wrong passwords lock the account and the address for 15
minutes on both admin logins, and no admin page opens before a TOTP code (enrolled on first sign-in) or a
recovery code."""

import re

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


@pytest.fixture
def staff(db):
    return UserFactory(username="clerk", is_staff=True, is_superuser=True)


def sign_in(client, path, username, password, **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wait_out_the_throttle(device):
    """django-otp makes each wrong code wait longer before the next is tried; a person would wait those seconds."""
    from django_otp.plugins.otp_static.models import StaticDevice

    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user_id=device.user_id).update(throttling_failure_timestamp=None)


@pytest.mark.parametrize("login", ["/admin/login/", "/django-admin/login/"])
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, home, staff, login):
    wrong = [sign_in(client, login, "clerk", "guess").status_code for _ in range(5)]
    right = sign_in(client, login, "clerk", PASSWORD)

    assert wrong == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert right.status_code == 429
    assert "账户已锁定" in right.content.decode()
    assert right["Retry-After"] == "900"


def test_the_lock_holds_for_the_account_from_another_address(client, home, staff):
    for n in range(5):
        sign_in(client, "/admin/login/", "clerk", "guess", REMOTE_ADDR=f"10.0.0.{n}")

    assert sign_in(client, "/admin/login/", "clerk", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_an_address_guessing_many_accounts_is_locked_too(client, home, staff):
    for n in range(5):
        sign_in(client, "/admin/login/", f"user{n}", "guess", REMOTE_ADDR="10.0.0.7")

    assert sign_in(client, "/admin/login/", "clerk", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 429
    assert sign_in(client, "/admin/login/", "clerk", PASSWORD, REMOTE_ADDR="10.0.0.8").status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, home, staff):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(5):
        sign_in(client, "/admin/login/", "clerk", "guess")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))

    assert sign_in(client, "/admin/login/", "clerk", PASSWORD).status_code == 302


def test_applicant_login_failures_do_not_lock_the_admin(client, home, staff):
    for _ in range(6):
        client.post("/hall/login/", {"username": "clerk", "password": "guess"})

    assert sign_in(client, "/admin/login/", "clerk", PASSWORD).status_code == 302


def test_first_sign_in_enrols_an_authenticator_then_shows_recovery_codes(client, home, staff):
    signed_in = sign_in(client, "/admin/login/", "clerk", PASSWORD)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 302 and dashboard["Location"].startswith("/admin/2fa/setup/")

    setup = client.get(dashboard["Location"])
    text = setup.content.decode()
    assert signed_in.status_code == 302 and setup.status_code == 200
    assert "<svg" in text and "设置二次验证" in text  # the QR code is drawn by the site itself
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', text)[1]
    device = TOTPDevice.objects.get(user=staff)
    assert secret and not device.confirmed

    wrong = client.post("/admin/2fa/setup/", {"token": "000000"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    wait_out_the_throttle(device)
    done = client.post("/admin/2fa/setup/", {"token": current_code(device), "next": "/admin/"})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200


def test_a_later_sign_in_needs_the_code_and_a_recovery_code_works_once(client, home, staff):
    from portal.staff_security import recovery_codes_issue

    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    (code, *_) = recovery_codes_issue(user=staff)

    sign_in(client, "/admin/login/", "clerk", PASSWORD)
    assert client.get("/admin/pages/")["Location"].startswith("/admin/2fa/?next=/admin/pages/")
    assert client.get("/django-admin/")["Location"].startswith("/admin/2fa/")
    assert client.post("/admin/2fa/", {"token": "123456"}).status_code == 400
    wait_out_the_throttle(device)
    assert client.post("/admin/2fa/", {"token": code, "next": "/admin/pages/"})["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200

    client.post("/admin/logout/")
    sign_in(client, "/admin/login/", "clerk", PASSWORD)
    assert client.post("/admin/2fa/", {"token": code}).status_code == 400  # used up
    wait_out_the_throttle(device)
    assert client.post("/admin/2fa/", {"token": current_code(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_second_factor_redirect_never_leaves_the_site(client, home, staff):
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    sign_in(client, "/admin/login/", "clerk", PASSWORD)
    device = TOTPDevice.objects.get(user=staff)

    response = client.post("/admin/2fa/", {"token": current_code(device), "next": "https://evil.example.com/"})

    assert response["Location"] == "/admin/"


def test_an_applicant_never_meets_the_second_factor(client, home):
    from tests.services_hall.factories import ApplicantFactory

    applicant = ApplicantFactory()
    client.post("/hall/login/", {"username": applicant.user.username, "password": PASSWORD})

    assert client.get("/hall/my/").status_code == 200


def test_a_lockout_and_an_enrolment_are_in_the_audit_trail(client, home, staff):
    from audit.models import Action, AuditRecord

    for _ in range(5):
        sign_in(client, "/admin/login/", "clerk", "guess", REMOTE_ADDR="10.1.1.1")
    newcomer = UserFactory(username="reviewer2", is_staff=True, is_superuser=True)
    sign_in(client, "/admin/login/", "reviewer2", PASSWORD, REMOTE_ADDR="10.2.2.2")
    client.get("/admin/2fa/setup/", REMOTE_ADDR="10.2.2.2")
    device = TOTPDevice.objects.get(user=newcomer)
    client.post("/admin/2fa/setup/", {"token": current_code(device), "next": "/admin/"}, REMOTE_ADDR="10.2.2.2")

    actions = list(AuditRecord.objects.order_by("pk").values_list("action", "target"))
    assert (Action.LOCKOUT, "username:clerk") in actions
    assert (Action.SECOND_FACTOR, f"user:{newcomer.pk} reviewer2") in actions


@pytest.mark.django_db(transaction=True)
def test_the_second_factor_works_outside_a_test_transaction_as_on_a_real_server(client, home, staff):
    """A served request runs in autocommit: on PostgreSQL django-otp's row locks need a transaction of their own
    (the verify step answered 500 there, so no staff member could sign in)."""
    from portal.staff_security import recovery_codes_issue

    sign_in(client, "/admin/login/", "clerk", PASSWORD)
    device = TOTPDevice.objects.create(user=staff, name="验证器应用", confirmed=False)
    setup = client.post("/admin/2fa/setup/", {"token": current_code(device), "next": "/admin/"})
    assert setup.status_code == 200 and "恢复码" in setup.content.decode()

    client.post("/admin/logout/")
    (code, *_) = recovery_codes_issue(user=staff)
    sign_in(client, "/admin/login/", "clerk", PASSWORD)
    assert client.post("/admin/2fa/", {"token": "123456"}).status_code == 400
    wait_out_the_throttle(device)
    assert client.post("/admin/2fa/", {"token": code, "next": "/admin/pages/"})["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
