"""Write the download files (CSV, JSON, XLSX) that the current data versions lack, then whatever other apps
registered with portal.registries.download_builder_register (the demo's policy PDFs and images)."""

import time

from django.core.management.base import BaseCommand

from opendata.downloads import build_missing
from portal.registries import download_builders


class Command(BaseCommand):
    help = "为每个数据文件的当前版本生成缺少的下载文件（CSV、JSON、XLSX），以及演示内容缺少的附件和图片；已有的不重复生成。"

    def handle(self, *args, **options):
        started = time.monotonic()
        written = build_missing()
        self.stdout.write(f"下载文件：新生成 {written} 个（{time.monotonic() - started:.1f} 秒）。")
        for name, build in download_builders().items():
            started = time.monotonic()
            written = build(log=self.stdout.write)
            self.stdout.write(f"{name}：新生成 {written} 个（{time.monotonic() - started:.1f} 秒）。")
