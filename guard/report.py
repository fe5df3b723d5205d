"""The monthly 网站检查 report: the month's last run in the indicator's structure (单项否决 first, then the scored
items, then each finding), written as a PDF (portal/pdf.py, CJK font embedded) and as an XLSX workbook.

`MonthlyReport` is plain data (guard/selectors.py builds it); the writers are pure functions of it."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from guard.indicators import INDICATORS, Indicator


@dataclass(frozen=True)
class ReportFinding:
    subject: str
    detail: str
    excerpt: str = ""


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    findings: tuple[ReportFinding, ...] = ()
    vetoed: bool = False

    @property
    def verdict(self) -> str:
        if not self.findings:
            return "合格"
        return "不合格（单项否决）" if self.vetoed else f"{len(self.findings)}项问题"


@dataclass(frozen=True)
class MonthlyReport:
    month: dt.date  # the first day of the month
    run_count: int
    last_run_at: dt.datetime | None
    finding_count: int
    veto_count: int
    results: tuple[IndicatorResult, ...] = ()
    availability: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, value) lines, if probed

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    @property
    def filename(self) -> str:
        return f"site-guard-{self.month:%Y-%m}"

    @property
    def passed(self) -> bool:
        return self.veto_count == 0

    @property
    def veto_results(self) -> list[IndicatorResult]:
        return [result for result in self.results if result.indicator.veto]

    @property
    def scored_results(self) -> list[IndicatorResult]:
        return [result for result in self.results if not result.indicator.veto]


def results_in_order(findings_by_code: dict[str, list[ReportFinding]],
                     vetoed_codes: set[str]) -> tuple[IndicatorResult, ...]:
    """Every indicator of the table, veto items first, each with its findings (none: 合格)."""
    ordered = sorted(INDICATORS, key=lambda indicator: not indicator.veto)
    return tuple(IndicatorResult(indicator, tuple(findings_by_code.get(indicator.code, ())),
                                 vetoed=indicator.code in vetoed_codes) for indicator in ordered)


def summary_lines(report: MonthlyReport) -> list[str]:
    from portal.formatting import cn_datetime

    if not report.run_count:
        return [f"{report.label}没有网站检查记录。"]
    status = "未发现单项否决问题" if report.passed else f"不合格：{report.veto_count}项单项否决问题"
    return [
        f"本月共检查{report.run_count}次，以最后一次（{cn_datetime(report.last_run_at)}）的结果为准。",
        f"总体状态：{status}；共发现{report.finding_count}项问题。",
        *(f"{label}：{value}" for label, value in report.availability),
    ]


def report_pdf(report: MonthlyReport) -> bytes:
    from portal import pdf as cjk

    title = f"网站内容检查月度报告（{report.label}）"
    document = cjk.cjk_document(title=title, author="金财门户", subject="政府网站与政务新媒体检查指标")
    document.add_page()
    cjk.heading(document, title)
    for line in summary_lines(report):
        cjk.paragraph(document, line)
    sections = (("一、单项否决指标", report.veto_results), ("二、扣分指标", report.scored_results))
    for name, results in sections:
        cjk.heading(document, name, size=14, align="L")
        cjk.table(document, [["指标分组", "指标", "标准", "结果"]] + [
            [r.indicator.group.value, r.indicator.name, r.indicator.threshold, r.verdict] for r in results
        ], widths=(28, 30, 72, 30), size=9)
    cjk.heading(document, "三、问题清单", size=14, align="L")
    listed = [result for result in report.results if result.findings]
    if not listed:
        cjk.paragraph(document, "未发现问题。")
    for result in listed:
        mark = "（单项否决）" if result.vetoed else ""
        cjk.paragraph(document, f"{result.indicator.name}{mark}：{len(result.findings)}项", indent=False)
        cjk.table(document, [["对象", "问题", "原文"]] + [
            [f.subject, f.detail, _short(f.excerpt)] for f in result.findings
        ], widths=(40, 60, 60), size=8)
    return cjk.to_bytes(document)


def report_xlsx(report: MonthlyReport) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "bg_color": "#EBEBEB", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    fail = book.add_format({"border": 1, "font_color": "#C00000", "bold": True, "valign": "top"})

    summary = book.add_worksheet("检查结果")
    summary.write(0, 0, f"网站内容检查月度报告（{report.label}）", bold)
    row = 1
    for line in summary_lines(report):
        summary.write(row, 0, line)
        row += 1
    for name, results in (("一、单项否决指标", report.veto_results), ("二、扣分指标", report.scored_results)):
        row += 1
        summary.write(row, 0, name, bold)
        row += 1
        summary.write_row(row, 0, ["指标分组", "指标", "标准", "结果", "问题数"], header)
        for result in results:
            row += 1
            summary.write_row(row, 0, [result.indicator.group.value, result.indicator.name,
                                       result.indicator.threshold], cell)
            summary.write(row, 3, result.verdict, fail if result.findings and result.vetoed else cell)
            summary.write_number(row, 4, len(result.findings), cell)
    summary.set_column(0, 0, 16)
    summary.set_column(1, 1, 20)
    summary.set_column(2, 2, 60)
    summary.set_column(3, 4, 16)

    details = book.add_worksheet("问题清单")
    details.write_row(0, 0, ["单项否决", "指标分组", "指标", "对象", "问题", "原文"], header)
    row = 0
    for result in report.results:
        for finding in result.findings:
            row += 1
            details.write_row(row, 0, ["是" if result.vetoed else "否", result.indicator.group.value,
                                       result.indicator.name, finding.subject, finding.detail, finding.excerpt], cell)
    details.set_column(0, 0, 8)
    details.set_column(1, 2, 16)
    details.set_column(3, 5, 40)
    details.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
