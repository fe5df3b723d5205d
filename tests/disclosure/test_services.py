"""Receiving, correcting, extending and consulting on a request: what the applicant and staff notice."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disclosure.models import DisclosureRequest
from disclosure.rules import ApplicantKind, Channel, Status, TransitionNotAllowed
from disclosure.selectors import request_clock, request_queue
from disclosure.services import (
    request_consult,
    request_consult_end,
    request_correction_ask,
    request_extend,
    request_register,
    request_submit,
    request_supplement,
)
from tests.services_hall.factories import uscc_for

from .factories import DisclosureRequestFactory, request_data

D = dt.date
NOON = timezone.make_aware(dt.datetime(2026, 3, 2, 12, 0))


def test_an_online_application_is_received_the_day_it_is_confirmed_and_counts_under_its_organisation_kind(company):
    request = request_submit(account=company, data=request_data(applicant_kind=ApplicantKind.RESEARCH),
                             idempotency_key="k1", now=NOON)
    assert request.tracking_number.startswith("GK20260302")
    assert request.channel == Channel.ONLINE and request.received_on == D(2026, 3, 2)
    # The name and code come from the verified account, not from the form.
    assert request.applicant_name == "福州海峡会计咨询有限公司" and request.id_document == company.uscc
    assert request.applicant_kind == ApplicantKind.RESEARCH
    assert [e.action for e in request.events.all()] == ["receive"]


def test_a_double_submit_makes_one_request(company):
    first = request_submit(account=company, data=request_data(applicant_kind=ApplicantKind.COMMERCIAL),
                           idempotency_key="same", now=NOON)
    second = request_submit(account=company, data=request_data(applicant_kind=ApplicantKind.COMMERCIAL),
                            idempotency_key="same", now=NOON)
    assert first.pk == second.pk and DisclosureRequest.objects.count() == 1


def test_a_company_account_must_choose_an_organisation_kind(company):
    with pytest.raises(ValidationError) as refused:
        request_submit(account=company, data=request_data(), idempotency_key="k", now=NOON)
    assert refused.value.message_dict == {"applicant_kind": ["法人账户请选择组织类型。"]}
    assert not DisclosureRequest.objects.exists()


def test_garbage_is_refused_field_by_field_and_nothing_is_stored(company):
    data = request_data(applicant_kind="martian", description="?", phone="12", information_form="x", delivery="")
    with pytest.raises(ValidationError) as refused:
        request_submit(account=company, data=data, idempotency_key="k", now=NOON)
    messages = refused.value.message_dict
    assert messages["applicant_kind"] == ["请从列表中选择申请人类型。"]
    assert messages["description"] == ["请具体描述所需的政府信息，便于查找。"]
    assert "手机号码或固定电话" in messages["phone"][0]
    assert messages["delivery"] == ["请填写获取信息的方式。"]
    assert not DisclosureRequest.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 65, "bad\x00key"])
def test_a_broken_idempotency_key_is_refused(company, key):
    with pytest.raises(ValidationError, match="提交标识无效"):
        request_submit(account=company, data=request_data(applicant_kind=ApplicantKind.COMMERCIAL),
                       idempotency_key=key, now=NOON)


def test_staff_register_a_registered_letter_on_the_day_it_was_signed_for(clerk):
    data = request_data(applicant_kind=ApplicantKind.LEGAL_SERVICE, applicant_name="福建某律师事务所",
                        id_document=uscc_for(3), channel=Channel.POST_SIGNED, arrived_on="2026-03-02",
                        fixed_on="2026-03-03")
    request = request_register(data=data, idempotency_key="letter-1", actor=clerk, now=NOON + dt.timedelta(days=2))
    assert request.received_on == D(2026, 3, 3) and request.account is None
    assert request.events.get().actor == clerk


def test_a_letter_without_the_date_it_was_signed_for_is_refused(clerk):
    data = request_data(channel=Channel.POST_SIGNED, arrived_on="2026-03-02", fixed_on="")
    with pytest.raises(ValidationError) as refused:
        request_register(data=data, idempotency_key="letter-2", actor=clerk, now=NOON)
    assert refused.value.message_dict["fixed_on"] == ["请填写签收日期。"]


def test_correction_once_then_the_clock_restarts_from_the_corrected_application(clerk, company):
    request = DisclosureRequestFactory(received_on=D(2026, 3, 2))
    request = request_correction_ask(request=request, items="请写明所需文件的年度。", actor=clerk, today=D(2026, 3, 4))
    assert request.status == Status.CORRECTION
    assert request_clock(request=request, today=D(2026, 3, 20)).waiting_for == "补正"
    request = request_supplement(request=request, text="2025年度。", actor=company.user, today=D(2026, 3, 9))
    assert request.status == Status.RECEIVED
    # 20 working days from 9 March, past 清明 (Monday 6 April off).
    assert request_clock(request=request, today=D(2026, 3, 9)).due == D(2026, 4, 7)
    with pytest.raises(TransitionNotAllowed, match="只能告知一次"):
        request_correction_ask(request=request, items="再补", actor=clerk, today=D(2026, 3, 10))


def test_correction_after_the_seventh_working_day_is_refused(clerk):
    request = DisclosureRequestFactory(received_on=D(2026, 3, 2))
    with pytest.raises(TransitionNotAllowed, match="7个工作日内（2026年03月11日前）"):
        request_correction_ask(request=request, items="请写明年度。", actor=clerk, today=D(2026, 3, 12))
    assert DisclosureRequest.objects.get().status == Status.RECEIVED


def test_one_extension_of_at_most_twenty_days_with_approval(clerk):
    request = DisclosureRequestFactory(received_on=D(2026, 3, 2))
    with pytest.raises(ValidationError) as refused:
        request_extend(request=request, days=25, approved_by="", reason="", actor=clerk)
    assert set(refused.value.message_dict) == {"days", "approved_by", "reason"}
    request = request_extend(request=request, days=15, approved_by="王主任", reason="需调取档案。", actor=clerk,
                             today=D(2026, 3, 20))
    assert request_clock(request=request, today=D(2026, 3, 20)).due == D(2026, 4, 21)  # 30 March + 15, 清明 skipped
    assert "延长15个工作日（经王主任同意）" in request.events.last().comment
    with pytest.raises(TransitionNotAllowed, match="只能延长一次"):
        request_extend(request=request, days=5, approved_by="王主任", reason="再延", actor=clerk)


def test_time_consulting_a_third_party_is_not_counted(clerk):
    request = DisclosureRequestFactory(received_on=D(2026, 3, 2))
    request_consult(request=request, party="福州某建设公司", third_party=True, actor=clerk, today=D(2026, 3, 9))
    assert request_clock(request=request, today=D(2026, 3, 25)).waiting_for == "征求意见"
    request_consult_end(request=request, opinion="不同意公开报价明细。", actor=clerk, today=D(2026, 3, 16))
    request.refresh_from_db()
    # 5 working days (10-16 March) added to 30 March, 清明 skipped.
    assert request_clock(request=request, today=D(2026, 3, 16)).due == D(2026, 4, 7)


def test_the_queue_puts_overdue_then_due_soon_first_and_waiting_for_correction_last(clerk):
    waiting = DisclosureRequestFactory(received_on=D(2026, 3, 2), status=Status.CORRECTION,
                                       correction_requested_on=D(2026, 3, 3))
    calm = DisclosureRequestFactory(received_on=D(2026, 3, 27))
    overdue = DisclosureRequestFactory(received_on=D(2026, 2, 2))
    soon = DisclosureRequestFactory(received_on=D(2026, 3, 2))
    DisclosureRequestFactory(received_on=D(2026, 1, 5), status=Status.ANSWERED)
    rows = request_queue(today=D(2026, 3, 26))
    assert [row.request for row in rows] == [overdue, soon, calm, waiting]
    assert rows[0].clock.overdue and rows[1].clock.due_soon


# --- The answer and its 告知书 -------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "").replace("\n", "")


def test_a_partial_disclosure_writes_a_notice_with_its_basis_and_the_remedy(clerk, private_media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from disclosure.rules import Outcome
    from disclosure.services import request_answer
    from services_hall.storage import private_storage

    request = DisclosureRequestFactory(received_on=D(2026, 3, 2), applicant_name="林晓")
    request = request_extend(request=request, days=10, approved_by="王主任", reason="需调取档案。", actor=clerk,
                             today=D(2026, 3, 20))
    pdf = SimpleUploadedFile("预算执行报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    request = request_answer(request=request, outcome=Outcome.PARTLY_DISCLOSED,
                             text="其中涉及商业秘密的供应商报价已作区分处理。", actor=clerk, files=[pdf],
                             today=D(2026, 4, 10))
    assert request.status == Status.ANSWERED and request.answered_on == D(2026, 4, 10)
    assert request.attachments.get().original_name == "预算执行报告.pdf"
    with private_storage.open(request.notice_file) as stored:
        text = pdf_text(stored.read())
    assert "政府信息公开申请答复告知书" in text and "林晓：" in text
    assert "本机关于2026年3月2日收到您提出的政府信息公开申请" in text
    assert "答复期限延长10个工作日" in text and "能够作区分处理" in text
    assert "《中华人民共和国政府信息公开条例》第三十七条" in text
    assert "六十日内" in text and "行政复议" in text and "六个月内" in text and "行政诉讼" in text
    assert "2026年4月10日" in text


def test_a_withholding_without_a_reason_is_refused_and_nothing_changes(clerk):
    from disclosure.rules import Outcome
    from disclosure.services import request_answer

    request = DisclosureRequestFactory()
    with pytest.raises(ValidationError) as refused:
        request_answer(request=request, outcome=Outcome.WITHHELD_STATE_SECRET, text=" ", actor=clerk)
    assert "须写明理由" in refused.value.message_dict["text"][0]
    with pytest.raises(ValidationError, match="请从列表中选择办理结果"):
        request_answer(request=request, outcome="made-up", text="x", actor=clerk)
    request.refresh_from_db()
    assert request.status == Status.RECEIVED and not request.notice_file


def test_a_request_left_uncorrected_ends_as_other_processing(clerk):
    from disclosure.rules import Outcome
    from disclosure.services import request_answer

    request = DisclosureRequestFactory(received_on=D(2026, 3, 2))
    request_correction_ask(request=request, items="请写明年度。", actor=clerk, today=D(2026, 3, 3))
    with pytest.raises(TransitionNotAllowed, match="逾期不补正"):
        request_answer(request=request, outcome=Outcome.DISCLOSED, text="", actor=clerk, today=D(2026, 4, 3))
    request = request_answer(request=request, outcome=Outcome.OTHER_NO_CORRECTION, text="", actor=clerk,
                             today=D(2026, 4, 3))
    assert request.outcome == Outcome.OTHER_NO_CORRECTION


def test_a_review_is_recorded_against_an_answered_request_only(clerk):
    from disclosure.rules import Outcome, ReviewKind, ReviewResult
    from disclosure.services import request_answer, review_record

    request = DisclosureRequestFactory()
    with pytest.raises(ValidationError, match="尚未答复"):
        review_record(request=request, kind=ReviewKind.RECONSIDERATION, filed_on=D(2026, 5, 1))
    request = request_answer(request=request, outcome=Outcome.DISCLOSED, text="", actor=clerk, today=D(2026, 3, 9))
    review = review_record(request=request, kind=ReviewKind.LITIGATION, filed_on=D(2026, 5, 1),
                           result=ReviewResult.UPHELD, decided_on=D(2026, 8, 1))
    assert review.get_result_display() == "结果维持"
