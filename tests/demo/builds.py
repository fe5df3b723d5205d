"""The demo builds several test modules share (tests/demo_snapshot.py keeps each once per run, by key)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone


def todays_load_demo() -> tuple[str, callable]:
    """(key, build) of what `make run` loads today: `manage.py load_demo` with no --as-of. The build returns what
    the command printed and the day it was built for (a run that crosses midnight builds the new day's)."""
    day = timezone.localdate()

    def build() -> dict:
        printed = io.StringIO()
        call_command("load_demo", stdout=printed)
        return {"printed": printed.getvalue(), "day": day.isoformat()}

    return f"load_demo-{day}", build


JUDGMENTS_DAY = dt.date(2026, 11, 20)  # tests/search/judgments.json's demo_today (checked there)


def site_and_services(day: dt.date = JUDGMENTS_DAY) -> tuple[str, callable]:
    """(key, build) of the demo site with its services hall, built for `day`: what the search judgments were graded
    on, and what tests/demo/test_demo_content.py reads (one build serves both)."""

    def build() -> dict:
        from demo.services_hall import build_services_demo
        from demo.site import build_demo_site
        from portal.models import SectionPage

        home = build_demo_site(today=day, log=lambda *_: None)
        build_services_demo(parent=SectionPage.objects.child_of(home).get(slug="services"), today=day)
        return {"home": home.pk}

    return f"site-and-services-{day}", build


def todays_demo_site() -> tuple[str, callable]:
    """(key, build) of the demo site built today (build_demo_site), what the browser journeys walk. The build returns
    the home page's id."""

    def build() -> dict:
        from demo.site import build_demo_site

        return {"home": build_demo_site(log=lambda *_: None).pk}

    # Today's demo: the day is part of what was built (a run that crosses midnight builds the new day's).
    return f"site-{timezone.localdate()}", build
