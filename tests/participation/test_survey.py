"""网上调查 as a respondent and as staff notice it: the questionnaire, one answer per person (double submit = one
answer), results as bars after closing (or live), and the CSV export for staff only."""

import csv
import io

import pytest

from participation.models import SurveyPage, SurveyResponse
from tests.factories import UserFactory

from .factories import SurveyPageFactory, days

pytestmark = pytest.mark.django_db

ANSWER = {"q-single": "门户网站", "q-multi": ["预算决算", "惠企政策"], "q-scale": "4", "q-text": "希望多发布图解"}


def test_the_questionnaire_shows_every_kind_of_question(client, surveys):
    page = SurveyPageFactory(parent=surveys)
    text = client.get(page.url).content.decode()
    assert "您通过什么渠道了解财政政策？" in text and 'type="radio"' in text and 'type="checkbox"' in text
    assert "（量表）" in text and "<textarea" in text
    assert "调查结果将在调查结束后公布" in text


def test_double_submit_stores_one_answer(client, surveys):
    page = SurveyPageFactory(parent=surveys)
    client.get(page.url)  # sets the signed respondent cookie
    first = client.post(page.url, ANSWER)
    second = client.post(page.url, {**ANSWER, "q-single": "微信公众号"})
    assert first.status_code == second.status_code == 302
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().answers["q-single"] == "门户网站"
    text = client.get(page.url).content.decode()
    assert "您已参与本次调查" in text and "提交答卷" not in text


def test_a_missing_required_answer_is_named_and_nothing_stored(client, surveys):
    page = SurveyPageFactory(parent=surveys)
    response = client.post(page.url, {**ANSWER, "q-multi": []})
    assert response.status_code == 400
    assert "请回答：您最关注哪些财政信息？" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_made_up_option_is_refused(client, surveys):
    page = SurveyPageFactory(parent=surveys)
    response = client.post(page.url, {**ANSWER, "q-single": "<script>"})
    assert response.status_code == 400 and "选项无效" in response.content.decode()


def test_anonymous_answers_are_limited_per_address(client, surveys, settings):
    from django.test import Client

    settings.PARTICIPATION_SURVEY_RATE = "2/d"
    page = SurveyPageFactory(parent=surveys)
    for _ in range(2):
        assert Client().post(page.url, ANSWER).status_code == 302  # a new browser each time
    response = Client().post(page.url, ANSWER)
    assert response.status_code == 429
    assert SurveyResponse.objects.count() == 2


def test_an_account_survey_asks_to_log_in_and_counts_one_per_account(client, surveys):
    page = SurveyPageFactory(parent=surveys, identity=SurveyPage.Identity.ACCOUNT)
    assert "登录后参与" in client.get(page.url).content.decode()
    assert client.post(page.url, ANSWER).status_code == 302
    assert not SurveyResponse.objects.exists()
    user = UserFactory()
    client.force_login(user)
    client.post(page.url, ANSWER)
    client.cookies.clear()
    client.force_login(user)
    client.post(page.url, ANSWER)
    assert SurveyResponse.objects.filter(user=user).count() == 1


def test_results_show_as_bars_after_closing(client, surveys):
    page = SurveyPageFactory(parent=surveys)
    for single in ("门户网站", "门户网站", "报纸电视"):
        from django.test import Client

        Client().post(page.url, {**ANSWER, "q-single": single})
    assert "共收到答卷" not in client.get(page.url).content.decode()
    SurveyPage.objects.filter(pk=page.pk).update(opens_at=days(-20), closes_at=days(-1))
    text = client.get(page.url).content.decode()
    assert "共收到答卷 <strong>3</strong> 份" in text
    assert "2 人（66.7%）" in text and '<svg' in text
    assert "平均 4.0 分" in text or "平均 4 分" in text
    assert "希望多发布图解" in text
    assert "本次调查已于" in text and "提交答卷" not in text


def test_live_results_show_while_open(client, surveys):
    page = SurveyPageFactory(parent=surveys, results_visibility=SurveyPage.Results.LIVE)
    client.post(page.url, ANSWER)
    assert "调查结果（实时）" in client.get(page.url).content.decode()


def test_a_closed_survey_refuses_answers(client, surveys):
    page = SurveyPageFactory(parent=surveys, opens_at=days(-20), closes_at=days(-1))
    response = client.post(page.url, ANSWER)
    assert response.status_code == 403 and "不再接收答卷" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_staff_export_answers_as_csv_and_the_public_cannot(client, surveys):
    page = SurveyPageFactory(parent=surveys)
    from django.test import Client

    Client().post(page.url, {**ANSWER, "q-text": "=HYPERLINK(1)"})
    assert client.get(page.url + "export/").status_code == 403
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(page.url + "export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][2:] == ["您通过什么渠道了解财政政策？", "您最关注哪些财政信息？", "您对网站信息公开的满意度", "您的其他建议"]
    assert rows[1][2:] == ["门户网站", "预算决算；惠企政策", "4", "'=HYPERLINK(1)"]
