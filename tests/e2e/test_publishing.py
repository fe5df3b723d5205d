"""Publishing journeys: an editor's article through the three reviews to its column and feed; a citizen
following a repealed policy to its replacement and its interpretation."""

import datetime as dt
import re

import feedparser
import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect
from wagtail.models import GroupPagePermission

from content.review_chain import REVIEW_STEPS, WORKFLOW_NAME, ensure_review_chain
from tests.content.factories import InterpretationPageFactory, PolicyPageFactory
from tests.factories import SectionPageFactory, UserFactory

TITLE = "财政部发布2026年前三季度财政收支情况"
SUMMARY = "前三季度全国一般公共预算收入同比增长，重点领域支出得到有力保障。"


@pytest.fixture
def newsroom(transactional_db, home):
    """The news column, an editor who may add and change pages in it, and one reviewer per review step."""
    # The flush after each transactional test removes what the migration made, so the chain is made here.
    ensure_review_chain()
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")
    editors = Group.objects.create(name="新闻编辑")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in ("add_page", "change_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.create(group=editors, page=news, permission=permission)
    editor = UserFactory(username="xinwen_bianji")
    editor.groups.add(editors)
    reviewers = []
    for step in REVIEW_STEPS:
        reviewer = UserFactory()
        reviewer.groups.add(Group.objects.get(name=step))
        reviewers.append((step, reviewer))
    return news, editor, reviewers


def test_editor_article_passes_three_reviews_then_appears_in_column_and_feed(
    page, live_server, newsroom, login, screenshot
):
    news, editor, reviewers = newsroom
    visitor = page  # anonymous

    # The editor drafts a 财政新闻 in the news column and submits it to the review chain.
    desk = login(editor)
    desk.goto(f"{live_server.url}/admin/pages/{news.pk}/")
    desk.get_by_role("link", name="添加子页面").click()
    desk.get_by_role("link", name=re.compile("^财政新闻 ")).click()  # the page type, named with its description
    desk.get_by_role("textbox", name="标题*").fill(TITLE)
    desk.get_by_role("textbox", name="摘要").fill(SUMMARY)
    desk.get_by_role("button", name="更多动作").click()
    desk.get_by_role("button", name=f"提交给{WORKFLOW_NAME}").click()

    row = desk.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("审核中")
    row.get_by_role("link", name=TITLE).click()
    expect(desk.get_by_role("main")).to_contain_text("正在等待“三审（初审、复审、终审）”的“初审”")
    screenshot(desk, "publishing-submitted")

    for done, (step, reviewer) in enumerate(reviewers):
        final = step == REVIEW_STEPS[-1]
        review = login(reviewer)
        awaiting = review.get_by_role("region", name="等待你的审查")
        item = awaiting.get_by_role("row", name=re.compile(TITLE))
        # The row's progress marks read "已批准" for each step already passed.
        expect(item.get_by_text("已批准")).to_have_count(done)
        item.get_by_role("link", name=TITLE).click()
        review.get_by_role("button", name="更多动作").click()
        review.get_by_role("button", name="批准并发布" if final else "批准", exact=True).click()
        expect(review.get_by_text(f"页面 '{TITLE}' 已被更新。"), f"{step}的批准没有完成").to_be_visible()

        desk.reload()
        visitor.goto(f"{live_server.url}/news/")
        if not final:
            expect(desk.get_by_role("main")).to_contain_text(f"的“{REVIEW_STEPS[done + 1]}”")
            expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)

    expect(desk.get_by_role("main")).not_to_contain_text("的“终审”")
    expect(desk.get_by_role("link", name=re.compile("查看已发布页面"))).to_be_visible()
    screenshot(desk, "publishing-live-editor")

    # Live: listed in its column, readable, and in the column's feed.
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(visitor.get_by_text(SUMMARY)).to_be_visible()
    screenshot(visitor, "publishing-article")

    response = visitor.request.get(f"{live_server.url}/news/feed/rss/")
    assert response.ok, response.status
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    assert TITLE in [entry.title for entry in feed.entries]


@pytest.fixture
def policy_trail(transactional_db, home):
    """A repealed policy replaced by a current one, which has one interpretation."""
    policies = SectionPageFactory(parent=home, title="政策发布", slug="policies", listing_kind="policy")
    interpretations = SectionPageFactory(parent=home, title="政策解读", slug="interpretations",
                                         listing_kind="interpretation")
    current = PolicyPageFactory(parent=policies, title="财政部关于进一步加强预算绩效管理的通知",
                                document_number="财预〔2026〕8号")
    repealed = PolicyPageFactory(parent=policies, title="财政部关于加强预算绩效管理的通知",
                                 document_number="财预〔2019〕3号", written_date=dt.date(2019, 3, 1),
                                 validity="repealed", validity_changed_on=dt.date(2026, 1, 15), replaced_by=current)
    interpretation = InterpretationPageFactory(parent=interpretations, policy=current,
                                               title="财政部有关负责人就预算绩效管理通知答记者问")
    return repealed, current, interpretation


def test_citizen_follows_a_repealed_policy_to_its_replacement_and_interpretation(
    page, live_server, policy_trail, screenshot
):
    repealed, current, interpretation = policy_trail

    page.goto(live_server.url + repealed.url)
    banner = page.get_by_role("note")
    expect(banner).to_contain_text("本文件已于2026年1月15日废止")
    screenshot(page, "policy-repealed")

    banner.get_by_role("link", name=current.title).click()

    expect(page).to_have_url(live_server.url + current.url)
    expect(page.get_by_role("heading", name=current.title, level=1)).to_be_visible()
    expect(page.get_by_role("note")).to_have_count(0)
    metadata = page.get_by_role("table", name="文件信息")
    expect(metadata.get_by_role("row", name=re.compile("索引号"))).to_contain_text(current.index_number)
    expect(metadata.get_by_role("row", name=re.compile("发文字号"))).to_contain_text("财预〔2026〕8号")
    expect(metadata.get_by_role("row", name=re.compile("有效性"))).to_contain_text("有效")
    screenshot(page, "policy-current")

    page.get_by_role("region", name="政策解读").get_by_role("link", name=interpretation.title).click()

    expect(page).to_have_url(live_server.url + interpretation.url)
    expect(page.get_by_role("heading", name=interpretation.title, level=1)).to_be_visible()
    expect(page.get_by_text("解读形式：文字解读")).to_be_visible()
    screenshot(page, "interpretation")

    page.get_by_text("解读的文件").get_by_role("link", name=current.title).click()

    expect(page).to_have_url(live_server.url + current.url)
    expect(page.get_by_role("heading", name=current.title, level=1)).to_be_visible()

