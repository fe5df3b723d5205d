"""The 政务服务, 互动交流 and 依申请公开 front doors, and the hall's own pages placed behind them in the tree."""

import datetime as dt
import re

import feedparser
import pytest
from django.core.cache import cache

from portal.models import MainMenuItem, NavigationSettings
from services_hall.models import Letter, Rating, ServiceGuidePage
from services_hall.selectors import hall_figures
from services_hall.services import application_transition, letter_reply, letter_submit
from services_hall.workflow import Action
from tests.factories import InfoPageFactory, SectionPageFactory

from .factories import (
    DisclosureRequestPageFactory,
    InteractionPageFactory,
    ServiceGuidePageFactory,
    ServicesHallPageFactory,
    add_form_field,
    add_material,
)
from .test_services import at, submit

Audience = ServiceGuidePage.Audience


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


@pytest.fixture
def hall(home):
    return ServicesHallPageFactory(parent=home)


@pytest.fixture
def matters(hall):
    """Three matters: one for enterprises, one for persons, one for both, in two themes and two departments."""
    bookkeeping = ServiceGuidePageFactory(parent=hall, slug="bookkeeping", title="代理记账资格审批",
                                          audience=Audience.LEGAL_PERSON, theme="会计管理", department="会计司")
    add_material(bookkeeping, "代理记账资格申请表")
    add_material(bookkeeping, "营业执照")
    add_form_field(bookkeeping, "company_name", "机构名称")
    add_form_field(bookkeeping, "staff_count", "专职从业人员数", "number")
    add_form_field(bookkeeping, "scope", "业务范围", "dropdown", choices="代理记账\n代理记账及税务咨询", required=False)
    exam = ServiceGuidePageFactory(parent=hall, slug="exam", title="会计专业技术资格考试报名资格审核",
                                   audience=Audience.PERSONAL, theme="会计管理", department="会计司",
                                   online_filing_open=False)
    complaint = ServiceGuidePageFactory(parent=hall, slug="complaint", title="政府采购投诉处理",
                                        audience=Audience.BOTH, theme="政府采购", department="国库司")
    return bookkeeping, exam, complaint


@pytest.fixture
def interaction(home):
    return InteractionPageFactory(parent=home)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def section_of(html: str, heading: str) -> str:
    """The HTML from a heading to the next heading of the same level."""
    start = html.index(f">{heading}</h3>")
    end = html.find("</section>", start)
    return html[start:end]


# --- 政务服务 --------------------------------------------------------------------------------------------------


def test_the_hall_lists_its_matters_by_audience_theme_and_department(client, matters):
    html = text(client.get("/services/"))

    by_audience = section_of(html, "按服务对象")
    personal, legal = by_audience.split("法人办事")
    assert "会计专业技术资格考试报名资格审核" in personal and "政府采购投诉处理" in personal
    assert "代理记账资格审批" in legal and "政府采购投诉处理" in legal
    assert "代理记账资格审批" not in personal
    assert "会计管理 <span class=\"matter-group__count\">2 项" in section_of(html, "按主题")
    assert "国库司 <span class=\"matter-group__count\">1 项" in section_of(html, "按部门")


def test_a_matter_open_online_is_filed_straight_from_the_hall(client, matters):
    bookkeeping, exam, _ = matters
    html = text(client.get("/services/"))

    assert f'href="/hall/apply/{bookkeeping.pk}/"' in html
    assert f'href="/hall/apply/{exam.pk}/"' not in html  # 窗口办理 only


def test_searching_the_matters_narrows_the_list_and_says_what_was_found(client, matters):
    html = text(client.get("/services/", {"q": "采购"}))

    assert "“采购”：找到 1 个事项" in html
    assert "政府采购投诉处理" in html and "代理记账资格审批" not in html

    nothing = text(client.get("/services/", {"q": "不存在的事项"}))
    assert "找到 0 个事项" in nothing and "查看全部事项" in nothing


def test_the_hall_offers_its_four_entries(client, hall, interaction):
    hall.letters_page = interaction
    hall.save()
    html = text(client.get("/services/"))

    for label, href in (("办件查询", "/hall/inquiry/"), ("我的办件", "/hall/my/"), ("咨询投诉", "/interaction/"),
                        ("在线申报", "#matters-online")):
        assert re.search(rf'href="{re.escape(href)}">.*?{label}', html), label


def test_figures_count_this_years_filings_decisions_on_time_and_satisfaction(matters, applicant, intake):
    bookkeeping = matters[0]
    submit(bookkeeping, applicant, key="last-year", now=at(2025, 12, 30))
    on_time = submit(bookkeeping, applicant, key="on-time", now=at(2026, 3, 2))
    application_transition(application=on_time, action=Action.REJECT, actor=intake, comment="不属于本机关职权",
                           now=at(2026, 3, 3))
    late = submit(bookkeeping, applicant, key="late", now=at(2026, 3, 2))
    application_transition(application=late, action=Action.REJECT, actor=intake, comment="材料不符合要求",
                           now=at(2026, 6, 1))  # long after the 5-working-day intake limit
    submit(bookkeeping, applicant, key="open", now=at(2026, 6, 2))
    Rating.objects.create(application=on_time, level=Rating.Level.SATISFIED, created_at=at(2026, 3, 4))
    Rating.objects.create(application=late, level=Rating.Level.DISSATISFIED, created_at=at(2026, 6, 2))

    figures = hall_figures(today=dt.date(2026, 6, 30))

    assert figures.filed == 3  # the one filed in 2025 is not this year's
    assert (figures.decided, figures.decided_on_time, figures.on_time_rate) == (2, 1, 50.0)
    assert (figures.rated, figures.satisfaction_rate) == (2, 50.0)


def test_figures_before_anything_is_decided_show_a_dash_not_zero_per_cent(client, hall):
    html = text(client.get("/services/"))

    assert "按期办结率</span> <span class=\"data-card__value\">—" in html


def test_each_figure_links_to_its_definition_on_the_page(client, hall):
    html = text(client.get("/services/"))

    for anchor in ("definition-volume", "definition-on-time", "definition-satisfaction"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert hall.on_time_definition in html


# --- the hall's own pages, placed in the tree ---------------------------------------------------------------


def test_inquiry_sits_behind_the_hall_in_the_breadcrumb_and_the_menu(client, hall):
    navigation = NavigationSettings.for_site(hall.get_site())
    MainMenuItem.objects.create(settings=navigation, sort_order=0, link_page=hall)

    html = text(client.get("/hall/inquiry/"))

    crumbs = re.search(r'<nav class="breadcrumb" aria-label="当前位置">(.*?)</nav>', html).group(1)
    assert re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]+)", crumbs) == ["首页", "政务服务", "办件查询"]
    assert 'href="/services/" class="is-active" aria-current="page">政务服务' in html


def test_letters_sit_behind_the_interaction_door(client, hall, interaction):
    html = text(client.get("/hall/letters/write/"))

    crumbs = re.search(r'<nav class="breadcrumb" aria-label="当前位置">(.*?)</nav>', html).group(1)
    assert re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]+)", crumbs) == ["首页", "互动交流", "写信"]


# --- 互动交流 --------------------------------------------------------------------------------------------------


@pytest.fixture
def letters(db, intake):
    published = letter_submit(kind=Letter.Kind.COMPLAINT, subject="代理记账资格审批超过承诺时限", body="已超过5个工作日。",
                              name="王小明", phone="13900001111", consent_publish=True)
    letter_reply(letter=published, actor=intake, department="会计司", body="经核查，已于次日办结。")
    private = letter_submit(kind=Letter.Kind.CONSULTATION, subject="不愿公开的咨询", body="请回电。", name="李四",
                            phone="13900002222", consent_publish=False)
    letter_reply(letter=private, actor=intake, department="会计司", body="已电话答复。")
    return published, private


def test_interaction_offers_the_three_kinds_of_letter_and_the_statistics(client, interaction):
    html = text(client.get("/interaction/"))

    for kind, label in (("consultation", "写咨询"), ("suggestion", "写建议"), ("complaint", "写投诉")):
        assert re.search(rf'href="/hall/letters/write/\?kind={kind}">.*?{label}', html)
    assert 'href="/hall/letters/statistics/"' in html
    for place in ("征求意见", "网上调查", "在线访谈"):
        assert place in html


def test_interaction_shows_published_replies_only_and_this_years_figures(client, interaction, letters):
    html = text(client.get("/interaction/"))

    assert "代理记账资格审批超过承诺时限" in html
    assert "不愿公开的咨询" not in html
    assert "受理留言</span><span class=\"data-card__value\">2" in html


def test_a_write_link_arrives_with_its_kind_chosen(client, interaction):
    html = text(client.get("/hall/letters/write/", {"kind": "complaint"}))

    assert re.search(r'value="complaint"[^>]*checked', html)
    assert not re.search(r"checked", text(client.get("/hall/letters/write/", {"kind": "nonsense"})))


def test_published_letters_have_a_feed(client, letters):
    response = client.get("/hall/letters/feed/atom/")

    feed = feedparser.parse(response.content)
    assert response.status_code == 200
    assert [entry.title for entry in feed.entries] == ["[投诉] 代理记账资格审批超过承诺时限"]
    assert "王小明" not in response.content.decode()
    assert client.get("/hall/letters/feed/json/").status_code == 404


def test_published_letters_are_in_the_sitemap_and_private_ones_are_not(client, home, letters):
    published, private = letters

    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-letters.xml" in index
    listed = client.get("/sitemap-letters.xml").content.decode()
    assert f"/hall/letters/{published.tracking_number}/" in listed
    assert private.tracking_number not in listed


# --- 依申请公开 ------------------------------------------------------------------------------------------------


def test_disclosure_brings_the_guide_the_online_application_and_the_annual_reports_together(client, home, hall):
    disclosure = SectionPageFactory(parent=home, title="信息公开", slug="disclosure")
    reports = SectionPageFactory(parent=disclosure, title="年度报告", slug="annual-reports")
    InfoPageFactory(parent=reports, title="2025年政府信息公开工作年度报告")
    guide = ServiceGuidePageFactory(parent=hall, slug="xinxi-gongkai", title="政府信息公开申请")
    door = DisclosureRequestPageFactory(parent=disclosure, application_guide=guide, annual_reports=reports)
    InfoPageFactory(parent=door, title="政府信息公开申请指南")

    html = text(client.get("/disclosure/on-request/"))

    # The online application is the statutory form of the disclosure app, not the guide's generic filing.
    assert 'href="/hall/disclosure/apply/"' in html and "在线申请" in html
    assert f'href="/hall/apply/{guide.pk}/"' not in html
    assert "政府信息公开申请指南" in html
    assert "2025年政府信息公开工作年度报告" in html
