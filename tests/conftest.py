import pytest
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from demo.site import IDENTITY
from portal.models import HomePage, NavigationSettings, SiteIdentity
from tests.factories import HomePageFactory, SectionPageFactory


def tree_root() -> Page:
    """The page tree's root, made again if a live-server test's flush removed what the migrations made."""
    root = Page.get_first_root_node()
    if root is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        locale, _ = Locale.objects.get_or_create(language_code=language)
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


@pytest.fixture
def home(db) -> HomePage:
    """A fresh site whose root is a HomePage (the Wagtail welcome page removed)."""
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
