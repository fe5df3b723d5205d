import pytest

from tests.services_hall.factories import ApplicantFactory, staff_user


@pytest.fixture
def company(db):
    return ApplicantFactory(name="福州海峡会计咨询有限公司")


@pytest.fixture
def clerk(db):
    return staff_user("受理员", "disclosure-clerk")
