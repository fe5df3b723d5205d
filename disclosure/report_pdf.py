"""The annual report as a PDF (portal/pdf.py: embedded CJK font, extractable text)."""

from portal.pdf import cjk_document, heading, paragraph, table, to_bytes

from .report import NARRATIVE_NOTE, SECTIONS


def _paragraphs(pdf, text: str) -> None:
    for line in [line.strip() for line in (text or "").splitlines() if line.strip()] or ["无。"]:
        paragraph(pdf, line)


def report_pdf(page) -> bytes:
    tables = page.tables or {}
    pdf = cjk_document(title=page.title, subject=f"{page.year}年政府信息公开工作年度报告")
    pdf.add_page()
    heading(pdf, page.title)
    paragraph(pdf, SECTIONS[0], indent=False)
    _paragraphs(pdf, page.overview)
    paragraph(pdf, SECTIONS[1], indent=False)
    policies = tables.get("policies", [])
    table(pdf, [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]
          + [[row["label"], row["issued"], row["repealed"], row["in_force"]] for row in policies],
          widths=(60, 30, 30, 30))
    decisions = tables.get("decisions", [])
    if decisions:
        table(pdf, [["信息内容", "本年处理决定数量或收费金额"]]
              + [[f"{row['label']}（{row['basis']}）", row["value"] if row["computed"] else "见以下说明"]
                 for row in decisions], widths=(90, 60))
        paragraph(pdf, NARRATIVE_NOTE)
        _paragraphs(pdf, page.proactive_other)
    paragraph(pdf, SECTIONS[2], indent=False)
    columns = tables.get("columns", [])
    rows = [["申请人情况", *columns, "总计"]]
    for row in tables.get("applications", []):
        rows.append([row["label"], *(row["cells"] or [""] * len(columns)), "" if row["total"] is None else row["total"]])
    table(pdf, rows, widths=(54, *([14] * len(columns)), 14), size=7)
    paragraph(pdf, SECTIONS[3], indent=False)
    reviews = tables.get("reviews", {})
    headers = reviews.get("headers", [])
    table(pdf, [["", *headers],
                ["行政复议", *reviews.get("reconsideration", [])],
                ["行政诉讼（未经复议直接起诉）", *reviews.get("direct_litigation", [])],
                ["行政诉讼（复议后起诉）", *reviews.get("litigation_after_reconsideration", [])]],
          widths=(50, *([20] * len(headers))), size=8)
    paragraph(pdf, SECTIONS[4], indent=False)
    _paragraphs(pdf, page.problems)
    paragraph(pdf, SECTIONS[5], indent=False)
    _paragraphs(pdf, page.other_matters)
    return to_bytes(pdf)
