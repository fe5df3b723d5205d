"""A small site for the fuzzing stage (scripts/fuzz.sh), made with the test factories in a few seconds: a home page,
news, policies with an interpretation, procurement notices, a service guide, open and conditionally open datasets
with rows, and the search index. Run with DJANGO_SETTINGS_MODULE set: python scripts/fuzz/small_site.py BASE_URL"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

from opendata.rules import OpenType  # noqa: E402
from tests.content.factories import (  # noqa: E402
    ArticlePageFactory,
    InterpretationPageFactory,
    PolicyPageFactory,
    ProcurementNoticePageFactory,
)
from tests.factories import HomePageFactory, SectionPageFactory  # noqa: E402
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, approved_key, ingested  # noqa: E402
from tests.services_hall.factories import ServiceGuidePageFactory  # noqa: E402


def main(base_url: str) -> None:
    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = HomePageFactory(parent=Page.objects.get(pk=root.pk), slug="home")
    parts = urlsplit(base_url)
    Site.objects.all().delete()
    Site.objects.create(hostname=parts.hostname, port=parts.port or 80, root_page=home, is_default_site=True,
                        site_name="金财门户")
    news = SectionPageFactory(parent=home, title="财政新闻", slug="news")
    for _ in range(6):
        ArticlePageFactory(parent=news)
    policies = SectionPageFactory(parent=home, title="政策发布", slug="policies")
    policy = None
    for _ in range(4):
        policy = PolicyPageFactory(parent=policies)
    InterpretationPageFactory(parent=policies, policy=policy)
    procurement = SectionPageFactory(parent=home, title="政府采购", slug="procurement")
    for _ in range(4):
        ProcurementNoticePageFactory(parent=procurement)
    services = SectionPageFactory(parent=home, title="政务服务", slug="services")
    ServiceGuidePageFactory(parent=services)
    open_data = SectionPageFactory(parent=home, title="数据开放", slug="open-data")
    ingested(DatasetPageFactory(parent=open_data), BUDGET_CSV.encode())
    conditional = DatasetPageFactory(parent=open_data, open_type=OpenType.CONDITIONAL, open_condition="须说明用途")
    ingested(conditional, BUDGET_CSV.encode())
    approved_key(conditional)
    call_command("search_index", "rebuild", "--no-progress", verbosity=0)
    print(f"fuzz: small site with {home.get_descendants().live().count()} pages at {base_url}")


if __name__ == "__main__":
    main(sys.argv[1])
