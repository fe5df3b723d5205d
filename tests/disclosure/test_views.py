"""The applicant's pages: the online application, the receipt, the request with its 补正 form."""

import datetime as dt

import pytest

from disclosure.models import DisclosureRequest
from disclosure.rules import ApplicantKind, Status
from disclosure.services import request_correction_ask
from tests.services_hall.factories import ApplicantFactory, id_number_for

from .factories import request_data

pytestmark = pytest.mark.django_db


def _post(client, **overrides):
    data = request_data(**overrides) | {"idempotency_key": overrides.pop("idempotency_key", "form-key-1")}
    return client.post("/hall/disclosure/apply/", data)


def test_the_form_asks_a_visitor_to_log_in_first(client):
    response = client.get("/hall/disclosure/apply/")
    assert response.status_code == 302 and response["Location"].startswith("/hall/login/")


def test_a_person_files_online_and_gets_a_number_and_the_answer_date(client):
    person = ApplicantFactory(kind="individual", uscc="", id_number=id_number_for(42), name="林晓")
    client.force_login(person.user)
    form = client.get("/hall/disclosure/apply/")
    assert "所需政府信息的名称、文号或特征性描述" in form.text and "林晓" in form.text

    response = _post(client)
    case = DisclosureRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/hall/disclosure/my/{case.tracking_number}/submitted/"
    page = client.get(response["Location"]).text
    assert case.tracking_number in page and case.query_code in page
    assert "20个工作日" in page and f"{case.received_on.year}年" in page
    assert case.applicant_kind == ApplicantKind.NATURAL_PERSON and case.applicant_name == "林晓"


def test_a_double_submit_from_the_form_makes_one_request(client):
    company = ApplicantFactory()
    client.force_login(company.user)
    first = _post(client, applicant_kind=ApplicantKind.COMMERCIAL)
    second = _post(client, applicant_kind=ApplicantKind.COMMERCIAL)
    assert first["Location"] == second["Location"]
    assert DisclosureRequest.objects.count() == 1


def test_garbage_gets_a_400_with_chinese_messages_and_nothing_stored(client):
    company = ApplicantFactory()
    client.force_login(company.user)
    response = _post(client, applicant_kind="\u202e", description="", phone="abc", delivery="pigeon",
                     idempotency_key="x" * 500)
    assert response.status_code == 400
    assert "申请未提交" in response.text and "请从列表中选择组织类型" in response.text
    assert "请填写所需政府信息的名称、文号或特征性描述" in response.text and "提交标识无效" in response.text
    assert not DisclosureRequest.objects.exists()


def test_the_applicant_answers_a_correction_and_sees_the_new_answer_date(client):
    company = ApplicantFactory()
    client.force_login(company.user)
    _post(client, applicant_kind=ApplicantKind.COMMERCIAL)
    case = DisclosureRequest.objects.get()
    request_correction_ask(request=case, items="请写明所需文件的年度。", actor=None, today=case.received_on)
    url = f"/hall/disclosure/my/{case.tracking_number}/"
    page = client.get(url).text
    assert "请写明所需文件的年度。" in page and "等待您补正" in page
    assert client.post(url, {"text": "  "}).status_code == 400
    assert client.post(url, {"text": "2025年度"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and case.corrected_on == dt.date.today()
    assert "提交补正" in client.get(url).text


def test_someone_elses_request_is_not_found(client):
    owner, other = ApplicantFactory(), ApplicantFactory()
    client.force_login(owner.user)
    _post(client, applicant_kind=ApplicantKind.COMMERCIAL)
    client.force_login(other.user)
    case = DisclosureRequest.objects.get()
    assert client.get(f"/hall/disclosure/my/{case.tracking_number}/").status_code == 404


def test_the_answer_reaches_my_cases_the_notice_downloads_and_the_inquiry_finds_it(client):
    from disclosure.rules import Outcome
    from disclosure.services import request_answer

    from .test_services import pdf_text

    company = ApplicantFactory()
    client.force_login(company.user)
    _post(client, applicant_kind=ApplicantKind.COMMERCIAL)
    case = DisclosureRequest.objects.get()
    mine = client.get("/hall/my/").text
    assert "政府信息公开申请" in mine and case.tracking_number in mine

    request_answer(request=case, outcome=Outcome.DISCLOSED, text="", actor=None)
    assert "下载告知书" in client.get("/hall/my/").text
    notice = client.get(f"/hall/disclosure/my/{case.tracking_number}/notice.pdf")
    assert notice.status_code == 200
    assert "本机关予以公开" in pdf_text(b"".join(notice.streaming_content))

    client.logout()
    found = client.post("/hall/inquiry/", {"tracking_number": case.tracking_number, "query_code": case.query_code})
    assert "政府信息公开申请" in found.text and "已答复（予以公开）" in found.text
    miss = client.post("/hall/inquiry/", {"tracking_number": case.tracking_number, "query_code": "WRONG1"})
    assert "申报号或查询码不正确" in miss.text and "予以公开" not in miss.text
