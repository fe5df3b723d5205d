"""The demo builds several test modules share (tests/demo_snapshot.py keeps each once per run, by key)."""

from __future__ import annotations

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
