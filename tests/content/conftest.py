import pytest

from tests.factories import SectionPageFactory


@pytest.fixture
def news(home):
    return SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")


@pytest.fixture
def policies(home):
    return SectionPageFactory(parent=home, title="政策发布", slug="policies", listing_kind="policy")


@pytest.fixture
def interpretations(home):
    return SectionPageFactory(parent=home, title="政策解读", slug="interpretations", listing_kind="interpretation")


@pytest.fixture
def procurement(home):
    return SectionPageFactory(parent=home, title="政府采购", slug="procurement", listing_kind="procurement")


@pytest.fixture
def topics(home):
    return SectionPageFactory(parent=home, title="专题专栏", slug="topics")
