"""The 部门 facet: one office under one name whatever the source calls it, and a long list folded, not cut off."""

import re

from opendata.models import DatasetPage
from tests.content.factories import ArticlePageFactory, DepartmentFactory, PolicyPageFactory
from tests.factories import SectionPageFactory
from tests.opendata.factories import DatasetPageFactory, PublisherFactory


def departments(client, q: str) -> dict[str, int]:
    page = client.get("/search/", {"q": q})
    groups = {group["name"]: group for group in page.context["facet_groups"]}
    group = groups["department"]
    return {item["value"].label: item["value"].count for item in [*group["values"], *group["more"]]}


def test_one_office_named_three_ways_is_one_facet_value(client, home, section, site_index):
    policies = SectionPageFactory(parent=home, title="政策发布", slug="policies", listing_kind="policy")
    office = DepartmentFactory(name="财政部政府采购管理办公室", code="000014351")
    PolicyPageFactory(parent=policies, title="政府采购需求管理办法", issuing_authority=office)
    ArticlePageFactory(parent=section, title="政府采购透明度稳步提升",
                       department=DepartmentFactory(name="财政部国库司（政府采购管理办公室）", code="000014399"))
    data = SectionPageFactory(parent=home, title="数据开放", slug="open-data")
    DatasetPageFactory(parent=data, slug="caigou", code="000014351/00001", title="全国政府采购统计",
                       publisher=PublisherFactory(name="政府采购管理办公室", slug="procurement"))
    site_index()

    assert departments(client, "政府采购") == {"国库司（政府采购管理办公室）": 3}


def test_a_long_department_list_folds_its_tail_under_more(client, home, section, site_index):
    for n in range(12):
        ArticlePageFactory(parent=section, title=f"预算执行情况通报{n}",
                           department=DepartmentFactory(name=f"第{n:02d}司", code=f"000015{n:03d}"))
    site_index()

    html = client.get("/search/", {"q": "预算执行"}).content.decode()

    assert len(departments(client, "预算执行")) == 12
    assert re.search(r'<details class="search-facet__more">\s*<summary>更多部门（4）</summary>', html)
