"""Services hall journeys: an enterprise from a service guide to its rated decision; staff working the queue in the
admin; a deadline across the 2025 National Day holiday that matches a count made here, by hand."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import expect

from services_hall import notifications
from demo.services_hall import build_service_guides, ensure_calendar_and_staff_groups
from services_hall.models import Application, Rating
from services_hall.services import application_submit, application_supplement, application_transition
from services_hall.workflow import Action, Status
from tests.factories import SectionPageFactory
from tests.services_hall.factories import ApplicantFactory, staff_user
from tests.services_hall.files import pdf_bytes, png_bytes, upload

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct-horse-battery"  # the factories' password
GOOD_USCC = "91350100M000100Y43"
BAD_USCC = "91350100M000100Y44"  # one character off: the check character no longer fits


@pytest.fixture
def hall(transactional_db, home, settings, tmp_path):
    """The 政务服务 column with the demo's guides; the holiday table and staff groups the flush removed; filed
    materials in a private folder of this test; SMS in memory."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SMS_BACKEND = "services_hall.notifications.LocmemSmsBackend"
    notifications.sms_outbox.clear()
    ensure_calendar_and_staff_groups()
    services = SectionPageFactory(parent=home, title="政务服务", slug="services")
    guides = {guide.slug: guide for guide in build_service_guides(parent=services)}
    return guides


@pytest.fixture
def bookkeeping(hall):
    """代理记账资格审批: four required materials, statutory 20 and promised 10 working days."""
    return hall["dailijizhang-zige"]


@pytest.fixture
def intake(hall):
    return staff_user("受理员", "shouli")


@pytest.fixture
def reviewer(hall):
    return staff_user("审核员", "shenhe")


@pytest.fixture
def files(tmp_path):
    """A real PDF and a real PNG on disk, for the browser's file inputs."""
    pdf = tmp_path / "代理记账资格申请表.pdf"
    pdf.write_bytes(pdf_bytes("application form"))
    png = tmp_path / "承诺书扫描件.png"
    png.write_bytes(png_bytes(64, 48))
    return {"pdf": str(pdf), "png": str(png)}


def form_data(applicant) -> dict:
    return {
        "company_name": applicant.name, "uscc": applicant.uscc, "address": "福州市鼓楼区示例路1号",
        "supervisor": "林芳", "supervisor_qualification": "会计师及以上专业技术职务资格", "staff_count": "4",
        "contact_name": "林芳", "contact_phone": "13800138000",
    }


def file_for(guide, applicant, *, key: str, submitted: dt.datetime) -> Application:
    """An application filed through the service, with a PDF for every required material."""
    materials = {m.pk: [upload(f"{m.pk}.pdf", pdf_bytes(m.name))] for m in guide.materials.filter(required=True)}
    return application_submit(applicant=applicant, service=guide, form_data=form_data(applicant),
                              materials=materials, idempotency_key=key, now=submitted)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def log_in_to_the_hall(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(live_server.url + "/hall/login/")
    page.get_by_label("统一社会信用代码 / 身份证号 / 邮箱").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", name="我的办件", level=1)).to_be_visible()


# ------------------------------------------------------------------------------------------------ the enterprise


def test_an_enterprise_reads_a_guide_registers_files_answers_a_correction_and_rates_the_decision(
    page, live_server, bookkeeping, intake, reviewer, files, screenshot
):
    # The guide tells what the matter needs and on what legal basis.
    page.goto(live_server.url + bookkeeping.url)
    expect(page.get_by_role("heading", name="代理记账资格审批", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="设定依据")).to_be_visible()
    expect(page.locator("main")).to_contain_text("《代理记账管理办法》")
    expect(page.locator("main")).to_contain_text("专职从业人员不少于3名")
    expect(page.locator(".service-guide__facts")).to_contain_text("10个工作日")
    expect(page.get_by_role("row", name=re.compile("代理记账业务内部规范"))).to_contain_text("必需")
    screenshot(page, "services-guide")

    # Filing needs an account: the applicant registers as an enterprise.
    page.get_by_role("link", name="在线申报").first.click()
    expect(page.get_by_role("heading", name="登录政务服务大厅")).to_be_visible()
    page.get_by_role("link", name="立即注册").click()
    page.get_by_role("link", name=re.compile("法人注册")).click()
    page.get_by_label("统一社会信用代码").fill(BAD_USCC)
    page.get_by_label("单位名称").fill("福州市鼓楼区金算盘代理记账有限公司")
    page.get_by_label("联系人").fill("林芳")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("电子邮箱").fill("linfang@example.com")
    page.locator("#id_password1").fill("Jincai-Hall-2026")
    page.locator("#id_password2").fill("Jincai-Hall-2026")
    page.get_by_role("button", name="注册").click()

    # A wrong check character is named beside the field, and what was typed is kept.
    expect(page.locator(".hall-field.has-error")).to_contain_text("统一社会信用代码校验位不正确")
    expect(page.get_by_label("单位名称")).to_have_value("福州市鼓楼区金算盘代理记账有限公司")
    assert mail.outbox == []

    page.get_by_label("统一社会信用代码").fill(GOOD_USCC)
    page.locator("#id_password1").fill("Jincai-Hall-2026")
    page.locator("#id_password2").fill("Jincai-Hall-2026")
    page.get_by_role("button", name="注册").click()
    expect(page.locator("main")).to_contain_text("l***@example.com")

    # The verification link arrives by email; opening it activates the account.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["linfang@example.com"]
    link = re.search(r"https?://\S+/hall/verify/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="邮箱验证成功")).to_be_visible()

    log_in_to_the_hall(page, live_server, GOOD_USCC, "Jincai-Hall-2026")

    # The online form: the guide's fields and one upload per material, a PDF and a PNG among them.
    page.goto(live_server.url + bookkeeping.url)
    page.get_by_role("link", name="在线申报").first.click()
    expect(page.get_by_role("heading", name="代理记账资格审批", level=1)).to_be_visible()
    page.get_by_label("机构名称").fill("福州市鼓楼区金算盘代理记账有限公司")
    page.get_by_label("统一社会信用代码").fill(GOOD_USCC)
    page.get_by_label("住所").fill("福州市鼓楼区五四路1号")
    page.get_by_label("主管代理记账业务的负责人").fill("林芳")
    page.get_by_label("负责人资格").select_option("会计师及以上专业技术职务资格")
    page.get_by_label("专职从业人员数").fill("4")
    page.get_by_label("联系人").fill("林芳")
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label("代理记账资格申请表").set_input_files(files["pdf"])
    page.get_by_label("主管代理记账业务负责人的书面承诺").set_input_files(files["png"])
    page.get_by_label("专职从业人员在本机构专职从业的书面承诺").set_input_files([files["pdf"], files["png"]])
    page.get_by_label("代理记账业务内部规范").set_input_files(files["pdf"])
    page.get_by_role("button", name="提交申报").click()

    expect(page.get_by_role("heading", name="申报成功")).to_be_visible()
    numbers = page.locator(".hall-numbers dd")
    tracking_number, query_code = numbers.nth(0).inner_text().strip(), numbers.nth(1).inner_text().strip()
    application = Application.objects.get(tracking_number=tracking_number)
    assert application.query_code == query_code
    assert sorted(m.content_type for m in application.materials.all()) == [
        "application/pdf", "application/pdf", "application/pdf", "image/png", "image/png"]
    screenshot(page, "services-filed")

    # Anyone with the two numbers can follow the progress, without logging in; a wrong pair learns nothing.
    inquiry = page.context.browser.new_page(locale="zh-CN")
    inquiry.goto(live_server.url + "/hall/inquiry/")
    inquiry.get_by_label("申报号").fill(tracking_number)
    inquiry.get_by_label("查询码").fill("ZZZZZZ")
    inquiry.get_by_role("button", name="查询").click()
    expect(inquiry.get_by_role("alert")).to_have_text("申报号或查询码不正确，请核对后重新输入。")
    inquiry.get_by_label("查询码").fill(query_code.lower())
    inquiry.get_by_role("button", name="查询").click()
    expect(inquiry.locator(".inquiry-result")).to_contain_text("当前状态：已提交")
    expect(inquiry.locator(".timeline")).to_contain_text("提交申请")
    expect(inquiry.locator(".inquiry-result")).not_to_contain_text("林芳")

    # The intake clerk asks once for everything missing.
    application_transition(application=application, action=Action.REQUEST_CORRECTION, actor=intake,
                           correction_items=["营业执照副本", "专职从业人员会计从业经历证明"],
                           comment="请补正以下材料。")

    # The applicant sees what is asked for under 我的办件 and answers it with material.
    page.goto(live_server.url + "/hall/my/")
    page.get_by_role("link", name="补正材料").click()
    correction = page.locator(".hall-correction")
    expect(correction).to_contain_text("营业执照副本")
    expect(correction).to_contain_text("专职从业人员会计从业经历证明")
    correction.get_by_label("营业执照副本").set_input_files(files["png"])
    correction.get_by_label("专职从业人员会计从业经历证明").set_input_files(files["pdf"])
    correction.get_by_role("button", name="提交补正材料").click()
    expect(page.get_by_role("status")).to_contain_text("补正材料已提交")
    expect(page.locator(".hall-application__status")).to_contain_text("审查中")
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    assert application.materials.filter(for_correction=True).count() == 2

    # Staff decide and conclude.
    application_transition(application=application, action=Action.APPROVE, actor=reviewer,
                           comment="符合《代理记账管理办法》规定的条件，准予许可。")
    application_transition(application=application, action=Action.CLOSE, actor=intake)

    # The applicant sees the decision and rates the service.
    page.reload()
    expect(page.locator(".hall-application__status")).to_contain_text("已办结")
    expect(page.locator(".timeline")).to_contain_text("准予许可")
    expect(page.locator(".timeline")).to_contain_text("符合《代理记账管理办法》规定的条件，准予许可。")
    rating = page.locator(".hall-rating")
    rating.get_by_label("满意", exact=True).check()
    rating.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("heading", name="我的评价")).to_be_visible()
    expect(page.locator("main")).to_contain_text("满意")
    assert Rating.objects.get(application=application).level == Rating.Level.SATISFIED

    inquiry.get_by_label("查询码").fill(query_code)
    inquiry.get_by_role("button", name="查询").click()
    expect(inquiry.locator(".inquiry-result")).to_contain_text("当前状态：已办结")
    inquiry.close()


# ------------------------------------------------------------------------------------------------ staff


@pytest.fixture
def queue(bookkeeping, intake):
    """A case accepted long ago and now overdue, and one filed today that waits for intake."""
    late = file_for(bookkeeping, ApplicantFactory(name="福州示例财务咨询有限公司"), key="late",
                    submitted=at(dt.date(2026, 9, 1)))
    application_transition(application=late, action=Action.ACCEPT, actor=intake, now=at(dt.date(2026, 9, 2)))
    fresh = file_for(bookkeeping, ApplicantFactory(name="福州示例代理记账有限公司"), key="fresh",
                     submitted=dt.datetime.now(SHANGHAI))
    return {"late": late, "fresh": fresh}


def test_staff_work_the_queue_overdue_first_accept_request_correction_and_approve_in_the_admin(
    live_server, queue, intake, reviewer, login, screenshot
):
    late, fresh = queue["late"], queue["fresh"]

    desk = login(intake)
    desk.get_by_role("link", name="办件管理").click()
    expect(desk.get_by_role("heading", name="办件管理")).to_be_visible()
    rows = desk.locator("table.listing tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(late.tracking_number)
    expect(rows.first).to_contain_text("已超期")
    expect(rows.nth(1)).to_contain_text(fresh.tracking_number)
    screenshot(desk, "services-queue")

    # Intake accepts the new case, then finds two things missing and asks for both at once.
    desk.get_by_role("link", name=fresh.tracking_number).click()
    expect(desk.locator(".sh-dl").first).to_contain_text("已提交")
    expect(desk.get_by_role("button", name="准予许可")).to_have_count(0)  # deciding is for 审核员
    desk.get_by_role("button", name="受理", exact=True).click()
    expect(desk.locator(".sh-dl").first).to_contain_text("已受理")
    expect(desk.locator(".sh-dl").first).to_contain_text("承诺办结期限")

    desk.get_by_label("需补正的材料（每行一项，须一次性列全）").fill("营业执照副本\n办公场所租赁合同")
    desk.get_by_label("补正说明").fill("请一次性补正以下材料。")
    desk.get_by_role("button", name="要求补正").click()
    expect(desk.locator(".sh-dl").first).to_contain_text("补正中")
    expect(desk.locator(".sh-dl").first).to_contain_text("营业执照副本；办公场所租赁合同")
    expect(desk.get_by_role("button", name="要求补正")).to_have_count(0)  # only once

    # The applicant answers with both items.
    fresh.refresh_from_db()
    application_supplement(application=fresh, actor=fresh.applicant.user, materials={
        "营业执照副本": [upload("营业执照.png", png_bytes())],
        "办公场所租赁合同": [upload("租赁合同.pdf", pdf_bytes("lease"))],
    })
    desk.reload()
    expect(desk.locator(".sh-dl").first).to_contain_text("审查中")
    expect(desk.locator("section[aria-labelledby=materials-title]")).to_contain_text("补正材料")
    expect(desk.get_by_role("button", name="准予许可")).to_have_count(0)

    # The reviewer decides in the admin.
    review = login(reviewer)
    review.get_by_role("link", name="办件管理").click()
    review.get_by_role("link", name=fresh.tracking_number).click()
    review.get_by_label("办理意见").last.fill("材料齐全，符合《代理记账管理办法》规定的条件。")
    review.get_by_role("button", name="准予许可").click()
    expect(review.locator(".sh-dl").first).to_contain_text("准予许可")

    # The history shows each step, who took it and why.
    history = review.locator("section[aria-labelledby=history-title] tbody tr")
    expect(history).to_have_count(5)
    for row, (action, role, change) in enumerate([
        ("提交申请", "申请人", "草稿 → 已提交"),
        ("受理", "受理员", "已提交 → 已受理"),
        ("要求补正", "受理员", "已受理 → 补正中"),
        ("提交补正材料", "申请人", "补正中 → 审查中"),
        ("准予许可", "审核员", "审查中 → 准予许可"),
    ]):
        expect(history.nth(row)).to_contain_text(action)
        expect(history.nth(row)).to_contain_text(role)
        expect(history.nth(row)).to_contain_text(change)
    expect(history.nth(2)).to_contain_text("请一次性补正以下材料。")
    expect(history.nth(4)).to_contain_text("材料齐全，符合《代理记账管理办法》规定的条件。")
    # The admin scrolls inside its own panel, so a full-page shot needs a window as tall as the case.
    review.set_viewport_size({"width": 1280, "height": 2300})
    screenshot(review, "services-case")

    fresh.refresh_from_db()
    assert fresh.status == Status.APPROVED
    assert list(fresh.events.values_list("actor_id", flat=True)) == [
        fresh.applicant.user_id, intake.pk, intake.pk, fresh.applicant.user_id, reviewer.pk]


# ------------------------------------------------------------------------------------------------ the deadline

# The State Council's 2025 schedule, written out here rather than read from the application's holiday table.
HOLIDAYS_2025 = (
    [dt.date(2025, 1, 1)]
    + [dt.date(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)]  # 春节 1月28日—2月4日
    + [dt.date(2025, 4, 4), dt.date(2025, 4, 5), dt.date(2025, 4, 6)]  # 清明节
    + [dt.date(2025, 5, 1) + dt.timedelta(days=i) for i in range(5)]  # 劳动节
    + [dt.date(2025, 5, 31), dt.date(2025, 6, 1), dt.date(2025, 6, 2)]  # 端午节
    + [dt.date(2025, 10, 1) + dt.timedelta(days=i) for i in range(8)]  # 国庆节、中秋节 10月1日—8日
)
MAKEUP_WORKDAYS_2025 = [dt.date(2025, 1, 26), dt.date(2025, 2, 8), dt.date(2025, 4, 27), dt.date(2025, 9, 28),
                        dt.date(2025, 10, 11)]


def nth_working_day_after(start: dt.date, n: int) -> dt.date:
    """Counted by hand: weekdays that are not holidays, plus make-up Saturdays and Sundays."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        if day in MAKEUP_WORKDAYS_2025 or (day.weekday() < 5 and day not in HOLIDAYS_2025):
            n -= 1
    return day


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_a_case_accepted_before_national_day_is_due_on_the_same_day_for_staff_and_applicant(
    page, live_server, bookkeeping, intake, login
):
    promised = nth_working_day_after(dt.date(2025, 9, 30), 10)
    statutory = nth_working_day_after(dt.date(2025, 9, 30), 20)
    # Eight days off, then the make-up Saturday: the promise ends three weeks after acceptance, not two.
    assert promised == dt.date(2025, 10, 21) and statutory == dt.date(2025, 11, 4)

    applicant = ApplicantFactory()
    application = file_for(bookkeeping, applicant, key="holiday", submitted=at(dt.date(2025, 9, 29)))
    application_transition(application=application, action=Action.ACCEPT, actor=intake,
                           now=at(dt.date(2025, 9, 30), 16))

    desk = login(intake)
    desk.goto(f"{live_server.url}/admin/services-hall/applications/{application.pk}/")
    summary = desk.locator(".sh-dl").first
    expect(summary).to_contain_text(re.compile(rf"承诺办结期限\s*{chinese_date(promised)}"))
    expect(summary).to_contain_text(re.compile(rf"法定办结期限\s*{chinese_date(statutory)}"))
    desk.goto(f"{live_server.url}/admin/services-hall/applications/")
    expect(desk.get_by_role("row", name=re.compile(application.tracking_number))).to_contain_text(
        chinese_date(promised))

    log_in_to_the_hall(page, live_server, applicant.user.username)
    expect(page.get_by_role("row", name=re.compile(application.tracking_number))).to_contain_text(
        chinese_date(promised))
    page.get_by_role("link", name=application.tracking_number).click()
    expect(page.get_by_role("row", name=re.compile("^承诺办结期限"))).to_contain_text(chinese_date(promised))
    expect(page.get_by_role("row", name=re.compile("^法定办结期限"))).to_contain_text(chinese_date(statutory))
