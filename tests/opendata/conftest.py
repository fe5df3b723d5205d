import pytest
from django.core.cache import cache

from tests.factories import SectionPageFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded data files go to a fresh directory per test; downloads are not rate limited here."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.OPENDATA_DOWNLOAD_RATE = "100000/m"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def api_rates(settings):
    """API rate limits out of the way (the tests of the limits set their own), counters fresh per test."""
    settings.OPENDATA_API_IP_RATE = "100000/m"
    settings.OPENDATA_API_KEY_RATE = "100000/m"
    settings.OPENDATA_APPLY_RATE = "100000/m"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_data(home):
    """The 数据开放 column; datasets are added with parent.add_child (SectionPage.subpage_types aside)."""
    return SectionPageFactory(parent=home, title="数据开放", slug="open-data")
