"""Demo catalog: publishers and 30-odd finance datasets with generated, deterministic tables.

Files go through the real import pipeline (some CSVs in GBK, some XLSX and JSON), and one resource has
120,000 rows. `build_opendata_demo(home)` is idempotent: datasets are found by 资源代码 and left alone.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from content.models import Department, PolicyPage, Theme
from opendata.ingest import resource_ingest
from opendata.models import DataField, DatasetPage, DatasetRelatedPage, Publisher, Resource
from opendata.rules import FieldType, OpenType, ShareMethod, ShareType, UpdateFrequency
from portal.models import SectionPage

PUBLISHERS = (
    # slug, name, department code, department name, contact
    ("budget", "预算司", "000014349", "财政部预算司", "预算司综合处 010-68552114"),
    ("treasury", "国库司", "000014350", "财政部国库司", "国库司统计处 010-68553114"),
    ("procurement", "政府采购管理办公室", "000014351", "财政部国库司（政府采购管理办公室）", "采购办 010-68554114"),
    ("accounting", "会计司", "000014352", "财政部会计司", "会计司管理处 010-68555114"),
    ("ppp", "政府和社会资本合作中心", "000014353", "财政部政府和社会资本合作中心", "PPP中心 010-68556114"),
    ("tax-policy", "税政司", "000014354", "财政部税政司", "税政司综合处 010-68557114"),
    ("local-debt", "地方债务管理处", "000014355", "财政部预算司地方债务管理处", "债务处 010-68558114"),
)
THEMES = (("budget", "预算管理"), ("treasury", "国库管理"), ("procurement", "政府采购"), ("accounting", "会计管理"),
          ("ppp", "政府和社会资本合作"), ("tax", "税收政策"), ("debt", "政府债务"))

PROVINCES = ("北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
             "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
             "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
             "宁夏回族自治区", "新疆维吾尔自治区")
REVENUE_ITEMS = ("国内增值税", "国内消费税", "企业所得税", "个人所得税", "进口货物增值税、消费税", "关税",
                 "出口退税", "城市维护建设税", "车辆购置税", "印花税", "资源税", "土地增值税", "房产税", "契税",
                 "非税收入")
EXPENDITURE_ITEMS = ("一般公共服务", "外交", "国防", "公共安全", "教育", "科学技术", "文化旅游体育与传媒",
                     "社会保障和就业", "卫生健康", "节能环保", "城乡社区", "农林水", "交通运输", "债务付息")
PROCUREMENT_METHODS = ("公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "询价", "单一来源", "框架协议")
CATEGORIES = ("货物", "工程", "服务")
PPP_SECTORS = ("市政工程", "交通运输", "生态建设和环境保护", "城镇综合开发", "教育", "医疗卫生", "水利建设", "旅游")


@dataclass
class Spec:
    code: str
    title: str
    publisher: str
    theme: str
    summary: str
    table: Callable[[random.Random], tuple[list[str], list[list]]]
    file_format: str = "csv"  # csv | csv-gbk | xlsx | json
    open_type: str = OpenType.OPEN
    frequency: str = UpdateFrequency.MONTHLY
    keywords: tuple[str, ...] = ()
    fields: tuple[tuple, ...] = ()  # declared 信息项: (name, label, type, unit, indexed)
    temporal: tuple[dt.date, dt.date] | None = None
    extra: dict = field(default_factory=dict)


def _money(rng: random.Random, low: float, high: float) -> str:
    return f"{rng.uniform(low, high):.2f}"


def monthly_budget(year: int, kind: str):
    items = REVENUE_ITEMS if kind == "revenue" else EXPENDITURE_ITEMS

    def table(rng):
        rows = []
        for month in range(1, 13):
            for item in items:
                amount = rng.uniform(300, 9000) * month
                rows.append([f"{year}-{month:02d}", item, f"{amount:.1f}", f"{rng.uniform(-8, 12):.1f}"])
        return ["统计期", "科目", "累计金额（亿元）", "同比增长（%）"], rows

    return table


def transfer_payments(year: int):
    def table(rng):
        rows = []
        for province in PROVINCES:
            general = rng.uniform(800, 5000)
            rows.append([year, province, f"{general:.2f}", f"{general * rng.uniform(.3, .6):.2f}",
                         f"{general * rng.uniform(.2, .5):.2f}", f"{general * rng.uniform(.05, .2):.2f}"])
        return ["年度", "地区", "转移支付合计（亿元）", "一般性转移支付（亿元）", "共同财政事权转移支付（亿元）",
                "专项转移支付（亿元）"], rows

    return table


def procurement_stats(year: int):
    def table(rng):
        rows = []
        for method in PROCUREMENT_METHODS:
            for category in CATEGORIES:
                rows.append([year, method, category, rng.randint(200, 90000), f"{rng.uniform(10, 9000):.2f}",
                             f"{rng.uniform(1, 15):.1f}"])
        return ["年度", "采购方式", "品目类别", "项目数（个）", "采购规模（亿元）", "节约率（%）"], rows

    return table


def procurement_contracts(rows_wanted: int):
    def table(rng):
        purchasers = [f"{p}{unit}" for p in PROVINCES for unit in ("财政厅", "教育厅", "卫生健康委员会", "交通运输厅")]
        suppliers = [f"{prefix}{kind}有限公司" for prefix in ("华信", "中科", "国泰", "恒通", "远景", "瑞达", "金桥",
                                                                "正元", "博远", "鼎盛")
                     for kind in ("信息技术", "建设工程", "医疗器械", "物业服务", "办公设备")]
        start = dt.date(2024, 1, 1)
        rows = []
        for number in range(1, rows_wanted + 1):
            day = start + dt.timedelta(days=rng.randrange(366))
            rows.append([f"HT2024-{number:06d}", day.isoformat(), rng.choice(purchasers), rng.choice(suppliers),
                         rng.choice(CATEGORIES), rng.choice(PROCUREMENT_METHODS), rng.choice(PROVINCES),
                         f"{rng.lognormvariate(12, 1.3):.2f}"])
        return ["合同编号", "签订日期", "采购人", "供应商", "品目类别", "采购方式", "地区", "合同金额（元）"], rows

    return table


def bookkeeping_agencies(count: int):
    def table(rng):
        rows = []
        for number in range(1, count + 1):
            province = rng.choice(PROVINCES)
            uscc = f"91{rng.randint(110000, 659999)}{rng.randint(10**9, 10**10 - 1):010d}"[:18]
            rows.append([f"DLJZ{number:05d}", f"{province[:2]}{rng.choice(('诚信', '中和', '立信', '正信', '华审'))}"
                         f"代理记账有限公司{number}", uscc, province,
                         (dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3600))).isoformat(),
                         rng.randint(3, 80), rng.choice(("是", "是", "是", "否"))])
        return ["许可证编号", "机构名称", "统一社会信用代码", "所在地区", "批准日期", "从业人员（人）", "年度备案"], rows

    return table


def ppp_projects(count: int):
    def table(rng):
        rows = []
        for number in range(1, count + 1):
            province = rng.choice(PROVINCES)
            sector = rng.choice(PPP_SECTORS)
            rows.append([f"PPP{number:06d}", f"{province[:2]}{sector}项目（{number}）", province, sector,
                         f"{rng.uniform(0.5, 120):.2f}", rng.choice(("BOT", "BOO", "TOT", "ROT", "其他")),
                         rng.choice(("识别", "准备", "采购", "执行", "移交")),
                         rng.choice(("使用者付费", "可行性缺口补助", "政府付费")),
                         (dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3000))).isoformat()])
        return ["项目编号", "项目名称", "所在地区", "所属行业", "投资额（亿元）", "运作方式", "项目阶段", "回报机制",
                "入库日期"], rows

    return table


def debt_limits(year: int):
    def table(rng):
        rows = []
        for province in PROVINCES:
            general, special = rng.uniform(800, 9000), rng.uniform(1000, 15000)
            rows.append([year, province, f"{general:.1f}", f"{special:.1f}", f"{general + special:.1f}"])
        return ["年度", "地区", "一般债务限额（亿元）", "专项债务限额（亿元）", "债务限额合计（亿元）"], rows

    return table


def tax_revenue(year: int):
    def table(rng):
        rows = [[year, item, f"{rng.uniform(100, 70000):.0f}", f"{rng.uniform(-10, 15):.1f}"]
                for item in REVENUE_ITEMS[:-1]]
        return ["年度", "税种", "收入（亿元）", "同比增长（%）"], rows

    return table


def specs() -> list[Spec]:
    budget_fields = (("period", "统计期", FieldType.STRING, "", True), ("item", "科目", FieldType.STRING, "", True),
                     ("amount", "累计金额（亿元）", FieldType.DECIMAL, "亿元", True),
                     ("growth", "同比增长（%）", FieldType.DECIMAL, "%", True))
    out: list[Spec] = []
    for year in (2023, 2024, 2025):
        out.append(Spec(f"000014349/R{year}", f"{year}年全国一般公共预算收入月度数据", "budget", "budget",
                        f"{year}年各月全国一般公共预算收入累计金额及同比增长，按主要收入科目分列。",
                        monthly_budget(year, "revenue"), "csv-gbk" if year == 2023 else "csv",
                        keywords=("一般公共预算", "财政收入", "月度"), fields=budget_fields,
                        temporal=(dt.date(year, 1, 1), dt.date(year, 12, 31))))
        out.append(Spec(f"000014349/E{year}", f"{year}年全国一般公共预算支出月度数据", "budget", "budget",
                        f"{year}年各月全国一般公共预算支出累计金额及同比增长，按支出功能分类科目分列。",
                        monthly_budget(year, "expenditure"), "xlsx" if year == 2024 else "csv",
                        keywords=("一般公共预算", "财政支出", "月度"), fields=budget_fields,
                        temporal=(dt.date(year, 1, 1), dt.date(year, 12, 31))))
    for year in (2021, 2022, 2023, 2024, 2025):
        out.append(Spec(f"000014349/T{year}", f"{year}年中央对地方转移支付分地区情况", "budget", "budget",
                        f"{year}年中央对地方转移支付预算数，分省（自治区、直辖市）列示一般性、共同财政事权和专项转移支付。",
                        transfer_payments(year), ("csv-gbk", "json", "csv", "xlsx", "csv")[year - 2021],
                        frequency=UpdateFrequency.YEARLY, keywords=("转移支付", "分地区"),
                        temporal=(dt.date(year, 1, 1), dt.date(year, 12, 31))))
    for year in (2020, 2021, 2022, 2023, 2024):
        out.append(Spec(f"000014351/S{year}", f"{year}年全国政府采购统计", "procurement", "procurement",
                        f"{year}年全国政府采购规模，按采购方式和品目类别分列项目数、采购规模和资金节约率。",
                        procurement_stats(year), "csv-gbk" if year % 2 else "csv",
                        frequency=UpdateFrequency.YEARLY, keywords=("政府采购", "统计"),
                        temporal=(dt.date(year, 1, 1), dt.date(year, 12, 31))))
    out.append(Spec("000014351/C2024", "2024年政府采购合同明细", "procurement", "procurement",
                    "2024年各级预算单位在政府采购平台公告的采购合同明细，含签订日期、采购人、供应商、品目、采购方式和合同金额。",
                    procurement_contracts(120_000), "csv", frequency=UpdateFrequency.DAILY,
                    keywords=("政府采购", "合同", "明细"),
                    fields=(("contract_no", "合同编号", FieldType.STRING, "", False),
                            ("signed_on", "签订日期", FieldType.DATE, "", True),
                            ("purchaser", "采购人", FieldType.STRING, "", False),
                            ("supplier", "供应商", FieldType.STRING, "", True),
                            ("category", "品目类别", FieldType.STRING, "", True),
                            ("method", "采购方式", FieldType.STRING, "", True),
                            ("region", "地区", FieldType.STRING, "", False),
                            ("amount", "合同金额（元）", FieldType.DECIMAL, "元", True)),
                    temporal=(dt.date(2024, 1, 1), dt.date(2024, 12, 31))))
    out.append(Spec("000014352/A0001", "代理记账机构名录", "accounting", "accounting",
                    "经财政部门批准设立的代理记账机构名录，含许可证编号、统一社会信用代码、所在地区和年度备案情况。",
                    bookkeeping_agencies(3000), "csv-gbk", frequency=UpdateFrequency.MONTHLY,
                    keywords=("代理记账", "行政许可", "名录")))
    out.append(Spec("000014352/A0002", "代理记账机构年度备案情况（有条件开放）", "accounting", "accounting",
                    "代理记账机构年度备案明细，含从业人员信息，仅向获批的研究机构开放。", bookkeeping_agencies(800),
                    "xlsx", open_type=OpenType.CONDITIONAL, frequency=UpdateFrequency.YEARLY,
                    keywords=("代理记账", "备案"), extra={"open_condition": "用于行业研究，须说明用途并承诺不公开个人信息。"}))
    out.append(Spec("000014353/P0001", "全国PPP项目库（管理库）", "ppp", "ppp",
                    "纳入全国政府和社会资本合作综合信息平台管理库的项目，含行业、投资额、运作方式、回报机制和项目阶段。",
                    ppp_projects(6000), "csv", frequency=UpdateFrequency.MONTHLY, keywords=("PPP", "项目库"),
                    fields=(("project_no", "项目编号", FieldType.STRING, "", True),
                            ("name", "项目名称", FieldType.STRING, "", False),
                            ("region", "所在地区", FieldType.STRING, "", True),
                            ("sector", "所属行业", FieldType.STRING, "", True),
                            ("investment", "投资额（亿元）", FieldType.DECIMAL, "亿元", True),
                            ("mode", "运作方式", FieldType.STRING, "", False),
                            ("stage", "项目阶段", FieldType.STRING, "", True),
                            ("return_mechanism", "回报机制", FieldType.STRING, "", False),
                            ("listed_on", "入库日期", FieldType.DATE, "", False))))
    out.append(Spec("000014353/P0002", "PPP项目储备清单", "ppp", "ppp",
                    "处于识别和准备阶段的政府和社会资本合作储备项目。", ppp_projects(900), "json",
                    open_type=OpenType.CONDITIONAL, frequency=UpdateFrequency.QUARTERLY, keywords=("PPP", "储备"),
                    extra={"open_condition": "用于项目咨询和学术研究，须注明数据来源。"}))
    out.append(Spec("000014353/P0003", "PPP项目绩效监控明细（不予开放）", "ppp", "ppp",
                    "项目公司运营绩效监控明细，涉及商业秘密，不予开放。", ppp_projects(300), "csv",
                    open_type=OpenType.CLOSED, frequency=UpdateFrequency.QUARTERLY, keywords=("PPP", "绩效")))
    for year in (2023, 2024, 2025):
        out.append(Spec(f"000014355/L{year}", f"{year}年地方政府债务限额分地区情况", "local-debt", "debt",
                        f"{year}年分地区地方政府一般债务和专项债务限额。", debt_limits(year),
                        "csv-gbk" if year == 2024 else "csv", frequency=UpdateFrequency.YEARLY,
                        keywords=("地方政府债务", "限额"), temporal=(dt.date(year, 1, 1), dt.date(year, 12, 31))))
    for year in (2022, 2023, 2024):
        out.append(Spec(f"000014354/X{year}", f"{year}年主要税收收入分税种情况", "tax-policy", "tax",
                        f"{year}年全国主要税种收入及同比增长。", tax_revenue(year), "json" if year == 2022 else "csv",
                        frequency=UpdateFrequency.YEARLY, keywords=("税收收入", "税种"),
                        temporal=(dt.date(year, 1, 1), dt.date(year, 12, 31))))
    out.append(Spec("000014350/G0001", "国库集中支付单位名录", "treasury", "treasury",
                    "实行国库集中支付的中央预算单位名录。", bookkeeping_agencies(500), "csv",
                    open_type=OpenType.CONDITIONAL, frequency=UpdateFrequency.YEARLY, keywords=("国库集中支付",),
                    extra={"open_condition": "限财政管理研究使用。"}))
    out.append(Spec("000014350/G0002", "国库现金管理操作明细（不予开放）", "treasury", "treasury",
                    "中央国库现金管理商业银行定期存款操作明细，不予开放。", tax_revenue(2024), "csv",
                    open_type=OpenType.CLOSED, frequency=UpdateFrequency.MONTHLY, keywords=("国库现金管理",)))
    return out


# --- building ----------------------------------------------------------------------------------------------


def _file(spec: Spec, headers: list[str], rows: list[list]) -> tuple[bytes, str]:
    slug = spec.code.replace("/", "-")
    if spec.file_format in ("csv", "csv-gbk"):
        lines = [",".join(headers)] + [",".join(_csv_cell(value) for value in row) for row in rows]
        text = "\r\n".join(lines) + "\r\n"
        return (text.encode("gbk"), f"{slug}.csv") if spec.file_format == "csv-gbk" else (
            text.encode("utf-8-sig"), f"{slug}.csv")
    if spec.file_format == "json":
        records = [dict(zip(headers, row)) for row in rows]
        return json.dumps(records, ensure_ascii=False).encode(), f"{slug}.json"
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), f"{slug}.xlsx"


def _csv_cell(value) -> str:
    text = str(value)
    return f'"{text}"' if "," in text or '"' in text else text


def _xlsx_cell(value):
    if isinstance(value, str):
        try:
            return float(value) if value.replace(".", "", 1).lstrip("-").isdigit() else value
        except ValueError:
            return value
    return value


def _section(home) -> SectionPage:
    section = SectionPage.objects.child_of(home).filter(slug="open-data").first()
    if section is None:
        section = SectionPage(title="数据开放", slug="open-data", live=True,
                              intro="<p>财政数据资源目录与开放数据服务。</p>")
        home.add_child(instance=section)
    return SectionPage.objects.get(pk=section.pk)


def _publishers() -> dict[str, Publisher]:
    publishers = {}
    for order, (slug, name, code, department_name, contact) in enumerate(PUBLISHERS):
        department = (Department.objects.filter(code=code).first() or Department.objects.filter(name=department_name).first()
                      or Department.objects.create(code=code, name=department_name))
        publishers[slug] = Publisher.objects.get_or_create(
            slug=slug, defaults={"name": name, "department": department, "contact": contact, "sort_order": order,
                                 "description": f"{department_name}负责发布的财政数据资源。"})[0]
    return publishers


def _themes() -> dict[str, Theme]:
    themes = {}
    for slug, name in THEMES:
        themes[slug] = (Theme.objects.filter(slug=slug).first() or Theme.objects.filter(name=name).first()
                        or Theme.objects.create(slug=slug, name=name))
    return themes


def _nine_am(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


@transaction.atomic  # one transaction: on SQLite, one commit instead of one per dataset and resource
def build_opendata_demo(home, *, today: dt.date | None = None, log=print) -> int:
    """Add the demo catalog under the home page's 数据开放 column, dated from `today`; returns how many were added."""
    started = time.monotonic()
    section = _section(home)
    publishers, themes = _publishers(), _themes()
    policies = list(PolicyPage.objects.live().order_by("-date")[:6])
    existing = set(DatasetPage.objects.values_list("code", flat=True))
    today = today or timezone.localdate()
    added = 0
    todo = [(number, spec) for number, spec in enumerate(specs()) if spec.code not in existing]
    if todo:
        log(f"  数据开放：{len(todo)} 个数据资源，含一个 12 万行的文件……")
    for number, spec in todo:
        rng = random.Random(spec.code)
        published_on = today - dt.timedelta(days=400 - number * 9)
        updated_on = today - dt.timedelta(days=(number * 7) % 90)
        dataset = DatasetPage(
            title=spec.title, slug=spec.code.lower().replace("/", "-"), code=spec.code, summary=spec.summary,
            publisher=publishers[spec.publisher], theme=themes[spec.theme], open_type=spec.open_type,
            share_type=ShareType.CONDITIONAL if spec.open_type != OpenType.OPEN else ShareType.UNCONDITIONAL,
            share_condition="仅限财政部门内部业务使用。" if spec.open_type != OpenType.OPEN else "",
            share_method=ShareMethod.PLATFORM_API if number % 3 else ShareMethod.PLATFORM_FILE,
            update_frequency=spec.frequency, published_on=published_on, updated_on=updated_on,
            first_published_at=_nine_am(published_on), last_published_at=_nine_am(published_on),
            temporal_start=spec.temporal[0] if spec.temporal else None,
            temporal_end=spec.temporal[1] if spec.temporal else None,
            contact_email=f"data-{spec.publisher}@mof.example.gov.cn", live=True, **spec.extra,
        )
        for order, (name, label, kind, unit, indexed) in enumerate(spec.fields):
            dataset.data_fields.add(DataField(name=name, label=label, field_type=kind, unit=unit, indexed=indexed,
                                              filterable=indexed, sort_order=order))
        dataset.tags.add(*spec.keywords)
        section.add_child(instance=dataset)
        for page in policies[number % 3: number % 3 + 2] if policies else []:
            DatasetRelatedPage.objects.create(dataset=dataset, page=page)
        headers, rows = spec.table(rng)
        content, filename = _file(spec, headers, rows)
        resource = Resource.objects.create(dataset=dataset, name=spec.title, format=filename.rsplit(".", 1)[1])
        resource_ingest(resource=resource, upload=SimpleUploadedFile(filename, content), filename=filename)
        # The import dates the data today; put back the spread-out date so "sort by updated" means something.
        DatasetPage.objects.filter(pk=dataset.pk).update(updated_on=updated_on)
        added += 1
        if added % 10 == 0 and added < len(todo):
            log(f"    {added}/{len(todo)}（{time.monotonic() - started:.0f} 秒）")
    if added:
        log(f"  数据开放：{added} 个数据资源（{time.monotonic() - started:.1f} 秒）")
    return added
