"""The test database, migrated once per test run and copied into every worker's database.

Migrating this project from nothing takes half a minute of CPU (Wagtail's and our 260 migrations, most of it
Django rendering model states). With pytest-xdist every worker used to do it for its own database; now the first
worker that needs a database migrates one and leaves it as a template, and every worker (that one included) gets a
copy of it:

- PostgreSQL: a template database, migrated once; each worker's `test_<name>_gwN` is `CREATE DATABASE … TEMPLATE`
  (a file copy inside the server). The xdist controller drops the template when the run ends (`template_drop`).
- SQLite: the test database lives in memory; the template is a file written with SQLite's backup API, and each
  worker restores it into its in-memory database the same way.

Workers agree through a lock file in the run's shared temporary folder (pytest's basetemp, whose parent the xdist
workers share), so there is one template per run: no state is kept between runs, and a changed migration is always
applied. The copy holds exactly what the migrations wrote (groups, the review chain, holidays, synonyms…).
"""

import fcntl
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test.utils import setup_databases

TEMPLATE_RECORD = "db-template.txt"  # what was built, for the controller to clean up


@contextmanager
def run_lock(shared: Path) -> Iterator[None]:
    """One worker at a time in the block (an flock on a file in the run's shared folder)."""
    shared.mkdir(parents=True, exist_ok=True)
    with open(shared / "db-template.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def database_from_template(*, shared: Path, run_id: str, alias: str = "default", verbosity: int = 0,
                           timings: dict | None = None) -> list:
    """Give this process its test database for `alias`, a copy of the run's migrated template (migrating the
    template first if no worker has yet). Returns what django.test.utils.teardown_databases takes."""
    connection = connections[alias]
    started = time.perf_counter()
    with run_lock(shared):
        waited = time.perf_counter() - started
        record = shared / TEMPLATE_RECORD
        built = not record.exists()
        if built:
            _template_build(connection=connection, shared=shared, run_id=run_id, verbosity=verbosity)
            record.write_text(_template_name(connection=connection, shared=shared, run_id=run_id))
        old_name = connection.settings_dict["NAME"]
        _copy_from_template(connection=connection, template=record.read_text(), verbosity=verbosity)
    if timings is not None:
        timings.update(waited=waited, built=built, seconds=time.perf_counter() - started)
    return [(connection, old_name, True)]


def template_drop(*, shared: Path, alias: str = "default") -> None:
    """Drop the run's PostgreSQL template database (a SQLite template is a file in the run's temporary folder)."""
    record = shared / TEMPLATE_RECORD
    if not record.exists():
        return
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(record.read_text())}")
    else:
        Path(record.read_text()).unlink(missing_ok=True)
    record.unlink()


def _template_name(*, connection, shared: Path, run_id: str) -> str:
    if connection.vendor == "sqlite":
        return str(shared / "db-template.sqlite3")
    base = connection.settings_dict["TEST"].get("NAME") or f"test_{connection.settings_dict['NAME']}"
    base = base.rsplit("_gw", 1)[0]  # pytest-django's xdist suffix
    return f"{base}_template_{run_id}"[:63]


def _template_build(*, connection, shared: Path, run_id: str, verbosity: int) -> None:
    """Migrate a database the ordinary way (Django's create_test_db) and keep it as the template."""
    name = _template_name(connection=connection, shared=shared, run_id=run_id)
    if connection.vendor == "sqlite":
        config = setup_databases(verbosity=verbosity, interactive=False, aliases={connection.alias},
                                 serialized_aliases=set())
        partial = Path(name + ".partial")
        target = sqlite3.connect(partial)
        try:
            connection.ensure_connection()
            connection.connection.backup(target)
        finally:
            target.close()
        partial.rename(name)
        # The copy below starts from the same empty in-memory database every other worker starts from.
        from django.test.utils import teardown_databases

        teardown_databases(config, verbosity=verbosity)
        return
    test_settings = connection.settings_dict["TEST"]
    worker_name = test_settings.get("NAME")
    original_name = connection.settings_dict["NAME"]
    test_settings["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
    finally:
        connection.close()
        test_settings["NAME"] = worker_name
        connection.settings_dict["NAME"] = original_name
        settings.DATABASES[connection.alias]["NAME"] = original_name


def _copy_from_template(*, connection, template: str, verbosity: int) -> None:
    """What create_test_db does, with a copy of the template instead of the migrations."""
    creation = connection.creation
    if connection.vendor == "sqlite":
        name = creation._create_test_db(verbosity, autoclobber=True, keepdb=False)
    else:
        name = creation._get_test_db_name()
        quoted = connection.ops.quote_name
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted(name)}")
            cursor.execute(f"CREATE DATABASE {quoted(name)} TEMPLATE {quoted(template)}")
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(template)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    call_command("createcachetable", database=connection.alias)
    connection.ensure_connection()
