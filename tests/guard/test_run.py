"""A guard run over a small site: what it stores, what `site_guard run` prints, what the dashboard shows."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from guard.models import GuardRun, WordingRule
from guard.services import guard_run_perform
from services_hall.models import Letter
from tests.content.factories import ArticlePageFactory
from tests.factories import SectionPageFactory, UserFactory

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def site(home, identity):
    news = SectionPageFactory(parent=home, title="财政要闻", slug="headlines", listing_kind="article")
    ArticlePageFactory(parent=news, title="全国财政工作会议召开", date=TODAY - dt.timedelta(days=20), body=[
        ("paragraph", '<p>截止目前，各地已完成部署。详见<a href="/no-such-column/">专栏</a>。</p>'),
    ])
    SectionPageFactory(parent=home, title="人事信息", slug="personnel")
    return {"home": home, "news": news}


def findings_of(run, indicator):
    return list(run.findings.filter(indicator=indicator).order_by("pk"))


def test_run_reports_stale_column_empty_column_wording_and_broken_link(site):
    run = guard_run_perform(today=TODAY)

    [stale] = findings_of(run, "column_stale")
    assert stale.subject == "财政要闻" and "20天未更新" in stale.detail and stale.page_id == site["news"].pk
    assert [f.subject for f in findings_of(run, "columns_empty")] == ["人事信息"]
    [typo] = findings_of(run, "wording_typo")
    assert typo.detail.startswith("“截止目前”应为“截至目前”") and typo.excerpt.startswith("截止目前，各地已完成部署。")
    [broken] = findings_of(run, "links_broken")
    assert broken.subject == "全国财政工作会议召开" and broken.excerpt == "/no-such-column/"
    assert run.checked_pages == 4 and run.veto_count == 0 and run.finding_count == run.findings.count()


def test_links_within_the_site_and_its_feeds_are_not_reported(site):
    page = site["news"]
    ArticlePageFactory(parent=page, title="新闻", date=TODAY, body=[
        ("paragraph", '<p><a href="/headlines/">要闻</a><a href="/headlines/feed/rss/">订阅</a></p>')])
    run = guard_run_perform(today=TODAY)
    assert [f.excerpt for f in findings_of(run, "links_broken")] == ["/no-such-column/"]


def test_editor_managed_forbidden_term_is_a_veto(site):
    WordingRule.objects.create(kind="forbidden", wrong="部署", note="演示")
    run = guard_run_perform(today=TODAY)
    [forbidden] = findings_of(run, "wording_forbidden")
    assert forbidden.veto and run.veto_count == 1 and not run.passed


def test_letter_unanswered_for_more_than_three_months_is_a_veto(site):
    Letter.objects.create(kind="consultation", tracking_number="ZX20260801", query_code="A1B2C3D4",
                          subject="代理记账许可咨询", body="请问需要哪些材料？", name="张三",
                          received_at=timezone.make_aware(dt.datetime(2026, 9, 1, 10)), due_on=dt.date(2026, 9, 15))
    run = guard_run_perform(today=TODAY)
    [unanswered] = findings_of(run, "letter_unanswered")
    assert unanswered.veto and "96天未答复" in unanswered.detail and unanswered.url.startswith("/admin/")


def test_site_guard_run_prints_a_summary_and_its_time(site):
    out = io.StringIO()
    call_command("site_guard", "run", "--as-of", "2026-12-06", stdout=out)
    text = out.getvalue()
    assert "栏目长期未更新：1 项" in text and "空白栏目：1 项" in text and "用时" in text and "秒" in text
    assert GuardRun.objects.count() == 1


def test_dashboard_shows_veto_items_first_with_links_to_fix(client, site):
    Letter.objects.create(kind="complaint", tracking_number="TS20260801", query_code="A1B2C3D4",
                          subject="投诉无人答复", body="……", name="李四",
                          received_at=timezone.make_aware(dt.datetime(2026, 8, 1, 10)), due_on=dt.date(2026, 8, 15))
    guard_run_perform(today=TODAY)
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"),
                              Permission.objects.get(codename="view_guard_dashboard"))
    client.force_login(user)

    page = client.get("/admin/site-guard/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "总体状态：不合格（1 项单项否决问题）" in text
    assert text.index("互动回应情况") < text.index("信息更新情况")  # the veto group comes first
    article = Page.objects.get(title="全国财政工作会议召开")
    assert f'<a href="/admin/pages/{article.pk}/edit/">去修改</a>' in text  # the typo, fixed in the article
    assert f'<a href="/admin/pages/{site["news"].pk}/">去栏目</a>' in text  # the stale column, among its entries
    assert "历次检查趋势" in text


def test_dashboard_is_refused_without_the_permission(client, site):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    page = client.get("/admin/site-guard/")
    assert page.status_code == 403 and "可查看网站检查" in page.content.decode()


def test_column_set_to_a_longer_update_period_in_its_settings_is_not_stale(site):
    news = site["news"]
    news.update_kind = "plan"  # 人事、规划计划类, chosen in the column's 设置 tab
    news.save_revision().publish()
    run = guard_run_perform(today=TODAY)
    assert findings_of(run, "column_stale") == []


def test_column_settings_tab_offers_the_update_kind(client, site):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(f'/admin/pages/{site["news"].pk}/edit/')
    assert page.status_code == 200 and "栏目更新要求" in page.content.decode()


def test_missing_identity_marks_link_to_the_identity_settings(client, home):
    guard_run_perform(today=TODAY)  # a site whose 网站标识 were never filled in
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    text = client.get("/admin/site-guard/").content.decode()
    assert "未显示网站标识码" in text and "未显示ICP备案号" in text
    assert '<a href="/admin/settings/portal/siteidentity/">去设置</a>' in text


def test_page_editor_shows_the_drafts_wording_and_what_the_latest_run_found_on_the_page(client, site):
    guard_run_perform(today=TODAY)
    article = Page.objects.get(title="全国财政工作会议召开")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    text = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "内容检查：发现2项问题，其中1项须改正后才能提交审核" in text
    assert "<strong>错别字</strong>：“截止目前”应为“截至目前”" in text  # the draft's, live
    assert "所指地址：/no-such-column/" in text  # the latest run's broken link
