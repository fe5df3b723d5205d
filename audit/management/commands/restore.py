"""manage.py restore FOLDER — into an empty instance only; a backup whose manifest does not verify is refused."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.backup import BackupError, Database, backup_restore


class Command(BaseCommand):
    help = "把 manage.py backup 生成的备份恢复到空实例；清单（SM3）校验不通过的备份一律拒绝。"

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="备份目录")
        parser.add_argument("--database-url", default="", help="目标数据库（默认本实例的 DATABASE_URL）")
        parser.add_argument("--media-root", type=Path, default=None, help="目标 MEDIA_ROOT（默认本实例的设置）")
        parser.add_argument("--private-root", type=Path, default=None, help="目标 PRIVATE_MEDIA_ROOT（默认本实例的设置）")

    def handle(self, *args, folder: Path, database_url: str, media_root, private_root, **options):
        database = Database.from_url(database_url) if database_url else None
        try:
            counts = backup_restore(folder=folder, database=database, media_root=media_root,
                                    private_root=private_root)
        except (BackupError, OSError) as error:
            raise CommandError(f"恢复失败：{error}") from None
        self.stdout.write(f"已恢复 {len(counts)} 张表、{sum(counts.values())} 行；行数与备份清单一致。")
