"""Demo editorial content: the taxonomy, and the news, policies, interpretations, procurement notices and
topics that fill the typed columns of the demo site.

Every organisation, code, number, person and amount here is 演示 (demo) data. Plans are pure and seeded
(no database, no clock beyond the `today` they are given), so two fresh loads on the same day are identical;
builders turn a plan into pages and leave a column alone once it has entries of its kind, so a second run
adds nothing.

Department codes (部门代码, the 索引号 prefix and the `department=` / `authority=` filter value): the ministry
has the 9-digit organisation-code-shaped `000014349`; each internal department appends a 2-digit serial
(`00001434906` 预算司); outside bodies that issue laws and regulations have their own 9 digits.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from wagtail.models import Page

from content.models import (
    ArticlePage,
    Department,
    InterpretationForm,
    InterpretationPage,
    NoticeType,
    PolicyKind,
    PolicyPage,
    ProcurementCategory,
    ProcurementMethod,
    ProcurementNoticePage,
    Region,
    Theme,
    TopicPage,
    Validity,
)
from demo import prose
from demo.prose import Composer

DEMO_YEARS = 3


def _frozen(value):
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


# The fixed vocabularies of the editorial demo (authorities, themes, headings, purchasers ...) are data.
with (Path(__file__).resolve().parent / "data" / "editorial.toml").open("rb") as _file:
    _EDITORIAL = _frozen(tomllib.load(_file))

# ---------------------------------------------------------------------------
# Taxonomy (演示数据)
# ---------------------------------------------------------------------------

MINISTRY_CODE = "000014349"
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_with_check(body: str) -> str:
    """A 统一社会信用代码: the 17 characters of `body` and their GB 32100 check character."""
    total = sum(USCC_CHARSET.index(char) * pow(3, i, 31) for i, char in enumerate(body))
    return body + USCC_CHARSET[(31 - total % 31) % 31]


# 1 机构编制 · 1 机关 · 100000 中央 · the organisation code; the check character is computed.
MINISTRY = ("中华人民共和国财政部", "财政部", MINISTRY_CODE, uscc_with_check("11100000" + MINISTRY_CODE))


@dataclass(frozen=True)
class Dept:
    name: str
    serial: int
    prefix: str  # 发文字号代字: 财预〔2025〕12号
    theme: str  # the theme its documents usually carry

    @property
    def code(self) -> str:
        return f"{MINISTRY_CODE}{self.serial:02d}"


DEPARTMENTS: tuple[Dept, ...] = (
    Dept("办公厅", 1, "财办", "fiscal-policy"),
    Dept("综合司", 2, "财综", "fiscal-policy"),
    Dept("条法司", 3, "财法", "rule-of-law"),
    Dept("税政司", 4, "财税", "tax"),
    Dept("关税司", 5, "财关税", "tariff"),
    Dept("预算司", 6, "财预", "budget"),
    Dept("国库司", 7, "财库", "treasury"),
    Dept("国防司", 8, "财防", "budget"),
    Dept("行政政法司", 9, "财行", "budget"),
    Dept("科教和文化司", 10, "财教", "science-education"),
    Dept("经济建设司", 11, "财建", "economic-development"),
    Dept("农业农村司", 12, "财农", "agriculture"),
    Dept("社会保障司", 13, "财社", "social-security"),
    Dept("自然资源和生态环境司", 14, "财资环", "environment"),
    Dept("金融司", 15, "财金", "finance"),
    Dept("国际财金合作司", 16, "财国合", "international"),
    Dept("国际经济关系司", 17, "财关", "international"),
    Dept("资产管理司", 18, "财资", "assets"),
    Dept("会计司", 19, "财会", "accounting"),
    Dept("监督评价局", 20, "财监", "supervision"),
    Dept("政府采购管理办公室", 21, "财库", "procurement"),
    Dept("债务管理司", 22, "财债", "debt"),
    Dept("人事教育司", 23, "财人", "fiscal-policy"),
)
DEPT_BY_NAME = {dept.name: dept for dept in DEPARTMENTS}

OTHER_AUTHORITIES = _EDITORIAL["other_authorities"]
NPCSC_CODE, STATE_COUNCIL_CODE = OTHER_AUTHORITIES[0][2], OTHER_AUTHORITIES[1][2]

THEMES: tuple[tuple[str, str], ...] = _EDITORIAL["themes"]

THEME_KEYWORDS: tuple[tuple[str, str], ...] = _EDITORIAL["theme_keywords"]

THEME_DEPARTMENT: dict[str, str] = _EDITORIAL["theme_department"]

# 专题 tags, and the words that put a text under one.
PPP_TAG, REFORM_TAG, TAXCUT_TAG = "政府和社会资本合作", "放管服改革", "减税降费"
TOPIC_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("政府和社会资本合作", PPP_TAG), ("特许经营", PPP_TAG), ("PPP", PPP_TAG),
    ("放管服", REFORM_TAG), ("营商环境", REFORM_TAG), ("简政放权", REFORM_TAG), ("一网通办", REFORM_TAG),
    ("减税降费", TAXCUT_TAG), ("税费优惠", TAXCUT_TAG), ("留抵退税", TAXCUT_TAG), ("减半征收", TAXCUT_TAG),
    ("免征增值税", TAXCUT_TAG),
)
KIND_TAGS = {"ppp": PPP_TAG, "reform": REFORM_TAG, "taxcut": TAXCUT_TAG}


def theme_of(text: str, default: str = "fiscal-policy") -> str:
    for keyword, slug in THEME_KEYWORDS:
        if keyword in text:
            return slug
    return default


def topic_tags(text: str) -> list[str]:
    return sorted({tag for keyword, tag in TOPIC_KEYWORDS if keyword in text})


@dataclass
class Taxonomy:
    departments: dict[str, Department]  # by code
    themes: dict[str, Theme]  # by slug
    regions: dict[str, Region]  # by code

    def dept(self, name: str) -> Department:
        if name == "财政部":
            return self.departments[MINISTRY_CODE]
        return self.departments[DEPT_BY_NAME[name].code]


def seed_taxonomy() -> Taxonomy:
    """Departments, themes and regions, created once (found again by code or slug)."""
    rows = [(MINISTRY[0], MINISTRY[1], MINISTRY[2], MINISTRY[3], 0)]
    rows += [(f"财政部{d.name}", d.name, d.code, "", d.serial) for d in DEPARTMENTS]
    rows += [(name, short, code, "", 90 + n) for n, (name, short, code) in enumerate(OTHER_AUTHORITIES)]
    departments = {}
    for name, short, code, uscc, order in rows:
        departments[code], _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short, "uscc": uscc, "sort_order": order})
    themes = {}
    for order, (name, slug) in enumerate(THEMES):
        themes[slug], _ = Theme.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    existing = {region.code: region for region in Region.objects.all()}
    missing = [Region(code=code, name=name) for code, name in prose.REGIONS if code not in existing]
    Region.objects.bulk_create(missing)
    regions = {region.code: region for region in Region.objects.all()}
    return Taxonomy(departments, themes, regions)


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------


def spread_dates(seed: str, count: int, *, today: dt.date) -> list[dt.date]:
    """`count` dates over the last DEMO_YEARS years, newest first, the newest within the last fortnight."""
    rng = random.Random(f"dates:{seed}")
    newest = rng.randrange(0, 14)
    older = rng.sample(range(14, 365 * DEMO_YEARS), count - 1)
    return [today - dt.timedelta(days=offset) for offset in sorted([newest, *older])]


def workday(day: dt.date, *, forward: bool = False) -> dt.date:
    """The day itself, or the nearest Monday–Friday (earlier unless `forward`)."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1 if forward else -1)
    return day


def published_at(day: dt.date, number: int) -> dt.datetime:
    """A working-hours moment on `day`, varied by `number`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9 + number % 8, (number * 7) % 60)))


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


def paragraph(text: str) -> tuple[str, str]:
    return ("paragraph", f"<p>{text}</p>")


def table(rows: list[list[str]]) -> tuple[str, dict]:
    return ("table", {"data": rows, "first_row_is_table_header": True, "first_col_is_header": False})


def add_pages(parent: Page, pages: Iterable[Page]) -> int:
    """Add pages as children of `parent` (already published, dates set); the number added."""
    count = 0
    for page in pages:
        parent.add_child(instance=page)
        count += 1
    return count


def has_children(section: Page, model) -> bool:
    return model.objects.child_of(section).exists()


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """An amount in 元 between `low` and `high`, rounded to hundreds as budgets are."""
    return Decimal(round(rng.uniform(low, high), -2)).quantize(Decimal("0.01"))


# ---------------------------------------------------------------------------
# Articles (财政新闻)
# ---------------------------------------------------------------------------

ARTICLE_COLUMNS: dict[str, tuple[tuple[str, int], ...]] = _EDITORIAL["article_columns"]

HEADINGS: dict[str, tuple[str, ...]] = _EDITORIAL["headings"]


@dataclass(frozen=True)
class ArticlePlan:
    slug: str
    day: dt.date
    number: int
    kind: str


def article_plan(column: str, *, today: dt.date) -> list[ArticlePlan]:
    kinds = [kind for kind, count in ARTICLE_COLUMNS[column] for _ in range(count)]
    random.Random(f"kinds:{column}").shuffle(kinds)
    days = spread_dates(f"articles:{column}", len(kinds), today=today)
    return [
        ArticlePlan(f"t{workday(day):%Y%m%d}_{number:04d}", workday(day), number, kind)
        for number, (day, kind) in enumerate(zip(days, kinds, strict=True), start=1)
    ]


# Tasks an article's closing table lists (工作安排): what, by whom (None: the article's department).
TASKS: tuple[tuple[str, str | None], ...] = (
    ("细化实施方案，明确责任分工", None),
    ("及时下达资金，加快预算执行", "各地财政部门"),
    ("开展政策宣传解读和业务培训", None),
    ("建立工作台账，跟踪问效", "各地财政部门"),
    ("开展绩效自评和重点绩效评价", "各地财政部门"),
    ("组织开展监督检查", "财政部各地监管局"),
    ("总结评估实施情况并报送", "各地财政部门"),
    ("研究完善相关制度办法", None),
)


def _tasks_table(rng: random.Random, day: dt.date, owner: str) -> list:
    rows = [["工作任务", "责任单位", "完成时限"]]
    month = day.replace(day=1)
    for task, responsible in sorted(rng.sample(TASKS, 4), key=TASKS.index):
        month = (month + dt.timedelta(days=rng.randint(31, 75))).replace(day=1)
        rows.append([task, responsible or owner, f"{month.year}年{month.month}月底前"])
    return [("heading", "工作安排"), table(rows)]


# A leader story's headings follow what the leader did (no 会谈要点 under a meeting the minister chaired).
LEADER_HEADINGS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("会见", ("会谈要点", "有关情况")),
    ("调研", ("调研情况", "工作要求")),
    ("主持召开", ("会议要求", "工作部署")),
    ("出席", ("发言要点", "有关情况")),
)


def leader_headings(title: str, drawn: list[str]) -> list[str]:
    """The two headings of a leader story titled ``title`` (``drawn``, from the column's list, when nothing fits)."""
    return next((list(pair) for word, pair in LEADER_HEADINGS if word in title), drawn)


def build_articles(section: Page, column: str, *, taxonomy: Taxonomy, today: dt.date) -> int:
    if has_children(section, ArticlePage):
        return 0
    composer = Composer(f"articles:{column}")
    rng = random.Random(f"articles:{column}")
    used: set[str] = set()
    pages = []
    for plan in article_plan(column, today=today):
        title = ""
        for _ in range(8):  # a column does not show the same headline twice
            title = composer.title(plan.kind, year=plan.day.year, on=plan.day)
            if title not in used:
                break
        used.add(title)
        summary = composer.summary(plan.kind)
        texts = composer.paragraphs(plan.kind, n=rng.choice((4, 5, 6)))
        headings = rng.sample(HEADINGS[plan.kind], 2)
        if plan.kind == "leader":
            headings = leader_headings(title, headings)
        body = [paragraph(t) for t in texts[:2]] + [("heading", headings[0])]
        body += [paragraph(t) for t in texts[2:4]]
        theme = theme_of(title + summary)
        department = {"leader": "办公厅", "media": "办公厅"}.get(plan.kind, THEME_DEPARTMENT[theme])
        if len(texts) > 4:
            body += [("heading", headings[1])] + [paragraph(t) for t in texts[4:]]
        if plan.kind in {"news", "local", "ppp", "reform", "taxcut"} and rng.random() < 0.18:
            body += _tasks_table(rng, plan.day, "省级财政部门" if plan.kind == "local" else f"财政部{department}")
        if plan.kind == "media":
            outlet = rng.choice(prose.OUTLETS)
            source = outlet
            quote = texts[1].split("。")[0] + "。"
            body.insert(2, ("quote", {"text": quote, "attribution": outlet}))
        else:
            source = composer.source(plan.kind)
        author = composer.author()
        moment = published_at(plan.day, plan.number)
        page = ArticlePage(
            title=title, slug=plan.slug, date=plan.day, summary=summary, search_description=summary,
            source=source, author=author, body=body, theme=taxonomy.themes[theme],
            department=taxonomy.dept(department), live=True, first_published_at=moment, last_published_at=moment,
        )
        tags = set(topic_tags(title + summary))
        if plan.kind in KIND_TAGS:
            tags.add(KIND_TAGS[plan.kind])
        for tag in sorted(tags):
            page.tags.add(tag)
        pages.append(page)
    return add_pages(section, pages)


# ---------------------------------------------------------------------------
# Policies (政策文件) and interpretations (政策解读)
# ---------------------------------------------------------------------------


@dataclass
class PolicyPlan:
    key: str
    column: str  # laws, regulations, normative
    kind: str  # the prose kind of its text
    about: str  # the prose subject (law, rule, document or tax policy)
    title: str
    authority: str  # department code
    department: str  # department name (主办司局)
    theme: str
    number: str = ""
    day: dt.date | None = None
    written: dt.date | None = None
    validity: str = Validity.VALID
    changed_on: dt.date | None = None
    replaced_by: str = ""  # key of the newer policy
    tags: list[str] = field(default_factory=list)
    slug: str = ""


# Older versions the demo repeals, amends or lets expire, each replaced by a newer one on the same subject.
REPEALED_RULES = ("政府采购信息发布管理办法", "代理记账管理办法", "财政票据管理办法")
AMENDED_DOCS = ("项目支出绩效评价管理办法", "政府采购需求管理办法", "中央对地方转移支付管理办法", "政府投资基金管理办法")
EXPIRED_TAX = ("增值税小规模纳税人减免增值税政策", "“六税两费”减半征收政策", "先进制造业企业增值税加计抵减政策")


def _doc_title(doc: str, *, revised: bool = False) -> str:
    if doc.startswith("关于"):
        return f"财政部{doc}"
    return f"财政部关于印发{'修订后的' if revised else ''}《{doc}》的通知"


def policy_plan(*, today: dt.date) -> list[PolicyPlan]:
    """Every demo policy with its dates, numbers and validity; replaced versions point to their successors."""
    rng = random.Random("policies")
    plans: list[PolicyPlan] = []
    for name, form, *_rest in prose.LAWS:
        authority = NPCSC_CODE if form == "法" else STATE_COUNCIL_CODE
        theme = theme_of(name.removeprefix("中华人民共和国"), "rule-of-law")
        plans.append(PolicyPlan(f"law:{name}", "laws", "law", name, name, authority, "条法司", theme))
    for name, *_rest in prose.REG_DOCS:
        plans.append(PolicyPlan(f"rule:{name}", "regulations", "regulation", name, name, MINISTRY_CODE,
                                THEME_DEPARTMENT[theme_of(name)], theme_of(name)))
        if name in REPEALED_RULES:
            plans.append(PolicyPlan(f"rule:{name}:old", "regulations", "regulation", name, name, MINISTRY_CODE,
                                    THEME_DEPARTMENT[theme_of(name)], theme_of(name), validity=Validity.REPEALED,
                                    replaced_by=f"rule:{name}"))
    for doc, topic in prose.DOCS:
        theme = theme_of(doc + topic)
        department = THEME_DEPARTMENT[theme]
        authority = MINISTRY_CODE
        title = _doc_title(doc, revised=doc in AMENDED_DOCS)
        plans.append(PolicyPlan(f"doc:{doc}", "normative", "normative", doc, title, authority, department, theme))
        if doc in AMENDED_DOCS:
            plans.append(PolicyPlan(f"doc:{doc}:old", "normative", "normative", doc, _doc_title(doc), authority,
                                    department, theme, validity=Validity.AMENDED, replaced_by=f"doc:{doc}"))
    for name, *_rest in prose.TAX_POLICIES:
        if name in EXPIRED_TAX:
            plans.append(PolicyPlan(f"tax:{name}", "normative", "normative", name, f"财政部 税务总局关于延续实施{name}的公告",
                                    MINISTRY_CODE, "税政司", "tax"))
            plans.append(PolicyPlan(f"tax:{name}:old", "normative", "normative", name,
                                    f"财政部 税务总局关于{name}有关事项的公告", MINISTRY_CODE, "税政司", "tax",
                                    validity=Validity.EXPIRED, replaced_by=f"tax:{name}"))
        else:
            plans.append(PolicyPlan(f"tax:{name}", "normative", "normative", name,
                                    f"财政部 税务总局关于进一步落实{name}的公告", MINISTRY_CODE, "税政司", "tax"))

    by_key = {plan.key: plan for plan in plans}
    # Dates: successors within the last ~16 months, their predecessors 10–16 months before them,
    # everything else anywhere in the last three years.
    for plan in plans:
        if plan.replaced_by:
            continue
        if any(other.replaced_by == plan.key for other in plans):
            plan.day = today - dt.timedelta(days=rng.randint(20, 480))
        else:
            plan.day = today - dt.timedelta(days=rng.randint(0, 365 * DEMO_YEARS - 1))
        plan.day = workday(plan.day)
    for plan in plans:
        if plan.replaced_by:
            successor = by_key[plan.replaced_by]
            plan.day = workday(successor.day - dt.timedelta(days=rng.randint(300, 480)))
            plan.changed_on = successor.day
    _keep_columns_current(plans, rng, today=today)
    plans.sort(key=lambda p: (p.day, p.key))
    for plan in plans:
        plan.written = workday(plan.day - dt.timedelta(days=rng.randint(3, 15)))
    _number(plans, rng)
    for number, plan in enumerate(plans, start=1):
        plan.slug = f"t{plan.day:%Y%m%d}_{number:04d}"
        if plan.column == "regulations" and any(other.replaced_by == plan.key for other in plans):
            plan.title = f"{plan.title}（{plan.day.year}年修订）"
        tags = set(topic_tags(plan.title))
        if plan.key.startswith("tax:"):
            tags.add(TAXCUT_TAG)
        plan.tags = sorted(tags)
    return plans


POLICY_RECENT_DAYS = 90  # each policy column has a document of the last three months, as a live ministry site has


def _keep_columns_current(plans: list[PolicyPlan], rng: random.Random, *, today: dt.date) -> None:
    """A column whose newest document is older than POLICY_RECENT_DAYS gets one of its documents (one that neither
    replaces nor is replaced) dated within them instead: a ministry publishes in every column within months."""
    chained = {plan.key for plan in plans if plan.replaced_by} | {plan.replaced_by for plan in plans if plan.replaced_by}
    for column in sorted({plan.column for plan in plans}):
        mine = [plan for plan in plans if plan.column == column]
        if (today - max(plan.day for plan in mine)).days <= POLICY_RECENT_DAYS:
            continue
        free = [plan for plan in mine if plan.key not in chained]
        if free:
            newest = max(free, key=lambda plan: plan.day)
            newest.day = workday(today - dt.timedelta(days=rng.randint(8, POLICY_RECENT_DAYS - 10)))


def _number(plans: list[PolicyPlan], rng: random.Random) -> None:
    """发文字号 in date order: 主席令/国务院令 for laws, 财政部令 for rules, 代字〔年〕号 for the rest."""
    law_order, state_order, rule_order = rng.randint(10, 20), rng.randint(760, 770), rng.randint(108, 112)
    sequences: dict[tuple[str, int], int] = defaultdict(int)
    for plan in plans:
        year = plan.written.year
        if plan.authority == NPCSC_CODE:
            law_order += rng.randint(1, 4)
            plan.number = f"中华人民共和国主席令第{prose.cn_number(law_order)}号"
        elif plan.authority == STATE_COUNCIL_CODE:
            state_order += rng.randint(1, 6)
            plan.number = f"中华人民共和国国务院令第{state_order}号"
        elif plan.column == "regulations":
            rule_order += 1
            plan.number = f"财政部令第{rule_order}号"
        elif plan.key.startswith("tax:"):
            sequences[("tax", year)] += rng.randint(1, 6)
            plan.number = f"财政部 税务总局公告{year}年第{sequences[('tax', year)]}号"
        else:
            prefix = DEPT_BY_NAME[plan.department].prefix
            sequences[(prefix, year)] += rng.randint(1, 9)
            plan.number = f"{prefix}〔{year}〕{sequences[(prefix, year)]}号"


# 文件类别 by column: what the annual report counts (规章, 行政规范性文件); laws are republished, not counted.
COLUMN_KINDS = {"laws": PolicyKind.LAW, "regulations": PolicyKind.REGULATION, "normative": PolicyKind.NORMATIVE}


def build_policies(section: Page, column: str, plans: list[PolicyPlan], *, taxonomy: Taxonomy) -> int:
    if has_children(section, PolicyPage):
        return 0
    composer = Composer(f"policies:{column}")
    created: dict[str, PolicyPage] = {}
    mine = [plan for plan in plans if plan.column == column]
    for number, plan in enumerate(mine, start=1):
        composer.title(plan.kind, about=plan.about, year=plan.day.year, on=plan.day)
        summary = composer.summary(plan.kind)
        texts = composer.paragraphs(plan.kind, n=6)
        body = [paragraph(text) for text in texts]
        moment = published_at(plan.day, number)
        page = PolicyPage(
            title=plan.title, slug=plan.slug, date=plan.day, summary=summary, search_description=summary,
            issuing_authority=taxonomy.departments[plan.authority], department=taxonomy.dept(plan.department),
            theme=taxonomy.themes[plan.theme], document_number=plan.number, written_date=plan.written,
            validity=plan.validity, validity_changed_on=plan.changed_on, body=body, kind=COLUMN_KINDS[column],
            live=True, first_published_at=moment, last_published_at=moment,
        )
        for tag in plan.tags:
            page.tags.add(tag)
        section.add_child(instance=page)
        created[plan.key] = page
    for plan in mine:
        if plan.replaced_by:
            PolicyPage.objects.filter(pk=created[plan.key].pk).update(replaced_by=created[plan.replaced_by])
    return len(mine)


@dataclass(frozen=True)
class InterpretationPlan:
    policy_key: str
    doc: str
    form: str
    day: dt.date
    slug: str


INTERPRETED = 22  # documents with a written interpretation
GRAPHICS = 5  # of which this many also get a 图解


def interpretation_plan(policies: list[PolicyPlan], *, today: dt.date) -> list[InterpretationPlan]:
    rng = random.Random("interpretations")
    candidates = [p for p in policies if p.key.startswith("doc:") and p.validity == Validity.VALID]
    chosen = rng.sample(candidates, INTERPRETED)
    # The PPP document is always among them, so the topic has its interpretation.
    ppp = next(p for p in candidates if PPP_TAG in p.tags)
    if ppp not in chosen:
        chosen[-1] = ppp
    graphics = set(p.key for p in rng.sample(chosen, GRAPHICS))
    plans = []
    for policy in chosen:
        forms = [InterpretationForm.TEXT] + ([InterpretationForm.GRAPHIC] if policy.key in graphics else [])
        for form in forms:
            day = min(today, workday(policy.day + dt.timedelta(days=rng.randint(0, 4)), forward=True))
            plans.append(InterpretationPlan(policy.key, policy.about, form, day, ""))
    plans.sort(key=lambda p: (p.day, p.policy_key, p.form))
    return [
        InterpretationPlan(p.policy_key, p.doc, p.form, p.day, f"t{p.day:%Y%m%d}_{n:04d}")
        for n, p in enumerate(plans, start=1)
    ]


def build_interpretations(section: Page, policies: list[PolicyPlan], *, taxonomy: Taxonomy, today: dt.date) -> int:
    if has_children(section, InterpretationPage):
        return 0
    plans = interpretation_plan(policies, today=today)
    by_key = {plan.key: plan for plan in policies}
    pages_by_slug = {
        page.slug: page
        for page in PolicyPage.objects.filter(slug__in=[by_key[p.policy_key].slug for p in plans])
        .select_related("department", "theme").defer_streamfields()
    }
    composer = Composer("interpretations")
    rng = random.Random("interpretations:text")
    pages = []
    for number, plan in enumerate(plans, start=1):
        policy = pages_by_slug[by_key[plan.policy_key].slug]
        short = f"《{plan.doc}》"
        title = composer.title("interpretation", about=plan.doc, year=plan.day.year, on=plan.day)
        summary = composer.summary("interpretation")
        if plan.form == InterpretationForm.GRAPHIC:
            title = rng.choice((f"一图读懂{short}", f"图解：{short}"))
            texts = composer.paragraphs("interpretation", n=3)
            body = [("heading", "出台背景"), paragraph(texts[0]), ("heading", "主要内容"), paragraph(texts[1]),
                    ("heading", "工作要求"), paragraph(texts[2])]
        else:
            if title.startswith("一图读懂"):
                title = f"{short}政策解读"
            body = [paragraph(text) for text in composer.paragraphs("interpretation", n=6)]
        moment = published_at(plan.day, number)
        dept = policy.department
        page = InterpretationPage(
            title=title, slug=plan.slug, date=plan.day, summary=summary, search_description=summary,
            policy=policy, form=plan.form, source=f"财政部{dept.short_name}" if dept else "财政部新闻办公室",
            department=dept, theme=policy.theme, body=body,
            live=True, first_published_at=moment, last_published_at=moment,
        )
        for tag in by_key[plan.policy_key].tags:
            page.tags.add(tag)
        pages.append(page)
    return add_pages(section, pages)


# ---------------------------------------------------------------------------
# Procurement notices (政府采购公告)
# ---------------------------------------------------------------------------

CENTRAL_PURCHASERS = _EDITORIAL["central_purchasers"]


@dataclass(frozen=True)
class Item:
    name: str
    category: str
    industry: str  # prose.COMPANY_INDUSTRIES key, for the supplier's name
    low: int  # budget range, 元
    high: int
    unit: str  # how the 标的 is counted
    tag: str = ""


ITEMS: tuple[Item, ...] = (
    Item("网络安全运维服务项目", ProcurementCategory.SERVICES, "信息化", 800_000, 4_800_000, "1项"),
    Item("预算管理一体化系统运维服务项目", ProcurementCategory.SERVICES, "信息化", 2_000_000, 12_000_000, "1项"),
    Item("财政大数据平台升级改造项目", ProcurementCategory.SERVICES, "信息化", 3_000_000, 18_000_000, "1项"),
    Item("财政云平台建设项目", ProcurementCategory.SERVICES, "信息化", 60_000_000, 150_000_000, "1项"),
    Item("网络安全等级保护测评服务项目", ProcurementCategory.SERVICES, "信息化", 300_000, 1_500_000, "1项"),
    Item("办公楼物业管理服务项目", ProcurementCategory.SERVICES, "后勤", 1_500_000, 9_000_000, "1项"),
    Item("机关食堂餐饮服务项目", ProcurementCategory.SERVICES, "后勤", 1_000_000, 6_000_000, "1项"),
    Item("档案数字化加工服务项目", ProcurementCategory.SERVICES, "后勤", 400_000, 2_500_000, "1项"),
    Item("预算绩效评价第三方服务项目", ProcurementCategory.SERVICES, "咨询", 500_000, 3_000_000, "1项"),
    Item("行政事业性国有资产清查核实服务项目", ProcurementCategory.SERVICES, "咨询", 300_000, 2_000_000, "1项"),
    Item("政府和社会资本合作项目绩效评价咨询服务项目", ProcurementCategory.SERVICES, "咨询", 400_000, 2_400_000,
         "1项", PPP_TAG),
    Item("特许经营项目实施方案编制咨询服务项目", ProcurementCategory.SERVICES, "咨询", 600_000, 3_500_000, "1项",
         PPP_TAG),
    Item("办公设备采购项目", ProcurementCategory.GOODS, "货物", 300_000, 3_000_000, "1批"),
    Item("视频会议系统升级项目", ProcurementCategory.GOODS, "货物", 800_000, 5_000_000, "1套"),
    Item("政务外网安全防护设备采购项目", ProcurementCategory.GOODS, "货物", 1_000_000, 8_000_000, "1批"),
    Item("服务器及存储设备采购项目", ProcurementCategory.GOODS, "货物", 2_000_000, 15_000_000, "1批"),
    Item("数据中心机房改造工程", ProcurementCategory.WORKS, "工程", 4_000_000, 30_000_000, "1项"),
    Item("办公楼节能改造工程", ProcurementCategory.WORKS, "工程", 5_000_000, 60_000_000, "1项"),
    Item("综合业务用房维修改造工程", ProcurementCategory.WORKS, "工程", 100_000_000, 260_000_000, "1项"),
)

METHOD_NOTICE = {
    ProcurementMethod.OPEN_TENDER: NoticeType.OPEN_TENDER,
    ProcurementMethod.CONSULTATION: NoticeType.CONSULTATION,
    ProcurementMethod.NEGOTIATION: NoticeType.NEGOTIATION,
    ProcurementMethod.INQUIRY: NoticeType.INQUIRY,
    ProcurementMethod.SINGLE_SOURCE: NoticeType.SINGLE_SOURCE,
}
TENDER_TITLE = {
    NoticeType.OPEN_TENDER: "公开招标公告", NoticeType.CONSULTATION: "竞争性磋商公告",
    NoticeType.NEGOTIATION: "竞争性谈判公告", NoticeType.INQUIRY: "询价公告",
    NoticeType.SINGLE_SOURCE: "单一来源采购公示",
}
# Days between publishing the procurement notice and the deadline for bids or responses (statutory minimums:
# 20 days for a tender, 10 for consultation, 3 working days for negotiation and inquiry, 5 for a 单一来源 公示).
RESPONSE_DAYS = {
    NoticeType.OPEN_TENDER: (20, 28), NoticeType.CONSULTATION: (10, 15), NoticeType.NEGOTIATION: (5, 8),
    NoticeType.INQUIRY: (5, 8), NoticeType.SINGLE_SOURCE: (7, 9),
}
# Which column a notice type is listed in.
NOTICE_COLUMN = {
    NoticeType.INTENTION: "notices", NoticeType.CORRECTION: "corrections", NoticeType.AWARD: "results",
    NoticeType.DEAL: "results", NoticeType.TERMINATION: "results", NoticeType.CONTRACT: "results",
    **{notice: "notices" for notice in TENDER_TITLE},
}
TERMINATION_REASONS = _EDITORIAL["termination_reasons"]


@dataclass
class Project:
    code: str
    name: str
    item: Item
    method: str
    purchaser: str
    region: str
    agency: str
    budget: Decimal
    max_price: Decimal
    supplier: str = ""
    supplier_address: str = ""
    award: Decimal | None = None
    contact: str = ""
    phone: str = ""
    notices: list[NoticePlan] = field(default_factory=list)


@dataclass
class NoticePlan:
    type: str
    day: dt.date
    bid_deadline: dt.datetime | None = None
    old_deadline: dt.datetime | None = None  # on a correction: what it corrects
    reason: str = ""
    slug: str = ""
    number: int = 0


MIN_PROJECTS, MIN_NOTICES = 30, 110
RECENT_DAYS = 150  # the last months, when projects start more often (procurement_plan)


def _company(rng: random.Random, city: str, industries: tuple[str, ...]) -> str:
    while True:
        brand = rng.choice(prose.COMPANY_PREFIXES) + rng.choice(prose.COMPANY_SUFFIXES)
        if brand[0] != brand[1]:
            return f"{city}{brand}{rng.choice(industries)}有限公司"


def _phone(rng: random.Random, area: str) -> str:
    digits = 8 if len(area) == 3 else 7
    return f"{area}-{rng.randint(5, 8)}" + "".join(str(rng.randint(0, 9)) for _ in range(digits - 1))


def _person(rng: random.Random) -> str:
    return rng.choice(prose.SURNAMES) + "".join(rng.sample(prose.GIVEN_NAME_CHARS, rng.choice((1, 2, 2))))


def _method(rng: random.Random, item: Item, budget: Decimal) -> str:
    # Above the 400万 (goods, services) / works threshold a public tender is required.
    if budget >= 4_000_000 or item.category == ProcurementCategory.WORKS:
        return ProcurementMethod.OPEN_TENDER
    roll = rng.random()
    if roll < 0.45:
        return ProcurementMethod.OPEN_TENDER
    if roll < 0.7:
        return ProcurementMethod.CONSULTATION
    if roll < 0.82:
        return ProcurementMethod.NEGOTIATION
    if roll < 0.92 and item.category == ProcurementCategory.GOODS:
        return ProcurementMethod.INQUIRY
    if item.category == ProcurementCategory.SERVICES:
        return ProcurementMethod.SINGLE_SOURCE
    return ProcurementMethod.CONSULTATION


def _at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def procurement_plan(*, today: dt.date) -> list[Project]:
    """Projects with full timelines: 采购意向 → procurement notice → (更正) → result or 终止 → (合同)."""
    rng = random.Random("procurement")
    projects: list[Project] = []
    # A ministry buys all year round: projects start every week or two in the last months (so each procurement
    # column has a notice of the last weeks, as news has one of the last days), more sparsely in the archive.
    starts = sorted(rng.sample(range(2, RECENT_DAYS), 14) + rng.sample(range(RECENT_DAYS, 365 * DEMO_YEARS - 30), 20))
    serials: dict[int, int] = defaultdict(lambda: rng.randint(100, 200))
    for offset in starts:
        start = workday(today - dt.timedelta(days=offset), forward=True)
        item = rng.choice(ITEMS)
        if rng.random() < 0.6:
            purchaser, region, city = rng.choice(CENTRAL_PURCHASERS), "110000", "北京"
        else:
            code, name, short, province = rng.choice(prose.CITIES)
            purchaser, region, city = f"{name}财政局", code, short
        budget = _money(rng, item.low, item.high)
        method = _method(rng, item, budget)
        year = start.year
        serials[year] += rng.randint(1, 9)
        industry = prose.COMPANY_INDUSTRIES[item.industry]
        supplier_city = rng.choice(prose.CITIES)
        project = Project(
            code=f"ZC{year}-{serials[year]:04d}",
            name=f"{purchaser}{year}年{item.name}",
            item=item, method=method, purchaser=purchaser, region=region,
            agency=_company(rng, city, prose.AGENT_INDUSTRIES),
            budget=budget,
            max_price=budget if rng.random() < 0.7 else (budget * Decimal("0.98")).quantize(Decimal("0.01")),
            contact=rng.choice(prose.SURNAMES) + rng.choice(("先生", "女士")),
            phone=_phone(rng, prose.AREA_CODES.get(city, "010")),
            supplier=_company(rng, supplier_city[2], industry),
            supplier_address=f"{supplier_city[1]}{rng.choice(prose.ROADS)}{rng.randint(1, 199)}号",
        )
        _timeline(project, start, rng, recent=offset < RECENT_DAYS)
        project.notices = [n for n in project.notices if n.day <= today]
        if project.notices:
            projects.append(project)
    projects.sort(key=lambda p: p.notices[0].day)
    numbers = iter(range(1, 10_000))
    for project in projects:
        for notice in project.notices:
            notice.number = next(numbers)
            notice.slug = f"{project.code.lower()}-{notice.type.replace('_', '-')}"
    return projects


def _timeline(project: Project, start: dt.date, rng: random.Random, *, recent: bool = False) -> None:
    notices = project.notices
    day = start
    if rng.random() < 0.7:
        # 采购意向 are published at least 30 days before the procurement starts.
        notices.append(NoticePlan(NoticeType.INTENTION, day))
        day = workday(day + dt.timedelta(days=rng.randint(30, 50)), forward=True)
    tender = METHOD_NOTICE[project.method]
    low, high = RESPONSE_DAYS[tender]
    deadline = _at(workday(day + dt.timedelta(days=rng.randint(low, high)), forward=True))
    notices.append(NoticePlan(tender, day, bid_deadline=deadline))
    if tender in {NoticeType.OPEN_TENDER, NoticeType.CONSULTATION} and rng.random() < (0.6 if recent else 0.3):
        fix_day = workday(day + dt.timedelta(days=rng.randint(5, 9)), forward=True)
        # A correction that changes the documents moves the deadline at least 15 days past itself.
        new_deadline = _at(workday(max(deadline.date(), fix_day + dt.timedelta(days=15))
                                   + dt.timedelta(days=rng.randint(1, 7)), forward=True))
        notices.append(NoticePlan(NoticeType.CORRECTION, fix_day, bid_deadline=new_deadline, old_deadline=deadline))
        deadline = new_deadline
    if rng.random() < 0.12:
        ended = workday(deadline.date() + dt.timedelta(days=rng.randint(1, 4)), forward=True)
        notices.append(NoticePlan(NoticeType.TERMINATION, ended, reason=rng.choice(TERMINATION_REASONS)))
        return
    result = NoticeType.AWARD if tender in {NoticeType.OPEN_TENDER, NoticeType.INVITED_TENDER} else NoticeType.DEAL
    result_day = workday(deadline.date() + dt.timedelta(days=rng.randint(3, 10)), forward=True)
    # A sole supplier barely discounts; competition brings bids well under the budget.
    low, high = (0.97, 1.0) if tender == NoticeType.SINGLE_SOURCE else (0.78, 0.98)
    share = Decimal(str(round(rng.uniform(low, high), 4)))
    project.award = (project.budget * share).quantize(Decimal("0.01"))
    notices.append(NoticePlan(result, result_day))
    if rng.random() < 0.6:
        notices.append(NoticePlan(NoticeType.CONTRACT, workday(result_day + dt.timedelta(days=rng.randint(10, 28)),
                                                               forward=True)))


def _notice_title(project: Project, notice: NoticePlan) -> str:
    if notice.type == NoticeType.INTENTION:
        return f"{project.purchaser}{notice.day.year}年{notice.day.month}月政府采购意向公告（{project.item.name}）"
    suffix = {
        NoticeType.CORRECTION: "更正公告", NoticeType.AWARD: "中标公告", NoticeType.DEAL: "成交公告",
        NoticeType.TERMINATION: "终止公告", NoticeType.CONTRACT: "合同公告",
    }.get(notice.type) or TENDER_TITLE[notice.type]
    return f"{project.name}{suffix}"


def _deadline_text(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{cn_date(local.date())}{local.hour}时{local.minute:02d}分（北京时间）"


ITEM_NEEDS: dict[str, str] = _EDITORIAL["item_needs"]


def _need(item: Item) -> str:
    return ITEM_NEEDS[item.name]


def _notice_text(project: Project, notice: NoticePlan, rng: random.Random) -> tuple[str, list]:
    """The summary and body of one notice, from the project's facts."""
    p, method_label = project, ProcurementMethod(project.method).label
    category = ProcurementCategory(p.item.category).label
    contact = (f"采购人：{p.purchaser}，联系人：{p.contact}，联系电话：{p.phone}。"
               f"采购代理机构：{p.agency}。")
    first = p.notices[0]
    tender = next((n for n in p.notices if n.type in TENDER_TITLE), first)
    if notice.type == NoticeType.INTENTION:
        month = workday(notice.day + dt.timedelta(days=35), forward=True)
        summary = (f"为便于供应商及时了解政府采购信息，{p.purchaser}公开{p.item.name.removesuffix('项目')}的采购意向，"
                   f"预算金额{p.budget / 10000:,.2f}万元，预计{month.year}年{month.month}月开展采购。")
        body = [
            paragraph(f"根据《财政部关于开展政府采购意向公开工作的通知》等有关规定，为便于供应商及时了解政府采购信息，"
                      f"现将{p.purchaser}{notice.day.year}年{p.item.name}采购意向公开如下。"),
            table([["采购项目名称", "采购需求概况", "预算金额（万元）", "预计采购时间"],
                   [p.name, _need(p.item), f"{p.budget / 10000:,.2f}", f"{month.year}年{month.month}月"]]),
            paragraph("本次公开的采购意向是本单位政府采购工作的初步安排，具体采购项目情况以相关采购公告和采购文件为准。"
                      "供应商对采购意向有意见建议的，可在工作日内与采购人联系。"),
            ("heading", "联系方式"),
            paragraph(f"采购人：{p.purchaser}，联系人：{p.contact}，联系电话：{p.phone}。"),
        ]
        return summary, body
    if notice.type in TENDER_TITLE:
        deadline = _deadline_text(notice.bid_deadline)
        action = "递交投标文件" if notice.type == NoticeType.OPEN_TENDER else "提交响应文件"
        if notice.type == NoticeType.SINGLE_SOURCE:
            summary = (f"{p.purchaser}拟采用单一来源方式采购{p.item.name}，拟定供应商为{p.supplier}，"
                       f"公示期至{deadline}。")
            body = [
                ("heading", "一、项目信息"),
                paragraph(f"项目编号：{p.code}；项目名称：{p.name}；采购方式：单一来源；品目：{category}；"
                          f"预算金额：{yuan(p.budget)}。拟定供应商：{p.supplier}，地址：{p.supplier_address}。"),
                ("heading", "二、采用单一来源采购方式的原因及说明"),
                paragraph("本项目系对原有系统的升级和延续服务，为保证与原有系统和服务配套的一致性，需继续从原供应商处采购，"
                          "且补充采购金额不超过原合同采购金额的百分之十，符合《中华人民共和国政府采购法》第三十一条规定的情形。"),
                ("heading", "三、其他补充事宜"),
                paragraph(f"任何供应商、单位或者个人对采用单一来源采购方式公示有异议的，可以在公示期内将书面意见反馈给采购人、"
                          f"采购代理机构，并同时抄送同级财政部门。公示期限：自本公示发布之日起至{deadline}。"),
                ("heading", "四、联系方式"), paragraph(contact),
            ]
            return summary, body
        summary = (f"{p.name}的潜在供应商应在中国政府采购网指定的电子交易平台获取采购文件，并于{deadline}前{action}。"
                   f"预算金额{p.budget / 10000:,.2f}万元。")
        body = [
            paragraph(f"项目概况：{p.name}的潜在供应商应在电子交易平台获取采购文件，并于{deadline}前{action}。"),
            ("heading", "一、项目基本情况"),
            paragraph(f"项目编号：{p.code}；项目名称：{p.name}；采购方式：{method_label}；品目：{category}；"
                      f"预算金额：{yuan(p.budget)}；最高限价：{yuan(p.max_price)}。采购需求：{_need(p.item)}。"
                      f"合同履行期限：自合同签订之日起{rng.choice((6, 12, 24))}个月。本项目不接受联合体。"),
            ("heading", "二、申请人的资格要求"),
            paragraph("（一）满足《中华人民共和国政府采购法》第二十二条规定；（二）落实政府采购政策需满足的资格要求："
                      + rng.choice(("本项目专门面向中小企业采购；", "本项目非专门面向中小企业采购，对小微企业报价给予10%的价格扣除；"))
                      + "（三）未被列入失信被执行人、重大税收违法失信主体、政府采购严重违法失信行为记录名单。"),
            ("heading", "三、获取采购文件"),
            paragraph(f"时间：{cn_date(notice.day + dt.timedelta(days=1))}至{cn_date(notice.day + dt.timedelta(days=6))}，"
                      "每天上午9:00至11:30，下午13:30至17:00（北京时间，法定节假日除外）。方式：供应商登录电子交易平台下载。售价：0元。"),
            ("heading", "四、提交文件截止时间、开启时间和地点"),
            paragraph(f"截止时间和开启时间均为{deadline}，地点为电子交易平台。逾期上传或未按要求加密的文件，平台将予以拒收。"),
            ("heading", "五、公告期限及联系方式"),
            paragraph(f"自本公告发布之日起5个工作日。{contact}"),
        ]
        return summary, body
    if notice.type == NoticeType.CORRECTION:
        old, new = _deadline_text(notice.old_deadline), _deadline_text(notice.bid_deadline)
        summary = f"{p.name}的提交文件截止时间和开启时间由{old}变更为{new}，其他内容不变。"
        body = [
            ("heading", "一、项目基本情况"),
            paragraph(f"原公告的采购项目编号：{p.code}；原公告的采购项目名称：{p.name}；首次公告日期：{cn_date(tender.day)}。"),
            ("heading", "二、更正信息"),
            paragraph(f"更正事项：采购公告、采购文件。更正内容：" + rng.choice((
                "根据供应商提出的澄清要求，对技术需求中部分参数的表述作了进一步明确；",
                "对评分标准中业绩证明材料的要求作了调整；",
                "对采购需求中服务响应时间的要求作了修改；",
            )) + f"提交文件截止时间和开启时间由{old}变更为{new}。更正日期：{cn_date(notice.day)}。"),
            ("heading", "三、其他补充事宜"),
            paragraph("已获取采购文件的供应商，请以更正后的采购文件为准编制投标（响应）文件。除上述更正内容外，原公告及采购文件的其他内容不变。"),
            ("heading", "四、联系方式"), paragraph(contact),
        ]
        return summary, body
    if notice.type == NoticeType.TERMINATION:
        summary = f"{p.name}（项目编号：{p.code}）{notice.reason}。"
        body = [
            ("heading", "一、项目基本情况"),
            paragraph(f"采购项目编号：{p.code}；采购项目名称：{p.name}；首次公告日期：{cn_date(tender.day)}；采购方式：{method_label}。"),
            ("heading", "二、项目终止的原因"),
            paragraph(f"{notice.reason}。采购人将在依法重新确定采购需求或采购方式后另行组织采购，有关信息将在中国政府采购网另行公告。"),
            ("heading", "三、其他补充事宜"),
            paragraph("供应商已提交的投标（响应）文件，将按规定退回或由采购代理机构妥善保管。由此给供应商带来的不便，敬请谅解。"),
            ("heading", "四、联系方式"), paragraph(contact),
        ]
        return summary, body
    amount, word = yuan(p.award), ("中标" if notice.type == NoticeType.AWARD else "成交")
    if notice.type == NoticeType.CONTRACT:
        summary = f"{p.purchaser}与{p.supplier}签订{p.name}政府采购合同，合同金额{amount}。"
        body = [
            ("heading", "一、合同基本信息"),
            paragraph(f"合同编号：{p.code}-HT01；合同名称：{p.name}合同；项目编号：{p.code}；合同金额：{amount}；"
                      f"合同签订日期：{cn_date(notice.day - dt.timedelta(days=2))}。"),
            ("heading", "二、合同主体"),
            paragraph(f"采购人（甲方）：{p.purchaser}。供应商（乙方）：{p.supplier}，地址：{p.supplier_address}。"),
            ("heading", "三、合同主要条款"),
            paragraph(f"主要标的：{p.item.name.removesuffix('项目')}（{p.item.unit}）；履约期限、地点和方式以合同文本为准。"
                      "采购人将按照合同约定及时支付资金，并依法组织履约验收。"),
        ]
        return summary, body
    summary = f"{p.name}已完成评审，{word}供应商为{p.supplier}，{word}金额{amount}。"
    body = [
        ("heading", "一、项目编号和名称"),
        paragraph(f"项目编号：{p.code}；项目名称：{p.name}。本项目于{cn_date(tender.day)}发布采购公告，"
                  f"采购方式为{method_label}，预算金额{yuan(p.budget)}。"),
        ("heading", f"二、{word}信息"),
        table([["供应商名称", "供应商地址", f"{word}金额（元）"], [p.supplier, p.supplier_address, f"{p.award:,.2f}"]]),
        ("heading", "三、主要标的信息"),
        paragraph(f"名称：{p.item.name.removesuffix('项目')}；数量：{p.item.unit}；要求：{_need(p.item)}。"),
        ("heading", "四、评审专家名单及公告期限"),
        paragraph(f"评审专家：{'、'.join(_person(rng) for _ in range(4))}"
                  f"（采购人代表）。自本公告发布之日起1个工作日。各有关当事人对{word}结果有异议的，可以在公告期限届满之日起"
                  "7个工作日内，以书面形式向采购人或采购代理机构提出质疑。"),
        ("heading", "五、联系方式"), paragraph(contact),
    ]
    return summary, body


def build_notices(section: Page, column: str, projects: list[Project], *, taxonomy: Taxonomy) -> int:
    if has_children(section, ProcurementNoticePage):
        return 0
    rng = random.Random(f"notices:{column}")
    pages = []
    for project in projects:
        for notice in project.notices:
            if NOTICE_COLUMN[notice.type] != column:
                continue
            summary, body = _notice_text(project, notice, rng)
            result = notice.type in {NoticeType.AWARD, NoticeType.DEAL, NoticeType.CONTRACT}
            moment = published_at(notice.day, notice.number)
            page = ProcurementNoticePage(
                title=_notice_title(project, notice), slug=notice.slug, date=notice.day, summary=summary,
                search_description=summary, notice_type=notice.type, project_code=project.code,
                project_name=project.name, procurement_method=project.method, category=project.item.category,
                purchaser=project.purchaser, agency=project.agency, region=taxonomy.regions[project.region],
                budget_amount=project.budget, max_price=project.max_price,
                bid_deadline=notice.bid_deadline, bid_opening=notice.bid_deadline,
                supplier=project.supplier if result else "", award_amount=project.award if result else None,
                subject_matter=f"{project.item.name.removesuffix('项目')}（{project.item.unit}）" if result else "",
                theme=taxonomy.themes["procurement"], department=taxonomy.dept("政府采购管理办公室"), body=body,
                live=True, first_published_at=moment, last_published_at=moment,
            )
            if project.item.tag:
                page.tags.add(project.item.tag)
            pages.append(page)
    return add_pages(section, pages)


# ---------------------------------------------------------------------------
# Topics (专题)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicPlan:
    slug: str
    title: str
    tag: str
    introduction: str
    text: str
    link: dict


TOPIC_PLANS = (
    TopicPlan("ppp", "政府和社会资本合作", PPP_TAG,
              "规范实施政府和社会资本合作新机制，聚焦使用者付费项目，全部采取特许经营模式，最大程度鼓励民营企业参与。",
              "本专题汇集政府和社会资本合作（PPP）新机制的政策文件、解读、工作动态和相关采购信息。"
              "各地财政部门要严格把握新机制的实施要求，防止新增地方政府隐性债务，切实提高项目建设运营质量。",
              {"title": "政府采购公告", "description": "政府和社会资本合作项目咨询服务采购信息", "path": "procurement"}),
    TopicPlan("reform", "放管服改革", REFORM_TAG,
              "深化简政放权、放管结合、优化服务改革，推动财政政务服务事项“一网通办”，持续优化营商环境。",
              "本专题集中展示财政部门落实“放管服”改革的举措和成效，包括行政审批事项精简、证明事项告知承诺、"
              "政务服务“好差评”和电子证照应用等内容。",
              {"title": "政务服务大厅", "description": "办事指南、在线申报与办件查询", "path": "services"}),
    TopicPlan("tax-cuts", "减税降费", TAXCUT_TAG,
              "延续、优化、完善并落实好减税降费政策，突出对科技创新和制造业的支持，推动政策红利直达快享。",
              "本专题汇集减税降费政策公告、解读和落实成效报道。纳税人可按照公告规定自行判别、申报享受优惠政策，"
              "有关征管问题可咨询当地税务机关。",
              {"title": "国家税务总局", "description": "税费优惠政策指引和办税服务", "url": "https://www.chinatax.gov.cn/"}),
)


def build_topics(section: Page, *, home: Page, today: dt.date) -> int:
    # A demo loaded before topics were pages has plain columns at these slugs: replace them.
    for old in section.get_children().filter(slug__in=[plan.slug for plan in TOPIC_PLANS]).not_type(TopicPage):
        old.delete()
    existing = set(TopicPage.objects.child_of(section).values_list("slug", flat=True))
    added = 0
    for number, plan in enumerate(TOPIC_PLANS, start=1):
        if plan.slug in existing:
            continue
        featured = _tagged(plan.tag, limit=4)
        link = dict(plan.link)
        if "path" in link:
            path = link.pop("path")
            link["page"] = Page.objects.get(url_path=f"{home.url_path}{path}/")
            link["url"] = ""
        else:
            link["page"] = None
        moment = published_at(today - dt.timedelta(days=400 + number), number)
        topic = TopicPage(
            title=plan.title, slug=plan.slug, tag=plan.tag, introduction=f"<p>{plan.introduction}</p>",
            search_description=plan.introduction,
            blocks=[
                ("text", f"<p>{plan.text}</p>"),
                ("pages", {"heading": "重点推荐", "items": featured}),
                ("link", link),
            ],
            live=True, first_published_at=moment, last_published_at=moment,
        )
        section.add_child(instance=topic)
        added += 1
    return added


def _tagged(tag: str, *, limit: int) -> list[Page]:
    """The newest policies first, then articles, carrying `tag`: what an editor would feature."""
    picked: list[Page] = []
    for model in (PolicyPage, InterpretationPage, ArticlePage):
        if len(picked) >= limit:
            break
        rows = model.objects.live().filter(tags__name=tag).order_by("-date", "-pk").defer_streamfields()
        picked += list(rows[: limit - len(picked)])
    return picked


# ---------------------------------------------------------------------------
# What the site builder calls
# ---------------------------------------------------------------------------


@dataclass
class Editorial:
    """One load of the demo's editorial content: the taxonomy and the plans, made once and shared by columns."""

    today: dt.date
    home: Page
    taxonomy: Taxonomy = field(init=False)
    _policies: list[PolicyPlan] | None = None
    _projects: list[Project] | None = None

    def __post_init__(self):
        self.taxonomy = seed_taxonomy()

    @property
    def policies(self) -> list[PolicyPlan]:
        if self._policies is None:
            self._policies = policy_plan(today=self.today)
        return self._policies

    @property
    def projects(self) -> list[Project]:
        if self._projects is None:
            self._projects = procurement_plan(today=self.today)
        return self._projects

    def fill(self, content: str, section: Page) -> int:
        """Fill one column with its content (`articles:headlines`, `policies:laws`, …); the number of pages added."""
        what, _, column = content.partition(":")
        builders: dict[str, Callable[[], int]] = {
            "articles": lambda: build_articles(section, column, taxonomy=self.taxonomy, today=self.today),
            "policies": lambda: build_policies(section, column, self.policies, taxonomy=self.taxonomy),
            "interpretations": lambda: build_interpretations(section, self.policies, taxonomy=self.taxonomy,
                                                             today=self.today),
            "notices": lambda: build_notices(section, column, self.projects, taxonomy=self.taxonomy),
            "topics": lambda: build_topics(section, home=self.home, today=self.today),
        }
        return builders[what]()

