"""Browser journeys: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Under CI=true a missing browser fails the run; elsewhere these tests skip and say how to enable them.
"""

import os
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are ordinary synchronous calls, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def served_as_in_production(settings):
    """Journeys see the site as `make run` serves it: the menu, footer, Site and private paths from the tagged
    fragment cache (off elsewhere in the tests, whose rolled-back rows reuse ids). Each journey starts empty."""
    from django.core.cache import cache

    cache.clear()
    settings.FRAGMENT_CACHE_ENABLED = True
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def answered_before_the_flush(request):
    """A journey's end waits for the requests the live server is still answering before its database is flushed
    (tests/live_requests.py). Set up after the database (and so torn down before its flush) for the journeys that
    have one."""
    if not {"live_server", "transactional_db"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from tests.live_requests import wait_until_answered

    wait_until_answered()


def leave(context) -> None:
    """Close a browser context after leaving each of its pages, so that none sends another request (a poll, a
    script still loading) while the test's end waits for the server to finish answering."""
    from playwright.sync_api import Error

    for open_page in context.pages:
        try:
            open_page.goto("about:blank")
        except Error:  # a page that crashed: closed as it is
            pass
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    leave(context)


@pytest.fixture
def screenshot():
    """Save a PNG under var/screenshots for a person to look at; returns its path."""

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def current_totp_code(user) -> str:
    """The code an authenticator app enrolled for `user` shows now (enrolling one if the user has none)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="测试验证器", confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def login(browser, live_server):
    """Log a user into the Wagtail admin through its login form, in a browser context of their own.

    Returns the page, left on the dashboard; the user's password is the factories' "correct-horse-battery". Staff
    pass the second factor with the code of an authenticator enrolled for them.
    """
    from playwright.sync_api import expect

    contexts = []

    def log_in(user, password: str = "correct-horse-battery"):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("用户名").fill(user.get_username())
        # Wagtail's login form leaves the password label untranslated ("Password"); the placeholder is Chinese.
        page.get_by_placeholder("输入密码").fill(password)
        from portal.staff_security import is_staff_account

        staff = is_staff_account(user)
        code = current_totp_code(user) if staff else ""  # enrols the authenticator before the first sign-in
        page.get_by_role("button", name="登录").click()
        if staff:
            # The staff second factor: the code the enrolled authenticator app shows now.
            page.get_by_label("验证码或恢复码").fill(code)
            page.get_by_role("button", name="验证").click()
        expect(page).to_have_url(live_server.url + "/admin/")
        return page

    yield log_in
    for context in contexts:
        leave(context)




def restore_migrated_rows() -> None:
    """A live-server test ends with a flush, which also empties rows that migrations made: Wagtail's root collection
    (without it the admin's upload screens answer 500) among them. Put it back before the demo is built."""
    from wagtail.models import Collection

    if not Collection.objects.exists():
        Collection.add_root(name="Root")


@pytest.fixture
def demo_site(transactional_db, demo_shared):
    """The demo site (build_demo_site), committed so the live server reads it (flushed afterwards).

    It is built once per test run: the first process that asks for it builds it on a fresh copy of the migrated
    database and keeps a copy of the whole SQLite database (the backup API copies every table, the search index's
    included) and of its files; every later test, in any worker, puts that copy back in the milliseconds a restore
    takes, instead of the half minute of CPU a build takes (tests/demo_snapshot.py)."""
    from django.db import connection

    from demo.site import build_demo_site
    from portal.models import HomePage
    from tests.demo.builds import todays_demo_site
    from tests.demo_snapshot import demo_restore

    restore_migrated_rows()
    if connection.vendor != "sqlite":
        return build_demo_site(log=lambda *_: None)
    key, build = todays_demo_site()
    built = demo_restore(shared=demo_shared, key=key, build=build)
    return HomePage.objects.get(pk=built["home"])
