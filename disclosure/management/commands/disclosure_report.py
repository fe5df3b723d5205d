"""Build the 政府信息公开工作年度报告 of a year from the system's data and publish it in the 年度报告 column."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from disclosure.services import ReportColumnMissing, report_build


class Command(BaseCommand):
    help = "生成并发布某年度的政府信息公开工作年度报告（统计表由系统数据计算）。"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--draft", action="store_true", help="只保存草稿，不发布。")

    def handle(self, *args, year: int, draft: bool, **options):
        try:
            page = report_build(year=year, publish=not draft)
        except (ValidationError, ReportColumnMissing) as problem:
            raise CommandError("；".join(getattr(problem, "messages", [str(problem)]))) from None
        rows = {row["key"]: row["total"] for row in page.tables["applications"]}
        self.stdout.write(
            f"{page.title}：新收 {rows['new']} 件，上年结转 {rows['carried_in']} 件，办结 {rows['answered_total']} 件，"
            f"结转下年度 {rows['carried_out']} 件。{'（草稿）' if draft else page.url or ''}"
        )
