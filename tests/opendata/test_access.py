"""Applying for 有条件开放 data, staff deciding in the admin, and the key that approval issues."""

import hashlib
import re

import pytest
from django.core import mail
from django.urls import reverse

from opendata.models import AccessApplication, ApiKey
from opendata.rules import AccessStatus, AccessTransitionNotAllowed, OpenType
from opendata.services import access_application_approve, access_application_refuse
from tests.factories import UserFactory
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, approved_key, ingested

VALID = {
    "applicant_name": "王研究", "organisation": "中央财经大学", "email": "wang@example.edu.cn",
    "phone": "010-62288114", "purpose": "研究地方财政转移支付的结构与效果，仅用于学术论文，不对外提供原始数据。",
    "agree": "on",
}


@pytest.fixture
def conditional(open_data):
    page = DatasetPageFactory(parent=open_data, open_type=OpenType.CONDITIONAL, open_condition="用于学术研究，须说明用途",
                              title="中央对地方转移支付明细")
    ingested(page, BUDGET_CSV.encode())
    return page


def apply_url(dataset) -> str:
    return reverse("opendata:access_apply", args=[dataset.pk])


# --- the public form ---------------------------------------------------------------------------------------


def test_the_dataset_page_links_to_the_application_form(client, conditional):
    html = client.get(conditional.url).content.decode()
    assert apply_url(conditional) in html
    form = client.get(apply_url(conditional)).content.decode()
    assert "中央对地方转移支付明细" in form and "用于学术研究，须说明用途" in form and 'name="purpose"' in form


def test_a_valid_application_is_recorded_and_acknowledged(client, conditional, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(conditional), VALID)
    assert response.status_code == 302
    application = AccessApplication.objects.get()
    assert application.status == AccessStatus.PENDING and application.phone == "010-62288114"
    page = client.get(response["Location"]).content.decode()
    assert "申请已提交" in page and str(application.pk) in page and "wang@example.edu.cn" in page
    assert len(mail.outbox) == 1 and "已收到" in mail.outbox[0].subject


@pytest.mark.parametrize(("field", "value", "message"), [
    ("applicant_name", "", "请填写此项"),
    ("email", "not-an-email", "有效的电子邮箱"),
    ("phone", "12345", "有效的手机号码"),
    ("purpose", "研究", "至少 20 个字符"),
    ("agree", "", "勾选使用承诺"),
])
def test_an_invalid_application_shows_the_problem_and_keeps_the_input(client, conditional, field, value, message):
    response = client.post(apply_url(conditional), {**VALID, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "中央财经大学" in html
    assert not AccessApplication.objects.exists()


def test_open_and_closed_datasets_take_no_applications(client, open_data):
    for open_type in (OpenType.OPEN, OpenType.CLOSED):
        dataset = DatasetPageFactory(parent=open_data, open_type=open_type)
        assert client.get(apply_url(dataset)).status_code == 404
        assert client.post(apply_url(dataset), VALID).status_code == 404
    assert not AccessApplication.objects.exists()


def test_applications_are_rate_limited_per_client(client, conditional, settings):
    settings.OPENDATA_APPLY_RATE = "2/h"
    assert [client.post(apply_url(conditional), VALID).status_code for _ in range(2)] == [302, 302]
    response = client.post(apply_url(conditional), VALID)
    assert response.status_code == 429 and "过于频繁" in response.content.decode()
    assert "中央财经大学" in response.content.decode()  # what was typed is kept
    assert AccessApplication.objects.count() == 2


# --- staff decide ------------------------------------------------------------------------------------------


@pytest.fixture
def application(client, conditional):
    client.post(apply_url(conditional), VALID)
    mail.outbox.clear()
    return AccessApplication.objects.get()


def detail_url(application) -> str:
    return reverse("opendata_access:detail", args=[application.pk])


def test_staff_see_pending_applications(admin_client, application):
    html = admin_client.get(reverse("opendata_access:list")).content.decode()
    assert "王研究" in html and "中央对地方转移支付明细" in html
    assert "研究地方财政转移支付" in admin_client.get(detail_url(application)).content.decode()


def test_approval_shows_the_key_once_emails_it_and_stores_only_its_hash(admin_client, application,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(detail_url(application), {"action": "approve", "reason": "同意"})
    assert response.status_code == 200
    html = response.content.decode()
    key = re.search(r"<code data-api-key>([^<]+)</code>", html).group(1)
    assert key.startswith("jcd_") and "no-store" in response["Cache-Control"]

    stored = ApiKey.objects.get()
    prefix, secret = key.removeprefix("jcd_").split(".", 1)
    assert stored.prefix == prefix and stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored.secret_hash and not ApiKey.objects.filter(secret_hash__contains=secret).exists()

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.edu.cn"] and key in mail.outbox[0].body
    application.refresh_from_db()
    assert application.status == AccessStatus.APPROVED and application.decided_by.is_superuser

    again = admin_client.get(detail_url(application)).content.decode()
    assert key not in again and f"jcd_{prefix}" in again  # only the prefix from now on

    rows = admin_client.get(f"/api/data/v1/resources/{application.dataset.resources.get().pk}/rows",
                            HTTP_X_API_KEY=key)
    assert rows.status_code == 200


def test_refusal_needs_a_reason_and_tells_the_applicant(admin_client, application, django_capture_on_commit_callbacks):
    response = admin_client.post(detail_url(application), {"action": "refuse", "reason": " "})
    assert response.status_code == 400 and "须填写理由" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(detail_url(application), {"action": "refuse", "reason": "用途与开放条件不符。"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == AccessStatus.REFUSED and not ApiKey.objects.exists()
    assert "用途与开放条件不符" in mail.outbox[0].body


def test_a_decided_application_cannot_be_decided_again(admin_client, application):
    admin_client.post(detail_url(application), {"action": "refuse", "reason": "不符"})
    response = admin_client.post(detail_url(application), {"action": "approve"})
    assert response.status_code == 409 and not ApiKey.objects.exists()
    with pytest.raises(AccessTransitionNotAllowed):
        access_application_approve(application=application, actor=None)
    with pytest.raises(AccessTransitionNotAllowed):
        access_application_refuse(application=application, actor=None, reason="再次")


def test_revoking_a_key_in_the_admin_locks_it_out(admin_client, conditional):
    application, key = approved_key(conditional)
    url = f"/api/data/v1/resources/{conditional.resources.get().pk}/rows"
    assert admin_client.get(url, HTTP_X_API_KEY=key).status_code == 200
    response = admin_client.post(reverse("opendata_access:key_revoke", args=[application.api_key.pk]))
    assert response.status_code == 302
    assert ApiKey.objects.get().revoked_at is not None
    assert admin_client.get(url, HTTP_X_API_KEY=key).status_code == 403
    assert "吊销" in admin_client.get(detail_url(application)).content.decode()


def test_people_without_the_permission_cannot_review(client, application):
    editor = UserFactory()
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(reverse("opendata_access:list")).status_code == 403
    assert client.post(detail_url(application), {"action": "approve"}).status_code == 403
    assert not ApiKey.objects.exists()
