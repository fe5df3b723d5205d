"""Applicant accounts under attack, as the attacker and the account owner notice it: staff accounts cannot be reset
from the public hall, mails are bounded, every refusal says when to come back, nothing tells who has an account."""

import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories import UserFactory

from .factories import ApplicantFactory

RESET = "/hall/password-reset/"
LOGIN = "/hall/login/"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


@pytest.fixture
def hall_limits(settings):
    settings.SERVICES_HALL_RESET_RATE = "10/h"
    settings.SERVICES_HALL_RESET_ACCOUNT_RATE = "3/h"
    settings.SERVICES_HALL_LOGIN_RATE = "100/m"
    settings.SERVICES_HALL_LOGIN_ACCOUNT_RATE = "5/15m"
    settings.SERVICES_HALL_REGISTER_RATE = "4/h"
    return settings


def test_the_public_reset_never_mails_a_superuser_or_staff_member(client, home):
    UserFactory(username="root", email="root@example.gov.cn", is_superuser=True, is_staff=True)
    UserFactory(username="clerk", email="clerk@example.gov.cn", is_staff=True)

    for address in ("root@example.gov.cn", "clerk@example.gov.cn"):
        response = client.post(RESET, {"email": address})
        assert response.status_code == 302  # the same answer as for any address

    assert mail.outbox == []


def test_an_applicant_still_gets_the_reset_link(client, home):
    ApplicantFactory(user__email="lin.xiao@example.com")

    client.post(RESET, {"email": "lin.xiao@example.com"})

    (message,) = mail.outbox
    assert message.to == ["lin.xiao@example.com"]


def test_twenty_reset_requests_send_at_most_three_mails_and_say_when_to_retry(client, home, hall_limits):
    ApplicantFactory(user__email="lin.xiao@example.com")

    answers = [client.post(RESET, {"email": "lin.xiao@example.com"}) for _ in range(20)]

    assert len(mail.outbox) == 3
    refused = [a for a in answers if a.status_code == 429]
    assert len(refused) == 17
    assert all(int(a["Retry-After"]) > 0 for a in refused)
    assert "操作过于频繁" in refused[0].content.decode()


def test_the_reset_limit_does_not_tell_whether_an_address_has_an_account(client, home, hall_limits):
    ApplicantFactory(user__email="lin.xiao@example.com")

    known = [client.post(RESET, {"email": "lin.xiao@example.com"}).status_code for _ in range(4)]
    unknown = [client.post(RESET, {"email": "nobody@example.com"}).status_code for _ in range(4)]

    assert known == unknown == [302, 302, 302, 429]


def test_one_ip_cannot_spray_resets_over_many_addresses(client, home, hall_limits):
    statuses = [client.post(RESET, {"email": f"person{n}@example.com"}).status_code for n in range(12)]

    assert statuses.count(302) == 10 and statuses[-1] == 429


def test_login_is_limited_per_account_whichever_ip_the_guesses_come_from(client, home, hall_limits):
    applicant = ApplicantFactory()
    code = applicant.uscc

    statuses = [
        client.post(LOGIN, {"username": code, "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(7)
    ]
    # Even the right password waits now: nothing is tried until the window ends.
    right = client.post(LOGIN, {"username": code, "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.1.1")

    assert statuses == [400] * 5 + [429] * 2
    assert right.status_code == 429 and int(right["Retry-After"]) > 0


def test_registration_is_limited_per_ip_with_retry_after(client, home, hall_limits):
    statuses = []
    for n in range(5):
        response = client.post("/hall/register/enterprise/", {"uscc": f"x{n}", "email": f"p{n}@example.com"})
        statuses.append(response.status_code)

    assert statuses == [400] * 4 + [429]
    assert int(response["Retry-After"]) > 0
