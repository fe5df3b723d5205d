"""A page-by-page text dump of a database `load_demo` filled, to compare two loads (e.g. before and after a refactor).

    JINCAI_VAR_DIR=/tmp/d DATABASE_URL=sqlite:////tmp/d/demo.sqlite3 DJANGO_SETTINGS_MODULE=portal.settings.local \
        .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo --as-of 2026-12-01
    ... .venv/bin/python scripts/demo_dump.py > before.txt      (the same after the change; then diff the two)

First every page by url_path: its type, title, dates and every field of its specific model (StreamField bodies
included); then every table of the database: row count and rows (large tables as a digest of their rows).
What differs from one load to the next whatever the code does is masked: moments taken from the wall clock
(`<now>`), password hashes and random tokens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from wagtail.models import Page  # noqa: E402

BIG_TABLE = 2000  # rows; above this a table is dumped as its count and a digest of its rows
# Columns whose values a load draws at random or from the wall clock (never from --as-of).
RANDOM_COLUMNS = {"password", "session_key", "session_data", "token", "key", "uuid", "translation_key",
                  "secret", "salt", "file_hash", "nonce", "tracking_number", "query_code", "idempotency_key",
                  "revision"}
# Tables whose row order (hence ids) follows Python's per-process set order: compared as sorted rows without ids.
UNORDERED_TABLES = {"wagtailcore_referenceindex"}
_STARTED = dt.datetime.now(dt.UTC)
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})")
# A StreamField block's id and a uuid anywhere in a text value.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Stored file names (uuid4().hex) and the random tail of tracking numbers (20261130CA2NRKCK, L20261113C91MF4J5).
_HEX = re.compile(r"\b[0-9a-f]{32}\b")
_TRACKING = re.compile(r"\b(L?20\d{6})[0-9A-Z]{8}\b")


def mask(column: str, value):
    if value is None:
        return None
    if column in RANDOM_COLUMNS or column.endswith(("_token", "_secret", "_hash")):
        return "<random>"
    if isinstance(value, dt.datetime):
        value = value.isoformat(sep=" ")
    if isinstance(value, (bytes, memoryview)):
        return "<bytes:" + hashlib.sha256(bytes(value)).hexdigest()[:16] + ">"
    if isinstance(value, str):
        match = _ISO.match(value)
        if match:
            moment = dt.datetime.fromisoformat(f"{match[1]} {match[2]}").replace(tzinfo=dt.UTC)
            if abs((moment - _STARTED).total_seconds()) < 2 * 86400:
                return "<now>"
        return _TRACKING.sub(r"\1<random>", _HEX.sub("<hex>", _UUID.sub("<uuid>", value)))
    return value


def mask_row(columns: list[str], row: tuple) -> tuple:
    # An .xlsx file holds the moment it was written, so its size varies by a few bytes from load to load.
    xlsx = any(isinstance(value, str) and value.endswith(".xlsx") for value in row)
    return tuple("<xlsx size>" if xlsx and column == "size" else mask(column, value)
                 for column, value in zip(columns, row, strict=True))


def pages() -> list[str]:
    lines = ["# pages"]
    for page in Page.objects.order_by("path").specific():
        model = type(page)
        lines.append(f"\n## {page.url_path}  [{model._meta.label}]  {page.title}")
        for field in model._meta.concrete_fields:
            if field.name in ("path", "url_path", "title", "page_ptr", "id"):
                continue
            value = field.value_from_object(page)
            if hasattr(value, "raw_data"):  # StreamField
                value = json.dumps(list(value.raw_data), ensure_ascii=False, sort_keys=True, default=str)
            lines.append(f"  {field.name}: {mask(field.column, value)!r}")
    return lines


def tables() -> list[str]:
    lines = ["\n# tables"]
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith(("django_migrations", "sqlite_")):
                continue
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            quoted = connection.ops.quote_name(table)
            order = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608 (names from introspection)
            rows = [mask_row(columns, row) for row in cursor.fetchall()]
            if table in UNORDERED_TABLES:
                rows = sorted((row[1:] for row in rows), key=repr)
            lines.append(f"\n## {table} ({len(rows)} rows) {', '.join(columns)}")
            if len(rows) > BIG_TABLE:
                digest = hashlib.sha256(repr(rows).encode()).hexdigest()
                lines.append(f"  sha256 of rows: {digest}")
            else:
                lines.extend(f"  {row!r}" for row in rows)
    return lines


if __name__ == "__main__":
    sys.stdout.write("\n".join(pages() + tables()) + "\n")
