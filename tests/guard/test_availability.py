"""The availability probe: `site_guard probe` asks the server for the home page and key URLs, keeps a history
(status, time, bytes), and the dashboard shows the uptime of the last 7 and 30 days and the last failures."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from guard.availability import probe, uptime
from guard.models import ProbeResult
from tests.factories import SectionPageFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 12, 6, 12, 0))


def test_probe_answers_for_ok_missing_slow_and_closed(local_server):
    ok = probe(local_server.url + "/")
    assert ok.ok and ok.status == 200 and ok.size == len("<html><body>首页 ok</body></html>".encode())
    missing = probe(local_server.url + "/missing")
    assert not missing.ok and missing.status == 404
    slow = probe(local_server.url + "/slow", timeout=0.3)
    assert not slow.ok and slow.status is None and "超时" in slow.error and slow.elapsed_ms < 1500
    assert probe(local_server.url + "/moved").status == 200  # redirects followed
    closed = probe("http://127.0.0.1:9/")  # discard port: nothing listens
    assert not closed.ok and "无法连接" in closed.error


@pytest.mark.parametrize("hours_back, expected", [(24 * 7 - 1, 50.0), (24 * 7 + 1, 100.0)])
def test_uptime_counts_rounds_in_the_window_only(hours_back, expected):
    rounds = [(NOW - dt.timedelta(hours=hours_back), False), (NOW - dt.timedelta(hours=1), True)]
    assert uptime(rounds, since=NOW - dt.timedelta(days=7)) == expected
    assert uptime([], since=NOW) is None


def test_probe_command_asks_home_and_menu_columns_and_keeps_the_history(home, local_server, settings):
    SectionPageFactory(parent=home, title="财政新闻", slug="news", show_in_menus=True)
    settings.GUARD_PROBE_PATHS = ["/missing"]
    out = io.StringIO()

    with pytest.raises(CommandError, match="1/3 个地址不可用"):
        call_command("site_guard", "probe", "--base-url", local_server.url, stdout=out)

    assert [path for _method, path, _at in local_server.asked] == ["/", "/news/", "/missing"]
    rows = list(ProbeResult.objects.order_by("pk"))
    assert [(row.url.removeprefix(local_server.url), row.status, row.ok) for row in rows] == [
        ("/", 200, True), ("/news/", 200, True), ("/missing", 404, False)]
    assert len({row.round_at for row in rows}) == 1 and rows[0].size > 0
    assert "可用" in out.getvalue() and "不可用（HTTP 404）" in out.getvalue()


def test_dashboard_shows_uptime_and_last_failures(client, home):
    for days_ago, ok in ((1, True), (2, False), (10, False), (20, True)):
        ProbeResult.objects.create(round_at=timezone.now() - dt.timedelta(days=days_ago), url="http://127.0.0.1/",
                                   status=200 if ok else None, ok=ok, error="" if ok else "超时（10 秒无响应）")
    chief = UserFactory(is_staff=True)
    chief.groups.add(Group.objects.get(name="终审"))
    client.force_login(chief)

    text = client.get("/admin/site-guard/").content.decode()

    assert "近7天可用率 <strong>50.0%</strong>" in text and "近30天可用率 <strong>50.0%</strong>" in text
    assert text.count("超时（10 秒无响应）") == 2  # the two failures listed
