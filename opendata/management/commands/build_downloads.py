"""Write the download files (CSV, JSON, XLSX) that the current data versions lack."""

import time

from django.core.management.base import BaseCommand

from opendata.downloads import build_missing


class Command(BaseCommand):
    help = "为每个数据文件的当前版本生成缺少的下载文件（CSV、JSON、XLSX）；已有的不重复生成。"

    def handle(self, *args, **options):
        started = time.monotonic()
        written = build_missing()
        self.stdout.write(f"下载文件：新生成 {written} 个（{time.monotonic() - started:.1f} 秒）。")
