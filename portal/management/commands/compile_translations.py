"""`manage.py compile_translations`: the project's .po files as the .mo files Django reads (no gettext needed)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.translations import translations_compile


class Command(BaseCommand):
    help = "把项目自己的译文（locale/*/LC_MESSAGES/*.po）编译为 Django 读取的 .mo 文件（无需安装 gettext）。"

    def handle(self, *args, **options):
        for path in settings.LOCALE_PATHS:
            for written in translations_compile(root=path):
                self.stdout.write(f"已编译 {written.relative_to(settings.BASE_DIR)}")
