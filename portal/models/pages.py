"""The site shell: the home page, columns (栏目) and plain information pages."""

from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page

from portal import registries

from .links import LinkFields


class BreadcrumbMixin:
    """Pages that show where they sit in the site tree."""

    def breadcrumb(self) -> list[Page]:
        # Ancestors below the tree root (depth 1), so the trail starts at 首页; routing may have read them already.
        known = getattr(self, "_portal_ancestors", None)
        if known is not None:
            return [page for page in known if page.depth > 1]
        return list(self.get_ancestors().filter(depth__gt=1).only("id", "title", "url_path", "path", "depth"))


class SectionPage(RoutablePageMixin, BreadcrumbMixin, Page):
    """栏目: lists the published entries beneath it, newest first, with the filters its kind of content has."""

    intro = RichTextField("栏目简介", blank=True, features=["bold", "italic", "link"])
    listing_kind = models.CharField(
        "列表内容", max_length=20, choices=registries.column_kind_choices, blank=True, default="",
        help_text="本栏目列出哪类内容，决定列表的筛选项和订阅源；“全部内容”列出其下所有页面。",
    )

    # How often the column must be updated (网站内容日常监测, 栏目更新): the site guard reads this, with a default
    # by listing kind when left empty. The periods themselves are in guard/indicators.py.
    UPDATE_KINDS = [
        ("", "按列表内容确定"),
        ("dynamic", "动态、要闻类"),
        ("notice", "通知公告类"),
        ("policy", "政策文件类"),
        ("plan", "人事、规划计划类"),
        ("stable", "长期稳定（不检查更新）"),
    ]
    update_kind = models.CharField(
        "栏目更新要求", max_length=20, choices=UPDATE_KINDS, blank=True, default="",
        help_text="网站检查据此判断栏目是否长期未更新：动态、要闻类2周，通知公告、政策文件类6个月，人事、规划计划类1年。"
                  "留空时按列表内容确定（财政新闻为动态类，政策文件、解读为政策文件类，其余为通知公告类）。",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("listing_kind")]
    settings_panels = Page.settings_panels + [FieldPanel("update_kind")]

    parent_page_types = ["portal.HomePage", "portal.SectionPage"]
    subpage_types = [
        "portal.SectionPage", "portal.InfoPage", "content.ArticlePage", "content.PolicyPage",
        "content.InterpretationPage", "content.ProcurementNoticePage", "content.TopicPage",
        "services_hall.ServiceGuidePage", "opendata.DatasetPage",
    ]
    page_description = "栏目：按发布日期倒序列出其下的内容，可含子栏目，并提供筛选和订阅源。"

    per_page = 20

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    # What a column lists comes from the app that owns the kind (portal/registries.py), not from an import of it.
    @path("")
    def index_route(self, request, *args, **kwargs):
        # Lazy: Wagtail routes the request through the page model; the selector module imports the models.
        from portal import selectors

        context = registries.column_kind_for(kind=self.listing_kind).page_context(request, section=self)
        context["subsections"] = selectors.section_subsections(section=self, request=request)
        return self.render(request, context_overrides=context)

    @path("feed/<str:fmt>/")
    def feed_route(self, request, fmt: str):
        return registries.column_kind_for(kind=self.listing_kind).feed(request, section=self, fmt=fmt)


class InfoPage(BreadcrumbMixin, Page):
    """信息页: a dated piece of text — an announcement, an introduction, a report."""

    source = models.CharField("来源", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True, max_length=500)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label="小标题", form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label="段落", features=["bold", "italic", "link", "ol", "ul"])),
            ("image", ImageBlock(label="图片")),
            ("quote", blocks.BlockQuoteBlock(label="引文")),
        ],
        verbose_name="正文",
        blank=True,
    )

    content_panels = Page.content_panels + [FieldPanel("source"), FieldPanel("summary"), FieldPanel("body")]

    # Under the home page, any column, and the front doors that hold information pages (依申请公开's 申请指南 …).
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "信息页"
        verbose_name_plural = "信息页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumb"] = self.breadcrumb()
        return context


class HomePage(Page):
    """首页: every region is fed by published content or by items editors curate here."""

    headline_section = models.ForeignKey(
        "portal.SectionPage", verbose_name="要闻来源栏目", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    policy_section = models.ForeignKey(
        "portal.SectionPage", verbose_name="政策来源栏目", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    procurement_section = models.ForeignKey(
        "portal.SectionPage", verbose_name="采购公告来源栏目", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                PageChooserPanel("headline_section", "portal.SectionPage"),
                PageChooserPanel("policy_section", "portal.SectionPage"),
                PageChooserPanel("procurement_section", "portal.SectionPage"),
            ],
            heading="自动更新的区块",
            help_text="各区块显示所选栏目下最新发布的内容。",
        ),
        InlinePanel("service_shortcuts", label="办事服务快捷入口", max_num=8),
        InlinePanel("data_highlights", label="数据看板", max_num=6),
        InlinePanel("topic_banners", label="专题专栏横幅", max_num=4),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.SectionPage", "portal.InfoPage"]

    headline_count = 7
    policy_count = 8
    procurement_count = 8

    class Meta:
        verbose_name = "首页"
        verbose_name_plural = "首页"

    def route(self, request, path_components):
        # Every public URL of the site is routed from here: the pages on the way in one query (portal/routing.py).
        from portal.routing import fast_route

        return fast_route(root=self, request=request, path_components=path_components) or super().route(
            request, path_components)

    def get_context(self, request, *args, **kwargs):
        # Lazy: Wagtail asks the page model for its context; the selector module imports the models.
        from portal import selectors

        sections = SectionPage.objects.in_bulk(
            [pk for pk in (self.headline_section_id, self.policy_section_id, self.procurement_section_id) if pk])
        # One query for the three regions' columns instead of one each.
        for field in ("headline_section", "policy_section", "procurement_section"):
            pk = getattr(self, f"{field}_id")
            if pk in sections:
                setattr(self, field, sections[pk])
        context = super().get_context(request, *args, **kwargs)
        context.update(
            headlines=selectors.home_region(section=self.headline_section, limit=self.headline_count,
                                            request=request),
            policies=selectors.home_region(section=self.policy_section, limit=self.policy_count, request=request),
            procurement_notices=selectors.home_region(
                section=self.procurement_section, limit=self.procurement_count, request=request
            ),
            curated=selectors.home_curated(home=self, request=request),
        )
        return context


class ServiceShortcut(LinkFields, Orderable):
    ICONS = [
        ("guide", "办事指南"),
        ("apply", "在线申报"),
        ("query", "办件查询"),
        ("letter", "咨询投诉"),
        ("data", "数据开放"),
        ("download", "表格下载"),
    ]
    home = ParentalKey(HomePage, related_name="service_shortcuts", on_delete=models.CASCADE)
    label = models.CharField("名称", max_length=20)
    description = models.CharField("说明", max_length=60, blank=True)
    icon = models.CharField("图标", max_length=20, choices=ICONS, default="guide")

    panels = [FieldPanel("label"), FieldPanel("description"), FieldPanel("icon"), *LinkFields.link_panels]

    class Meta(Orderable.Meta):
        verbose_name = "快捷入口"


class DataHighlight(Orderable):
    home = ParentalKey(HomePage, related_name="data_highlights", on_delete=models.CASCADE)
    label = models.CharField("指标", max_length=40)
    value = models.CharField("数值", max_length=20, help_text="如 21.97")
    unit = models.CharField("单位", max_length=10, blank=True, help_text="如 万亿元")
    period = models.CharField("统计期", max_length=20, blank=True, help_text="如 2025年1-10月")
    note = models.CharField("说明", max_length=60, blank=True, help_text="如 同比增长1.3%")
    link_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="详情页面", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    panels = [FieldPanel(name) for name in ("label", "value", "unit", "period", "note")] + [
        PageChooserPanel("link_page")
    ]

    class Meta(Orderable.Meta):
        verbose_name = "数据指标"


class TopicBanner(Orderable):
    home = ParentalKey(HomePage, related_name="topic_banners", on_delete=models.CASCADE)
    title = models.CharField("专题名称", max_length=40)
    subtitle = models.CharField("副标题", max_length=80, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="横幅图片", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    link_page = models.ForeignKey("wagtailcore.Page", verbose_name="专题页面", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("title"), FieldPanel("subtitle"), FieldPanel("image"), PageChooserPanel("link_page")]

    class Meta(Orderable.Meta):
        verbose_name = "专题横幅"

    @cached_property
    def image_alt(self) -> str:
        return self.image.default_alt_text if self.image else ""
