"""The annual report built from the cases, published in the 年度报告 column, downloadable as PDF."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from disclosure.models import DisclosureReportPage
from disclosure.rules import ApplicantKind, Outcome, Status
from tests.factories import SectionPageFactory
from tests.services_hall.factories import DisclosureRequestPageFactory

from .factories import DisclosureRequestFactory
from .test_services import pdf_text


@pytest.fixture
def reports_column(home):
    disclosure = SectionPageFactory(parent=home, title="信息公开", slug="disclosure")
    reports = SectionPageFactory(parent=disclosure, title="年度报告", slug="annual-reports")
    DisclosureRequestPageFactory(parent=disclosure, annual_reports=reports)
    return reports


def test_the_command_publishes_the_report_whose_totals_match_the_cases(client, reports_column, capsys):
    answered = dict(status=Status.ANSWERED, outcome=Outcome.PARTLY_DISCLOSED)
    DisclosureRequestFactory(received_on=dt.date(2024, 12, 30))  # carried in, still open: carried out
    DisclosureRequestFactory(received_on=dt.date(2025, 3, 3), answered_on=dt.date(2025, 3, 20), **answered)
    DisclosureRequestFactory(received_on=dt.date(2025, 5, 6), answered_on=dt.date(2025, 5, 8),
                             applicant_kind=ApplicantKind.LEGAL_SERVICE, status=Status.ANSWERED,
                             outcome=Outcome.WITHHELD_STATE_SECRET)
    DisclosureRequestFactory(received_on=dt.date(2026, 1, 5))  # next year's: not counted

    call_command("disclosure_report", "2025")
    assert "新收 2 件，上年结转 1 件，办结 2 件，结转下年度 1 件" in capsys.readouterr().out

    page = DisclosureReportPage.objects.get(year=2025)
    assert page.live and page.get_parent().pk == reports_column.pk
    html = client.get(page.url).text
    assert "三、收到和处理政府信息公开申请情况" in html and "1.属于国家秘密" in html
    assert "六、其他需要报告的事项" in html and "本年度未收取政府信息公开信息处理费" in html
    pdf = client.get(page.url + "pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "收到和处理政府信息公开申请情况" in text and "法律服务机构" in text


def test_rebuilding_keeps_what_editors_wrote_and_refreshes_the_tables(reports_column):
    call_command("disclosure_report", "2025")
    page = DisclosureReportPage.objects.get(year=2025)
    page.problems = "依申请公开答复文书仍需规范。"
    page.save_revision().publish()
    DisclosureRequestFactory(received_on=dt.date(2025, 6, 2))
    call_command("disclosure_report", "2025")
    page.refresh_from_db()
    assert page.problems == "依申请公开答复文书仍需规范。"
    assert {row["key"]: row["total"] for row in page.tables["applications"]}["new"] == 1


def test_a_year_out_of_range_or_no_column_is_a_clear_error(db):
    with pytest.raises(CommandError, match="年度应在2008年"):
        call_command("disclosure_report", "1999")
    with pytest.raises(CommandError, match="没有找到“年度报告”栏目"):
        call_command("disclosure_report", "2025")


def test_the_admin_button_builds_the_report_and_opens_it_for_the_narrative(client, reports_column, clerk):
    client.force_login(clerk)
    assert not DisclosureReportPage.objects.exists()
    response = client.post("/admin/disclosure/report/", {"year": "2025"})
    page = DisclosureReportPage.objects.get(year=2025)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    # A clerk without publishing rights leaves a draft for the editors.
    assert not page.live and page.get_latest_revision().content["tables"]["year"] == 2025


def test_a_superuser_building_from_the_admin_publishes_and_edits_the_narrative(client, reports_column):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, username="chief")
    client.force_login(admin)
    response = client.post("/admin/disclosure/report/", {"year": "2025"})
    page = DisclosureReportPage.objects.get(year=2025)
    assert page.live
    editor = client.get(response["Location"]).text
    assert "一、总体情况" in editor and "不能手工修改" in editor


def test_the_published_report_is_in_the_sitemap_and_the_search(client, reports_column):
    call_command("disclosure_report", "2025")
    page = DisclosureReportPage.objects.get(year=2025)
    assert page.url in client.get("/sitemap-pages.xml").text
    # The publish hooks index after commit, which a test transaction never reaches: rebuild as the search tests do.
    from search.backends import database_backend
    from search.indexing import rebuild

    rebuild(backends=[database_backend()])
    found = client.get("/search/", {"q": "政府信息公开工作年度报告"}).text
    assert page.url in found  # the title comes back with the query words marked


def _decided(guide, applicant, n, action, when):
    from services_hall.models import Application, ApplicationEvent

    application = Application.objects.create(
        service=guide, applicant=applicant, tracking_number=f"SB2025{n:06d}", query_code="ABC234",
        idempotency_key=f"k{n}", statutory_days=20, promised_days=10, status=action,
    )
    ApplicationEvent.objects.create(application=application, action=action, from_status="under_review",
                                    to_status=action == "approve" and "approved" or "denied", actor_name="审核员",
                                    actor_role="reviewer", created_at=when)


def test_the_proactive_tables_count_policies_by_kind_and_the_halls_licence_decisions(client, home, reports_column):
    from django.utils import timezone

    from services_hall.models import ServiceGuidePage
    from tests.content.factories import PolicyPageFactory
    from tests.services_hall.factories import ApplicantFactory, ServiceGuidePageFactory

    PolicyPageFactory(parent=home, kind="regulation", document_number="财政部令第112号", written_date=dt.date(2025, 3, 1))
    PolicyPageFactory(parent=home, kind="normative", written_date=dt.date(2025, 4, 1))
    PolicyPageFactory(parent=home, kind="normative", written_date=dt.date(2021, 4, 1), validity="repealed",
                      validity_changed_on=dt.date(2025, 8, 1))
    PolicyPageFactory(parent=home, kind="law", written_date=dt.date(2025, 5, 1))  # not the office's: not counted
    licence = ServiceGuidePageFactory(parent=home, slug="licence")
    service = ServiceGuidePageFactory(parent=home, slug="service", service_type=ServiceGuidePage.ServiceType.OTHER)
    applicant = ApplicantFactory()
    zone = timezone.get_default_timezone()
    _decided(licence, applicant, 1, "approve", dt.datetime(2025, 6, 1, 10, tzinfo=zone))
    _decided(licence, applicant, 2, "deny", dt.datetime(2025, 12, 31, 23, 30, tzinfo=zone))  # Beijing time
    _decided(licence, applicant, 3, "approve", dt.datetime(2026, 1, 1, 0, 30, tzinfo=zone))  # next year
    _decided(service, applicant, 4, "approve", dt.datetime(2025, 6, 1, 10, tzinfo=zone))  # not a licence

    call_command("disclosure_report", "2025")
    page = DisclosureReportPage.objects.get(year=2025)
    page.proactive_other = "本年作出行政处罚决定3件，罚没金额12.5万元。"
    page.save_revision().publish()
    rows = {row["key"]: row for row in page.tables["policies"]}
    assert (rows["regulation"]["issued"], rows["regulation"]["in_force"]) == (1, 1)
    assert (rows["normative"]["issued"], rows["normative"]["repealed"], rows["normative"]["in_force"]) == (1, 1, 1)
    html = client.get(page.url).text
    assert '<tr data-row="行政许可"><th scope="row">行政许可</th><td>2</td>' in html
    assert "第二十条第（六）项" in html and "见下文说明" in html and "罚没金额12.5万元" in html
    text = pdf_text(client.get(page.url + "pdf/").content)
    assert "行政许可" in text and "罚没金额12.5万元" in text
