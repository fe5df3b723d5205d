"""依申请公开 in a browser: a citizen files online, staff extend once and answer 部分公开, the citizen downloads the
告知书 and reads it; the annual report reached from the navigation counts the same cases as the database."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from demo.services_hall import ensure_calendar_and_staff_groups
from disclosure.models import DisclosureReportPage, DisclosureRequest
from disclosure.rules import Outcome
from tests.factories import SectionPageFactory
from tests.services_hall.factories import ApplicantFactory, DisclosureRequestPageFactory, staff_user

from .test_services_hall import log_in_to_the_hall


@pytest.fixture
def door(transactional_db, home, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    ensure_calendar_and_staff_groups()
    disclosure = SectionPageFactory(parent=home, title="信息公开", slug="disclosure")
    reports = SectionPageFactory(parent=disclosure, title="年度报告", slug="annual-reports")
    return DisclosureRequestPageFactory(parent=disclosure, annual_reports=reports, title="依申请公开",
                                        slug="on-request")


def test_a_citizen_files_staff_extend_and_answer_partly_and_the_citizen_reads_the_notice(
    live_server, door, page, login, screenshot
):
    company = ApplicantFactory(name="福州海峡会计咨询有限公司")
    log_in_to_the_hall(page, live_server, company.user.username)

    page.goto(live_server.url + door.url)
    page.get_by_role("link", name="在线申请").click()
    expect(page.get_by_role("heading", name="政府信息公开申请", level=1)).to_be_visible()
    page.get_by_label("组织类型").select_option(label="商业企业")
    page.get_by_label("所需政府信息的名称、文号或特征性描述").fill("2025年本市政府采购代理机构监督检查结果")
    page.get_by_label("电子", exact=True).check()
    page.get_by_label("电子邮件", exact=True).check()
    screenshot(page, "disclosure-apply-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "disclosure-apply-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    case = DisclosureRequest.objects.get()
    expect(page.locator("main")).to_contain_text(case.tracking_number)

    # Staff: the queue, one extension with approval, then 部分公开.
    clerk = staff_user("受理员", "gongkai")
    desk = login(clerk)
    desk.get_by_role("link", name="依申请公开").first.click()
    desk.get_by_role("link", name=case.tracking_number).click()
    desk.get_by_label("延长工作日数（最长 20 个）").fill("20")
    desk.get_by_label("批准人（政府信息公开工作机构负责人）").fill("王主任")
    desk.get_by_label("延长理由（将告知申请人）").fill("所申请信息需调取档案核实。")
    desk.get_by_role("button", name="延长答复期限").click()
    expect(desk.locator(".sh-dl").first).to_contain_text("20 个工作日，经王主任同意")
    expect(desk.get_by_role("button", name="延长答复期限")).to_have_count(0)  # only once
    desk.get_by_label("办理结果").select_option(value=Outcome.PARTLY_DISCLOSED)
    desk.get_by_label("答复内容 / 理由").fill("检查结果中涉及第三方商业秘密的部分不予公开。")
    desk.get_by_role("button", name="作出答复").click()
    expect(desk.locator(".sh-dl").first).to_contain_text("部分公开")
    screenshot(desk, "disclosure-admin-answered")
    # The applicant asks for 行政复议: staff record it against the case; a bad date is refused with a message.
    desk.get_by_label("类型", exact=True).select_option(label="行政复议")
    desk.get_by_label("提起日期").fill("2000-01-01")
    desk.get_by_role("button", name="登记", exact=True).click()
    expect(desk.get_by_role("alert").filter(has_text="提起日期不能早于答复日期")).to_be_visible()
    desk.get_by_label("提起日期").fill(timezone.localdate().isoformat())
    desk.get_by_role("button", name="登记", exact=True).click()
    expect(desk.locator("tr[data-review]")).to_contain_text("尚未审结")
    screenshot(desk, "disclosure-admin-review")

    # The citizen: 我的办件 → the request → the 告知书.
    page.goto(live_server.url + "/hall/my/")
    expect(page.locator("[data-message]")).to_have_text("已答复（部分公开），可下载告知书")
    page.get_by_role("link", name="下载告知书").click()
    expect(page.locator("main")).to_contain_text("经政府信息公开工作机构负责人同意，答复期限延长20个工作日")
    screenshot(page, "disclosure-request-1280")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载告知书（PDF）").click()
    data = open(download.value.path(), "rb").read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "").replace("\n", "")
    assert "政府信息公开申请答复告知书" in text and "福州海峡会计咨询有限公司：" in text
    assert "答复期限延长20个工作日" in text and "能够作区分处理" in text
    assert "涉及第三方商业秘密的部分不予公开" in text and "行政复议" in text and "行政诉讼" in text


def test_the_annual_report_is_reached_from_the_navigation_and_its_totals_match_the_cases(
    live_server, door, page, screenshot
):
    from tests.disclosure.factories import DisclosureRequestFactory

    today = timezone.localdate()
    DisclosureRequestFactory(received_on=today.replace(month=1, day=5), answered_on=today.replace(month=1, day=20),
                             status="answered", outcome=Outcome.DISCLOSED)
    DisclosureRequestFactory(received_on=today.replace(month=1, day=6), applicant_kind="legal_service")
    call_command("disclosure_report", str(today.year))
    report = DisclosureReportPage.objects.get(year=today.year)

    page.goto(live_server.url + door.url)
    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_role("link", name=report.title).first.click()
    expect(page.get_by_role("heading", name="三、收到和处理政府信息公开申请情况")).to_be_visible()
    received = DisclosureRequest.objects.filter(received_on__year=today.year).count()
    expect(page.locator('tr[data-row="new"] td.total')).to_have_text(str(received))
    expect(page.locator('tr[data-row="answered_total"] td.total')).to_have_text("1")
    expect(page.locator('tr[data-row="carried_out"] td.total')).to_have_text("1")
    expect(page.locator('tr[data-row="行政许可"] td')).to_have_text("0")  # no licence decided in the hall
    expect(page.locator('tr[data-row="行政处罚"] td')).to_have_text("见下文说明")
    screenshot(page, "disclosure-report-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "disclosure-report-360")
