"""The demo site: a ministry-like tree of columns filled with composed Chinese prose.

News, policy, interpretation and procurement columns hold typed content from `demo.editorial`;
the other columns hold information pages. `build_demo_site()` is idempotent: columns are found by slug,
and a column that already has entries is left alone, so running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from content.review_chain import ensure_review_chain
from guard.permissions import ensure_guard_permissions
from demo.admin_names import name_wagtail_defaults
from demo.cadence import column_dates
from demo.editorial import Editorial
from demo.prose import Composer
from search.seed import ensure_seed_synonyms
from portal.models import (
    DataHighlight,
    FooterLink,
    HomePage,
    InfoPage,
    MainMenuItem,
    NavigationSettings,
    SectionPage,
    ServiceShortcut,
    SiteIdentity,
    TopicBanner,
)

@dataclass(frozen=True)
class Column:
    title: str
    slug: str
    kind: str = ""  # the prose kind of its information pages; empty for a column of columns
    count: int = 0
    intro: str = ""
    children: tuple[Column, ...] = field(default=())
    listing: str = ""  # SectionPage.listing_kind: what the column lists
    content: str = ""  # what demo.editorial fills it with, e.g. "articles:headlines"


TREE: tuple[Column, ...] = (
    Column("财政新闻", "news", intro="发布财政工作动态、领导活动、地方财政工作和媒体报道。", listing="article", children=(
        Column("财政要闻", "headlines", listing="article", content="articles:headlines"),
        Column("领导活动", "leaders", listing="article", content="articles:leaders"),
        Column("地方财政", "local", listing="article", content="articles:local"),
        Column("媒体视点", "media", listing="article", content="articles:media"),
    )),
    Column("政策发布", "policies", intro="发布财政法律法规、部门规章、规范性文件及其解读。", listing="policy", children=(
        Column("法律法规", "laws", listing="policy", content="policies:laws"),
        Column("部门规章", "regulations", listing="policy", content="policies:regulations"),
        Column("规范性文件", "normative", listing="policy", content="policies:normative"),
        Column("政策解读", "interpretations", listing="interpretation", content="interpretations"),
    )),
    Column("信息公开", "disclosure", intro="依法主动公开机构职能、预决算、财政数据和政府信息公开年度报告。", children=(
        Column("机构职能", "functions", "org", 4),
        Column("预决算公开", "budgets", "budget", 6),
        Column("财政数据", "statistics", "data", 12),
        # Generated 政府信息公开工作年度报告 only (demo.disclosure builds one per past year of demo requests).
        Column("年度报告", "annual-reports"),
        Column("依申请公开", "on-request", "disclosure", 3),
    )),
    Column("政府采购", "procurement", intro="发布政府采购意向、采购公告、结果公告和更正公告。", listing="procurement",
           children=(
        Column("采购公告", "notices", listing="procurement", content="notices:notices"),
        Column("结果公告", "results", listing="procurement", content="notices:results"),
        Column("更正公告", "corrections", listing="procurement", content="notices:corrections"),
    )),
    Column("专题专栏", "topics", intro="围绕财政重点工作设立的专题。", content="topics"),
    # Filled with real service guides by demo.services_hall (load_demo), not composed pages.
    Column("政务服务", "services", intro="财政部门政务服务事项的办事指南、在线申报和办件查询。"),
    Column("数据开放", "open-data", "opendata", 6, intro="财政数据资源目录与开放数据服务。"),
    Column("互动交流", "interaction", "interaction", 8, intro="意见征集、在线访谈和留言答复。"),
)

IDENTITY = {
    "site_name": "金财门户",
    "sponsor": "中华人民共和国财政部（演示）",
    "organizer": "财政部信息网络中心（演示）",
    "address": "北京市西城区三里河南三巷3号",
    "postcode": "100820",
    "phone": "010-68551114",
    "site_code": "bm99000001",
    "icp_number": "京ICP备20260001号",
    "public_security_number": "京公网安备11010202026001号",
}

FOOTER_LINKS = (
    ("网站服务", "关于我们", "disclosure/functions"),
    ("网站服务", "依申请公开", "disclosure/on-request"),
    ("网站服务", "互动交流", "interaction"),
    ("相关链接", "中国政府网", "https://www.gov.cn/"),
    ("相关链接", "国家税务总局", "https://www.chinatax.gov.cn/"),
    ("相关链接", "中国政府采购网", "https://www.ccgp.gov.cn/"),
    ("相关链接", "国家统计局", "https://www.stats.gov.cn/"),
)

SHORTCUTS = (
    ("办事指南", "事项办理要求一览", "guide", "services"),
    ("在线申报", "网上提交申请材料", "apply", "services"),
    ("办件查询", "凭申报号查询进度", "query", "services"),
    ("咨询投诉", "留言咨询与监督投诉", "letter", "interaction"),
    ("依申请公开", "申请获取政府信息", "download", "disclosure/on-request"),
    ("数据开放", "财政数据资源目录", "data", "open-data"),
)

# Published national figures for 2024 (final accounts), rounded as the ministry reports them.
HIGHLIGHTS = (
    ("全国一般公共预算收入", "21.97", "万亿元", "2024年", "同比增长1.3%"),
    ("全国一般公共预算支出", "28.46", "万亿元", "2024年", "同比增长3.6%"),
    ("新增地方政府专项债券", "3.9", "万亿元", "2024年", "额度"),
    ("中央对地方转移支付", "10.2", "万亿元", "2024年", "预算数"),
)

TOPICS = (
    ("政府和社会资本合作", "规范推进 PPP 新机制", "topics/ppp"),
    ("放管服改革", "简政放权 优化服务", "topics/reform"),
    ("减税降费", "政策直达 惠企利民", "topics/tax-cuts"),
)


def build_demo_site(*, today: dt.date | None = None, log=print) -> HomePage:
    today = today or timezone.localdate()
    with transaction.atomic():
        home = _home_page()
        editorial = Editorial(today=today, home=home)
        # Every column first, then their entries: a topic links to columns that come after it in the menu.
        sections = [pair for column in TREE for pair in _build_column(column, parent=home)]
        for column, section in sections:
            _fill(column, section, today=today, log=log, editorial=editorial)
        _curate_home(home)
        _site_settings(home)
        # Made by migrations; made again here if the database was flushed since (as browser tests do).
        ensure_review_chain()
        ensure_guard_permissions()
        ensure_seed_synonyms()
        name_wagtail_defaults()  # 根目录 and the unused default task, not "Root" and "Moderators approval"
    return home


def _home_page() -> HomePage:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    existing = HomePage.objects.first()
    if existing is None:
        root = Page.get_first_root_node() or _tree_root()
        # Wagtail's install leaves a plain "Welcome" page at the top; the home page replaces it.
        for child in root.get_children():
            if child.specific_class is Page and child.numchild == 0:
                child.delete()
        root = Page.objects.get(pk=root.pk)
        existing = HomePage(title="首页", slug="home", seo_title="金财门户", live=True,
                            search_description="财政部门户网站：财政新闻、政策发布、信息公开、政府采购、政务服务与数据开放。")
        root.add_child(instance=existing)
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=existing, is_default_site=True, site_name="金财门户")
    elif site.root_page_id != existing.pk:
        site.root_page = existing
        site.site_name = "金财门户"
        site.save()
    return existing


def _tree_root() -> Page:
    """The tree root Wagtail's migrations create, made again if the database was flushed since."""
    locale = Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))[0]
    return Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page),
                                       locale=locale))


def _build_column(column: Column, *, parent: Page) -> list[tuple[Column, SectionPage]]:
    """The column's section page (made if missing) and those of its children, children first."""
    section = SectionPage.objects.child_of(parent).filter(slug=column.slug).first()
    if section is None:
        section = SectionPage(title=column.title, slug=column.slug, live=True, listing_kind=column.listing,
                              intro=f"<p>{column.intro}</p>" if column.intro else "")
        parent.add_child(instance=section)
        section = SectionPage.objects.get(pk=section.pk)
    elif column.listing and not section.listing_kind:
        # A demo loaded before columns had listing kinds.
        section.listing_kind = column.listing
        section.save(update_fields=["listing_kind"])
    pairs = [pair for child in column.children for pair in _build_column(child, parent=section)]
    return [*pairs, (column, section)]


def _fill(column: Column, section: SectionPage, *, today: dt.date, log, editorial: Editorial) -> None:
    if column.content:
        # A demo loaded before these columns held typed pages filled them with information pages: replace them.
        for stale in InfoPage.objects.child_of(section):
            stale.delete()
        added = editorial.fill(column.content, section)
        if added:
            log(f"  {column.title}: {added} 篇")
    elif column.kind and not InfoPage.objects.child_of(section).exists():
        _fill_column(section, column, today=today)
        log(f"  {column.title}: {column.count} 篇")


def _fill_column(section: SectionPage, column: Column, *, today: dt.date) -> None:
    composer = Composer(column.slug)
    dates = column_dates(column.slug, column.count, today=today)
    for number, day in enumerate(dates, start=1):
        title = composer.title(column.kind, on=day)
        summary = composer.summary(column.kind)
        paragraphs = composer.paragraphs(column.kind, n=4)
        published = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + number % 8, (number * 7) % 60)))
        # no heading put in between: these texts number their own parts (一、…), and a "下一步工作安排" above a
        # data set's 使用须知 or an annual report's third part reads as machine-made
        body = [("paragraph", f"<p>{text}</p>") for text in paragraphs]
        entry = InfoPage(
            title=title,
            slug=f"t{day:%Y%m%d}_{number:04d}",
            summary=summary,
            search_description=summary,
            source=composer.source(),
            body=body,
            live=True,
            first_published_at=published,
            last_published_at=published,
        )
        section.add_child(instance=entry)


def _page_at(home: HomePage, path: str) -> Page:
    url_path = f"{home.url_path}{path.strip('/')}/"
    return Page.objects.get(url_path=url_path)


def _curate_home(home: HomePage) -> None:
    home = HomePage.objects.get(pk=home.pk)
    home.headline_section = _page_at(home, "news").specific
    home.policy_section = _page_at(home, "policies").specific
    home.procurement_section = _page_at(home, "procurement").specific
    home.save(update_fields=["headline_section", "policy_section", "procurement_section"])
    if not home.service_shortcuts.exists():
        for order, (label, description, icon, path) in enumerate(SHORTCUTS):
            ServiceShortcut.objects.create(home=home, sort_order=order, label=label, description=description,
                                           icon=icon, link_page=_page_at(home, path))
    if not home.data_highlights.exists():
        statistics = _page_at(home, "disclosure/statistics")
        for order, (label, value, unit, period, note) in enumerate(HIGHLIGHTS):
            DataHighlight.objects.create(home=home, sort_order=order, label=label, value=value, unit=unit,
                                         period=period, note=note, link_page=statistics)
    if not home.topic_banners.exists():
        for order, (title, subtitle, path) in enumerate(TOPICS):
            TopicBanner.objects.create(home=home, sort_order=order, title=title, subtitle=subtitle,
                                       link_page=_page_at(home, path))


def _site_settings(home: HomePage) -> None:
    site = home.get_site()
    identity = SiteIdentity.for_site(site)
    if not identity.sponsor:
        for name, value in IDENTITY.items():
            setattr(identity, name, value)
        identity.save()
    navigation = NavigationSettings.for_site(site)
    if not navigation.main_menu_items.exists():
        MainMenuItem.objects.create(settings=navigation, sort_order=0, label="首页", link_page=home)
        for order, column in enumerate(TREE, start=1):
            MainMenuItem.objects.create(settings=navigation, sort_order=order, link_page=_page_at(home, column.slug))
    if not navigation.footer_links.exists():
        for order, (group, label, target) in enumerate(FOOTER_LINKS):
            link = {"link_url": target} if target.startswith("http") else {"link_page": _page_at(home, target)}
            FooterLink.objects.create(settings=navigation, sort_order=order, group=group, label=label, **link)
