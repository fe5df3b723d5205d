"""The demo's 依申请公开: a year of requests, and last year's report whose totals are those of the cases."""

import datetime as dt

from demo.disclosure import build_disclosure_demo
from disclosure.models import DisclosureReportPage, DisclosureRequest
from tests.factories import SectionPageFactory
from tests.services_hall.factories import DisclosureRequestPageFactory

AS_OF = dt.date(2026, 3, 16)


def test_the_demo_fills_a_year_and_reports_it_and_loading_again_changes_nothing(home):
    disclosure = SectionPageFactory(parent=home, title="信息公开", slug="disclosure")
    reports = SectionPageFactory(parent=disclosure, title="年度报告", slug="annual-reports")
    DisclosureRequestPageFactory(parent=disclosure, annual_reports=reports)

    build_disclosure_demo(today=AS_OF, log=lambda line: None)
    first = sorted(DisclosureRequest.objects.values_list("tracking_number", "outcome"))
    build_disclosure_demo(today=AS_OF, log=lambda line: None)
    assert sorted(DisclosureRequest.objects.values_list("tracking_number", "outcome")) == first

    report = DisclosureReportPage.objects.get(year=2025)
    assert report.live
    rows = {row["key"]: row for row in report.tables["applications"]}
    received_2025 = DisclosureRequest.objects.filter(received_on__year=2025).count()
    assert rows["new"]["total"] == received_2025 > 100  # a realistic year: a few hundred at most
    assert rows["answered_total"]["total"] == DisclosureRequest.objects.filter(answered_on__year=2025).count()
    assert rows["new"]["cells"][0] > rows["new"]["total"] // 2  # mostly 自然人
    assert rows["disclosed"]["total"] > 0 and rows["unavailable_not_held"]["total"] > 0
    assert DisclosureRequest.objects.filter(received_on__year=2026, answered_on=None).exists()


def test_the_demo_enterprise_finds_its_own_requests_in_three_states(home, settings, tmp_path):
    from demo.services_hall import build_services_demo
    from disclosure.rules import Status

    settings.VAR_DIR = tmp_path / "var"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    services = SectionPageFactory(parent=home, title="政务服务", slug="services")
    build_services_demo(parent=services, today=AS_OF)
    build_disclosure_demo(today=AS_OF, log=lambda line: None)
    mine = DisclosureRequest.objects.exclude(account=None).order_by("received_on")
    assert [case.status for case in mine] == [Status.ANSWERED, Status.RECEIVED, Status.CORRECTION]
    assert mine[0].notice_file and mine[1].extension_days == 20
