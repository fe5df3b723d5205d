"""The demo's front doors: the four columns become their page types in place, and running it again changes nothing."""

from wagtail.models import Page

from opendata.models import OpenDataPage
from demo.front_doors import build_front_doors
from portal.models import MainMenuItem, NavigationSettings, ServiceShortcut
from services_hall.models import DisclosureRequestPage, InteractionPage, ServiceGuidePage, ServicesHallPage
from tests.factories import InfoPageFactory, SectionPageFactory
from tests.services_hall.factories import ServiceGuidePageFactory


def test_the_columns_become_front_doors_at_the_same_address_with_their_links_and_children(client, home):
    services = SectionPageFactory(parent=home, title="政务服务", slug="services")
    guide = ServiceGuidePageFactory(parent=services, slug="zhengfu-xinxi-gongkai-shenqing", title="政府信息公开申请")
    interaction = SectionPageFactory(parent=home, title="互动交流", slug="interaction")
    InfoPageFactory(parent=interaction, title="关于《预算绩效管理办法（征求意见稿）》公开征求意见的通知")
    SectionPageFactory(parent=home, title="数据开放", slug="open-data")
    disclosure = SectionPageFactory(parent=home, title="信息公开", slug="disclosure")
    reports = SectionPageFactory(parent=disclosure, title="年度报告", slug="annual-reports")
    on_request = SectionPageFactory(parent=disclosure, title="依申请公开", slug="on-request")
    menu = MainMenuItem.objects.create(settings=NavigationSettings.for_site(home.get_site()), link_page=services)

    build_front_doors(home)
    build_front_doors(home)  # again: nothing changes

    hall = Page.objects.get(pk=services.pk).specific
    assert isinstance(hall, ServicesHallPage) and hall.url == "/services/"
    assert hall.letters_page_id == interaction.pk
    assert isinstance(Page.objects.get(pk=interaction.pk).specific, InteractionPage)
    assert isinstance(Page.objects.get(url_path=f"{home.url_path}open-data/").specific, OpenDataPage)
    door = Page.objects.get(pk=on_request.pk).specific
    assert isinstance(door, DisclosureRequestPage)
    assert (door.application_guide_id, door.annual_reports_id) == (guide.pk, reports.pk)
    assert MainMenuItem.objects.get(pk=menu.pk).link_page_id == services.pk
    assert ServiceGuidePage.objects.get(pk=guide.pk).theme == "政务公开"
    assert hall.get_latest_revision().content_type.model_class() is ServicesHallPage  # the admin edits the new type

    shortcuts = {s.label: s.link_url or s.link_page.url for s in ServiceShortcut.objects.filter(home=home)}
    assert shortcuts["办件查询"] == "/hall/inquiry/" and shortcuts["咨询投诉"] == "/interaction/"
    assert ServiceShortcut.objects.filter(home=home).count() == 6

    for path in ("/services/", "/interaction/", "/open-data/", "/disclosure/on-request/"):
        assert client.get(path).status_code == 200, path
    assert "征求意见稿" in client.get("/interaction/").content.decode()
