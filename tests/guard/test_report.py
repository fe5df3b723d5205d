"""The monthly report: PDF and XLSX in the indicator's structure (单项否决 first), mailed to the site managers and
downloadable from the dashboard."""

import datetime as dt
import io

import openpyxl
import pypdf
import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from guard.models import Finding, GuardRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(2, 0)))


@pytest.fixture
def november(home):
    """Two runs in November 2026; the last one found an empty column (a veto) and a 错别字."""
    GuardRun.objects.create(started_at=at(dt.date(2026, 11, 2)), finished_at=at(dt.date(2026, 11, 2)),
                            finding_count=9, veto_count=0)
    last = GuardRun.objects.create(started_at=at(dt.date(2026, 11, 30)), finished_at=at(dt.date(2026, 11, 30)),
                                   finding_count=2, veto_count=1)
    Finding.objects.create(run=last, indicator="wording_typo", subject="全国财政工作会议召开",
                           detail="“截止目前”应为“截至目前”", excerpt="截止目前，各地已完成部署。")
    Finding.objects.create(run=last, indicator="columns_empty", veto=True, subject="人事信息",
                           detail="栏目下没有已发布的信息")
    GuardRun.objects.create(started_at=at(dt.date(2026, 12, 1)), finished_at=at(dt.date(2026, 12, 1)))
    return last


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_report_command_writes_pdf_and_xlsx_and_mails_the_site_managers(november, tmp_path, mailoutbox):
    manager = UserFactory(email="guanli@example.gov.cn")
    manager.groups.add(Group.objects.get(name="Moderators"))
    UserFactory(email="other@example.gov.cn")  # not a manager
    out = io.StringIO()

    call_command("site_guard", "report", "--month", "2026-11", "--output", str(tmp_path), stdout=out)

    text = pdf_text((tmp_path / "site-guard-2026-11.pdf").read_bytes())
    assert "网站内容检查月度报告（2026年11月）" in text
    assert text.index("单项否决指标") < text.index("扣分指标") < text.index("问题清单")
    assert "本月共检查2次" in text and "不合格：1项单项否决问题" in text
    assert "人事信息" in text and "截止目前，各地已完成部署。" in text

    book = openpyxl.load_workbook(tmp_path / "site-guard-2026-11.xlsx")
    rows = [[cell for cell in row if cell is not None] for row in book["检查结果"].iter_rows(values_only=True)]
    names = [row[1] for row in rows if len(row) >= 4 and row[0] != "指标分组"]
    assert names.index("空白栏目") < names.index("错别字")  # veto items first
    assert ["信息更新情况", "空白栏目"] == rows[[r[1] if len(r) > 1 else "" for r in rows].index("空白栏目")][:2]
    assert any(row[:2] == ["信息更新情况", "空白栏目"] and "不合格（单项否决）" in row for row in rows)
    details = list(book["问题清单"].iter_rows(values_only=True))
    assert details[0][:3] == ("单项否决", "指标分组", "指标") and len(details) == 3

    [mail] = mailoutbox
    assert mail.to == ["guanli@example.gov.cn"] and mail.subject == "网站内容检查月度报告（2026年11月）"
    assert [name for name, _data, _type in mail.attachments] == ["site-guard-2026-11.pdf", "site-guard-2026-11.xlsx"]
    assert "已发送给：guanli@example.gov.cn" in out.getvalue()


def test_report_for_a_month_without_runs_says_so(home, tmp_path, mailoutbox):
    with pytest.raises(CommandError, match="2026年10月没有网站检查记录"):
        call_command("site_guard", "report", "--month", "2026-10", "--output", str(tmp_path))
    assert mailoutbox == []


def test_report_month_must_be_a_month(home):
    with pytest.raises(CommandError, match="--month 应为 YYYY-MM 格式的月份"):
        call_command("site_guard", "report", "--month", "2026-13")


def test_dashboard_offers_the_reports_to_download(client, november):
    chief = UserFactory(is_staff=True)
    chief.groups.add(Group.objects.get(name="终审"))
    client.force_login(chief)

    dashboard = client.get("/admin/site-guard/").content.decode()
    assert "2026年11月" in dashboard and 'href="/admin/site-guard/report/2026-11.pdf"' in dashboard

    pdf = client.get("/admin/site-guard/report/2026-11.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "网站内容检查月度报告（2026年11月）" in pdf_text(pdf.content)
    xlsx = client.get("/admin/site-guard/report/2026-11.xlsx")
    assert xlsx.status_code == 200 and 'filename="site-guard-2026-11.xlsx"' in xlsx["Content-Disposition"]
    missing = client.get("/admin/site-guard/report/2026-10.pdf")
    assert missing.status_code == 404 and "2026年10月没有网站检查记录" in missing.content.decode()
    assert client.get("/admin/site-guard/report/2026-1x.pdf").status_code == 400


def test_report_download_is_refused_without_the_permission(client, november):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/site-guard/report/2026-11.pdf").status_code in (302, 403)
