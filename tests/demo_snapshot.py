"""Demo databases built once per test run and copied wherever a test asks for them.

Building a demo (`load_demo`, `build_demo_site`) costs 20-35 s of CPU. Several modules want one (tests/demo, the
search judgments, the browser journeys' `demo_site`), and with pytest-xdist a module's tests may be spread
over the workers, so each worker that got one of them built the module's demo again. Now the first process that
needs a given demo (a `key`: what was built, on which day) builds it once, under a lock in the run's shared folder
(the one tests/db_template.py keeps the migrated template in), on a fresh copy of that template, and keeps:

- the database: SQLite, a file written with the backup API (a worker restores it into its in-memory database the
  same way, in milliseconds); PostgreSQL, a database every user copies with CREATE DATABASE … TEMPLATE;
- the files the build wrote (MEDIA_ROOT, PRIVATE_MEDIA_ROOT and VAR_DIR, e.g. the demo logins) in a folder beside
  it, copied into the using process's own folders;
- what the build returned (`build` returns a JSON-able dict, e.g. the home page's id or what load_demo printed).

`demo_database` (for module-scoped fixtures) gives the calling process the demo for the length of a block and then
puts back the database it had (SQLite: a copy taken before; PostgreSQL: the connection goes back to the worker's own
database, untouched). `demo_restore` (for the browser journeys, whose transactional tests flush the database after
each test anyway) only restores. Tests still run inside their own transaction, rolled back, as before.

Without a template record (pytest run with --reuse-db or --no-migrations) nothing is shared: the demo is built in
place, as the fixtures used to, inside a transaction rolled back after the block.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.test import override_settings

from tests.db_template import TEMPLATE_RECORD, run_lock, sqlite_load

RECORD = "record.json"
FILE_TREES = ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "VAR_DIR")


def _folder(shared: Path, key: str) -> Path:
    return shared / f"demo-{re.sub(r'[^A-Za-z0-9_.-]', '-', key)}"


def _template(shared: Path) -> tuple[str, str] | None:
    record = shared / TEMPLATE_RECORD
    if not record.exists():
        return None
    vendor, name = record.read_text().split(" ", 1)
    return vendor, name


def _forget_caches() -> None:
    """What this process cached about the database it had before (site roots, counts, content types)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from wagtail.models import Site

    cache.clear()
    ContentType.objects.clear_cache()
    Site.clear_site_root_paths_cache()


def _copy_files(source: Path, target: Path, *, link: bool) -> None:
    """Every file under `source` into `target`; with `link`, hard links where the file system allows (uploads:
    storage never writes a stored file in place, and a test that deletes one only removes its own link)."""
    if not source.exists():
        return
    for path in source.rglob("*"):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        if destination.exists():
            continue
        if link:
            try:
                os.link(path, destination)
                continue
            except OSError:
                pass
        shutil.copy2(path, destination)


def _restore_files(folder: Path, var_dir: Path | None) -> None:
    for name in FILE_TREES:
        target = var_dir if name == "VAR_DIR" and var_dir is not None else Path(getattr(settings, name))
        # VAR_DIR's files (the demo logins) are rewritten in place by a second load: copies.
        _copy_files(folder / name.lower(), target, link=name != "VAR_DIR")


# --- SQLite --------------------------------------------------------------------------------------------------


def _sqlite_build(*, connection, folder: Path, template: str, build: Callable[[], dict]) -> dict:
    sqlite_load(connection, template)  # the run's freshly migrated database, whatever this worker did before
    _forget_caches()
    with _build_settings(folder):
        result = build()
    partial = folder / "db.sqlite3.partial"
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    partial.rename(folder / "db.sqlite3")
    return {"database": str(folder / "db.sqlite3"), "result": result}


# --- PostgreSQL ----------------------------------------------------------------------------------------------


def _pg_execute(connection, sql: str) -> None:
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(sql)


def _pg_switch(connection, name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES[connection.alias]["NAME"] = name


def _pg_copy(connection, *, name: str, template: str) -> None:
    quoted = connection.ops.quote_name
    _pg_execute(connection, f"DROP DATABASE IF EXISTS {quoted(name)}")
    # FILE_COPY: a file copy of the template's directory, without writing every block to the WAL (PostgreSQL 15's
    # default, WAL_LOG, is made for large templates on busy servers; ours are small and private).
    _pg_execute(connection, f"CREATE DATABASE {quoted(name)} TEMPLATE {quoted(template)} STRATEGY = FILE_COPY")


def _pg_build(*, connection, folder: Path, key: str, template: str, build: Callable[[], dict]) -> dict:
    slug = re.sub(r"[^a-z0-9]", "", key.lower())[:20]
    name = f"{template[:40]}_d{slug}"[:63]
    own = connection.settings_dict["NAME"]
    _pg_copy(connection, name=name, template=template)
    _pg_switch(connection, name)
    try:
        _forget_caches()
        with _build_settings(folder):
            result = build()
    finally:
        _pg_switch(connection, own)  # nobody may be connected to a template while it is copied
    return {"database": name, "result": result}


def _pg_worker_copy_name(connection, own: str) -> str:
    return f"{own[:55]}_demo"


# --- both ----------------------------------------------------------------------------------------------------


@contextmanager
def _build_settings(folder: Path) -> Iterator[None]:
    """The build writes its files into the snapshot's folder, from which every user copies them."""
    paths = {name: folder / name.lower() for name in FILE_TREES}
    for path in paths.values():
        path.mkdir(parents=True, exist_ok=True)
    with override_settings(**paths):
        yield


def _ensure_built(*, shared: Path, key: str, build: Callable[[], dict], alias: str) -> dict | None:
    """The record of the run's snapshot of `key`, built now if no process has yet (the caller holds the lock)."""
    template = _template(shared)
    if template is None:
        return None
    folder = _folder(shared, key)
    record = folder / RECORD
    if record.exists():
        return json.loads(record.read_text())
    vendor, template_name = template
    connection = connections[alias]
    if vendor != connection.vendor:
        raise RuntimeError(f"{shared / TEMPLATE_RECORD} is a {vendor} template; this database is {connection.vendor}")
    if folder.exists():
        shutil.rmtree(folder)  # what an interrupted build left
    folder.mkdir(parents=True)
    if vendor == "sqlite":
        built = _sqlite_build(connection=connection, folder=folder, template=template_name, build=build)
    else:
        built = _pg_build(connection=connection, folder=folder, key=key, template=template_name, build=build)
    built["vendor"] = vendor
    record.write_text(json.dumps(built, ensure_ascii=False))
    return built


def demo_restore(*, shared: Path, key: str, build: Callable[[], dict], var_dir: Path | None = None,
                 alias: str = "default") -> dict:
    """Put the run's demo `key` into this process's SQLite database (built by `build` first if no process has yet)
    and its files into this process's folders; returns what `build` returned. For tests that own the database
    (transactional tests, flushed afterwards)."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        raise RuntimeError("demo_restore replaces the whole database: SQLite only (use demo_database)")
    with run_lock(shared, name=f"demo-{key}.lock"):
        record = _ensure_built(shared=shared, key=key, build=build, alias=alias)
    if record is None:
        return build()
    sqlite_load(connection, record["database"])
    _restore_files(_folder(shared, key), var_dir)
    _forget_caches()
    return record["result"]


@contextmanager
def demo_database(*, shared: Path, key: str, build: Callable[[], dict], var_dir: Path | None = None,
                  alias: str = "default") -> Iterator[dict]:
    """This process's database holds the run's demo `key` inside the block (built by `build` first if no process
    has yet), its files are copied into this process's folders (VAR_DIR's into `var_dir` if given); afterwards the
    database is what it was. Yields what `build` returned."""
    connection = connections[alias]
    if _template(shared) is None:  # nothing shared: built in place and rolled back, as before
        with transaction.atomic(using=alias):
            yield build()
            transaction.set_rollback(True, using=alias)
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        before = sqlite3.connect(":memory:")
        connection.connection.backup(before)
        try:
            with run_lock(shared, name=f"demo-{key}.lock"):
                record = _ensure_built(shared=shared, key=key, build=build, alias=alias)
            sqlite_load(connection, record["database"])
            _restore_files(_folder(shared, key), var_dir)
            _forget_caches()
            yield record["result"]
        finally:
            connection.ensure_connection()
            before.backup(connection.connection)
            before.close()
            _forget_caches()
        return
    own = connection.settings_dict["NAME"]
    copy = _pg_worker_copy_name(connection, own)
    with run_lock(shared, name=f"demo-{key}.lock"):
        record = _ensure_built(shared=shared, key=key, build=build, alias=alias)
        _pg_copy(connection, name=copy, template=record["database"])
    try:
        _pg_switch(connection, copy)
        _restore_files(_folder(shared, key), var_dir)
        _forget_caches()
        yield record["result"]
    finally:
        _pg_switch(connection, own)
        _pg_execute(connection, f"DROP DATABASE IF EXISTS {connection.ops.quote_name(copy)}")
        _forget_caches()


def demo_snapshots_drop(*, shared: Path, alias: str = "default") -> None:
    """Drop the run's PostgreSQL demo databases and remove the snapshot folders (the run's end)."""
    for record in shared.glob(f"demo-*/{RECORD}"):
        built = json.loads(record.read_text())
        connection = connections[alias]
        if built.get("vendor") == "postgresql" and connection.vendor == "postgresql":
            _pg_execute(connection, f"DROP DATABASE IF EXISTS {connection.ops.quote_name(built['database'])}")
        shutil.rmtree(record.parent, ignore_errors=True)
