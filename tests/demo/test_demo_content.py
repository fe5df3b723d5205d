"""The demo's editorial content: enough of each kind, coherent metadata, full procurement timelines, topics
that fill themselves, and pages that render. The site is built once per test run and copied for the module
(tests/demo_snapshot.py)."""

import datetime as dt
import re
from collections import defaultdict

import pytest
from django.utils import timezone

from content import listings, rules
from content.models import (
    ArticlePage,
    Department,
    InterpretationForm,
    InterpretationPage,
    NoticeType,
    PolicyPage,
    ProcurementNoticePage,
    Region,
    Theme,
    TopicPage,
    Validity,
)
from demo import editorial
from demo.site import build_demo_site
from tests.demo.builds import JUDGMENTS_DAY, site_and_services
from tests.demo_snapshot import demo_database

TODAY = JUDGMENTS_DAY
# What is checked here is what demo/ wrote (Python's prose, numbers and timelines), read back by plain filters: the
# same on every database, so checked in the SQLite pass. The PostgreSQL pass builds and loads the whole demo twice
# (tests/demo/test_load_demo.py), and renders columns, pages and their filters from factories (tests/content,
# tests/portal).
pytestmark = pytest.mark.same_on_every_database
RESULT_TYPES = {NoticeType.AWARD, NoticeType.DEAL, NoticeType.CONTRACT}
FIRST_TYPES = {NoticeType.INTENTION} | set(editorial.TENDER_TITLE)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_shared):
    """The demo site, built once per run (tests/demo_snapshot.py), copied for the module and put back after."""
    from portal.models import HomePage

    key, build = site_and_services(TODAY)  # the search judgments' demo: one build serves both modules
    with django_db_blocker.unblock(), demo_database(shared=demo_shared, key=key, build=build) as built:
        yield HomePage.objects.get(pk=built["home"])


@pytest.fixture
def site(demo, db):
    return demo


# --- taxonomy ---------------------------------------------------------------------------------------------


def test_the_ministry_its_departments_themes_and_regions_are_seeded(site):
    ministry = Department.objects.get(code=editorial.MINISTRY_CODE)
    assert ministry.name == "中华人民共和国财政部"
    assert re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", ministry.uscc)
    assert editorial.uscc_with_check(ministry.uscc[:17]) == ministry.uscc
    short_names = set(Department.objects.values_list("short_name", flat=True))
    for name in ("办公厅", "条法司", "税政司", "预算司", "国库司", "会计司", "监督评价局", "政府采购管理办公室", "债务管理司"):
        assert name in short_names, name
    assert all(re.fullmatch(r"[a-z-]+", slug) for slug in Theme.objects.values_list("slug", flat=True))
    assert {"预算管理", "国库管理", "税收政策", "政府采购", "会计管理", "债务管理", "财政监督"} <= set(
        Theme.objects.values_list("name", flat=True))
    provinces = Region.objects.filter(code__endswith="0000")
    assert provinces.count() == 31
    assert Region.objects.get(code="110000").name == "北京市"
    assert Region.objects.get(code="510400").name == "攀枝花市"


# --- volumes and metadata ---------------------------------------------------------------------------------


def test_there_are_hundreds_of_articles_with_sources_themes_and_structured_bodies(site):
    articles = ArticlePage.objects.live()
    assert articles.count() >= 300
    assert not articles.filter(source="").exists()
    assert not articles.filter(author="").exists()
    assert not articles.filter(theme=None).exists()
    assert not articles.filter(department=None).exists()
    block_types = [{block.block_type for block in article.body} for article in articles]
    assert sum("heading" in types for types in block_types) >= 250
    assert sum("table" in types for types in block_types) >= 10
    years = {day.year for day in articles.values_list("date", flat=True)}
    assert len(years) >= 3
    assert min(articles.values_list("date", flat=True)) >= TODAY - dt.timedelta(days=365 * 3)


def test_policies_carry_numbers_that_match_their_department_and_dates_in_order(site):
    policies = PolicyPage.objects.live().select_related("department", "issuing_authority")
    assert policies.count() >= 80
    prefixes = {dept.name: dept.prefix for dept in editorial.DEPARTMENTS}
    numbered = 0
    for policy in policies:
        assert policy.written_date < policy.date
        assert re.fullmatch(r"\w+/\d{4}-\d{5}", policy.index_number)
        assert policy.index_number.startswith(f"{policy.issuing_authority.code}/{policy.written_date.year}-")
        match = re.fullmatch(r"(财\w+)〔(\d{4})〕(\d+)号", policy.document_number)
        if match:
            numbered += 1
            assert match[1] == prefixes[policy.department.short_name], policy.document_number
            assert int(match[2]) == policy.written_date.year
        else:
            assert re.fullmatch(r"财政部令第\d+号|中华人民共和国(主席令|国务院令)第\w+号|财政部 税务总局公告\d{4}年第\d+号",
                                policy.document_number), policy.document_number
    assert numbered >= 30
    assert len(set(policies.values_list("index_number", flat=True))) == policies.count()


def test_repealed_expired_and_amended_policies_point_to_a_newer_live_policy_on_the_same_subject(site):
    replaced = PolicyPage.objects.exclude(validity=Validity.VALID).select_related("replaced_by")
    assert replaced.count() >= 6
    assert {Validity.REPEALED, Validity.EXPIRED, Validity.AMENDED} <= set(replaced.values_list("validity", flat=True))
    for old in replaced:
        new = old.replaced_by
        assert new is not None and new.live and new.validity == Validity.VALID
        assert new.date > old.date
        assert old.validity_changed_on == new.date
        subject = re.search(r"《(.+?)》", old.title)
        subject = subject[1] if subject else old.title.removeprefix("财政部 税务总局关于").removesuffix("有关事项的公告")
        assert subject in new.title


def test_at_least_twenty_policies_have_interpretations_that_speak_of_them(site):
    interpretations = InterpretationPage.objects.live().select_related("policy")
    assert interpretations.count() >= 24
    assert PolicyPage.objects.filter(interpretations__isnull=False).distinct().count() >= 20
    assert interpretations.filter(form=InterpretationForm.GRAPHIC).exists()
    assert interpretations.filter(form=InterpretationForm.TEXT).count() > interpretations.count() / 2
    for interpretation in interpretations:
        document = re.search(r"《(.+?)》", interpretation.title)[1]
        assert document in interpretation.policy.title
        assert interpretation.date >= interpretation.policy.date


# --- procurement ------------------------------------------------------------------------------------------


def _projects() -> dict[str, list[ProcurementNoticePage]]:
    projects = defaultdict(list)
    for notice in ProcurementNoticePage.objects.live().select_related("region"):
        projects[notice.project_code].append(notice)
    for notices in projects.values():
        notices.sort(key=lambda n: (n.date, rules.TIMELINE_STAGE[n.notice_type]))
    return projects


def test_notices_form_at_least_twenty_five_projects_with_coherent_timelines(site):
    projects = _projects()
    assert sum(len(notices) for notices in projects.values()) >= 100
    assert len(projects) >= 25
    for code, notices in projects.items():
        assert re.fullmatch(r"ZC\d{4}-\d{4}", code)
        first = notices[0]
        assert first.notice_type in FIRST_TYPES, (code, first.notice_type)
        for field in ("project_name", "procurement_method", "category", "purchaser", "agency", "region_id",
                      "budget_amount"):
            assert len({getattr(n, field) for n in notices}) == 1, (code, field)
        stages = [rules.TIMELINE_STAGE[n.notice_type] for n in notices]
        assert stages == sorted(stages), code
        assert len({n.date for n in notices}) == len(notices), code
        outcomes = [n for n in notices if n.notice_type in {NoticeType.AWARD, NoticeType.DEAL, NoticeType.TERMINATION}]
        assert len(outcomes) <= 1, code
        for notice in notices:
            if notice.notice_type in RESULT_TYPES:
                assert notice.supplier and notice.subject_matter, (code, notice.notice_type)
                assert 0 < notice.award_amount <= notice.budget_amount
            if notice.notice_type == NoticeType.OPEN_TENDER:
                local = timezone.localtime(notice.bid_deadline).date()
                assert local - notice.date >= dt.timedelta(days=20), code
            assert notice.date <= TODAY


def test_award_notices_follow_a_tender_and_every_method_gets_its_own_notice(site):
    projects = _projects()
    methods = {notices[0].procurement_method for notices in projects.values()}
    assert len(methods) >= 3
    awarded = [notices for notices in projects.values() if any(n.notice_type == NoticeType.AWARD for n in notices)]
    assert len(awarded) >= 10
    for notices in awarded:
        assert any(n.notice_type == NoticeType.OPEN_TENDER for n in notices)
    budgets = [notices[0].budget_amount for notices in projects.values()]
    assert min(budgets) >= 100_000 and max(budgets) >= 10_000_000


# --- topics -----------------------------------------------------------------------------------------------


def test_each_topic_lists_at_least_ten_tagged_entries_and_curates_some(site):
    topics = {topic.slug: topic for topic in TopicPage.objects.live()}
    assert set(topics) == {"ppp", "reform", "tax-cuts"}
    for topic in topics.values():
        assert listings.topic_entries(topic=topic).count() >= 10, topic.slug
        assert topic.introduction
        kinds = [block.block_type for block in topic.blocks]
        assert "text" in kinds and "pages" in kinds


# --- determinism ------------------------------------------------------------------------------------------


def test_plans_are_the_same_every_time():
    assert editorial.policy_plan(today=TODAY) == editorial.policy_plan(today=TODAY)
    assert editorial.procurement_plan(today=TODAY) == editorial.procurement_plan(today=TODAY)
    assert editorial.article_plan("headlines", today=TODAY) == editorial.article_plan("headlines", today=TODAY)


def test_building_again_adds_nothing(site):
    from wagtail.models import Page

    before = Page.objects.count()
    build_demo_site(today=TODAY, log=lambda *_: None)
    assert Page.objects.count() == before


# --- pages render -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/", "/news/", "/news/headlines/", "/news/?theme=tax", "/news/local/?year=2025",
    "/policies/", "/policies/normative/", "/policies/?validity=repealed", "/policies/?authority=000014349",
    "/policies/interpretations/", "/procurement/", "/procurement/?type=award", "/procurement/?type=intention",
    "/procurement/results/?type=deal", "/procurement/?category=goods&method=open_tender", "/procurement/?region=110000",
    "/procurement/corrections/", "/topics/", "/topics/ppp/", "/topics/reform/", "/topics/tax-cuts/",
    "/services/", "/disclosure/statistics/",
])
def test_columns_render_with_their_filters(site, client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("model", [ArticlePage, PolicyPage, InterpretationPage, ProcurementNoticePage])
def test_one_page_of_each_type_renders(site, client, model):
    page = model.objects.live().order_by("pk").first()
    response = client.get(page.url)
    assert response.status_code == 200
    assert page.title in response.content.decode()


def test_a_repealed_policy_links_to_its_replacement(site, client):
    old = PolicyPage.objects.filter(validity=Validity.REPEALED).select_related("replaced_by").first()
    text = client.get(old.url).content.decode()
    assert old.replaced_by.url in text
