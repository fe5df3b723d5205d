import pytest

from tests.services_hall.factories import ApplicantFactory, staff_user


@pytest.fixture
def company(db):
    return ApplicantFactory(name="福州海峡会计咨询有限公司")


@pytest.fixture
def clerk(db):
    return staff_user("受理员", "disclosure-clerk")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """告知书 and attachments go to a fresh private folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
