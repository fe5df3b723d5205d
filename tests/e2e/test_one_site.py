"""One site: from the home page, by clicking only visible links, a citizen reaches every capability within the
click budget (two clicks, three for 我的办件), and each page shows where it sits in the site."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from demo.front_doors import build_front_doors
from demo.services_hall import build_service_guides, ensure_calendar_and_staff_groups
from opendata.models import OpenDataPage
from portal.models import SectionPage
from services_hall.models import Letter
from services_hall.services import letter_reply, letter_submit
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, PublisherFactory, ingested
from tests.services_hall.factories import ApplicantFactory, staff_user

PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture
def one_site(demo_site, settings, tmp_path):
    """The demo site with its front doors, the demo's matters, one dataset with data, one published reply, one
    applicant, and the search index built."""
    from search.indexing import rebuild

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.OPENDATA_DOWNLOAD_RATE = "100000/m"
    ensure_calendar_and_staff_groups()
    build_service_guides(parent=SectionPage.objects.get(url_path=f"{demo_site.url_path}services/"))
    build_front_doors(demo_site)
    door = OpenDataPage.objects.get()
    dataset = DatasetPageFactory(parent=door, slug="budget-monthly", code="000014349/00001",
                                 title="全国一般公共预算收支月度数据",
                                 publisher=PublisherFactory(name="预算司", slug="budget"))
    ingested(dataset, BUDGET_CSV.encode())
    letter = letter_submit(kind=Letter.Kind.CONSULTATION, subject="代理记账资格审批需要多长时间？",
                           body="请问材料齐全后多少个工作日办结？", name="王小明", phone="13900001111",
                           consent_publish=True)
    letter_reply(letter=letter, actor=staff_user("受理员", "shouli"), department="会计司",
                 body="材料齐全的，自受理之日起10个工作日内办结。")
    cache.clear()
    rebuild()
    return {"applicant": ApplicantFactory(), "dataset": dataset, "letter": letter}


class Visitor:
    """Starts at the home page and counts the clicks it takes; only visible links may be clicked."""

    def __init__(self, page, live_server):
        self.page, self.base, self.clicks = page, live_server.url, 0

    def start(self):
        self.page.goto(self.base + "/")
        self.clicks = 0

    def click(self, locator):
        locator = locator.first
        expect(locator).to_be_visible()
        locator.click()
        self.clicks += 1

    def link(self, name: str, *, within=None, exact: bool = True):
        scope = within if within is not None else self.page
        self.click(scope.get_by_role("link", name=name, exact=exact))

    def menu(self, name: str):
        self.link(name, within=self.page.get_by_role("navigation", name="主导航"))

    def shortcut(self, name: str):
        self.click(self.page.locator(".panel--services").get_by_role("link", name=name))

    def log_in_if_asked(self, username: str):
        if "/hall/login/" in self.page.url:
            self.page.get_by_label("统一社会信用代码 / 身份证号 / 邮箱").fill(username)
            self.page.locator("#id_password").fill(PASSWORD)
            self.page.get_by_role("button", name="登录", exact=True).click()

    def breadcrumb(self):
        return self.page.get_by_role("navigation", name="当前位置")


def test_every_capability_is_a_click_or_two_from_the_home_page(page, live_server, one_site, screenshot):
    visitor = Visitor(page, live_server)
    applicant = one_site["applicant"]

    # A service guide: 政务服务 → the matter.
    visitor.start()
    visitor.menu("政务服务")
    expect(page.get_by_role("heading", name="政务服务", level=1)).to_be_visible()
    visitor.link("代理记账资格审批", within=page.locator(".matter-table"))
    expect(page.get_by_role("heading", name="代理记账资格审批", level=1)).to_be_visible()
    expect(visitor.breadcrumb()).to_contain_text("政务服务")
    assert visitor.clicks <= 2

    # The filing form, after logging in: 政务服务 → 在线申报 of the matter.
    visitor.start()
    visitor.menu("政务服务")
    row = page.locator(".matter-table tr", has=page.get_by_role("link", name="代理记账资格审批", exact=True))
    visitor.link("在线申报", within=row, exact=False)
    visitor.log_in_if_asked(applicant.user.username)
    expect(page.get_by_role("heading", name="代理记账资格审批", level=1)).to_be_visible()
    expect(page.locator(".hall-kicker")).to_have_text("在线申报")
    expect(visitor.breadcrumb()).to_contain_text("政务服务")
    assert visitor.clicks <= 2

    # 办件查询: the home shortcut goes straight there.
    visitor.start()
    visitor.shortcut("办件查询")
    expect(page.get_by_role("heading", name="办件查询", level=1)).to_be_visible()
    expect(visitor.breadcrumb()).to_contain_text("政务服务")
    assert visitor.clicks <= 2

    # 我的办件 (logged in above): 政务服务 → 我的办件.
    visitor.start()
    visitor.menu("政务服务")
    visitor.link("我的办件", within=page.locator("main"), exact=False)
    visitor.log_in_if_asked(applicant.user.username)
    expect(page.get_by_role("heading", name="我的办件", level=1)).to_be_visible()
    assert visitor.clicks <= 3

    # 写信: 互动交流 → 写咨询.
    visitor.start()
    visitor.menu("互动交流")
    visitor.link("写咨询 政策、办事问题咨询")
    expect(page).to_have_url(live_server.url + "/hall/letters/write/?kind=consultation")
    expect(page.get_by_label("咨询")).to_be_checked()
    expect(visitor.breadcrumb()).to_contain_text("互动交流")
    assert visitor.clicks <= 2

    # 留言选登 with the published reply: 互动交流 → the letter.
    visitor.start()
    visitor.menu("互动交流")
    visitor.link("[咨询] 代理记账资格审批需要多长时间？")
    expect(page.get_by_text("材料齐全的，自受理之日起10个工作日内办结。")).to_be_visible()
    expect(visitor.breadcrumb()).to_contain_text("留言选登")
    assert visitor.clicks <= 2

    # The catalog: 数据开放.
    visitor.start()
    visitor.menu("数据开放")
    expect(page.get_by_role("complementary", name="筛选")).to_be_visible()
    assert visitor.clicks <= 2

    # A dataset's preview: 数据开放 → the dataset.
    visitor.start()
    visitor.menu("数据开放")
    visitor.link("全国一般公共预算收支月度数据")
    expect(page.locator("#preview-heading")).to_contain_text("数据预览")
    expect(visitor.breadcrumb()).to_contain_text("数据开放")
    assert visitor.clicks <= 2

    # The data API docs: 数据开放 → 数据接口文档.
    visitor.start()
    visitor.menu("数据开放")
    visitor.link("数据接口文档", within=page.locator(".front-door__head"))
    expect(page.locator("#swagger-ui")).to_contain_text("金财门户数据开放接口")
    expect(visitor.breadcrumb()).to_contain_text("数据开放")
    assert visitor.clicks <= 2

    # The 依申请公开 application: the home shortcut → 在线申请.
    visitor.start()
    visitor.shortcut("依申请公开")
    visitor.link("在线申请 登录后网上提交申请")
    visitor.log_in_if_asked(applicant.user.username)
    expect(page.get_by_role("heading", name="政府信息公开申请", level=1)).to_be_visible()
    assert visitor.clicks <= 2

    # Search results: the search box in the header.
    visitor.start()
    page.get_by_role("searchbox", name="站内搜索").fill("代理记账")
    visitor.click(page.get_by_role("button", name="搜索", exact=True))
    expect(page.locator("main")).to_contain_text("代理记账资格审批")
    assert visitor.clicks <= 2


def page_types(one_site) -> list[tuple[str, str]]:
    """One address of every page type: each Wagtail page type, the front doors and the app views."""
    from content.models import ArticlePage, InterpretationPage, PolicyPage, ProcurementNoticePage, TopicPage
    from portal.models import InfoPage
    from services_hall.models import ServiceGuidePage

    first = {model.__name__: model.objects.live().public().order_by("path").first().url
             for model in (ArticlePage, PolicyPage, InterpretationPage, ProcurementNoticePage, TopicPage, InfoPage,
                           ServiceGuidePage)}
    return [
        ("home", "/"), ("section", "/news/"), ("article", first["ArticlePage"]), ("policy", first["PolicyPage"]),
        ("interpretation", first["InterpretationPage"]), ("notice", first["ProcurementNoticePage"]),
        ("topic", first["TopicPage"]), ("info", first["InfoPage"]), ("guide", first["ServiceGuidePage"]),
        ("dataset", one_site["dataset"].url), ("hall", "/services/"), ("catalog", "/open-data/"),
        ("developers", "/open-data/developers/"), ("interaction", "/interaction/"),
        ("disclosure", "/disclosure/on-request/"), ("inquiry", "/hall/inquiry/"), ("login", "/hall/login/"),
        ("register", "/hall/register/"), ("letters", "/hall/letters/"),
        ("letter", f"/hall/letters/{one_site['letter'].tracking_number}/"), ("write", "/hall/letters/write/"),
        ("letter-statistics", "/hall/letters/statistics/"), ("search", "/search/?q=代理记账"),
        ("not-found", "/no-such-page/"),
    ]


def test_every_page_type_fits_a_phone_passes_axe_and_the_nu_html_checker(
    browser, live_server, one_site, screenshot, tmp_path
):
    """At 360 px nothing scrolls sideways (also in 长者模式); axe-core finds no serious or critical violation;
    the Nu HTML checker finds no error. The front doors are also photographed at 1280 and 360 px."""
    checkers = page_checkers()
    pages = tmp_path / "pages"
    pages.mkdir()
    failures: list[str] = []
    for elder in (False, True):
        # bypass_csp: the site's CSP rightly refuses the inline axe-core script the test itself injects.
        context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 780}, bypass_csp=True)
        if elder:
            context.add_init_script("localStorage.setItem('jincai-elder', '1')")
        page = context.new_page()
        for name, path in page_types(one_site):
            response = page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                failures.append(f"{name}{' 长者模式' if elder else ''} {path}: {width} px wide at 360 px")
            if elder:
                continue
            (pages / f"{name}.html").write_bytes(response.body())
            page.add_script_tag(path=str(checkers / "axe-core" / "axe.min.js"))
            violations = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
            )
            failures += [f"{name} {path}: axe {violation}" for violation in violations]
        context.close()
    failures += nu_errors(checkers, pages)

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    for path, name in (("/services/", "hall"), ("/open-data/", "catalog"), ("/interaction/", "interaction")):
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + path)
            expect(page.get_by_role("navigation", name="当前位置")).to_be_visible()
            screenshot(page, f"front-door-{name}-{width}")
    context.close()

    assert not failures, "\n".join(failures)


def page_checkers():
    """axe-core and vnu-jar as scripts/checkers.sh installed them (under CI a missing one fails the run)."""
    import os
    import shutil
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.BASE_DIR) / "var" / "checkers" / "node_modules"
    folder = Path(os.environ.get("JINCAI_CHECKERS", folder))
    if not (folder / "axe-core" / "axe.min.js").exists() or not (folder / "vnu-jar").exists() or not shutil.which("java"):
        message = f"{folder} 中没有 axe-core / vnu-jar（或没有 java）：运行 `bash scripts/checkers.sh ensure` 后可运行此测试"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return folder


def nu_errors(checkers, folder) -> list[str]:
    """The Nu HTML checker's errors over every saved page, one line each."""
    import json
    import subprocess

    jar = checkers / "vnu-jar" / "build" / "dist" / "vnu.jar"
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json",
                             *map(str, sorted(folder.glob("*.html")))],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [f"{m['url'].rsplit('/', 1)[-1]} line {m.get('lastLine')}: Nu {m['message']}" for m in messages]
