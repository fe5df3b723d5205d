"""Browser journeys of 公众参与: a consultation takes a comment, closes and publishes its 意见采纳情况; a survey takes
answers and shows its results; a live interview shows new turns without reloading. Screenshots at 1280 and 360 px."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from participation import services
from participation.models import ConsultationComment, ConsultationPage, SurveyPage, SurveyResponse
from participation.rules import Speaker
from tests.e2e.conftest import leave
from tests.factories import UserFactory
from tests.participation.factories import (
    ConsultationIndexPageFactory, ConsultationPageFactory, InterviewIndexPageFactory, InterviewPageFactory,
    SurveyIndexPageFactory, SurveyPageFactory, add_guest, add_turn, days,
)
from tests.services_hall.factories import InteractionPageFactory


def _both_widths(page, screenshot, name: str) -> None:
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 360, "height": 780})
    screenshot(page, f"{name}-360")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 362, f"{name} scrolls sideways at 360 px ({width} px)"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_consultation_takes_a_comment_closes_and_publishes_its_feedback(page, live_server, transactional_db, home,
                                                                          login, screenshot):
    interaction = InteractionPageFactory(parent=home)
    consultation = ConsultationPageFactory(parent=ConsultationIndexPageFactory(parent=interaction),
                                           closes_at=days(6) + dt.timedelta(hours=2))
    SurveyPageFactory(parent=SurveyIndexPageFactory(parent=interaction), title="财政信息公开满意度调查")
    interviews = InterviewIndexPageFactory(parent=interaction)
    InterviewPageFactory(parent=interviews, title="减税降费政策落实情况在线访谈")
    InterviewPageFactory(parent=interviews, title="预算公开在线访谈（预告）", starts_at=days(3), ends_at=days(3.1))

    # A citizen finds it from 互动交流 and comments.
    page.goto(live_server.url + interaction.url)
    expect(page.locator(".pt-panel")).to_contain_text("还剩 6天")
    _both_widths(page, screenshot, "participation-front-door")
    page.get_by_role("link", name=consultation.title).click()
    expect(page.locator(".pt-countdown")).to_contain_text("6天")
    page.get_by_label("意见内容").fill("建议明确需求调查的金额标准。")
    page.get_by_label("姓名或单位（选填）").fill("李工程师")
    page.get_by_role("button", name="提交意见").click()
    expect(page.locator(".pt-success")).to_contain_text("审核后显示")
    expect(page.locator(".pt-comments")).to_have_count(0)
    _both_widths(page, screenshot, "participation-consultation")

    # Staff approve it and record that it was adopted.
    comment = ConsultationComment.objects.get()
    staff = login(UserFactory(is_superuser=True, is_staff=True))
    staff.goto(live_server.url + f"/admin/participation_comments/edit/{comment.pk}/")
    staff.get_by_label("审核").select_option("approved")
    staff.get_by_label("采纳情况").select_option("adopted")
    staff.get_by_label("意见类别").fill("适用范围")
    staff.get_by_label("采纳或不采纳的理由").fill("已在第十一条明确金额标准。")
    staff.get_by_role("button", name=re.compile("保存")).click()
    page.reload()
    expect(page.locator(".pt-comments")).to_contain_text("建议明确需求调查的金额标准。")

    # The period ends: the form is gone, a late comment is refused politely.
    ConsultationPage.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    page.reload()
    expect(page.locator(".pt-closed")).to_contain_text("不再接收意见")
    expect(page.get_by_role("button", name="提交意见")).to_have_count(0)

    # Staff publish the 意见采纳情况; the consultation links to it.
    staff.goto(live_server.url + f"/admin/participation/feedback/{consultation.pk}/")
    staff.get_by_label("采纳情况说明").fill("共收到意见1条，已采纳1条。")
    staff.get_by_role("button", name="发布意见采纳情况").click()
    expect(staff.locator("body")).to_contain_text("已发布的意见采纳情况")
    page.reload()
    page.get_by_role("link", name="意见采纳情况").first.click()
    expect(page.locator("h1")).to_contain_text("征求意见采纳情况的说明")
    expect(page.locator(".pt-figures")).to_contain_text("采纳")
    expect(page.locator(".pt-table")).to_contain_text("已在第十一条明确金额标准。")
    _both_widths(page, screenshot, "participation-feedback")


def test_a_survey_takes_answers_and_shows_results(page, browser, live_server, transactional_db, home, screenshot):
    interaction = InteractionPageFactory(parent=home)
    survey = SurveyPageFactory(parent=SurveyIndexPageFactory(parent=interaction),
                               results_visibility=SurveyPage.Results.LIVE)

    page.goto(live_server.url + survey.url)
    page.get_by_label("门户网站").check()
    page.get_by_label("预算决算").check()
    page.get_by_label("惠企政策").check()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("您的其他建议").fill("希望多发布图解。")
    page.get_by_role("button", name="提交答卷").click()
    expect(page.locator(".pt-success")).to_contain_text("您已参与本次调查")
    expect(page.get_by_role("button", name="提交答卷")).to_have_count(0)
    page.go_back()  # the browser's back button and a second submit: still one answer
    if page.get_by_role("button", name="提交答卷").count():
        page.get_by_label("门户网站").check()
        page.get_by_label("预算决算").check()
        page.get_by_label("4", exact=True).check()
        page.get_by_role("button", name="提交答卷").click()
    assert SurveyResponse.objects.count() == 1

    other = browser.new_context(locale="zh-CN").new_page()  # another person
    other.goto(live_server.url + survey.url)
    other.get_by_label("报纸电视").check()
    other.get_by_label("政府采购").check()
    other.get_by_label("5", exact=True).check()
    other.get_by_role("button", name="提交答卷").click()
    expect(other.locator(".pt-success")).to_be_visible()
    leave(other.context)

    page.goto(live_server.url + survey.url)
    results = page.locator(".pt-results")
    expect(results).to_contain_text("共收到答卷 2 份")
    expect(results).to_contain_text("1 人（50.0%）")
    expect(results.locator("svg").first).to_be_visible()
    _both_widths(page, screenshot, "participation-survey")


def test_a_live_interview_shows_new_turns_without_reloading(page, live_server, transactional_db, home, screenshot):
    interaction = InteractionPageFactory(parent=home)
    interview = InterviewPageFactory(parent=InterviewIndexPageFactory(parent=interaction), starts_at=days(-0.01),
                                     ends_at=days(0.1))
    guest = add_guest(interview)
    add_turn(interview, "各位网友大家好，访谈现在开始。")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(live_server.url + interview.url)
    expect(page.locator(".pt-turns")).to_contain_text("访谈现在开始")
    services.turn_add(interview=interview, actor=None, speaker=Speaker.GUEST, guest=guest,
                      text="今年的留抵退税已惠及两千多户企业。")
    expect(page.locator(".pt-turns")).to_contain_text("留抵退税已惠及", timeout=25_000)
    assert not errors, errors  # no CSP violation, no script error
    _both_widths(page, screenshot, "participation-interview")
