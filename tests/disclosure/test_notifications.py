"""The applicant hears of every change to their request: by email (and SMS, as the hall's filings do) and at the
top of its row in 我的办件."""

import pytest
from django.utils import timezone

from disclosure.models import DisclosureRequest
from disclosure.rules import ApplicantKind, Outcome
from disclosure.services import (
    request_answer,
    request_consult,
    request_consult_end,
    request_correction_ask,
    request_extend,
    request_submit,
)
from services_hall import notifications
from tests.services_hall.factories import ApplicantFactory

from .factories import DisclosureRequestFactory, request_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "services_hall.notifications.LocmemSmsBackend"
    notifications.sms_outbox.clear()
    return notifications.sms_outbox


def _row_message(client) -> str:
    page = client.get("/hall/my/").text
    start = page.index("data-message>") + len("data-message>")
    return page[start:page.index("</p>", start)]


def test_an_online_applicant_is_told_of_each_step_by_mail_and_in_my_cases(
    client, clerk, mailoutbox, sms, django_capture_on_commit_callbacks
):
    company = ApplicantFactory(name="福州海峡会计咨询有限公司")
    case = request_submit(account=company, data=request_data(applicant_kind=ApplicantKind.COMMERCIAL,
                                                             email="caiwu@haixia.cn"), idempotency_key="n-1")
    client.force_login(company.user)
    assert mailoutbox == [] and 'data-message' not in client.get("/hall/my/").text

    with django_capture_on_commit_callbacks(execute=True):
        request_correction_ask(request=case, items="请写明检查结果的年度。", actor=clerk)
    (mail,) = mailoutbox
    assert mail.to == ["caiwu@haixia.cn"] and case.tracking_number in mail.subject and "需要补正" in mail.subject
    assert "请写明检查结果的年度。" in mail.body and "我的办件" in mail.body
    assert _row_message(client) == "需要补正：请写明检查结果的年度。"
    assert sms[-1].to == case.phone and "请写明检查结果的年度" in sms[-1].body

    client.post(f"/hall/disclosure/my/{case.tracking_number}/", {"text": "2025年度。"})
    assert len(mailoutbox) == 1  # the applicant's own step sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        request_consult(request=DisclosureRequest.objects.get(), party="某会计师事务所", third_party=True, actor=clerk)
    assert "征求意见" in mailoutbox[-1].subject and "不计算在答复期限内" in mailoutbox[-1].body
    assert _row_message(client) == "正在征求第三方意见，期间不计入答复期限"

    with django_capture_on_commit_callbacks(execute=True):
        request_consult_end(request=case, opinion="不同意公开报价明细。", actor=clerk)
        request_extend(request=case, days=20, approved_by="王主任", reason="需调取档案核实。", actor=clerk)
    assert len(mailoutbox) == 3
    assert "延长20个工作日" in mailoutbox[-1].body and "需调取档案核实。" in mailoutbox[-1].body
    assert _row_message(client) == "答复期限已延长20个工作日"

    with django_capture_on_commit_callbacks(execute=True):
        request_answer(request=case, outcome=Outcome.PARTLY_DISCLOSED, text="报价明细不予公开。", actor=clerk)
    assert "已答复" in mailoutbox[-1].subject and "部分公开" in mailoutbox[-1].body
    assert "行政复议" in mailoutbox[-1].body and "我的办件" in mailoutbox[-1].body
    assert _row_message(client) == "已答复（部分公开），可下载告知书"


def test_a_letter_writer_without_an_account_is_told_how_to_follow_the_request(
    clerk, mailoutbox, django_capture_on_commit_callbacks
):
    case = DisclosureRequestFactory(email="lin@example.cn", received_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        request_extend(request=case, days=10, approved_by="王主任", reason="需汇总。", actor=clerk)
    (mail,) = mailoutbox
    assert case.tracking_number in mail.body and case.query_code in mail.body and "办件查询" in mail.body


def test_nothing_is_sent_when_the_step_is_refused(clerk, mailoutbox, django_capture_on_commit_callbacks):
    case = DisclosureRequestFactory(received_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Exception, match="延长期限"):
            request_extend(request=case, days=30, approved_by="王主任", reason="需汇总。", actor=clerk)
    assert mailoutbox == []
