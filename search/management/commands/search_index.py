"""manage.py search_index rebuild | status

rebuild: build a fresh index of everything public (the database, and Elasticsearch when ELASTICSEARCH_URL is
set) and switch to it; search keeps answering from the old index meanwhile. A progress bar goes to stderr,
documents per second at the end. --if-stale rebuilds only when the analyzer (code or dictionary) changed.
status: the analyzer version, what each index holds, and whether a rebuild is needed.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from search import documents, indexing
from search.analyzer import ANALYZER_VERSION
from search.backends import database_backend, elasticsearch_backend


class Command(BaseCommand):
    help = "重建搜索索引（rebuild）或查看索引状态（status）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status"])
        parser.add_argument("--if-stale", action="store_true", help="只在分词器版本变化（或从未建立）时重建。")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条。")

    def handle(self, *args, action, if_stale=False, no_progress=False, **options):
        if action == "status":
            return self.status()
        if if_stale and not indexing.is_stale():
            self.stdout.write("搜索索引是最新的，无需重建。")
            return
        total = documents.count_documents()
        bar = ProgressBar(total, enabled=not no_progress)
        try:
            count, seconds = indexing.rebuild(progress=bar.update)
        except Exception as error:
            raise CommandError(f"重建搜索索引失败：{error}") from error
        bar.finish(count)
        rate = count / seconds if seconds else float(count)
        self.stdout.write(self.style.SUCCESS(
            f"搜索索引已重建：{count} 条文档，用时 {seconds:.1f} 秒，每秒 {rate:.0f} 条（分词器 {ANALYZER_VERSION}）。"
        ))

    def status(self):
        db = database_backend()
        state = db.state()
        stale = state.analyzer_version != ANALYZER_VERSION
        self.stdout.write(f"分词器版本：{ANALYZER_VERSION}")
        line = f"数据库索引：{db.count()} 条，版本 g{state.active_generation}"
        line += f"，建立时分词器 {state.analyzer_version}" if state.analyzer_version else "（从未重建）"
        if state.built_at:
            line += f"，最近重建于 {timezone.localtime(state.built_at):%Y-%m-%d %H:%M}"
        if state.building_generation:
            line += f"，正在重建 g{state.building_generation}"
        self.stdout.write(line)
        es = elasticsearch_backend()
        if es is not None:
            try:
                self.stdout.write(f"Elasticsearch 索引：{es.count()} 条")
            except Exception as error:  # the status must still print when Elasticsearch is down
                self.stdout.write(self.style.WARNING(f"Elasticsearch 不可用：{error}"))
        self.stdout.write(f"可索引的公开内容：{documents.count_documents()} 条")
        if stale:
            self.stdout.write(self.style.WARNING("需要重建：运行 manage.py search_index rebuild"))
        else:
            self.stdout.write("索引与当前分词器一致。")


class ProgressBar:
    """[#####-----]  1234/5000  24%  on stderr, redrawn in place."""

    WIDTH = 30

    def __init__(self, total: int, *, enabled: bool = True):
        self.total = max(total, 1)
        self.enabled = enabled
        self.last = -1

    def update(self, count: int) -> None:
        if not self.enabled:
            return
        percent = min(100, count * 100 // self.total)
        if percent == self.last and count % 500:
            return
        self.last = percent
        filled = self.WIDTH * percent // 100
        sys.stderr.write(f"\r[{'#' * filled}{'-' * (self.WIDTH - filled)}] {count}/{self.total} {percent:3d}%")
        sys.stderr.flush()

    def finish(self, count: int) -> None:
        if self.enabled:
            self.update(count)
            sys.stderr.write("\n")
