"""The Wagtail admin screens editors use most run without a single console error under the site's CSP: the page
editor, a new page, the page chooser, images, documents and workflows. (The snippet and page choosers' set-up,
moved out of inline scripts by portal/admin_csp.py, was called without its element id and threw "Cannot read
properties of null (reading 'querySelector')" in the page editor.)"""

import pytest
from playwright.sync_api import expect

from content.models import ArticlePage
from tests.factories import UserFactory


@pytest.fixture
def admin(transactional_db):
    return UserFactory(username="console-admin", is_staff=True, is_superuser=True)


def collect_errors(page) -> list[str]:
    """Every console error, uncaught script error and failed request of `page` from now on."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"{page.url} console: {message.text} {message.location}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url} script error: {error}\n{error.stack}"))
    page.on("response", lambda response: errors.append(f"{page.url} failed: {response.status} {response.url}")
            if response.status >= 400 else None)
    return errors


def real_errors(page, errors: list[str]) -> list[str]:
    """The errors, less those of a resource that loads fine when asked again (and the console's reports of it).

    The test server shares one in-memory SQLite connection between its threads, so a page's parallel requests
    (the icon sprite, the admin's translations) are sometimes answered 500 or 400 with "database table is locked":
    that is the test database, not the admin. Anything that fails again is kept."""
    flaky = set()
    for error in errors:
        if " failed: " in error:
            url = error.rsplit(" ", 1)[1]
            if page.request.get(url).status < 400:
                flaky.add(url)
    found = [error for error in errors if not any(url in error for url in flaky)]
    errors.clear()
    return found

def test_the_editors_admin_screens_run_without_a_console_error(live_server, demo_site, admin, login):
    desk = login(admin)
    errors = collect_errors(desk)
    article = ArticlePage.objects.live().first()
    column = article.get_parent()

    screens = {
        "page editor": f"/admin/pages/{article.pk}/edit/",
        "new page": f"/admin/pages/add/content/articlepage/{column.pk}/",
        "page list": f"/admin/pages/{column.pk}/",
        "images": "/admin/images/",
        "upload images": "/admin/images/multiple/add/",
        "documents": "/admin/documents/",
        "upload documents": "/admin/documents/multiple/add/",
        "workflows": "/admin/workflows/list/",
        "workflow tasks": "/admin/workflows/tasks/index/",
        "popular searches": "/admin/snippets/search/popularquery/",
    }
    for name, path in screens.items():
        desk.goto(live_server.url + path)
        desk.wait_for_load_state("networkidle")
        assert real_errors(desk, errors) == [], name

    # The page chooser, opened as the editor opens it: a modal over the page editor.
    desk.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    desk.evaluate("window.ModalWorkflow({url: '/admin/choose-page/'})")
    expect(desk.locator(".modal-content")).to_contain_text("选择一个页面")
    expect(desk.locator(".modal-content").get_by_role("link", name=demo_site.title).first).to_be_visible()
    desk.wait_for_load_state("networkidle")
    assert real_errors(desk, errors) == [], "page chooser"
    # The editor keeps polling (autosave, edit locks): leave it before the live server's flush.
    desk.goto("about:blank")
