"""Factories for editorial content. Pages are added under `parent` and published (see tests.factories.PageFactory)."""

import datetime as dt
from decimal import Decimal

import factory

from content.models import (
    ArticlePage,
    Department,
    InterpretationPage,
    PolicyPage,
    ProcurementNoticePage,
    Region,
    Theme,
    TopicPage,
)
from tests.factories import PageFactory


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"预算司{n}")
    code = factory.Sequence(lambda n: f"000014{n:03d}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"预算管理{n}")
    slug = factory.Sequence(lambda n: f"budget-{n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "110000"
    name = "北京市"


class ArticlePageFactory(PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"财政部召开2026年第{n}次新闻发布会")
    date = factory.LazyFunction(dt.date.today)
    summary = "财政部介绍今年以来财政收支情况和下一步工作安排。"
    source = "财政部新闻办公室"
    author = "新闻办"
    body = factory.LazyFunction(lambda: [("paragraph", "<p>今年以来，财政部门认真落实积极的财政政策。</p>")])


class PolicyPageFactory(PageFactory):
    class Meta:
        model = PolicyPage

    title = factory.Sequence(lambda n: f"财政部关于加强预算绩效管理的通知（{n}）")
    issuing_authority = factory.SubFactory(DepartmentFactory)
    document_number = factory.Sequence(lambda n: f"财预〔2026〕{n + 1}号")
    written_date = factory.LazyFunction(dt.date.today)
    date = factory.LazyFunction(dt.date.today)
    summary = "为进一步加强预算绩效管理，提高财政资金使用效益，现就有关事项通知如下。"
    body = factory.LazyFunction(lambda: [("paragraph", "<p>各省、自治区、直辖市财政厅（局）：</p>")])


class InterpretationPageFactory(PageFactory):
    class Meta:
        model = InterpretationPage

    title = factory.Sequence(lambda n: f"财政部有关负责人就预算绩效管理答记者问（{n}）")
    date = factory.LazyFunction(dt.date.today)
    summary = "财政部有关负责人就通知出台的背景和主要内容回答了记者提问。"
    body = factory.LazyFunction(lambda: [("paragraph", "<p>问：请介绍一下通知出台的背景。</p>")])


class ProcurementNoticePageFactory(PageFactory):
    class Meta:
        model = ProcurementNoticePage

    title = factory.Sequence(lambda n: f"财政部信息网络中心办公设备采购项目公开招标公告（{n}）")
    date = factory.LazyFunction(dt.date.today)
    notice_type = "open_tender"
    project_code = factory.Sequence(lambda n: f"ZB2026-{n:04d}")
    project_name = "办公设备采购项目"
    procurement_method = "open_tender"
    category = "goods"
    purchaser = "财政部信息网络中心"
    agency = "中央国家机关政府采购中心"
    region = factory.SubFactory(RegionFactory)
    budget_amount = Decimal("1280000.00")


class TopicPageFactory(PageFactory):
    class Meta:
        model = TopicPage

    title = "政府和社会资本合作"
    tag = "政府和社会资本合作"
    introduction = "<p>规范推进政府和社会资本合作新机制。</p>"
