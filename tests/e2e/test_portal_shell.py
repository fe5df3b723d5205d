"""A citizen opens the home page, follows the navigation to a column and reads it."""

import pytest
from playwright.sync_api import expect



def test_citizen_follows_the_navigation_from_home_to_a_column(page, live_server, demo_site, screenshot):
    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="财政新闻", level=2)).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_contain_text("网站标识码：bm99000001")
    screenshot(page, "home")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政策发布").click()

    expect(page).to_have_url(live_server.url + "/policies/")
    expect(page.get_by_role("heading", name="政策发布", level=1)).to_be_visible()
    expect(page.get_by_role("complementary")).to_contain_text("规范性文件")
    expect(page.get_by_role("link", name="政策发布", exact=True).first).to_have_attribute("aria-current", "page")
    screenshot(page, "column")

    page.locator(".entry-list a").first.click()

    # The column lists policy documents, which show their dates in the metadata table above the text.
    expect(page.locator(".metadata-table")).to_contain_text("发布日期")
    expect(page.get_by_role("navigation", name="当前位置")).to_contain_text("政策发布")


def test_elder_mode_is_remembered_across_pages(page, live_server, demo_site):
    page.goto(live_server.url + "/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")

    page.get_by_role("button", name="长者模式").click()
    page.goto(live_server.url + "/news/")

    toggle = page.get_by_role("button", name="退出长者模式")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= normal * 1.2


def test_the_site_fits_a_360_pixel_phone(page, live_server, demo_site, screenshot):
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server.url + "/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="栏目导航").click()
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="政府采购")).to_be_visible()
    screenshot(page, "home-360")


def test_keyboard_users_can_skip_to_the_content(page, live_server, demo_site):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()


def test_elder_mode_keeps_the_masthead_plain_and_leaves_no_blank_panels_on_the_home_page(page, live_server, demo_site):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="长者模式").click()

    assert page.evaluate("getComputedStyle(document.querySelector('.brand')).textDecorationLine") == "none"
    # Text links stay underlined in 长者模式.
    assert page.evaluate("getComputedStyle(document.querySelector('.entry-list a')).textDecorationLine") == "underline"
    blank = page.evaluate("""() => [...document.querySelectorAll('.home-grid > .panel')].map(panel => {
        const last = panel.lastElementChild.getBoundingClientRect().bottom;
        return [panel.getAttribute('aria-labelledby'), Math.round(panel.getBoundingClientRect().bottom - last)];
    }).filter(([, gap]) => gap > 60)""")
    assert blank == []
