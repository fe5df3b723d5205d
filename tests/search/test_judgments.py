"""The judged queries of bench/search_quality.py: the file is well formed, and every document it judges exists in
a fresh demo loaded on the judgments' day (built once per run, tests/demo_snapshot.py)."""

import datetime as dt
import json
from pathlib import Path

import pytest

JUDGMENTS = Path(__file__).resolve().parent / "judgments.json"


def judgments() -> dict:
    return json.loads(JUDGMENTS.read_text(encoding="utf-8"))


def test_the_judgments_are_well_formed():
    data = judgments()
    assert data["about"].strip()
    dt.date.fromisoformat(data["demo_today"])
    assert set(data["grades"]) == {"0", "1", "2", "3"}
    queries = data["queries"]
    texts = [entry["q"] for entry in queries]
    assert len(texts) == len(set(texts)), "a query is judged twice"
    judged = [entry for entry in queries if entry["judgments"]]
    assert len(judged) >= 40
    for entry in queries:
        assert {"q", "note", "judgments", "category"} <= set(entry) <= {"q", "note", "judgments", "category",
                                                                        "intent"}, entry["q"]
        assert entry["q"].strip() == entry["q"] and entry["q"], entry
        for key, grade in entry["judgments"].items():
            assert type(grade) is int and 1 <= grade <= 3, (entry["q"], key, grade)  # 0 is left unlisted
            assert key.startswith("letter:") or (key.startswith("/") and key.endswith("/")), (entry["q"], key)
    # Enough graded material to tell rankings apart: most queries have a document graded 3.
    assert sum(1 for entry in judged if 3 in entry["judgments"].values()) >= 40
    # The ways people type that search must forgive (issue 14), each judged on at least 15 queries.
    categories = [entry["category"] for entry in queries]
    for category in ("question", "traditional", "pinyin", "initials", "typo", "acronym", "codes"):
        assert categories.count(category) >= 15, category
    assert len(queries) >= 120 + 47


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_shared):
    """The demo site and services hall on the judgments' day (open data is checked from its specs: its demo
    loads a 120,000-row resource), built once per run (tests/demo_snapshot.py) and put back as it was after."""
    from portal.models import HomePage
    from tests.demo.builds import JUDGMENTS_DAY, site_and_services
    from tests.demo_snapshot import demo_database

    assert dt.date.fromisoformat(judgments()["demo_today"]) == JUDGMENTS_DAY
    key, build = site_and_services()  # shared with tests/demo/test_demo_content.py
    with django_db_blocker.unblock(), demo_database(shared=demo_shared, key=key, build=build) as built:
        yield HomePage.objects.get(pk=built["home"])


# The judged documents are the demo's (Python-generated titles and addresses), found by address: the same on every
# database, so checked once, in the SQLite pass (the PostgreSQL pass builds the demo in tests/demo).
@pytest.mark.same_on_every_database
def test_every_judged_document_exists_in_a_fresh_demo(demo, db):
    from wagtail.models import Page

    from demo.opendata import specs
    from services_hall.models import Letter

    prefix = demo.url_path.rstrip("/")
    pages = set(Page.objects.live().values_list("url_path", flat=True))
    datasets = {f"/open-data/{spec.code.lower().replace('/', '-')}/" for spec in specs()}
    letters = set(Letter.objects.filter(published=True).values_list("subject", flat=True))
    missing = []
    for entry in judgments()["queries"]:
        for key in entry["judgments"]:
            if key.startswith("letter:"):
                found = key.removeprefix("letter:") in letters
            elif key.startswith("/open-data/") and key.removeprefix("/open-data/").startswith("0000"):
                found = key in datasets
            else:
                found = prefix + key in pages
            if not found:
                missing.append((entry["q"], key))
    assert not missing
