"""Write the dataset views counted in the cache to the database (a timer runs it every minute)."""

from django.core.management.base import BaseCommand

from opendata.services import dataset_views_flush


class Command(BaseCommand):
    help = "把缓存中累计的数据资源浏览次数写入数据库（定时任务每分钟运行一次）。"

    def handle(self, *args, **options):
        self.stdout.write(f"浏览次数：写入 {dataset_views_flush()} 次。")
