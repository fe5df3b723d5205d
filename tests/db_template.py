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

scripts/test.sh migrates each pass's template ahead of it, while the newcomer and fuzzing stages run
(`python -m tests.db_template FOLDER`, FOLDER a fresh temporary folder of that run), and gives the pass
JINCAI_TEST_DB_TEMPLATE_DIR=FOLDER; the pass drops the template when it ends, like one it migrated itself.
"""

import fcntl
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test.utils import setup_databases

TEMPLATE_RECORD = "db-template.txt"  # "<vendor> <template name>": what was built, for the copies and the clean-up


@contextmanager
def run_lock(shared: Path, name: str = "db-template.lock") -> Iterator[None]:
    """One worker at a time in the block (an flock on the file `name` in the run's shared folder)."""
    shared.mkdir(parents=True, exist_ok=True)
    with open(shared / name, "w") as handle:
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
        built = not (shared / TEMPLATE_RECORD).exists()
        if built:
            template_build(shared=shared, run_id=run_id, alias=alias, verbosity=verbosity)
        vendor, template = (shared / TEMPLATE_RECORD).read_text().split(" ", 1)
        if vendor != connection.vendor:
            raise RuntimeError(f"{shared / TEMPLATE_RECORD} is a {vendor} template; this run's database is "
                               f"{connection.vendor} (JINCAI_TEST_DB_TEMPLATE_DIR names another pass's folder?)")
        old_name = connection.settings_dict["NAME"]
        _copy_from_template(connection=connection, template=template, verbosity=verbosity)
    if timings is not None:
        timings.update(waited=waited, built=built, seconds=time.perf_counter() - started)
    return [(connection, old_name, True)]


def template_build(*, shared: Path, run_id: str, alias: str = "default", verbosity: int = 0) -> None:
    """Migrate the template and record it in `shared` (the caller holds the run lock, or is alone)."""
    connection = connections[alias]
    _template_build(connection=connection, shared=shared, run_id=run_id, verbosity=verbosity)
    name = _template_name(connection=connection, shared=shared, run_id=run_id)
    (shared / TEMPLATE_RECORD).write_text(f"{connection.vendor} {name}")


def template_drop(*, shared: Path, alias: str = "default") -> None:
    """Drop the run's PostgreSQL template database, or remove its SQLite file."""
    record = shared / TEMPLATE_RECORD
    if not record.exists():
        return
    vendor, template = record.read_text().split(" ", 1)
    connection = connections[alias]
    if vendor == "postgresql" and connection.vendor == "postgresql":
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
    elif vendor == "sqlite":
        Path(template).unlink(missing_ok=True)
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


def sqlite_load(connection, path: str) -> None:
    """The SQLite database file at `path` copied into the connection's (in-memory) database by the backup API."""
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


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
        sqlite_load(connection, template)
    call_command("createcachetable", database=connection.alias)
    connection.ensure_connection()


def main(argv: list[str]) -> int:
    """`python -m tests.db_template FOLDER`: migrate the template ahead of a pytest run that is then given
    JINCAI_TEST_DB_TEMPLATE_DIR=FOLDER (scripts/test.sh does this while the newcomer and fuzzing stages run); the
    database is the one the tests get (DATABASE_URL, or the embedded SQLite), settings portal.settings.test."""
    import os
    import uuid

    import django

    if len(argv) != 1:
        print("usage: python -m tests.db_template FOLDER", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    shared = Path(argv[0])
    started = time.perf_counter()
    with run_lock(shared):
        if not (shared / TEMPLATE_RECORD).exists():
            template_build(shared=shared, run_id=uuid.uuid4().hex[:12])
    print(f"db_template: {(shared / TEMPLATE_RECORD).read_text()} ready in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
