"""The Content-Security-Policy as a browser enforces it: no violation on the public pages, the admin dashboard and
page editor, or the API docs, and each of them still works (the editor edits, Swagger UI lists the operations)."""

import pytest
from playwright.sync_api import expect

from content.models import ArticlePage
from tests.factories import UserFactory

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile
                              + ":" + event.lineNumber);
});
"""


def watch(page):
    """Record every CSP violation and every script error on `page` from now on."""
    problems = []
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return problems


def violations(page, problems, *, script_errors: bool = True) -> list[str]:
    found = problems if script_errors else [p for p in problems if not p.startswith("script error:")]
    return found + page.evaluate("window.__cspViolations || []")


@pytest.fixture
def admin(transactional_db):
    return UserFactory(username="csp-admin", is_staff=True, is_superuser=True)


def test_public_pages_and_api_docs_run_under_the_policy_without_a_violation(page, live_server, demo_site):
    problems = watch(page)
    article = ArticlePage.objects.live().first()

    for path in ("/", article.url, "/search/?q=采购"):
        response = page.goto(live_server.url + path)
        assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
        assert violations(page, problems) == [], path
        # The one inline script (by its nonce) ran: it marks the page as having JavaScript.
        assert page.evaluate("document.documentElement.classList.contains('js')")

    for docs in ("/api/v1/docs", "/api/search/v1/docs", "/api/data/v1/docs"):
        page.goto(live_server.url + docs)
        expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
        assert violations(page, problems) == [], docs


def test_the_admin_dashboard_and_page_editor_work_under_the_policy(live_server, demo_site, admin, login):
    desk = login(admin)
    problems = watch(desk)
    article = ArticlePage.objects.live().first()

    desk.goto(live_server.url + "/admin/")
    expect(desk.get_by_text("网站摘要")).to_be_visible()
    expect(desk.get_by_text("请求有误")).to_have_count(0)  # no panel failed to load
    assert violations(desk, problems) == [], ("dashboard", violations(desk, problems))

    desk.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    expect(desk.get_by_role("textbox", name="标题*")).to_have_value(article.title)
    # The schedule dialog's date pickers are set up by admin-csp.js instead of inline scripts.
    desk.get_by_role("button", name="更多动作").click()
    # No script error either: the choosers' set-up once threw "reading 'querySelector' of null" here.
    assert violations(desk, problems) == [], ("page editor", violations(desk, problems))
    title = desk.get_by_role("textbox", name="标题*")
    title.fill(article.title + "（修订）")
    desk.get_by_role("button", name="保存草稿").click()
    desk.wait_for_load_state("networkidle")
    article.refresh_from_db()
    assert article.latest_revision.as_object().title == article.title + "（修订）"  # the draft was saved
    assert violations(desk, problems) == [], "page editor after saving"
    # The editor keeps polling (autosave, edit locks): leave it, so no request holds the database while the
    # live-server test's flush runs.
    desk.goto("about:blank")
