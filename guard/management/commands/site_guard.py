"""`manage.py site_guard run`: check the whole site once, store the findings, print a summary and the time taken."""

import argparse
import datetime as dt
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from guard.indicators import BY_CODE
from guard.services import guard_run_perform


class Command(BaseCommand):
    help = "网站检查：按政府网站检查指标检查全站（栏目更新、空白栏目、链接、用语、互动回应、办事指南、无障碍、网站标识），保存结果。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "report", "probe"],
                            help="run：检查一次并保存结果；report：生成月度报告（PDF、XLSX）并发送给网站管理员；"
                                 "probe：从服务器本机访问首页和重点地址一次，记录可用性")
        parser.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM-DD",
                            help="以这一天为“今天”判断栏目更新和留言期限（默认今天）")
        parser.add_argument("--external", action="store_true",
                            help="run：同时检查外部链接（每周一次即可；7天内检查过的不再访问）")
        parser.add_argument("--month", type=_month, default=None, metavar="YYYY-MM",
                            help="report：报告的月份（默认上个月）")
        parser.add_argument("--output", default=None, metavar="DIR",
                            help="report：PDF、XLSX 的保存目录（默认 GUARD_REPORT_DIR）")
        parser.add_argument("--base-url", default=None, metavar="URL",
                            help="probe：被探测的服务地址（默认 GUARD_PROBE_BASE_URL）")
        parser.add_argument("--timeout", type=float, default=10.0, metavar="秒", help="probe：每个地址的超时（默认10秒）")
        parser.add_argument("--no-mail", action="store_true", help="report：只生成文件，不发送邮件")

    def handle(self, *args, action, **options):
        if action == "probe":
            return self.probe(base_url=options["base_url"], timeout=options["timeout"])
        if action == "report":
            return self.report(month=options["month"] or _previous_month(), output=options["output"],
                               mail=not options["no_mail"])
        started, cpu = time.monotonic(), time.process_time()
        self.stdout.write("网站检查开始……")
        run = guard_run_perform(today=options["as_of"], external=options["external"], log=self.stdout.write)
        counts = Counter(run.findings.values_list("indicator", flat=True))
        for code, count in sorted(counts.items(), key=lambda item: (not BY_CODE[item[0]].veto, item[0])):
            indicator = BY_CODE[code]
            mark = "【单项否决】" if run.findings.filter(indicator=code, veto=True).exists() else ""
            self.stdout.write(f"  {indicator.group.value} · {indicator.name}{mark}：{count} 项")
        status = self.style.SUCCESS("未发现单项否决问题") if run.passed else self.style.ERROR(
            f"{run.veto_count} 项单项否决问题")
        self.stdout.write(f"共 {run.finding_count} 项问题，{status}；检查 {run.checked_pages} 个页面、"
                          f"{run.checked_links} 个站内地址。")
        # CPU time too: on a busy machine the wall time says more about the neighbours than about the run.
        self.stdout.write(f"用时 {time.monotonic() - started:.1f} 秒（CPU {time.process_time() - cpu:.1f} 秒；"
                          f"检查记录 #{run.pk}）")


    def report(self, *, month: dt.date, output: str | None, mail: bool) -> None:
        from pathlib import Path

        from django.conf import settings

        from guard import selectors
        from guard.report import report_pdf, report_xlsx, summary_lines
        from guard.services import guard_report_send

        report = selectors.report_month(month=month)
        if not report.run_count:
            raise CommandError(f"{report.label}没有网站检查记录，未生成报告。")
        recipients = guard_report_send(month=month)[1] if mail else []
        folder = Path(output) if output else Path(settings.GUARD_REPORT_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, data in (("pdf", report_pdf(report)), ("xlsx", report_xlsx(report))):
            path = folder / f"{report.filename}.{suffix}"
            path.write_bytes(data)
            self.stdout.write(f"已写入 {path}（{len(data):,} 字节）")
        for line in summary_lines(report):
            self.stdout.write(line)
        if mail:
            self.stdout.write(f"已发送给：{'、'.join(recipients)}" if recipients else
                              self.style.WARNING("没有收件人：请设置 GUARD_REPORT_EMAILS，或为网站管理员组的用户填写邮箱。"))


    def probe(self, *, base_url: str | None, timeout: float) -> None:
        from django.conf import settings

        from guard import selectors
        from guard.services import availability_probe_perform

        base_url = base_url or settings.GUARD_PROBE_BASE_URL
        results = availability_probe_perform(base_url=base_url, paths=selectors.probe_paths(), timeout=timeout)
        for result in results:
            state = self.style.SUCCESS("可用") if result.ok else self.style.ERROR(f"不可用（{result.error}）")
            self.stdout.write(f"  {result.url}：{result.status or '-'} {state}，{result.elapsed_ms} 毫秒，"
                              f"{result.size:,} 字节")
        failed = [result for result in results if not result.ok]
        if failed:
            # Non-zero exit: cron mails it, systemd marks the unit failed (OnFailure= can alert).
            raise CommandError(f"{len(failed)}/{len(results)} 个地址不可用")
        self.stdout.write(f"{len(results)} 个地址全部可用。")


def _previous_month() -> dt.date:
    from django.utils import timezone

    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"--month 应为 YYYY-MM 格式的月份，收到“{value}”") from None


def _as_of(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--as-of 应为 YYYY-MM-DD 格式的日期，收到“{value}”") from None
