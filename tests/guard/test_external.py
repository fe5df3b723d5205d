"""External links, weekly and polite, against a local server only: 200, 404, timeout, redirect, robots-disallowed;
one host at a time with a delay between its requests; answers cached with their date and reported by later runs."""

import datetime as dt

import pytest
from django.utils import timezone

from guard.external import Outcome, by_host, check_links
from guard.models import ExternalLinkCheck
from guard.services import guard_run_perform
from tests.content.factories import ArticlePageFactory
from tests.factories import SectionPageFactory

TODAY = dt.date(2026, 12, 6)


def test_each_answer_is_classified(local_server):
    base = local_server.url
    urls = [f"{base}/ok", f"{base}/missing", f"{base}/slow", f"{base}/moved", f"{base}/private/report"]

    answers = check_links(urls, timeout=0.5, per_host_delay=0)

    assert answers[f"{base}/ok"].outcome == Outcome.OK and answers[f"{base}/ok"].status == 200
    assert answers[f"{base}/missing"].outcome == Outcome.BROKEN and answers[f"{base}/missing"].status == 404
    assert answers[f"{base}/slow"].outcome == Outcome.TIMEOUT
    assert answers[f"{base}/moved"].outcome == Outcome.REDIRECT and answers[f"{base}/moved"].final_url == f"{base}/ok"
    assert answers[f"{base}/private/report"].outcome == Outcome.ROBOTS
    asked = [path for _method, path, _at in local_server.asked]
    assert "/private/report" not in asked  # robots.txt honoured: never fetched
    assert asked[0] == "/robots.txt" and asked.count("/robots.txt") == 1


def test_one_host_is_asked_one_request_at_a_time_with_a_delay(local_server):
    base = local_server.url
    check_links([f"{base}/a", f"{base}/b", f"{base}/c"], per_host_delay=0.3, concurrency=4)
    times = [at for _method, path, at in local_server.asked if path in ("/a", "/b", "/c")]
    assert len(times) == 3
    assert all(later - earlier >= 0.29 for earlier, later in zip(times, times[1:]))


def test_hosts_are_grouped_and_only_web_links_kept():
    groups = by_host(["http://a.example/1", "https://a.example/2", "http://a.example/3", "mailto:x@y.cn",
                      "ftp://a.example/f"])
    assert groups == {"http://a.example": ["http://a.example/1", "http://a.example/3"],
                      "https://a.example": ["https://a.example/2"]}


@pytest.fixture
def linking_article(home, local_server):
    news = SectionPageFactory(parent=home, title="财政要闻", slug="headlines", listing_kind="article")
    return ArticlePageFactory(parent=news, title="相关链接汇总", date=TODAY, body=[("paragraph", (
        f'<p><a href="{local_server.url}/ok">正常</a><a href="{local_server.url}/missing">失效</a>'
        f'<a href="{local_server.url}/private/x">不许访问</a></p>'))])


@pytest.mark.django_db
def test_weekly_run_reports_broken_external_links_and_later_runs_reuse_the_answer(linking_article, local_server):
    run = guard_run_perform(today=TODAY, external=True, external_options={"per_host_delay": 0, "timeout": 2})

    [finding] = run.findings.filter(indicator="external_links_broken")
    assert finding.subject == "相关链接汇总" and finding.excerpt == f"{local_server.url}/missing"
    assert finding.detail.startswith("外部链接打不开（404）") and "检查）" in finding.detail
    assert ExternalLinkCheck.objects.get(url=f"{local_server.url}/private/x").outcome == Outcome.ROBOTS
    assert not run.findings.filter(indicator="links_broken").exists()  # not mistaken for internal links

    asked = len(local_server.asked)
    again = guard_run_perform(today=TODAY, external=True)  # within the week: cached, nobody asked
    daily = guard_run_perform(today=TODAY)  # the daily run reports the weekly answer
    assert len(local_server.asked) == asked
    assert again.findings.filter(indicator="external_links_broken").count() == 1
    assert daily.findings.filter(indicator="external_links_broken").count() == 1

    ExternalLinkCheck.objects.update(checked_at=timezone.now() - dt.timedelta(days=8))
    guard_run_perform(today=TODAY, external=True, external_options={"per_host_delay": 0})
    assert len(local_server.asked) > asked  # a week old: asked again
