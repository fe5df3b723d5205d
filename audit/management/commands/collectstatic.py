"""collectstatic, then the tamper-check fingerprints of every collected file (audit/tamper.py)."""

from django.contrib.staticfiles.management.commands.collectstatic import Command as CollectStatic
from django.db import DatabaseError

from audit import tamper


class Command(CollectStatic):
    def handle(self, **options):
        result = super().handle(**options)
        if options.get("dry_run"):
            return result
        try:
            count = tamper.static_baseline()
        except DatabaseError:
            # Before the first migrate there is nowhere to keep them; tamper_check --baseline takes them later.
            self.stderr.write("collectstatic：数据库尚未就绪，未采集静态文件指纹；迁移后请运行 manage.py tamper_check --baseline。")
            return result
        if options["verbosity"] >= 1:
            self.stdout.write(f"已采集 {count} 个静态文件的防篡改指纹（SM3）。")
        return result
