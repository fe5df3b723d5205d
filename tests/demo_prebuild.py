"""The demos the SQLite pass's modules share, built ahead of the pass (tests/demo_snapshot.py keeps each once per run).

scripts/test.sh runs this file on its own (`python -m pytest tests/demo_prebuild.py`, with the pass's
JINCAI_TEST_DB_TEMPLATE_DIR and JINCAI_TEST_BUILD_AHEAD=1) as soon as the pass's template is migrated, while the
newcomer and fuzzing stages run. Inside the pass, the first worker to reach a module that needs a demo used to
build it while the other worker waited on the lock, for the length of the build. A normal run does not collect this
file (its name is not test_*.py); if it fails, or has not finished, the worker that needs a demo builds it as before.
Each build runs here as it would in a worker: under pytest, these settings and these fixtures."""

import pytest
from django.test import override_settings

from tests.demo.builds import site_and_services, todays_demo_site, todays_load_demo
from tests.demo_snapshot import demo_database, demo_restore


@pytest.mark.parametrize("builds", [todays_load_demo, site_and_services], ids=["load_demo", "site_and_services"])
def test_build_ahead(builds, django_db_setup, django_db_blocker, demo_shared, tmp_path):
    key, build = builds()
    with django_db_blocker.unblock(), override_settings(VAR_DIR=tmp_path), \
            demo_database(shared=demo_shared, key=key, build=build):
        pass


def test_build_the_browser_journeys_site_ahead(transactional_db, demo_shared):
    from tests.e2e.conftest import restore_migrated_rows

    restore_migrated_rows()
    key, build = todays_demo_site()
    demo_restore(shared=demo_shared, key=key, build=build)
