import pytest
from wagtail.models import Page, Site

from portal.models import HomePage, NavigationSettings, SiteIdentity
from tests.factories import HomePageFactory, SectionPageFactory


@pytest.fixture
def home(db) -> HomePage:
    """A fresh site whose root is a HomePage (the Wagtail welcome page removed)."""
    root = Page.get_first_root_node()
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
    settings.site_name = "金财门户"
    settings.sponsor = "中华人民共和国财政部（演示）"
    settings.organizer = "财政部信息网络中心（演示）"
    settings.address = "北京市西城区三里河南三巷3号"
    settings.postcode = "100820"
    settings.phone = "010-68551114"
    settings.site_code = "bm99000001"
    settings.icp_number = "京ICP备20260001号"
    settings.public_security_number = "京公网安备11010202026001号"
    settings.save()
    return settings


@pytest.fixture
def navigation(home) -> NavigationSettings:
    return NavigationSettings.for_site(home.get_site())
