"""Policy, interpretation and procurement columns list rows (portal/rows.py), not page objects: a reader sees each
entry as before, as the policy page's own lists (which still render pages through components/rows/) show it."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory
from wagtail.models import Page, Site

from tests.content.factories import (
    InterpretationPageFactory,
    PolicyPageFactory,
    ProcurementNoticePageFactory,
    RegionFactory,
)

ROW_TEMPLATES = {
    "policy": "components/rows/policy.html",
    "interpretation": "components/rows/interpretation.html",
    "procurement": "components/rows/procurement.html",
}


def items(html: str) -> list[str]:
    return re.findall(r'<li class="entry-list__item">(.*?)</li>', html, re.S)


def as_pages_show_it(kind: str, pages: list[Page]) -> list[str]:
    """The rows as entry_list writes page objects through the kind's row template (the policy page's lists)."""
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    request._wagtail_site = Site.find_for_request(request)
    specific = [page.specific for page in pages]
    return items(render_to_string("components/entry_list.html",
                                  {"entries": specific, "row_template": ROW_TEMPLATES[kind], "request": request}))


@pytest.fixture
def columns(policies, interpretations, procurement):
    repealed = PolicyPageFactory(parent=policies, title="关于废止若干规范性文件的决定", validity="repealed",
                                 validity_changed_on=dt.date(2026, 1, 1))
    unnumbered = PolicyPageFactory(parent=policies, title="没有文号的通知", document_number="")
    valid = PolicyPageFactory(parent=policies, title="财政部关于印发《会计基础工作规范》的通知 <修订>")
    graphic = InterpretationPageFactory(parent=interpretations, title="一图读懂预算法", form="graphic",
                                      policy=valid)
    text = InterpretationPageFactory(parent=interpretations, title="答记者问", policy=valid)
    shanghai = ProcurementNoticePageFactory(parent=procurement, title="办公设备采购意向", notice_type="intention",
                                            region=RegionFactory(code="310000", name="上海市"),
                                            procurement_method="inquiry", category="services")
    nowhere = ProcurementNoticePageFactory(parent=procurement, title="无区划的公告", region=None)
    return {
        "policy": (policies, [repealed, unnumbered, valid]),
        "interpretation": (interpretations, [graphic, text]),
        "procurement": (procurement, [shanghai, nowhere]),
    }


@pytest.mark.parametrize("kind", ["policy", "interpretation", "procurement"])
def test_a_column_row_reads_as_the_policy_pages_own_lists_write_it(client, columns, kind):
    column, pages = columns[kind]
    shown = items(client.get(column.url).content.decode())

    assert sorted(shown) == sorted(as_pages_show_it(kind, pages))
    assert len(shown) == len(pages)


def test_policy_and_procurement_rows_show_number_validity_region_and_method(client, columns):
    policies, _ = columns["policy"]
    procurement, _ = columns["procurement"]

    policy_text = client.get(policies.url).content.decode()
    repealed = next(item for item in items(policy_text) if "关于废止若干规范性文件的决定" in item)
    assert '<span class="badge badge--muted">废止</span>' in repealed
    assert "财预〔2026〕" in repealed
    assert "&lt;修订&gt;" in policy_text  # titles are escaped as before

    notice = next(item for item in items(client.get(procurement.url).content.decode()) if "办公设备采购意向" in item)
    assert '<span class="badge badge--intention">采购意向</span>' in notice
    assert "上海市 · 询价 · 服务" in notice


def test_renaming_a_region_changes_the_procurement_column_at_once(client, columns, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    procurement, [shanghai, _] = columns["procurement"]
    assert "上海市 · " in client.get(procurement.url).content.decode()
    assert client.get(procurement.url)["X-Page-Cache"] == "hit"

    region = shanghai.region
    region.name = "上海市（直辖市）"
    with django_capture_on_commit_callbacks(execute=True):
        region.save()

    assert "上海市（直辖市） · " in client.get(procurement.url).content.decode()
    cache.clear()
