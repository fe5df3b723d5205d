"""Factories for the services hall: a guide with materials and form fields, applicants, staff."""

import factory
from django.contrib.auth.models import Group

from services_hall.models import (
    Applicant,
    DisclosureRequestPage,
    InteractionPage,
    ServiceFormField,
    ServiceGuidePage,
    ServiceMaterial,
    ServicesHallPage,
)
from services_hall.validators import id_number_check_char, uscc_check_char
from tests.factories import PageFactory, UserFactory


def uscc_for(n: int) -> str:
    body = f"91350100MA{n:07d}"
    return body + uscc_check_char(body)


def id_number_for(n: int) -> str:
    body = f"35010219850101{n % 1000:03d}"
    return body + id_number_check_char(body)


class ServiceGuidePageFactory(PageFactory):
    class Meta:
        model = ServiceGuidePage

    title = "代理记账资格审批"
    service_code = "000105001000"
    service_type = ServiceGuidePage.ServiceType.LICENSING
    implementing_body = "市财政局"
    legal_basis = "<p>《中华人民共和国会计法》第三十六条；《代理记账管理办法》（财政部令第98号）。</p>"
    statutory_days = 10
    promised_days = 5
    online_filing_open = True


def add_material(guide: ServiceGuidePage, name: str, *, required: bool = True) -> ServiceMaterial:
    return ServiceMaterial.objects.create(page=guide, name=name, required=required)


def add_form_field(guide: ServiceGuidePage, clean_name: str, label: str, field_type: str = "singleline", *,
                   required: bool = True, choices: str = "") -> ServiceFormField:
    return ServiceFormField.objects.create(
        page=guide, clean_name=clean_name, label=label, field_type=field_type, required=required, choices=choices
    )


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    user = factory.SubFactory(UserFactory, username=factory.Sequence(lambda n: f"company{n}"))
    kind = Applicant.Kind.ENTERPRISE
    name = factory.Sequence(lambda n: f"福州市鼓楼区第{n}代理记账有限公司")
    uscc = factory.Sequence(uscc_for)
    id_number = ""
    phone = factory.Sequence(lambda n: f"1390000{n:04d}")


def staff_user(group: str, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


class ServicesHallPageFactory(PageFactory):
    class Meta:
        model = ServicesHallPage

    title = "政务服务"
    slug = "services"


class InteractionPageFactory(PageFactory):
    class Meta:
        model = InteractionPage

    title = "互动交流"
    slug = "interaction"


class DisclosureRequestPageFactory(PageFactory):
    class Meta:
        model = DisclosureRequestPage

    title = "依申请公开"
    slug = "on-request"
