"""The services-hall demo: real matters with their legal bases, a queue with cases in every state, and published
letters; loading it twice adds nothing. The demo is built once per test run and copied for the module
(tests/demo_snapshot.py); a test that loads it again does so inside its own transaction, rolled back. What a first
load sends is in test_services_hall_demo_first_load.py (it needs a site without the demo)."""

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.test import override_settings

from demo.services_hall import GUIDES, DemoAccount, ServicesDemo, build_services_demo
from portal.models import SectionPage
from services_hall.models import Application, ApplicationMaterial, Letter, ServiceGuidePage
from services_hall.selectors import application_deadline, application_queue, letter_public_list
from services_hall.workflow import Status
from tests.conftest import home_make
from tests.demo_snapshot import demo_database
from tests.factories import SectionPageFactory

# A Wednesday in a plain week, so the relative dates of the demo cases are easy to reason about.
TODAY = dt.date(2026, 11, 25)


def _build() -> dict:
    services = SectionPageFactory(parent=home_make(), title="政务服务", slug="services")
    demo = build_services_demo(parent=services, today=TODAY)
    return {"services": services.pk, "guides": [guide.pk for guide in demo.guides],
            "accounts": [dataclasses.asdict(account) for account in demo.accounts]}


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, demo_shared, tmp_path_factory):
    """The hall's demo under a fresh site, built once per run (tests/demo_snapshot.py) and copied for the module;
    its VAR_DIR (the demo accounts' passwords) is `var_dir`."""
    var_dir = tmp_path_factory.mktemp("var")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir), \
            demo_database(shared=demo_shared, key=f"services-hall-{TODAY}", build=_build) as built:
        yield built | {"var_dir": var_dir}


@pytest.fixture
def demo(built, db, settings) -> ServicesDemo:
    """What build_services_demo returned, over the module's copy of the demo."""
    settings.VAR_DIR = built["var_dir"]
    return ServicesDemo(guides=[ServiceGuidePage.objects.get(pk=pk) for pk in built["guides"]],
                        accounts=[DemoAccount(**account) for account in built["accounts"]])


@pytest.fixture
def column(built, demo) -> SectionPage:
    """The demo's 政务服务 column."""
    return SectionPage.objects.get(pk=built["services"])


def test_the_demo_has_at_least_eight_guides_with_legal_bases_materials_and_limits(demo):
    guides = ServiceGuidePage.objects.live()

    assert guides.count() >= 8
    titles = set(guides.values_list("title", flat=True))
    assert {"代理记账资格审批", "会计师事务所执业许可", "资产评估机构备案", "政府采购投诉处理", "政府信息公开申请"} <= titles
    for guide in guides:
        assert "《" in guide.legal_basis, guide.title
        assert guide.materials.exists(), guide.title
        assert guide.steps.exists(), guide.title
        assert guide.service_code and guide.implementing_body and guide.location and guide.office_hours
        assert guide.effective_promised_days <= guide.statutory_days
        assert "演示" in guide.consultation_phone
        assert guide.first_published_at is not None  # dated like every other entry of its column
        if guide.online_filing_open:
            assert guide.form_fields.count() >= 3, guide.title


def test_the_guides_cite_their_real_laws(demo):
    basis = {guide.title: guide.legal_basis for guide in ServiceGuidePage.objects.all()}

    assert "《代理记账管理办法》" in basis["代理记账资格审批"] and "《中华人民共和国会计法》" in basis["代理记账资格审批"]
    assert "《中华人民共和国注册会计师法》" in basis["会计师事务所执业许可"]
    assert "《会计师事务所执业许可和监督管理办法》" in basis["会计师事务所执业许可"]
    assert "《中华人民共和国资产评估法》" in basis["资产评估机构备案"]
    assert "《资产评估行业财政监督管理办法》" in basis["资产评估机构备案"]
    assert "《政府采购质疑和投诉办法》" in basis["政府采购投诉处理"]
    assert "《中华人民共和国政府信息公开条例》" in basis["政府信息公开申请"]
    bookkeeping = ServiceGuidePage.objects.get(title="代理记账资格审批")
    assert (bookkeeping.statutory_days, bookkeeping.promised_days) == (20, 10)
    assert bookkeeping.fees.startswith("不收费")


def test_most_guides_are_open_for_filing_and_the_rest_say_where_to_go(demo):
    guides = list(ServiceGuidePage.objects.all())
    open_ = [g for g in guides if g.online_filing_open]

    assert len(open_) > len(guides) / 2
    assert all(g.location for g in guides if not g.online_filing_open)


def test_every_guide_page_renders(client, demo):
    for guide in ServiceGuidePage.objects.live():
        response = client.get(guide.url)
        assert response.status_code == 200, guide.title
        text = response.content.decode()
        assert "设定依据" in text and "申请材料" in text and guide.service_code in text


def test_the_demo_fills_the_queue_with_an_overdue_case_first(demo):
    statuses = set(Application.objects.values_list("status", flat=True))

    assert {Status.SUBMITTED, Status.ACCEPTED, Status.CORRECTION, Status.UNDER_REVIEW, Status.CLOSED,
            Status.NOT_ACCEPTED} <= statuses
    queue = list(application_queue())
    first = application_deadline(application=queue[0])
    assert first.overdue
    assert queue[-1].status == Status.CORRECTION
    # Every filed case holds real, checked files.
    assert ApplicationMaterial.objects.filter(content_type="application/pdf").exists()
    assert ApplicationMaterial.objects.filter(content_type="image/png").exists()


def test_the_demo_accounts_log_in_with_the_printed_passwords(demo, settings):
    roles = {account.role: account for account in demo.accounts}

    assert set(roles) == {"演示申请人（法人）", "演示受理员", "演示审核员"}
    for account in demo.accounts:
        user = authenticate(username=account.username, password=account.password)
        assert user is not None and user.is_active, account.role
    enterprise = authenticate(username=roles["演示申请人（法人）"].username, password=roles["演示申请人（法人）"].password)
    # A licence and a complaint; its 依申请公开 requests are the disclosure app's (tests/demo/test_disclosure_demo.py).
    assert enterprise.applicant.applications.count() >= 2
    staff = authenticate(username="demo-intake", password=roles["演示受理员"].password)
    assert staff.groups.filter(name="受理员").exists()
    assert (settings.VAR_DIR / "demo-services-accounts.json").stat().st_mode & 0o077 == 0
    assert any("demo-reviewer" in line and roles["演示审核员"].password in line for line in demo.login_lines())


def test_published_letters_are_masked_and_one_letter_waits_for_its_reply(demo):
    public = letter_public_list()

    assert len(public) >= 3
    assert all("13912345678" not in letter.body for letter in public)
    assert Letter.objects.filter(state=Letter.State.RECEIVED).exists()
    assert Letter.objects.filter(state=Letter.State.REPLIED, published=False).exists()


def test_running_the_demo_again_adds_nothing_and_keeps_the_passwords(column, demo):
    counts = (ServiceGuidePage.objects.count(), Application.objects.count(), Letter.objects.count(),
              ApplicationMaterial.objects.count())

    again = build_services_demo(parent=column, today=TODAY + dt.timedelta(days=7))

    assert (ServiceGuidePage.objects.count(), Application.objects.count(), Letter.objects.count(),
            ApplicationMaterial.objects.count()) == counts
    assert [a.password for a in again.accounts] == [a.password for a in demo.accounts]
    assert [g.pk for g in again.guides] == [g.pk for g in demo.guides]


def test_the_demo_guides_are_as_many_as_the_catalogue(demo):
    assert len(demo.guides) == len(GUIDES) >= 8


def test_the_services_column_lists_the_guides(client, column, demo):
    response = client.get(column.url)

    assert response.status_code == 200
    assert "代理记账资格审批" in response.content.decode()
