"""A researcher uses the open-data catalog: finds a dataset through a facet, previews it, downloads its CSV,
applies for a 有条件开放 dataset; staff approve in the admin; the key then opens the data API."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from opendata.models import AccessApplication
from opendata.rules import AccessStatus, FieldType, OpenType
from tests.content.factories import ThemeFactory
from tests.factories import SectionPageFactory, UserFactory
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, PublisherFactory, declare, ingested

HEADER = "月份,科目,金额（亿元）,同比增长（%）"
RESEARCHER = {
    "申请人姓名": "王研究",
    "工作单位": "中央财经大学",
    "电子邮箱": "wang@example.edu.cn",
    "联系电话": "010-62288114",
    "用途说明": "研究中央对地方转移支付的结构与效果，仅用于学术论文，不对外提供原始数据。",
}


@pytest.fixture(autouse=True)
def opendata_settings(settings, tmp_path):
    """Uploaded files in a fresh directory; downloads, applications and API calls not rate limited here."""
    from django.core.cache import cache

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.OPENDATA_DOWNLOAD_RATE = "100000/m"
    settings.OPENDATA_API_IP_RATE = "100000/m"
    settings.OPENDATA_API_KEY_RATE = "100000/m"
    settings.OPENDATA_APPLY_RATE = "100000/m"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalog(home):
    """Three datasets from two publishers: two open, one 有条件开放, each with a small CSV imported."""
    open_data = SectionPageFactory(parent=home, title="数据开放", slug="open-data")
    budget = PublisherFactory(name="财政部预算司", slug="budget")
    treasury = PublisherFactory(name="财政部国库司", slug="treasury")
    budget_theme = ThemeFactory(name="预算管理", slug="budget-theme")
    treasury_theme = ThemeFactory(name="国库管理", slug="treasury-theme")

    monthly = DatasetPageFactory(parent=open_data, slug="budget-monthly", code="000014349/00001",
                                 title="全国一般公共预算收支月度数据", publisher=budget, theme=budget_theme)
    declare(monthly, ("month", "月份", FieldType.DATE, True), ("item", "科目", FieldType.STRING, True),
            ("amount", "金额（亿元）", FieldType.DECIMAL, True), ("growth", "同比增长（%）", FieldType.DECIMAL))
    ingested(monthly, BUDGET_CSV.encode("gbk"), name="预算收支月度.csv")

    payments = DatasetPageFactory(parent=open_data, slug="treasury-payments", code="000014350/00001",
                                  title="国库集中支付月度统计", publisher=treasury, theme=treasury_theme,
                                  summary="中央预算单位国库集中支付金额的月度统计。")
    ingested(payments, BUDGET_CSV.encode())

    transfers = DatasetPageFactory(parent=open_data, slug="transfer-details", code="000014350/00002",
                                   title="中央对地方转移支付明细", publisher=treasury, theme=treasury_theme,
                                   open_type=OpenType.CONDITIONAL, open_condition="用于学术研究，须说明用途",
                                   summary="分省份、分项目的中央对地方转移支付明细。")
    transfers_resource = ingested(transfers, BUDGET_CSV.encode())
    return {"monthly": monthly, "transfers": transfers, "transfers_resource": transfers_resource}


def test_researcher_finds_previews_downloads_applies_and_queries_with_an_approved_key(
    page, live_server, catalog, login, screenshot
):
    monthly, transfers = catalog["monthly"], catalog["transfers"]

    # The catalog, narrowed to one publisher through its facet.
    page.goto(live_server.url + "/open-data/catalog/")
    expect(page.get_by_text("共 3 个数据资源")).to_be_visible()
    facets = page.get_by_role("complementary", name="筛选")
    facets.get_by_role("link", name=re.compile("^财政部预算司")).click()
    expect(page).to_have_url(re.compile(r"[?&]publisher=budget"))
    expect(page.get_by_text("共 1 个数据资源")).to_be_visible()
    expect(page.locator(".catalog__item")).to_have_count(1)
    expect(page.locator(".catalog__item")).to_contain_text("财政部预算司")
    expect(facets.get_by_role("link", name=re.compile("^财政部预算司"))).to_have_attribute("aria-current", "true")
    screenshot(page, "opendata-catalog")

    # The dataset page: its data dictionary and the first rows.
    page.get_by_role("link", name=monthly.title).click()
    expect(page).to_have_url(live_server.url + monthly.url)
    expect(page.get_by_role("heading", name=monthly.title, level=1)).to_be_visible()
    dictionary = page.locator(".dataset__dictionary")
    expect(dictionary.locator("tbody tr")).to_have_count(4)
    expect(dictionary.get_by_role("row", name=re.compile("^amount"))).to_contain_text("金额（亿元）")
    preview = page.locator(".dataset__preview")
    expect(preview.locator("thead th")).to_have_text(HEADER.split(","))
    expect(preview.locator("tbody tr")).to_have_count(4)
    expect(preview.locator("tbody tr").first).to_contain_text("税收收入")
    expect(preview).to_contain_text("18845.6")
    screenshot(page, "opendata-dataset")

    # The CSV download: UTF-8 with a BOM (so Excel reads the Chinese), the header row first.
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    content = open(download.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf"), content[:20]
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 5 and lines[1].startswith("2025-01-31,税收收入,18845.6")

    # The 有条件开放 dataset: found through the open-type facet; metadata shown, data withheld, apply.
    page.goto(live_server.url + "/open-data/catalog/")
    page.get_by_role("complementary", name="筛选").get_by_role("link", name=re.compile("^有条件开放")).click()
    expect(page.locator(".catalog__item")).to_have_count(1)
    page.get_by_role("link", name=transfers.title).click()
    expect(page.get_by_role("heading", name=transfers.title, level=1)).to_be_visible()
    expect(page.get_by_text("本数据资源为有条件开放，数据仅向获批接口密钥的申请人提供。")).to_be_visible()
    expect(page.get_by_role("link", name="下载 CSV")).to_have_count(0)
    page.get_by_role("link", name="申请使用").click()

    expect(page.get_by_role("heading", name="申请使用数据资源")).to_be_visible()
    expect(page.get_by_text("用于学术研究，须说明用途")).to_be_visible()
    for label, value in RESEARCHER.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("我承诺按开放条件使用数据").check()
    page.get_by_role("button", name="提交申请").click()

    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(transfers.title)
    application = AccessApplication.objects.get()
    assert application.status == AccessStatus.PENDING and application.dataset_id == transfers.pk
    expect(page.locator("[data-application-id]")).to_have_text(str(application.pk))

    resource_id = catalog["transfers_resource"].pk
    rows_url = f"{live_server.url}/api/data/v1/resources/{resource_id}/rows"
    # Before approval: no key, no data.
    refused = page.request.get(rows_url)
    assert refused.status == 401, refused.text()
    assert refused.json()["detail"]

    # Staff approve in the admin and see the key once.
    staff = UserFactory(username="shuju_shenhe", is_staff=True, is_superuser=True)
    desk = login(staff)
    desk.goto(live_server.url + "/admin/open-data/access/")
    row = desk.get_by_role("row", name=re.compile("王研究"))
    expect(row).to_contain_text(transfers.title)
    row.get_by_role("link", name=str(application.pk)).click()
    expect(desk.get_by_role("main")).to_contain_text(RESEARCHER["用途说明"])
    desk.get_by_role("button", name="批准并签发接口密钥").click()
    issued = desk.get_by_role("status").filter(has_text="已批准，接口密钥已签发")
    expect(issued).to_be_visible()
    key = desk.locator("[data-api-key]").inner_text().strip()
    assert key.startswith("jcd_"), key
    screenshot(desk, "opendata-access-approved")

    desk.goto(desk.url)  # the same application page, opened again: the key is not shown a second time
    expect(desk.locator("[data-api-key]")).to_have_count(0)
    expect(desk.get_by_role("main")).not_to_contain_text(key)
    assert AccessApplication.objects.get().status == AccessStatus.APPROVED
    # The applicant got the same key by email.
    assert any(key in message.body and "wang@example.edu.cn" in message.to for message in mail.outbox)

    # With the key: rows. Without it: 401 with a JSON message.
    answered = page.request.get(rows_url, headers={"X-API-Key": key})
    assert answered.status == 200, answered.text()
    body = answered.json()
    assert len(body["records"]) == 4
    assert [field["label"] for field in body["fields"]] == HEADER.split(",")
    assert "税收收入" in {str(value) for record in body["records"] for value in record.values()}

    anonymous = page.request.get(rows_url)
    assert anonymous.status == 401
    assert anonymous.headers["content-type"].startswith("application/json")
    assert anonymous.json()["detail"]
    wrong = page.request.get(rows_url, headers={"X-API-Key": key[:-4] + "0000"})
    assert wrong.status == 403, wrong.text()
