import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page

from content.models import ArticlePage, Department, Region, Theme, TopicPage
from demo.site import TREE
from portal.models import HomePage, InfoPage, NavigationSettings, SectionPage, SiteIdentity
from tests.demo.builds import todays_load_demo
from tests.demo_snapshot import demo_database


PRINTED = io.StringIO()  # what the module's load_demo printed


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory, demo_shared):
    """`manage.py load_demo` run once per test run (a full load takes minutes; tests/demo_snapshot.py), copied for
    the module and put back as it was after; its VAR_DIR (the demo logins) is the returned folder."""
    var_dir = tmp_path_factory.mktemp("var")
    key, build = todays_load_demo()  # shared with tests/demo/test_demo_reading.py: one build serves both
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir), \
            demo_database(shared=demo_shared, key=key, build=build) as built:
        PRINTED.write(built["printed"])
        yield var_dir


def test_demo_site_has_the_ministry_columns_real_prose_and_an_admin(loaded, db, client):
    tmp_path = loaded
    home = HomePage.objects.get()
    assert home.get_site().root_page_id == home.pk
    titles = set(SectionPage.objects.values_list("title", flat=True))
    for column in ("财政新闻", "财政要闻", "领导活动", "地方财政", "媒体视点", "政策发布", "法律法规", "部门规章",
                   "规范性文件", "政策解读", "信息公开", "机构职能", "预决算公开", "财政数据", "年度报告", "依申请公开",
                   "政府采购", "采购公告", "结果公告", "更正公告", "专题专栏", "政务服务", "数据开放", "互动交流"):
        assert column in titles, column
    assert set(TopicPage.objects.values_list("title", flat=True)) == {"政府和社会资本合作", "放管服改革", "减税降费"}

    for sample in (ArticlePage.objects.order_by("?").first(), InfoPage.objects.order_by("?").first()):
        text = sample.title + sample.summary + "".join(str(block.value) for block in sample.body)
        assert not re.search(r"lorem|ipsum", text, re.I)
        assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 200

    years = {d.year for d in ArticlePage.objects.values_list("first_published_at", flat=True)}
    assert len(years) >= 3
    assert client.get("/news/").status_code == 200
    assert client.get("/").status_code == 200

    assert SiteIdentity.for_site(home.get_site()).site_code
    assert NavigationSettings.for_site(home.get_site()).main_menu_items.count() == len(TREE) + 1
    assert (tmp_path / "demo-admin.txt").exists()
    password = (tmp_path / "demo-admin.txt").read_text().strip()
    assert client.login(username="admin", password=password)

    # A newcomer gets through the staff second factor with the recovery code the command printed.
    client.logout()
    code = re.search(r"二次验证 admin：恢复码 (\w+)", PRINTED.getvalue())[1]
    client.post("/admin/login/", {"username": "admin", "password": password})
    assert client.post("/admin/2fa/", {"token": code})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_loading_the_demo_twice_changes_nothing(loaded, db):
    tmp_path = loaded

    def snapshot():
        return (Page.objects.count(), sorted(Page.objects.values_list("url_path", flat=True)),
                Department.objects.count(), Theme.objects.count(), Region.objects.count())

    before = snapshot()
    password = (tmp_path / "demo-admin.txt").read_text()

    with override_settings(VAR_DIR=tmp_path):
        call_command("load_demo", stdout=open("/dev/null", "w"))

    assert snapshot() == before
    assert (tmp_path / "demo-admin.txt").read_text() == password


def test_demo_staff_are_explicitly_exempt_from_the_password_age_rule(loaded, db):
    """make run stays usable however old the demo database: load_demo flags its staff accounts (and only them)."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from portal.models import PasswordAgeExemption
    from portal.passwords import password_expired

    admin = get_user_model().objects.get(username="admin")
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=400)

    assert PasswordAgeExemption.objects.filter(user=admin).exists()
    assert not password_expired(admin, now=later)
    assert all(exemption.user.is_staff or exemption.user.is_superuser or exemption.user.groups.exists()
               for exemption in PasswordAgeExemption.objects.select_related("user"))


def test_the_annual_report_column_holds_one_generated_report_per_past_year_and_no_prose(loaded, db, client):
    from django.utils import timezone

    from content.models import PolicyKind, PolicyPage
    from disclosure.models import DisclosureReportPage, DisclosureRequest

    column = SectionPage.objects.get(slug="annual-reports")
    assert not InfoPage.objects.child_of(column).exists()
    this_year = timezone.localdate().year
    reports = DisclosureReportPage.objects.child_of(column).live()
    assert sorted(reports.values_list("year", flat=True)) == [this_year - 2, this_year - 1]
    last = reports.get(year=this_year - 1)
    new = {row["key"]: row["total"] for row in last.tables["applications"]}["new"]
    assert new == DisclosureRequest.objects.filter(received_on__year=this_year - 1).count() > 50
    # The demo's policies carry their kind: the report counts the 部门规章 column's rules.
    assert PolicyPage.objects.filter(kind=PolicyKind.REGULATION).exists()
    assert {row["key"]: row for row in last.tables["policies"]}["regulation"]["in_force"] > 0
    page = client.get(last.url).text
    assert "行政许可" in page and last.proactive_other[:20] in page
