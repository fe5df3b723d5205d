import os
import sys
import threading
import uuid
from pathlib import Path

import pytest
from _pytest.runner import runtestprotocol
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from django.test.client import ClientMixin
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from demo.site import IDENTITY
from portal.frame_stack import AFFECTED as FRAME_STACK_UNMAPS_AT_ONCE
from portal.frame_stack import call_on_fresh_stack, on_fresh_stack
from portal.models import HomePage, NavigationSettings, SiteIdentity
from tests.db_template import database_from_template, template_drop
from tests.demo_snapshot import demo_snapshots_drop
from tests.factories import HomePageFactory, SectionPageFactory

# Property tests judge what is generated, not how fast: on a loaded 2-core CI machine Hypothesis's own timing checks
# (a 200 ms deadline per example, "input generation is slow") failed tests whose code was right.
hypothesis_settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("suite")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """pytest's own protocol for one test (setup, call, teardown), on a fresh chunk of CPython's frame stack
    (portal/frame_stack.py), as the served application runs each request. Wherever pytest's depth put a chunk
    boundary, the test client's renders crossed it back and forth: tests/portal and tests/content took 965,000 page
    faults and 6 s of system time, 530,000 and 3 s this way."""
    if not FRAME_STACK_UNMAPS_AT_ONCE:
        return None
    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    call_on_fresh_stack(runtestprotocol, item, nextitem=nextitem)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


class SerialisedLiveServer(ThreadedWSGIServer):
    """The live server of the browser tests, one request at a time.

    On SQLite the test database lives in memory and every server thread shares its one connection, so two requests
    at once (a page and the admin's /admin/sprite/ or /admin/jsi18n/ fetched beside it) broke each other's
    transactions: 500s such as "pop from empty list" in the session save, or "database table is locked". Threads
    still accept connections, so a browser's idle pre-connection blocks nobody; the whole response, body included,
    is made under one lock."""

    _lock = threading.Lock()

    def set_app(self, application):
        def one_at_a_time(environ, start_response):
            with self._lock:
                result = application(environ, start_response)
                try:
                    return [b"".join(result)]
                finally:
                    if hasattr(result, "close"):
                        result.close()

        super().set_app(on_fresh_stack(one_at_a_time))  # each request on its own thread's fresh stack, as served


LiveServerThread.server_class = SerialisedLiveServer


def tree_root() -> Page:
    """The page tree's root, made again if a live-server test's flush removed what the migrations made."""
    root = Page.get_first_root_node()
    if root is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        locale, _ = Locale.objects.get_or_create(language_code=language)
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


CHROMIUM = os.environ.get("JINCAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process (Playwright's sync API runs one event loop per thread: a second
    sync_playwright() beside it fails), for the browser journeys and any other test that opens a page."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} 不存在：运行 `bash scripts/browser.sh ensure`（安装 chromium 与 fonts-noto-cjk）后可运行浏览器测试"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are ordinary
    # synchronous calls, which Django would otherwise refuse.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def home(db) -> HomePage:
    """A fresh site whose root is a HomePage (the Wagtail welcome page removed)."""
    return home_make()


def home_make() -> HomePage:
    """What the `home` fixture gives, for a fixture that builds outside a test (tests/demo_snapshot.py)."""
    root = tree_root()
    for child in root.get_children():
        child.delete()
    home = HomePageFactory(parent=Page.objects.get(pk=root.pk), slug="home")
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="金财门户")
    return home


@pytest.fixture
def section(home):
    return SectionPageFactory(parent=home, title="财政新闻", slug="news")


@pytest.fixture
def identity(home) -> SiteIdentity:
    settings = SiteIdentity.for_site(home.get_site())
    for name, value in IDENTITY.items():
        setattr(settings, name, value)
    settings.save()
    return settings


@pytest.fixture
def navigation(home) -> NavigationSettings:
    return NavigationSettings.for_site(home.get_site())


@pytest.fixture(autouse=True)
def staff_pass_second_factor(monkeypatch):
    """`client.force_login(staff)` gives a session that has also passed the staff second factor (an enrolled
    authenticator), as a staff member who typed their code would have. Tests of the second factor itself sign in
    through the forms (tests/portal/test_staff_login.py)."""
    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from portal.staff_security import is_staff_account

        if is_staff_account(user):
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="测试验证器", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture(autouse=True)
def rate_windows_hold_still(monkeypatch):
    """django_ratelimit counts in windows of the rate's period whose ends are staggered per client and budget
    (django_ratelimit.core._get_window). A test that makes N+1 requests to see the last refused failed when a window
    happened to end between two of them: a few tenths of a second in sixty, more on a loaded machine (it failed
    once, `LIMIT_API_RATE` at 3/m). During a test the clock django_ratelimit reads stands at the test's start, so
    its requests fall in one window; the limits themselves are unchanged."""
    import time
    import types

    import django_ratelimit.core

    started = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: started))


# Fixtures that give a test the database: a test that asks for none of them (directly or through its fixtures, and
# without a django_db mark) runs the same code whatever the database.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "django_db_reset_sequences",
                     "django_db_serialized_rollback"}


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL pass (scripts/test.sh sets JINCAI_TEST_DATABASE_ONLY=1) runs the tests that reach the database;
    the others (pure rules, the analyzer, prose, property tests of the clocks, and tests marked
    same_on_every_database) already ran in the SQLite pass and would only repeat themselves. Either pass runs the
    transactional tests marked long_running first among the transactional tests (pytest-django, whose hook runs
    before this one, puts those after the others)."""
    _long_running_first(items)
    if os.environ.get("JINCAI_TEST_DATABASE_ONLY") != "1":
        return
    kept, deselected = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames)
        # Checks of what Python wrote (the demo's sentences), which no SQL dialect can change: the SQLite pass has them.
        same = item.get_closest_marker("same_on_every_database")
        (kept if uses_database and not same else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(item.fixturenames)
                or marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))


def _long_running_first(items) -> None:
    """The transactional tests marked long_running moved to the front of the transactional tests. The workers take
    tests two at a time from the front; the last transactional tests end the PostgreSQL pass, where a 20-second
    test left the other worker idle for its length."""
    first = next((index for index, item in enumerate(items) if _transactional(item)), None)
    if first is None:
        return
    long = [item for item in items[first:] if item.get_closest_marker("long_running") and _transactional(item)]
    if long:
        moved = {id(item) for item in long}
        items[first:] = long + [item for item in items[first:] if id(item) not in moved]


def pytest_configure(config):
    # The project's own translations are compiled here too (a test run from a fresh checkout has no .mo files);
    # Django's catalogues are then read afresh in case something was translated before they existed.
    from django.utils.translation import reloader

    from portal.translations import translations_compile

    for path in settings.LOCALE_PATHS:
        for written in translations_compile(root=path):
            reloader.translation_file_changed(sender=None, file_path=written)


def building_ahead() -> bool:
    """A run of tests/demo_prebuild.py beside a pass (scripts/test.sh): it leaves the pass's shared folder as it is."""
    return os.environ.get("JINCAI_TEST_BUILD_AHEAD") == "1"


def run_shared_folder(config) -> Path:
    """A folder every process of this test run shares (the xdist controller's basetemp, its workers' parent), or
    JINCAI_TEST_DB_TEMPLATE_DIR when the database template was migrated ahead of the run (scripts/test.sh)."""
    if os.environ.get("JINCAI_TEST_DB_TEMPLATE_DIR"):
        return Path(os.environ["JINCAI_TEST_DB_TEMPLATE_DIR"])
    base = config._tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


def _end_other_sessions(log_path: Path, worker: str) -> None:
    """PostgreSQL: sessions still connected to this worker's test database (a test's thread that kept its
    connection, or one closed a moment ago whose server process has not yet gone) are ended before the database is
    dropped: DROP DATABASE fails with "is being accessed by other users" after waiting five seconds for them, which
    failed a whole pass on a loaded machine. The count is logged with the template timings."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    connection.close()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
        ended = cursor.fetchone()[0]
    if ended:
        with open(log_path, "a") as log:
            log.write(f"{worker}: ended {ended} other session(s) on {name} before dropping it\n")


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """Each process's test database, copied from one migrated per run (tests/db_template.py) instead of migrating
    its own. --reuse-db and --no-migrations keep pytest-django's own setup."""
    from django.test.utils import setup_databases, teardown_databases

    option = request.config.option
    if option.reuse_db or option.nomigrations:
        from pytest_django.fixtures import _disable_migrations

        if option.nomigrations:
            _disable_migrations()
        with django_db_blocker.unblock():
            config = setup_databases(verbosity=option.verbose, interactive=False, aliases={"default"},
                                     serialized_aliases=set(), keepdb=option.reuse_db and not option.create_db)
        yield
        if not option.reuse_db:
            with django_db_blocker.unblock():
                teardown_databases(config, verbosity=option.verbose)
        return
    run_id = getattr(request.config, "workerinput", {}).get("testrunuid") or uuid.uuid4().hex
    timings = {}
    with django_db_blocker.unblock():
        config = database_from_template(shared=run_shared_folder(request.config), run_id=run_id[:12],
                                        verbosity=option.verbose, timings=timings)
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    what = "migrated the template and copied it" if timings["built"] else "copied the template"
    with open(run_shared_folder(request.config) / "db-template-timings.txt", "a") as log:
        log.write(f"{worker}: {what} in {timings['seconds']:.1f} s (of which {timings['waited']:.1f} s waiting)\n")
    yield
    with django_db_blocker.unblock():
        _end_other_sessions(run_shared_folder(request.config) / "db-template-timings.txt", worker)
        teardown_databases(config, verbosity=option.verbose)
        if not hasattr(request.config, "workerinput") and not building_ahead():
            demo_snapshots_drop(shared=run_shared_folder(request.config))
            template_drop(shared=run_shared_folder(request.config))


@pytest.fixture(scope="session")
def demo_shared(request) -> Path:
    """Where this run keeps its demo databases, each built once by the first process that needs it
    (tests/demo_snapshot.py)."""
    return run_shared_folder(request.config)


def pytest_sessionfinish(session):
    """The xdist controller drops the run's PostgreSQL template and demo databases once every worker is done with
    them."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    if blocking_manager_key not in config.stash:
        return
    with config.stash[blocking_manager_key].unblock():
        try:
            demo_snapshots_drop(shared=run_shared_folder(config))
            template_drop(shared=run_shared_folder(config))
        finally:
            connections.close_all()


def pytest_terminal_summary(terminalreporter, config):
    """How each process got its test database (the controller prints what its workers wrote)."""
    if hasattr(config, "workerinput") or building_ahead():
        return
    log = run_shared_folder(config) / "db-template-timings.txt"
    if log.exists():
        terminalreporter.write_line("test databases: " + "; ".join(log.read_text().splitlines()))
        log.unlink()
