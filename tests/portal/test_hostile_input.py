"""Hostile input on every HTML form of the site: each form is read from its page (every field it offers) and sent
back with oversized text, control characters, wrong types, huge integers and deeply nested JSON. A visitor always
gets a 4xx page with a message or the page again — never a 500 — and nothing they typed runs as script.
The reproductions of issue 15 (integers past 2^63 in a path or filter, JSON nested 1,000 deep) are replayed too."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from opendata.rules import OpenType
from services_hall.services import application_transition
from services_hall.workflow import Action
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, ingested
from tests.services_hall.conftest import applicant, guide, intake, private_media  # noqa: F401 - fixtures
from tests.services_hall.test_services import submit

HUGE = "99999999999999999999999"
NESTED = "[" * 1000 + "]" * 1000
SCRIPT = "<script>alert('x')</script>"
HOSTILE = {
    "oversized": "财" * 30_000,
    "control characters": "a\x00b\x01\x1b[2J\u202e\ufeff\r\n" + SCRIPT,
    "huge integer": HUGE,
    "negative and fractional": "-1.5e308",
    "nested JSON": NESTED,
    "wrong type (a list)": ["1", "2"],
    "wrong type (a file)": "FILE",
}


class _Forms(HTMLParser):
    """The forms of a page: method, action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "",
                               "fields": []})
        elif tag in ("input", "select", "textarea") and self.forms and attrs.get("name"):
            ignored = attrs.get("type") in ("submit", "button", "image", "reset")
            if not ignored and attrs["name"] != "csrfmiddlewaretoken":
                self.forms[-1]["fields"].append(attrs["name"])


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [form for form in parser.forms if form["fields"]]


def payload(fields: list[str], value) -> dict:
    if value == "FILE":
        return {name: SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 64, content_type="application/pdf")
                for name in fields}
    return {name: value for name in fields}


def assert_answered_with_a_message(response, where: str) -> None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code < 500, f"{where}: {response.status_code}"
    assert SCRIPT.encode() not in body, f"{where}: the input came back unescaped"
    if response.status_code >= 400:
        assert re.search("[\u4e00-\u9fff]", body.decode("utf-8", "replace")), f"{where}: a 4xx without a message"


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    cache.clear()


@pytest.fixture
def site(home, guide, applicant, intake, client):  # noqa: F811 - fixtures imported above
    """Every page that carries a form: the search page, the hall's account pages, filing, letters, inquiry,
    the applicant's own application (rating, withdrawal), and an open-data access application."""
    concluded = submit(guide, applicant, key="hostile")
    application_transition(application=concluded, action=Action.REJECT, actor=intake, comment="不属于本机关职权范围")
    dataset = DatasetPageFactory(parent=home, open_type=OpenType.CONDITIONAL, open_condition="须说明用途")
    ingested(dataset, BUDGET_CSV.encode())
    anonymous = ["/search/", "/hall/register/enterprise/", "/hall/register/individual/", "/hall/login/",
                 "/hall/password-reset/", "/hall/verify/resend/", "/hall/inquiry/", "/hall/letters/write/",
                 "/hall/letters/", f"/open-data/datasets/{dataset.pk}/apply/", "/open-data/catalog/"]
    signed_in = [f"/hall/apply/{guide.pk}/", f"/hall/my/{concluded.tracking_number}/", "/hall/my/"]
    return {"anonymous": anonymous, "signed_in": signed_in, "applicant": applicant}


def replay(client, page_url: str) -> int:
    """Send every hostile value into every field of every form on `page_url`; returns how many forms it found."""
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    forms = forms_of(page.content.decode())
    for form in forms:
        target = form["action"] or page_url
        for name, value in HOSTILE.items():
            where = f"{form['method'].upper()} {target} [{name}]"
            if form["method"] == "post":
                response = client.post(target, payload(form["fields"], value))
                assert_answered_with_a_message(response, where)
                assert response.status_code != 200 or "<form" in response.content.decode(), where
            elif value != "FILE":
                assert_answered_with_a_message(client.get(target, payload(form["fields"], value)), where)
            cache.clear()  # the per-IP limits would otherwise answer 429 to the next variant
    return len(forms)


def test_every_public_form_refuses_hostile_input_without_a_500(client, site):
    found = {url: replay(client, url) for url in site["anonymous"]}
    assert found["/hall/register/enterprise/"] and found["/hall/login/"] and found["/hall/letters/write/"]


def test_every_applicant_form_refuses_hostile_input_without_a_500(client, site):
    client.force_login(site["applicant"].user)
    found = {url: replay(client, url) for url in site["signed_in"]}
    assert all(found.values()), found


def test_a_json_body_on_a_form_endpoint_is_refused(client, site):
    for url in ["/hall/login/", "/hall/inquiry/", "/hall/letters/write/"]:
        response = client.post(url, json.dumps({"a": json.loads("[" * 500 + "]" * 500)}),
                               content_type="application/json")
        assert_answered_with_a_message(response, url)


# ------------------------------------------------------------------------------------------------ issue 15, gaps 3–4
# Fixed by part A of issue 15 (range checks and a JSON depth limit); replayed here so that a regression shows.

def test_an_integer_past_2_63_in_a_path_is_a_404_not_a_500(client, site):
    client.force_login(site["applicant"].user)
    response = client.get(f"/hall/apply/{HUGE}/")
    assert response.status_code in (400, 404)


def test_an_integer_past_2_63_in_the_staff_queue_filter_is_a_400(client, site, intake):  # noqa: F811
    client.force_login(intake)
    for url in ["/admin/services-hall/applications/", "/admin/services-hall/applications/export.csv"]:
        assert client.get(url, {"service": HUGE}).status_code == 400


def test_json_nested_1000_deep_to_ckan_is_a_400(client, site):
    body = '{"q": ' + "[" * 1000 + "]" * 1000 + "}"
    response = client.post("/api/3/action/package_search", body, content_type="application/json")
    assert response.status_code == 400


def test_a_body_past_the_upload_limit_gets_a_message_not_a_500(client, site, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    response = client.post("/hall/letters/write/", {"content": "财" * 200_000})
    assert_answered_with_a_message(response, "POST /hall/letters/write/ [over the limit]")
    assert response.status_code == 400
