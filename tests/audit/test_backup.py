"""The backup and restore drill: back up a running instance, restore it into an empty one, and find the same rows
and the same files; a backup whose manifest does not verify is refused. On PostgreSQL (DATABASE_URL) the drill
restores into a second database of the same cluster; on SQLite into a fresh file."""

import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from audit.backup import Database, sm3_file, table_counts
from audit.selectors import audit_verify
from audit.models import Action
from audit.services import audit_record
from tests.factories import InfoPageFactory, UserFactory


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sm3_file(p) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def instance(transactional_db, home, settings, tmp_path):
    """A small site with pages, users, audit records, a public image file and a private filing."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "banner.png").write_bytes(b"\x89PNG\r\n" + os.urandom(2048))
    (settings.PRIVATE_MEDIA_ROOT / "applications" / "2026").mkdir(parents=True)
    (settings.PRIVATE_MEDIA_ROOT / "applications" / "2026" / "营业执照.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
    for n in range(3):
        InfoPageFactory(parent=home, title=f"页面{n}", slug=f"page-{n}")
    user = UserFactory(username="backup-operator")
    audit_record(action=Action.LOGIN, actor=user, target="user:backup-operator")
    return tmp_path


@pytest.fixture
def target(instance):
    """An empty database of the same engine, dropped afterwards."""
    source = Database.from_settings(settings.DATABASES["default"] | {"NAME": connection.settings_dict["NAME"]})
    if source.engine == "postgresql":
        name = f"{source.name}_restore_{uuid.uuid4().hex[:8]}"
        with source.pg_connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        empty = Database(source.engine, name, source.user, source.password, source.host, source.port)
        yield empty
        with source.pg_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield Database("sqlite", str(instance / "restored" / "db.sqlite3"))


def live_counts() -> dict[str, int]:
    """Rows per table of the database the tests run on, as the site sees it now."""
    from audit.backup import _counts_pg, _counts_sqlite

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return _counts_sqlite(connection.connection)
    with connection.cursor() as cursor:
        return _counts_pg(cursor)


def url_of(database: Database) -> str:
    if database.engine == "sqlite":
        return f"sqlite:///{database.name}"
    auth = database.user + (f":{database.password}" if database.password else "")
    return f"postgres://{auth}@{database.host or 'localhost'}:{database.port or 5432}/{database.name}"


def test_backup_then_restore_into_an_empty_instance_gives_the_same_rows_and_files(instance, target, capsys):
    call_command("backup", "--output", str(instance / "backups"))
    folder = Path(capsys.readouterr().out.strip())
    assert (folder / "manifest.json").exists() and (folder / "manifest.json.sm3").exists()
    source_counts = live_counts()

    call_command("restore", str(folder), "--database-url", url_of(target),
                 "--media-root", str(instance / "restored-media"), "--private-root", str(instance / "restored-private"))
    assert "行数与备份清单一致" in capsys.readouterr().out

    restored = table_counts(target)
    assert restored["wagtailcore_page"] >= 5 and restored["audit_auditrecord"] >= 1
    # The backup's own audit record was written after the dump; everything else is identical.
    source_counts["audit_auditrecord"] -= 1
    assert restored == source_counts
    assert tree_hashes(instance / "restored-media") == tree_hashes(settings.MEDIA_ROOT)
    assert tree_hashes(instance / "restored-private") == tree_hashes(settings.PRIVATE_MEDIA_ROOT)
    assert audit_verify() == []


def test_a_backup_whose_files_were_changed_is_refused(instance, target, capsys):
    call_command("backup", "--output", str(instance / "backups"))
    folder = Path(capsys.readouterr().out.strip())
    tampered = next((folder / "private").rglob("*.pdf"))
    tampered.write_bytes(tampered.read_bytes() + b"x")
    with pytest.raises(CommandError, match="营业执照.pdf 的 SM3 与清单不符"):
        call_command("restore", str(folder), "--database-url", url_of(target),
                     "--media-root", str(instance / "m"), "--private-root", str(instance / "p"))
    assert table_counts(target) == {}


def test_an_added_file_or_edited_manifest_is_refused(instance, target, capsys):
    call_command("backup", "--output", str(instance / "backups"))
    folder = Path(capsys.readouterr().out.strip())
    (folder / "media" / "webshell.php").write_text("<?php system($_GET['c']);")
    with pytest.raises(CommandError, match="清单外多出文件 media/webshell.php"):
        call_command("restore", str(folder), "--database-url", url_of(target))
    (folder / "media" / "webshell.php").unlink()
    manifest = folder / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"format": 1', '"format": 2'))
    with pytest.raises(CommandError, match="manifest.json 已被修改"):
        call_command("restore", str(folder), "--database-url", url_of(target))


def test_restore_refuses_an_instance_that_is_not_empty(instance, target, capsys):
    call_command("backup", "--output", str(instance / "backups"))
    folder = Path(capsys.readouterr().out.strip())
    if connection.vendor == "postgresql":
        source = Database.from_settings(settings.DATABASES["default"] | {"NAME": connection.settings_dict["NAME"]})
        with pytest.raises(CommandError, match="目标数据库不是空的"):
            call_command("restore", str(folder), "--database-url", url_of(source),
                         "--media-root", str(instance / "m"), "--private-root", str(instance / "p"))
    with pytest.raises(CommandError, match="MEDIA_ROOT.*不是空的"):
        call_command("restore", str(folder), "--database-url", url_of(target), "--media-root", str(settings.MEDIA_ROOT))
    assert table_counts(target) == {}
