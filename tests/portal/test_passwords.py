"""Password rules as 等保 third level expects: complexity for everyone (10 characters, three of four classes); for
staff no reuse of the last five passwords and a change forced after 90 days before any admin page; demo accounts
exempt only when load_demo flagged them; every change in the audit trail."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import Action, AuditRecord
from portal.models import PasswordHistory
from portal.passwords import password_age_exempt
from tests.factories import UserFactory
from tests.services_hall.factories import ApplicantFactory

STRONG = "Jincai-2026-secure"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


@pytest.fixture
def staff(db):
    return UserFactory(username="clerk", is_staff=True, is_superuser=True)


def messages(password: str, user=None) -> str:
    """What a person setting `password` is told (in Chinese, as on every form of the site)."""
    with translation.override("zh-hans"):
        try:
            validate_password(password, user)
        except ValidationError as error:
            return " ".join(str(message) for message in error.messages)
    return ""


@pytest.mark.parametrize("password", ["Ab1!xyz", "abcdefghijkl", "abcdefgh1234", "ABCDEFGH-!?#"])
def test_short_or_simple_passwords_are_refused_with_a_chinese_reason(db, password):
    assert "密码" in messages(password)


@pytest.mark.parametrize("password", [STRONG, "caizheng-2026!", "CaiZheng2026x", "财政预算-Budget"])
def test_long_passwords_of_three_classes_are_accepted(db, password):
    assert messages(password) == ""


def test_applicants_registering_with_a_simple_password_are_told_what_is_missing(client, home):
    from tests.services_hall.test_applicant_views import enterprise_data

    response = client.post("/hall/register/enterprise/", enterprise_data(password1="caizhengting", password2="caizhengting"))

    assert response.status_code in (200, 400)
    assert "至少 3 类" in response.content.decode()


def change_password(user, password: str, *, days_ago: int = 0):
    user.set_password(password)
    user.save()
    if days_ago:
        PasswordHistory.objects.filter(user=user).update(created_at=timezone.now() - dt.timedelta(days=days_ago))


def test_staff_cannot_reuse_any_of_their_last_five_passwords(staff):
    used = [f"Jincai-{year}-secure" for year in range(2020, 2026)]  # six passwords, the last one current
    for password in used:
        change_password(staff, password)

    for password in used[1:]:
        assert "最近 5 次" in messages(password, staff), password
    assert messages(used[0], staff) == ""  # the sixth-newest may come back
    assert PasswordHistory.objects.filter(user=staff).count() == 5


def test_applicants_may_reuse_a_password(db):
    applicant = ApplicantFactory().user
    change_password(applicant, STRONG)
    change_password(applicant, "Another-Secret-2026")

    assert messages(STRONG, applicant) == ""


def test_a_staff_password_older_than_90_days_must_be_changed_before_any_admin_page(client, staff):
    change_password(staff, STRONG, days_ago=91)
    client.force_login(staff)

    for path in ("/admin/", "/admin/pages/", "/django-admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/password/change/"), path
    form = client.get("/admin/password/change/?next=/admin/pages/")
    assert "已使用超过 90 天" in form.content.decode()

    reused = client.post("/admin/password/change/", {"old_password": STRONG, "new_password1": STRONG,
                                                     "new_password2": STRONG})
    assert reused.status_code == 400 and "最近 5 次" in reused.content.decode()
    changed = client.post("/admin/password/change/", {
        "old_password": STRONG, "new_password1": "Caizheng-2027-new", "new_password2": "Caizheng-2027-new",
        "next": "/admin/pages/"})

    assert changed.status_code == 302 and changed["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200  # still signed in, and free to work
    record = AuditRecord.objects.filter(action=Action.PASSWORD_CHANGE).latest("seq")
    assert record.actor_name == "clerk" and record.detail == {"by": "self"}


def test_a_staff_password_of_89_days_is_still_fine(client, staff):
    change_password(staff, STRONG, days_ago=89)
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200


def test_applicants_are_never_sent_to_change_an_old_password(client, db):
    applicant = ApplicantFactory().user
    change_password(applicant, STRONG, days_ago=400)
    client.force_login(applicant)

    assert client.get("/hall/my/").status_code == 200


def test_demo_accounts_flagged_by_load_demo_keep_working_with_an_old_password(client, staff):
    change_password(staff, STRONG, days_ago=400)
    password_age_exempt(user=staff, reason="演示账户")
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200


def test_a_password_set_by_an_administrator_is_audited_naming_both(client, staff):
    other = UserFactory(username="editor-wang", is_staff=True)
    client.force_login(staff)
    response = client.post(reverse("wagtailusers_users:edit", args=[other.pk]), {
        "username": "editor-wang", "email": other.email, "first_name": "王", "last_name": "编辑",
        "password1": "Caizheng-2027-new", "password2": "Caizheng-2027-new", "is_active": "on"})

    assert response.status_code == 302, response.content.decode()[:2000]
    record = AuditRecord.objects.filter(action=Action.PASSWORD_CHANGE).latest("seq")
    assert "editor-wang" in record.target and record.actor_name == "clerk" and record.detail == {"by": "other"}
