"""manage.py backup — database dump, media and private files, and a manifest of SM3 hashes (audit/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.models import Action
from audit.services import audit_record
from audit.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份接口）、媒体文件与非公开文件，并写入 SM3 清单。"

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None, help="备份存放目录（默认 BACKUP_DIR）")

    def handle(self, *args, output: Path | None, **options):
        try:
            folder = backup_create(output_dir=output)
        except (BackupError, OSError) as error:
            raise CommandError(f"备份失败：{error}") from None
        audit_record(action=Action.BACKUP, target=folder.name)
        self.stdout.write(str(folder))
