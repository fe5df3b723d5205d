"""Factories for 依申请公开: requests as registered by staff or filed online."""

import datetime as dt

import factory

from disclosure.models import DisclosureRequest
from disclosure.rules import ApplicantKind, Channel, Delivery, InformationForm, Status
from tests.services_hall.factories import id_number_for


class DisclosureRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisclosureRequest

    tracking_number = factory.Sequence(lambda n: f"GK20260302{n:08d}")
    query_code = "ABC234"
    idempotency_key = factory.Sequence(lambda n: f"key-{n}")
    applicant_kind = ApplicantKind.NATURAL_PERSON
    applicant_name = factory.Sequence(lambda n: f"林{n}")
    id_document = factory.Sequence(id_number_for)
    phone = "13900000000"
    description = "2025年度市级财政预算执行情况的审计整改报告"
    information_form = InformationForm.ELECTRONIC
    delivery = Delivery.EMAIL
    email = "lin@example.cn"
    channel = Channel.IN_PERSON
    arrived_on = dt.date(2026, 3, 2)
    received_on = dt.date(2026, 3, 2)
    status = Status.RECEIVED


def request_data(**overrides) -> dict:
    """What a person types into the application form (as strings)."""
    return {
        "applicant_kind": ApplicantKind.NATURAL_PERSON, "applicant_name": "林晓", "id_document": id_number_for(7),
        "contact_name": "", "phone": "13905910000", "email": "lin@example.cn", "address": "福州市鼓楼区",
        "description": "2025年本市政府采购代理机构监督检查结果", "information_form": InformationForm.ELECTRONIC,
        "delivery": Delivery.EMAIL,
    } | overrides
