import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from services_hall.models import Applicant, Holiday, ServiceGuidePage
from tests.factories import UserFactory

from .factories import ApplicantFactory, ServiceGuidePageFactory, add_material, id_number_for


def test_service_guide_page_shows_its_elements(client, section):
    guide = ServiceGuidePageFactory(parent=section, slug="guide", consultation_phone="0591-87000000",
                                    complaint_phone="12345", office_hours="工作日 9:00-17:00")
    add_material(guide, "代理记账资格申请表")
    add_material(guide, "办公场所证明", required=False)

    text = client.get(guide.url).content.decode()

    for shown in ["代理记账资格审批", "事项编码：000105001000", "行政许可", "市财政局", "10个工作日", "5个工作日",
                  "代理记账资格申请表", "非必需", "0591-87000000", "12345", "《代理记账管理办法》", "已开通"]:
        assert shown in text, shown


def test_guide_may_only_be_placed_in_a_column_or_the_hall():
    assert ServiceGuidePage.parent_page_types == ["portal.SectionPage", "services_hall.ServicesHallPage"]


def test_promised_limit_may_not_exceed_the_statutory_one(section):
    with pytest.raises(ValidationError) as error:
        ServiceGuidePageFactory(parent=section, slug="g", statutory_days=20, promised_days=25)
    assert "承诺办结时限不能超过法定办结时限" in error.value.message_dict["promised_days"][0]


def test_applicant_with_a_bad_credit_code_is_refused_with_a_chinese_message(db):
    applicant = Applicant(user=UserFactory(), kind=Applicant.Kind.ENTERPRISE, name="测试公司", uscc="91350100M000100Y44")
    with pytest.raises(ValidationError) as error:
        applicant.full_clean()
    assert "校验位不正确" in error.value.message_dict["uscc"][0]


def test_one_credit_code_registers_one_applicant(db):
    first = ApplicantFactory()
    with pytest.raises(IntegrityError):
        ApplicantFactory(uscc=first.uscc)


def test_an_enterprise_needs_a_credit_code_and_a_person_an_id_number(db):
    with pytest.raises(ValidationError) as error:
        Applicant(user=UserFactory(), kind=Applicant.Kind.ENTERPRISE, name="无代码公司").full_clean()
    assert "法人须填写统一社会信用代码" in str(error.value)
    person = Applicant(user=UserFactory(), kind=Applicant.Kind.INDIVIDUAL, name="王小明", id_number=id_number_for(7))
    person.full_clean()
    person.save()


def test_holidays_are_managed_in_the_admin(admin_client):
    listing = admin_client.get("/admin/snippets/services_hall/holiday/?kind=workday")
    assert listing.status_code == 200
    assert "国庆节调休上班" in listing.content.decode()

    response = admin_client.post("/admin/snippets/services_hall/holiday/add/",
                                 {"date": "2027-10-01", "name": "国庆节", "kind": "holiday"})
    assert response.status_code == 302
    assert Holiday.objects.get(date="2027-10-01").name == "国庆节"
