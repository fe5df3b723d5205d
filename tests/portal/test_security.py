"""Hostile input and request limits, replayed as an attacker sends them: every answer is a 4xx that says why
(never a 500), every 429 says when to come back, and no client can call any public endpoint without a limit."""

import logging

import pytest
from django.core.cache import cache

from portal.jsonbody import json_depth
from tests.factories import UserFactory
from tests.services_hall.factories import ApplicantFactory, ServiceGuidePageFactory

HUGE = "99999999999999999999999"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


# ------------------------------------------------------------------------------------------------ JSON bodies


def test_ckan_post_with_json_nested_a_thousand_deep_is_a_400_naming_the_depth(client, home):
    body = "[" * 1000 + "]" * 1000
    response = client.post("/api/3/action/package_search", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "嵌套过深" in response.content.decode()


def test_ckan_post_sniffed_as_json_without_content_type_is_bounded_too(client, home):
    body = '{"q": ' + "[" * 1000 + "]" * 1000 + "}"
    response = client.post("/api/3/action/package_search", data=body, content_type="text/plain")

    assert response.status_code == 400
    assert response.json()["success"] is False


def test_an_oversized_json_body_anywhere_is_a_400(client, home, settings):
    settings.JSON_BODY_MAX_BYTES = 1024
    response = client.post("/api/v1/articles/", data='{"a": "' + "x" * 2000 + '"}', content_type="application/json")

    assert response.status_code == 400
    assert "过大" in response.json()["detail"]


def test_brackets_inside_strings_do_not_count_as_depth():
    assert json_depth(b'{"q": "[[[[[[[[[[\\"[[[["}') == 1
    assert json_depth(b'[[{"a": [1]}]]') == 4


# ------------------------------------------------------------------------------------------------ integer overflow


def test_applying_for_a_service_with_an_id_past_2_63_is_a_404(client, home):
    applicant = ApplicantFactory()
    client.force_login(applicant.user)

    assert client.get(f"/hall/apply/{HUGE}/").status_code == 404
    assert client.get(f"/hall/files/{HUGE}/").status_code == 404


def test_the_staff_queue_and_its_csv_filtered_by_an_overflowing_service_id_are_400(client, home, superuser):
    client.force_login(superuser)

    queue = client.get("/admin/services-hall/applications/", {"service": HUGE})
    export = client.get("/admin/services-hall/applications/export.csv", {"service": HUGE})

    assert queue.status_code == 400 and "所选事项不存在" in queue.content.decode()
    assert export.status_code == 400 and "所选事项不存在" in export.content.decode()


def test_a_real_service_id_still_filters_the_queue(client, home, superuser):
    guide = ServiceGuidePageFactory(parent=home, slug="guide")
    client.force_login(superuser)

    assert client.get("/admin/services-hall/applications/", {"service": guide.pk}).status_code == 200


# ------------------------------------------------------------------------------------------------ 4xx in the log


def test_a_refused_request_is_logged_as_one_line_without_traceback(client, home, caplog):
    from portal.logs import ClientErrorsWithoutTraceback

    handler = logging.StreamHandler()
    handler.addFilter(ClientErrorsWithoutTraceback())
    records = []
    handler.emit = lambda record: records.append(handler.format(record))
    logging.getLogger("django").addHandler(handler)
    try:
        client.get("/hall/apply/1/", HTTP_HOST="evil.example.com")
        client.post("/api/3/action/package_search", data="[" * 1000, content_type="application/json")
    finally:
        logging.getLogger("django").removeHandler(handler)

    assert records, "the refusals are logged"
    assert all("\n" not in line and "Traceback" not in line for line in records)


# ------------------------------------------------------------------------------------------------ limits


@pytest.mark.parametrize(
    ("setting", "path"),
    [
        ("LIMIT_SEARCH_RATE", "/search/?q=采购"),
        ("LIMIT_FEED_RATE", "/open-data/feed/rss/"),
        ("LIMIT_API_RATE", "/api/v1/articles/"),
        ("LIMIT_API_RATE", "/api/3/action/status_show"),
        ("LIMIT_DOWNLOAD_RATE", "/open-data/resources/1/download.csv"),
        ("LIMIT_PAGE_RATE", "/"),
    ],
)
def test_every_kind_of_public_request_has_a_limit_and_the_429_says_when_to_retry(client, home, settings, setting,
                                                                                   path):
    setattr(settings, setting, "3/m")

    statuses = [client.get(path).status_code for _ in range(4)]

    assert 429 not in statuses[:3] and statuses[3] == 429
    refused = client.get(path)
    assert 0 < int(refused["Retry-After"]) <= 60
    if path.startswith("/api/"):
        assert refused.json()["detail"] == "请求过于频繁，请稍后再试。"
    else:
        assert "请求过于频繁" in refused.content.decode()


def test_hall_form_posts_have_their_own_budget(client, home, settings):
    settings.LIMIT_FORM_POST_RATE = "2/m"

    statuses = [client.post("/hall/inquiry/", {"tracking_number": "X", "query_code": "Y"}).status_code
                for _ in range(3)]

    assert statuses[-1] == 429
    assert client.get("/hall/inquiry/").status_code == 200  # reading the page is a separate budget


def test_every_429_a_view_makes_carries_retry_after(client, home, settings):
    settings.SERVICES_HALL_INQUIRY_RATE = "1/m"
    responses = [client.post("/hall/inquiry/", {"tracking_number": "X", "query_code": "Y"}) for _ in range(3)]

    assert responses[-1].status_code == 429
    assert int(responses[-1]["Retry-After"]) > 0


def test_limits_are_counted_in_the_shared_cache_not_per_process(settings):
    from django.conf import settings as live

    from portal.settings import base

    assert "LocMem" not in base.CACHES["default"]["BACKEND"]
    assert getattr(live, "RATELIMIT_USE_CACHE", "default") == "default"


# ------------------------------------------------------------------------------------------------ headers


def test_every_page_carries_a_permissions_policy(client, home):
    policy = client.get("/")["Permissions-Policy"]

    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


# ------------------------------------------------------------------------------------------------ sessions


def test_an_applicant_idle_for_two_hours_is_signed_out(client, home, settings):
    import time

    applicant = ApplicantFactory()
    client.force_login(applicant.user)
    assert client.get("/hall/my/").status_code == 200

    session = client.session
    session["portal:session_seen"] = time.time() - 2 * 3600 - 5
    session.save()
    response = client.get("/hall/my/")

    assert response.status_code == 302 and response["Location"].startswith("/hall/login/")
    assert client.get("/hall/my/").status_code == 302  # and stays signed out


def test_an_applicant_active_within_two_hours_stays_signed_in(client, home):
    import time

    applicant = ApplicantFactory()
    client.force_login(applicant.user)
    client.get("/hall/my/")
    session = client.session
    session["portal:session_seen"] = time.time() - 110 * 60
    session.save()

    assert client.get("/hall/my/").status_code == 200


def test_staff_are_signed_out_after_30_idle_minutes_and_after_8_hours_in_all(client, home, superuser):
    import time

    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session["portal:session_seen"] = time.time() - 31 * 60
    session.save()
    assert client.get("/admin/")["Location"].startswith("/admin/login/")

    client.force_login(superuser)
    client.get("/admin/")
    session = client.session
    session["portal:session_started"] = time.time() - 8 * 3600 - 5
    session["portal:session_seen"] = time.time() - 60
    session.save()
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("post", [
    lambda client: client.post("/hall/inquiry/", {"tracking_number": "SB2026\x00", "query_code": "x"}),
    lambda client: client.post("/hall/inquiry/", "tracking_number=SB2026%00&query_code=x",
                               content_type="application/x-www-form-urlencoded"),
    lambda client: client.get("/procurement/?project=ZB%00"),
])
def test_a_nul_character_in_a_form_or_query_is_a_400_with_a_message(client, home, post):
    # PostgreSQL refuses NUL in text: before this guard the inquiry answered 500 there.
    response = post(client)
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
