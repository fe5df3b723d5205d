import pytest
from django.core.cache import cache

from .test_services import submit

URL = "/hall/inquiry/"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


def test_inquiry_shows_status_and_timeline_for_the_right_pair(client, guide, applicant):
    application = submit(guide, applicant)
    response = client.post(URL, {"tracking_number": application.tracking_number, "query_code": application.query_code})

    text = response.content.decode()
    assert response.status_code == 200
    assert "代理记账资格审批" in text and "已提交" in text and "提交申请" in text
    assert applicant.name not in text and applicant.uscc not in text


def test_a_wrong_code_and_an_unknown_number_get_the_same_neutral_message(client, guide, applicant):
    application = submit(guide, applicant)
    wrong = client.post(URL, {"tracking_number": application.tracking_number, "query_code": "XXXXXX"})
    unknown = client.post(URL, {"tracking_number": "20250101ABCDEFGH", "query_code": application.query_code})

    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "申报号或查询码不正确" in response.content.decode()
        assert "代理记账资格审批" not in response.content.decode()


def test_too_many_inquiries_from_one_address_get_429_in_chinese(client, settings, home):
    settings.SERVICES_HALL_INQUIRY_RATE = "3/m"
    codes = [client.post(URL, {"tracking_number": "x", "query_code": "y"}).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    response = client.post(URL, {"tracking_number": "x", "query_code": "y"})
    assert "查询过于频繁" in response.content.decode()
    assert client.get(URL).status_code == 200  # the form itself stays available
