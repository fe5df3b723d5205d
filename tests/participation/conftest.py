import pytest

from tests.services_hall.factories import InteractionPageFactory

from .factories import ConsultationIndexPageFactory, InterviewIndexPageFactory, SurveyIndexPageFactory


@pytest.fixture
def interaction(home):
    return InteractionPageFactory(parent=home)


@pytest.fixture
def consultations(interaction):
    return ConsultationIndexPageFactory(parent=interaction)


@pytest.fixture
def surveys(interaction):
    return SurveyIndexPageFactory(parent=interaction)


@pytest.fixture
def interviews(interaction):
    return InterviewIndexPageFactory(parent=interaction)


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    """Each test starts with empty per-address counters (the default cache is shared between tests)."""
    from django.core.cache import cache

    cache.clear()
