"""The published letters read as a styled list, not as the browser's default definition list."""

from playwright.sync_api import expect

from demo.services_hall import ensure_calendar_and_staff_groups
from services_hall.models import Letter
from services_hall.services import letter_reply, letter_submit
from tests.services_hall.factories import staff_user


def test_the_letters_list_is_styled_like_the_rest_of_the_site(page, live_server, transactional_db, home):
    ensure_calendar_and_staff_groups()
    letter = letter_submit(kind=Letter.Kind.COMPLAINT, subject="代理记账资格审批超过承诺时限", body="已超过5个工作日。",
                           name="王小明", phone="13900001111", consent_publish=True)
    letter_reply(letter=letter, actor=staff_user("受理员", "shouli"), department="会计司", body="经核查，已于次日办结。")

    page.goto(live_server.url + "/hall/letters/")

    item = page.locator(".letter-list__item").first
    expect(item).to_contain_text("经核查，已于次日办结。")
    style = page.evaluate("""() => {
        const item = document.querySelector('.letter-list__item'), meta = document.querySelector('.letter-list__meta');
        const dd = meta.querySelector('dd');
        return {border: getComputedStyle(item).borderTopStyle, list: getComputedStyle(item.parentElement).listStyleType,
                meta: getComputedStyle(meta).display, indent: getComputedStyle(dd).marginLeft,
                summary: getComputedStyle(document.querySelector('.letters__summary')).borderLeftStyle};
    }""")
    assert style == {"border": "solid", "list": "none", "meta": "flex", "indent": "0px", "summary": "solid"}
