"""A supplier follows government procurement on the demo site: filters, a project's timeline, a filtered feed."""

import feedparser
from playwright.sync_api import expect

from content.models import ProcurementNoticePage


def test_supplier_filters_notices_follows_a_project_and_subscribes(page, live_server, demo_site, screenshot):
    page.goto(live_server.url + "/procurement/")
    bar = page.get_by_role("form", name="筛选政府采购")
    bar.get_by_label("公告类型").select_option(label="中标公告")
    bar.get_by_role("button", name="筛选").click()

    expect(page).to_have_url(live_server.url + "/procurement/?type=award")
    expect(page.get_by_role("status")).to_contain_text("共找到")
    rows = page.locator(".entry-list__item")
    expect(rows.first).to_be_visible()
    badges = page.locator(".entry-list__item .badge").all_inner_texts()
    assert badges and set(badges) == {"中标公告"}
    screenshot(page, "procurement-filtered")

    # An award notice shows its project's whole story, tender first, itself marked as the current step.
    rows.first.get_by_role("link").click()
    timeline = page.get_by_role("complementary", name="项目进程")
    expect(timeline).to_be_visible()
    steps = timeline.locator(".timeline__item .badge").all_inner_texts()
    assert steps[0] in {"采购意向", "公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "询价", "单一来源", "资格预审"}
    assert "中标公告" in steps
    expect(timeline.locator('[aria-current="page"]')).to_have_count(1)
    expect(page.locator(".metadata-table").first).to_contain_text("项目编号")
    screenshot(page, "procurement-notice")

    # Earlier steps are links to their own notices, which show the same timeline.
    timeline.locator(".timeline__item a").first.click()
    expect(page.get_by_role("complementary", name="项目进程").locator(".timeline__item")).to_have_count(len(steps))

    # The filtered list advertises a feed carrying the same filter, and it holds only award notices.
    page.goto(live_server.url + "/procurement/?type=award")
    rss = page.locator('link[rel="alternate"][type="application/rss+xml"]').get_attribute("href")
    assert "type=award" in rss
    feed = feedparser.parse(page.request.get(rss if rss.startswith("http") else live_server.url + rss).body())
    assert feed.bozo == 0 and feed.entries
    awards = set(ProcurementNoticePage.objects.live().filter(notice_type="award").values_list("title", flat=True))
    assert {entry.title for entry in feed.entries} <= awards
