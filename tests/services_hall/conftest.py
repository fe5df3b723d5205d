import pytest

from services_hall import notifications

from .factories import ApplicantFactory, ServiceGuidePageFactory, add_form_field, add_material, staff_user


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Filed materials go to a fresh private folder; SMS to an in-memory outbox."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SMS_BACKEND = "services_hall.notifications.LocmemSmsBackend"
    notifications.sms_outbox.clear()
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def guide(section):
    """代理记账资格审批 with two required materials, one optional, and a small online form."""
    page = ServiceGuidePageFactory(parent=section, slug="daili-jizhang")
    add_material(page, "代理记账资格申请表")
    add_material(page, "营业执照")
    add_material(page, "办公场所证明", required=False)
    add_form_field(page, "company_name", "机构名称")
    add_form_field(page, "staff_count", "专职从业人员数", "number")
    add_form_field(page, "scope", "业务范围", "dropdown", choices="代理记账\n代理记账及税务咨询", required=False)
    return page


@pytest.fixture
def applicant(db):
    return ApplicantFactory()


@pytest.fixture
def intake(db):
    return staff_user("受理员", "intake-clerk")


@pytest.fixture
def reviewer(db):
    return staff_user("审核员", "reviewer")
