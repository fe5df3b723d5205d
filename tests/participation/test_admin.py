"""Editors place the participation pages under 互动交流 and fill them in the page editor."""

import json

import pytest

from tests.factories import UserFactory

from .factories import ConsultationPageFactory, InterviewPageFactory, SurveyPageFactory

pytestmark = pytest.mark.django_db


def test_editors_can_add_each_list_under_interaction(client, interaction):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    choices = client.get(f"/admin/pages/{interaction.pk}/add_subpage/").content.decode()
    for name in ("征求意见栏目", "网上调查栏目", "在线访谈栏目"):
        assert name in choices


def test_editors_can_add_each_entry_under_its_list(client, consultations, surveys, interviews):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for parent, model in ((consultations, "consultationpage"), (surveys, "surveypage"), (interviews, "interviewpage")):
        response = client.get(f"/admin/pages/add/participation/{model}/{parent.pk}/")
        assert response.status_code == 200, model
    text = client.get(f"/admin/pages/add/participation/surveypage/{surveys.pk}/").content.decode()
    for label in ("单选题", "多选题", "量表题", "填空题"):  # in the block definitions, JSON-escaped
        assert label in text or json.dumps(label)[1:-1] in text, label


def test_the_page_editor_opens_for_existing_entries(client, consultations, surveys, interviews):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for page in (ConsultationPageFactory(parent=consultations), SurveyPageFactory(parent=surveys),
                 InterviewPageFactory(parent=interviews)):
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
