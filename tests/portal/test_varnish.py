"""Through a real Varnish (deploy/varnish/jincai.vcl, started by scripts/varnish.sh) in front of the live server:
a second anonymous visit is a Varnish hit, publishing purges exactly the pages that show the change, and a signed-in
visitor is never answered from it nor leaves anything in it.

Without varnishd and vmod xkey these tests are skipped with a message; under CI=true they fail instead
(scripts/test.sh installs the packages when it can)."""

import io
import os
import shutil
import socket
import subprocess
import tempfile
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.content.factories import ArticlePageFactory
from tests.factories import SectionPageFactory
from tests.services_hall.factories import ApplicantFactory

# Purges by tag through a real Varnish: the cache's behaviour, not the database's, so the SQLite pass has it.
pytestmark = [pytest.mark.varnish, pytest.mark.same_on_every_database]

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "varnish.sh"


def unavailable(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def varnish_url(live_server):
    port = os.environ.get("JINCAI_TEST_VARNISH_PORT") or str(_free_port())
    work = tempfile.mkdtemp(prefix="jincai-varnish-")
    env = dict(os.environ, JINCAI_VARNISH_PORT=port, JINCAI_VARNISH_DIR=work,
               JINCAI_VARNISH_BACKEND=live_server.url.removeprefix("http://"), JINCAI_VARNISH_MEMORY="32m")
    if subprocess.run(["bash", str(SCRIPT), "ensure"], env=env, capture_output=True).returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        unavailable("Varnish 测试已跳过：以 root 运行 'bash scripts/varnish.sh ensure'（安装 varnish 与 varnish-modules）"
                    "后即可运行。/ Varnish tests skipped: varnishd with vmod xkey is not installed.")
    started = subprocess.run(["bash", str(SCRIPT), "start"], env=env, capture_output=True, text=True)
    if started.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        unavailable(f"varnishd did not start: {started.stderr[-2000:]}")
    yield started.stdout.strip()
    subprocess.run(["bash", str(SCRIPT), "stop"], env=env, capture_output=True)
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def through_varnish(varnish_url, settings):
    """The app cache on and empty, purges sent to this Varnish; what Varnish holds is emptied first."""
    settings.PAGE_CACHE_ENABLED = True
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "portal.frontend_cache.VarnishXkeyBackend", "LOCATION": varnish_url}
    }
    cache.clear()
    request = urllib.request.Request(varnish_url + "/", method="PURGE", headers={"xkey-purge": "pages:all"})
    urllib.request.urlopen(request, timeout=5).close()
    return varnish_url


def fetch(base: str, path: str, *, cookie: str = "") -> tuple[dict, str]:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return dict(answer.headers), answer.read().decode()


@pytest.fixture
def news(transactional_db, home, identity):
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")
    home.headline_section = news
    home.save_revision().publish()
    return news


def test_a_second_visit_is_a_varnish_hit_and_publishing_purges_exactly_what_shows_the_page(through_varnish, news):
    article = ArticlePageFactory(parent=news, title="财政收支情况通报")
    sibling = ArticlePageFactory(parent=news, title="另一篇新闻")
    urls = ["/", news.url, article.url, "/feed/latest/rss/"]
    for url in urls + [sibling.url]:
        fetch(through_varnish, url)
    for url in urls + [sibling.url]:
        headers, text = fetch(through_varnish, url)
        assert headers["X-Cache"] == "HIT", url
        assert "xkey" not in {name.lower() for name in headers}
    # Parameters in another order, and tracking parameters, are the same object.
    fetch(through_varnish, news.url + "?year=2026&page=1")
    assert fetch(through_varnish, news.url + "?page=1&utm_source=weixin&year=2026")[0]["X-Cache"] == "HIT"

    article.title = "财政收支情况通报（更新）"
    article.save_revision().publish()  # committed: the live-server tests run outside a test transaction

    for url in urls:
        headers, text = fetch(through_varnish, url)
        assert "财政收支情况通报（更新）" in text, url
        assert headers["X-Cache"] == "MISS", url
    assert fetch(through_varnish, sibling.url)[0]["X-Cache"] == "HIT"


def test_unpublishing_removes_the_page_from_varnish_at_once(through_varnish, news):
    article = ArticlePageFactory(parent=news, title="即将撤下的通知")
    for _ in range(2):
        assert "即将撤下的通知" in fetch(through_varnish, news.url)[1]
    article.unpublish()
    assert "即将撤下的通知" not in fetch(through_varnish, news.url)[1]
    assert "即将撤下的通知" not in fetch(through_varnish, "/")[1]


def test_signed_in_visitors_pass_through_varnish_and_leave_nothing_in_it(through_varnish, news, client):
    article = ArticlePageFactory(parent=news, title="公开的新闻")
    applicant = ApplicantFactory(name="福州市鼓楼区测试代理记账有限公司")
    client.force_login(applicant.user)
    session = f"sessionid={client.cookies['sessionid'].value}; csrftoken=abc"
    for _ in range(2):
        headers, _text = fetch(through_varnish, article.url, cookie=session)
        assert headers["X-Cache"] == "MISS" and "private" in headers["Cache-Control"]
    headers, text = fetch(through_varnish, article.url)
    assert headers["X-Cache"] == "MISS"  # the signed-in visits stored nothing
    assert "csrfmiddlewaretoken" not in text and "wagtail-userbar" not in text
    # An anonymous visitor with only a CSRF cookie shares the stored page.
    assert fetch(through_varnish, article.url, cookie="csrftoken=abc")[0]["X-Cache"] == "HIT"


def test_a_dataset_page_answered_by_varnish_still_counts_the_visit_in_a_browser(through_varnish, transactional_db, home,
                                                                                 browser):
    """Chromium opens a dataset page three times through Varnish: the app renders the first, Varnish answers the
    other two, and the page's beacon counts those; each visit counts once."""
    from django.core.management import call_command

    from opendata.models import DatasetStats
    from tests.opendata.factories import DatasetPageFactory

    open_data = SectionPageFactory(parent=home, title="数据开放", slug="open-data")
    dataset = DatasetPageFactory(parent=open_data, title="全国一般公共预算收支月度数据")
    # A new context each time: no browser cache between the visits, as three visitors.
    for expected in ("MISS", "HIT", "HIT"):
        context = browser.new_context()
        page = context.new_page()
        beacons = []
        page.on("requestfinished", lambda request: beacons.append(request.url)
                if request.url.endswith("/viewed/") else None)
        answer = page.goto(through_varnish + dataset.url)
        assert answer.headers["x-cache"] == expected
        assert page.locator("[data-view-count]").is_visible()
        page.wait_for_load_state("networkidle")
        assert len(beacons) == (1 if expected == "HIT" else 0)
        context.close()
    call_command("flush_view_counts", stdout=io.StringIO())
    assert DatasetStats.objects.get(dataset=dataset).view_count == 3
