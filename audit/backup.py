"""Backup and restore of one instance: the database, the public media and the private files, with a manifest of
SM3 hashes that restore checks before it touches anything.

A backup is one folder::

    manifest.json        engine, time, row counts per table, and every file below with its size and SM3
    manifest.json.sm3    SM3 of manifest.json
    database.pgdump      pg_dump --format=custom (PostgreSQL), or database.sqlite3 (SQLite, via the backup API)
    media/…, private/…   copies of MEDIA_ROOT and PRIVATE_MEDIA_ROOT

On PostgreSQL the row counts and the dump come from one exported snapshot, so they agree even while the site is
being written to. Restore goes into an empty instance only (no tables, empty file folders) and refuses a backup
whose manifest does not verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.json.sm3"
FORMAT_VERSION = 1
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
FILE_TREES = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in Chinese, for the operator."""


def sm3_file(path: Path) -> str:
    digest = hashlib.new("sm3")
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _listing(folder: Path) -> dict[str, dict]:
    """Every file below `folder` (manifest files aside) with its size and SM3, by its path relative to `folder`."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name not in (MANIFEST, MANIFEST_HASH):
            files[name] = {"size": path.stat().st_size, "sm3": sm3_file(path)}
    return files


# --- databases ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    engine: str  # "postgresql" | "sqlite"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, config: dict) -> Database:
        engine = "postgresql" if "postgresql" in config["ENGINE"] else "sqlite" if "sqlite" in config["ENGINE"] else ""
        if not engine:
            raise BackupError(f"不支持的数据库：{config['ENGINE']}（只支持 PostgreSQL 与 SQLite）。")
        return cls(engine, str(config["NAME"]), config.get("USER") or "", config.get("PASSWORD") or "",
                   config.get("HOST") or "", str(config.get("PORT") or ""))

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls.from_settings(dj_database_url.parse(url))

    def pg_args(self) -> list[str]:
        args = ["--dbname", self.name]
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def pg_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        if self.password:
            env["PGPASSWORD"] = self.password  # not on the command line, where `ps` would show it
        return env

    def pg_connect(self):
        import psycopg

        return psycopg.connect(dbname=self.name, user=self.user or None, password=self.password or None,
                               host=self.host or None, port=self.port or None, autocommit=True)


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                      "ORDER BY name").fetchall()
    return [row[0] for row in rows]


def _counts_pg(cursor) -> dict[str, int]:
    counts = {}
    for table in _pg_tables(cursor):
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _counts_sqlite(db: sqlite3.Connection) -> dict[str, int]:
    return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in _sqlite_tables(db)}


def table_counts(database: Database) -> dict[str, int]:
    """Rows per table of `database` (used to compare a restored instance with its backup)."""
    if database.engine == "postgresql":
        with database.pg_connect() as conn, conn.cursor() as cursor:
            return _counts_pg(cursor)
    if not Path(database.name).exists():
        return {}
    db = sqlite3.connect(database.name)
    try:
        return _counts_sqlite(db)
    finally:
        db.close()


def _dump_postgresql(database: Database, target: Path) -> dict[str, int]:
    """pg_dump and the row counts from one snapshot, exported by a repeatable-read transaction held open."""
    with database.pg_connect() as conn:
        conn.autocommit = False
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _counts_pg(cursor)
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}",
                 "--file", str(target), *database.pg_args()],
                env=database.pg_env(), capture_output=True, text=True, check=False,
            )
        conn.rollback()
    if result.returncode != 0:
        raise BackupError(f"pg_dump 失败：{result.stderr.strip()[:500]}")
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    """A consistent copy through SQLite's online backup API (safe while other processes write)."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return _counts_sqlite(copy)
    finally:
        copy.close()


# --- backup ---------------------------------------------------------------------------------------------------------


def backup_create(*, output_dir: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Write a backup folder under `output_dir` (BACKUP_DIR by default) and return its path."""
    now = now or timezone.now()
    output_dir = Path(output_dir or settings.BACKUP_DIR)
    folder = output_dir / f"jincai-{timezone.localtime(now):%Y%m%d-%H%M%S-%f}"
    folder.mkdir(parents=True, exist_ok=False)
    try:
        database = Database.from_settings(settings.DATABASES["default"])
        if database.engine == "postgresql":
            counts = _dump_postgresql(database, folder / PG_DUMP)
        else:
            counts = _dump_sqlite(folder / SQLITE_COPY)
        for tree, setting in FILE_TREES.items():
            source = Path(getattr(settings, setting))
            if source.is_dir():
                shutil.copytree(source, folder / tree, symlinks=False)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "engine": database.engine,
            "tables": counts,
            "files": _listing(folder),
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        (folder / MANIFEST).write_bytes(text)
        (folder / MANIFEST_HASH).write_text(hashlib.new("sm3", text).hexdigest() + "\n", encoding="ascii")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


# --- restore --------------------------------------------------------------------------------------------------------


def backup_verify(folder: Path) -> dict:
    """The manifest of `folder` if every file it lists is there with the same SM3 and nothing else was added;
    otherwise BackupError naming the first file that differs."""
    folder = Path(folder)
    try:
        text = (folder / MANIFEST).read_bytes()
        recorded = (folder / MANIFEST_HASH).read_text(encoding="ascii").strip()
    except FileNotFoundError as missing:
        raise BackupError(f"备份不完整：缺少 {Path(missing.filename).name}。") from None
    if hashlib.new("sm3", text).hexdigest() != recorded:
        raise BackupError("备份清单校验失败：manifest.json 已被修改。")
    manifest = json.loads(text)
    present = _listing(folder)
    for name, expected in manifest["files"].items():
        found = present.get(name)
        if found is None:
            raise BackupError(f"备份清单校验失败：缺少文件 {name}。")
        if found["sm3"] != expected["sm3"]:
            raise BackupError(f"备份清单校验失败：文件 {name} 的 SM3 与清单不符。")
    extra = sorted(set(present) - set(manifest["files"]))
    if extra:
        raise BackupError(f"备份清单校验失败：清单外多出文件 {extra[0]}。")
    return manifest


def _require_empty_database(database: Database) -> None:
    if database.engine == "postgresql":
        with database.pg_connect() as conn, conn.cursor() as cursor:
            tables = _pg_tables(cursor)
    elif Path(database.name).exists():
        db = sqlite3.connect(database.name)
        try:
            tables = _sqlite_tables(db)
        finally:
            db.close()
    else:
        tables = []
    if tables:
        raise BackupError(f"目标数据库不是空的（已有 {len(tables)} 张表）：只能恢复到新建的空实例。")


def _require_empty_folder(path: Path, setting: str) -> None:
    if path.exists() and any(path.iterdir()):
        raise BackupError(f"{setting}（{path}）不是空的：只能恢复到新建的空实例。")


def backup_restore(
    *, folder: Path, database: Database | None = None, media_root: Path | None = None,
    private_root: Path | None = None,
) -> dict[str, int]:
    """Restore `folder` into an empty instance and return the restored row counts, which match the manifest."""
    folder = Path(folder)
    manifest = backup_verify(folder)
    database = database or Database.from_settings(settings.DATABASES["default"])
    roots = {"media": Path(media_root or settings.MEDIA_ROOT),
             "private": Path(private_root or settings.PRIVATE_MEDIA_ROOT)}
    if manifest["engine"] != database.engine:
        raise BackupError(f"该备份来自 {manifest['engine']}，不能恢复到 {database.engine} 数据库。")
    _require_empty_database(database)
    for tree, root in roots.items():
        _require_empty_folder(root, FILE_TREES[tree])

    if database.engine == "postgresql":
        result = subprocess.run(
            ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
             *database.pg_args(), str(folder / PG_DUMP)],
            env=database.pg_env(), capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore 失败：{result.stderr.strip()[:500]}")
    else:
        Path(database.name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / SQLITE_COPY, database.name)
    for tree, root in roots.items():
        if (folder / tree).is_dir():
            shutil.copytree(folder / tree, root, dirs_exist_ok=True)

    counts = table_counts(database)
    differing = sorted(t for t in set(counts) | set(manifest["tables"]) if counts.get(t) != manifest["tables"].get(t))
    if differing:
        raise BackupError(f"恢复后的行数与备份不符：{', '.join(differing[:5])}。")
    return counts
