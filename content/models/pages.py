"""Editorial pages: news articles, policy documents and their interpretations, procurement notices, topics."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content import rules
from content.blocks import BodyBlock, TopicBlock
from portal.formatting import cn_date, cn_datetime, yuan
from portal.models.pages import BreadcrumbMixin

COLUMN_PARENTS = ["portal.SectionPage"]


class ContentPage(BreadcrumbMixin, Page):
    """What every editorial page carries: a publication date, a summary, a theme and a department."""

    date = models.DateField("发布日期", default=timezone.localdate, db_index=True,
                            help_text="页面和列表中显示的日期，列表按此日期倒序排列。")
    summary = models.TextField("摘要", max_length=500, blank=True)
    theme = models.ForeignKey("content.Theme", verbose_name="主题分类", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey("content.Department", verbose_name="部门", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("date"),
        index.FilterField("theme"),
        index.FilterField("department"),
    ]
    taxonomy_panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("theme"), FieldPanel("department")])]

    parent_page_types = COLUMN_PARENTS
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    @staticmethod
    def list_indexes(prefix: str, *fields: str) -> list[models.Index]:
        """(field, date) indexes: a filtered list is read in date order from the index and stops at one page,
        so its cost does not grow with the size of the table."""
        return [models.Index(fields=[field, "date"], name=f"{prefix}_{field[:12]}_date") for field in fields]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumb"] = self.breadcrumb()
        return context


class RelatedPage(Orderable):
    """相关阅读: pages an editor links from an article."""

    source = ParentalKey("content.ArticlePage", related_name="related_pages", on_delete=models.CASCADE)
    page = models.ForeignKey("wagtailcore.Page", verbose_name="页面", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = "相关阅读"


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("content.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE)


class ArticlePage(ContentPage):
    """财政新闻: a dated news article."""

    subtitle = models.CharField("副标题", max_length=200, blank=True)
    source = models.CharField("来源", max_length=100, blank=True)
    author = models.CharField("作者", max_length=100, blank=True)
    cover_image = models.ForeignKey("wagtailimages.Image", verbose_name="封面图片", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)
    tags = ClusterTaggableManager("标签", through=ArticlePageTag, blank=True,
                                  help_text="专题按标签自动汇集内容，如“政府和社会资本合作”。")

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldRowPanel([FieldPanel("source"), FieldPanel("author")]),
        *ContentPage.taxonomy_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("related_pages", label="相关阅读", max_num=6),
    ]
    search_fields = ContentPage.search_fields + [
        index.SearchField("subtitle"), index.SearchField("body"), index.FilterField("source"),
    ]
    page_description = "财政新闻：带来源、作者、封面和正文的新闻稿。"
    # Read with the page when it is served (portal/routing.py): the header shows them.
    serve_select_related = ("department", "cover_image")

    class Meta:
        verbose_name = "财政新闻"
        verbose_name_plural = "财政新闻"
        indexes = ContentPage.list_indexes("article", "theme", "department")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related"] = [
            item.page for item in self.related_pages.select_related("page") if item.page.live
        ]
        return context


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"
    AMENDED = "amended", "已修订"


class PolicyKind(models.TextChoices):
    """文件类别: what the 政府信息公开工作年度报告 counts under 主动公开 (规章 and 行政规范性文件 by the office itself);
    laws and State Council regulations republished here and other documents are not counted."""

    LAW = "law", "法律法规"
    REGULATION = "regulation", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    OTHER = "other", "其他文件"


class PolicyPageTag(TaggedItemBase):
    content_object = ParentalKey("content.PolicyPage", related_name="tagged_items", on_delete=models.CASCADE)


class PolicyAttachment(Orderable):
    policy = ParentalKey("content.PolicyPage", related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey("wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE,
                                 related_name="+")
    title = models.CharField("显示名称", max_length=200, blank=True, help_text="留空则使用文件标题。")

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class PolicyPage(ContentPage):
    """政策文件, with the metadata block (索引号, 发文机关, 文号, 日期, 主题分类, 有效性) shown above the text."""

    index_number = models.CharField(
        "索引号", max_length=40, unique=True, blank=True, editable=False,
        help_text="保存时按“部门代码/年份-5位序号”自动生成。",
    )
    issuing_authority = models.ForeignKey("content.Department", verbose_name="发文机关", on_delete=models.PROTECT,
                                          related_name="policies")
    document_number = models.CharField("发文字号", max_length=60, blank=True, db_index=True,
                                       help_text="如 财预〔2025〕12号。")
    written_date = models.DateField("成文日期")
    kind = models.CharField(
        "文件类别", max_length=12, choices=PolicyKind.choices, default=PolicyKind.NORMATIVE,
        help_text="政府信息公开工作年度报告按此统计本机关制发的规章和行政规范性文件；转载的法律法规不计入。",
    )
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, default=Validity.VALID)
    validity_changed_on = models.DateField("失效/废止/修订日期", null=True, blank=True)
    replaced_by = models.ForeignKey("self", verbose_name="替代文件", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="replaces")
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)
    tags = ClusterTaggableManager("标签", through=PolicyPageTag, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("issuing_authority"), FieldPanel("document_number")]),
                FieldRowPanel([FieldPanel("written_date"), FieldPanel("date"), FieldPanel("theme")]),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("validity"), FieldPanel("validity_changed_on")]),
                PageChooserPanel("replaced_by", "content.PolicyPage"),
            ],
            heading="文件信息",
        ),
        FieldPanel("department"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件"),
        FieldPanel("tags"),
    ]
    search_fields = ContentPage.search_fields + [
        index.SearchField("body"),
        index.SearchField("document_number"),
        index.SearchField("index_number"),
        index.FilterField("validity"),
        index.FilterField("issuing_authority"),
    ]
    exclude_fields_in_copy = ["index_number"]
    page_description = "政策文件：带索引号、发文字号和有效性的正式文件。"
    serve_select_related = ("theme", "issuing_authority", "department")  # the metadata table (portal/routing.py)

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        indexes = ContentPage.list_indexes("policy", "theme", "department", "issuing_authority", "validity")

    def clean(self):
        super().clean()
        errors = rules.policy_validity_errors(
            validity=self.validity, changed_on=self.validity_changed_on,
            replaced_by_id=self.replaced_by_id, own_id=self.pk,
        )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Every way a policy comes into being (admin, import, demo) must leave it with an index number.
        if not self.index_number:
            # Lazy: Wagtail (admin, publishing, imports) saves the page through this method; services imports models.
            from content.services import policy_next_index_number

            self.index_number = policy_next_index_number(
                department=self.issuing_authority, year=(self.written_date or self.date).year
            )
        return super().save(*args, **kwargs)

    @cached_property
    def validity_notice(self) -> str:
        return rules.validity_notice(validity=self.validity, changed_on=self.validity_changed_on)

    def get_context(self, request, *args, **kwargs):
        # Lazy (.importlinter): Wagtail calls this method of the page model; selectors imports the models.
        from content import selectors

        context = super().get_context(request, *args, **kwargs)
        context["metadata"] = [
            ("索引号", self.index_number),
            ("主题分类", self.theme.name if self.theme else ""),
            ("发文机关", self.issuing_authority.name),
            ("成文日期", cn_date(self.written_date)),
            ("标题", self.title),
            ("发文字号", self.document_number),
            ("发布日期", cn_date(self.date)),
            ("有效性", self.get_validity_display()),
        ]
        context["related_sections"] = selectors.policy_related_sections(policy=self, request=request)
        context["replacement"] = (
            self.replaced_by if self.replaced_by_id and self.replaced_by.live else None
        )
        return context


class InterpretationForm(models.TextChoices):
    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图解"
    VIDEO = "video", "视频解读"


class InterpretationPageTag(TaggedItemBase):
    content_object = ParentalKey("content.InterpretationPage", related_name="tagged_items", on_delete=models.CASCADE)


class InterpretationPage(ContentPage):
    """政策解读 of one policy document: in words, as a graphic, or as a video."""

    policy = models.ForeignKey(PolicyPage, verbose_name="解读的文件", on_delete=models.PROTECT,
                               related_name="interpretations")
    form = models.CharField("解读形式", max_length=10, choices=InterpretationForm.choices,
                            default=InterpretationForm.TEXT)
    source = models.CharField("来源", max_length=100, blank=True)
    video = models.ForeignKey("wagtaildocs.Document", verbose_name="视频文件", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", help_text="视频解读的 MP4 文件。")
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)
    tags = ClusterTaggableManager("标签", through=InterpretationPageTag, blank=True)

    content_panels = Page.content_panels + [
        PageChooserPanel("policy", "content.PolicyPage"),
        FieldRowPanel([FieldPanel("form"), FieldPanel("source")]),
        *ContentPage.taxonomy_panels,
        FieldPanel("summary"),
        FieldPanel("video"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = ContentPage.search_fields + [index.SearchField("body"), index.FilterField("form")]
    page_description = "政策解读：对一份政策文件的文字、图解或视频解读。"

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"
        indexes = ContentPage.list_indexes("interp", "theme", "department", "policy")

    def get_context(self, request, *args, **kwargs):
        # Lazy (.importlinter): Wagtail calls this method of the page model; selectors imports the models.
        from content import selectors

        context = super().get_context(request, *args, **kwargs)
        policy = self.policy
        context["policy"] = policy if policy.live else None
        context["siblings"] = [item for item in selectors.policy_interpretations(policy=policy) if item.pk != self.pk]
        return context

    def clean(self):
        super().clean()
        if self.form == InterpretationForm.VIDEO and not self.video_id:
            raise ValidationError({"video": "视频解读需要上传视频文件。"})


class NoticeType(models.TextChoices):
    INTENTION = "intention", "采购意向"
    OPEN_TENDER = "open_tender", "公开招标"
    INVITED_TENDER = "invited_tender", "邀请招标"
    NEGOTIATION = "negotiation", "竞争性谈判"
    CONSULTATION = "consultation", "竞争性磋商"
    INQUIRY = "inquiry", "询价"
    SINGLE_SOURCE = "single_source", "单一来源"
    PREQUALIFICATION = "prequalification", "资格预审"
    AWARD = "award", "中标公告"
    DEAL = "deal", "成交公告"
    CORRECTION = "correction", "更正公告"
    TERMINATION = "termination", "终止公告"
    CONTRACT = "contract", "合同公告"


class ProcurementMethod(models.TextChoices):
    OPEN_TENDER = "open_tender", "公开招标"
    INVITED_TENDER = "invited_tender", "邀请招标"
    NEGOTIATION = "negotiation", "竞争性谈判"
    CONSULTATION = "consultation", "竞争性磋商"
    INQUIRY = "inquiry", "询价"
    SINGLE_SOURCE = "single_source", "单一来源"
    FRAMEWORK = "framework", "框架协议"


class ProcurementCategory(models.TextChoices):
    GOODS = "goods", "货物"
    WORKS = "works", "工程"
    SERVICES = "services", "服务"


class ProcurementNoticePageTag(TaggedItemBase):
    content_object = ParentalKey("content.ProcurementNoticePage", related_name="tagged_items",
                                 on_delete=models.CASCADE)


class ProcurementNoticePage(ContentPage):
    """政府采购公告. Notices sharing a 项目编号 form the project's timeline."""

    notice_type = models.CharField("公告类型", max_length=20, choices=NoticeType.choices)
    project_code = models.CharField("项目编号", max_length=50, db_index=True)
    project_name = models.CharField("项目名称", max_length=200)
    procurement_method = models.CharField("采购方式", max_length=20, choices=ProcurementMethod.choices)
    category = models.CharField("品目", max_length=10, choices=ProcurementCategory.choices)
    purchaser = models.CharField("采购人", max_length=100)
    agency = models.CharField("采购代理机构", max_length=100, blank=True)
    region = models.ForeignKey("content.Region", verbose_name="行政区划", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    budget_amount = models.DecimalField("预算金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    max_price = models.DecimalField("最高限价（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    bid_deadline = models.DateTimeField("投标截止时间", null=True, blank=True)
    bid_opening = models.DateTimeField("开标时间", null=True, blank=True)
    supplier = models.CharField("中标（成交）供应商", max_length=200, blank=True)
    award_amount = models.DecimalField("中标（成交）金额（元）", max_digits=16, decimal_places=2, null=True,
                                       blank=True)
    subject_matter = models.CharField("标的", max_length=200, blank=True)
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)
    tags = ClusterTaggableManager("标签", through=ProcurementNoticePageTag, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("notice_type"), FieldPanel("procurement_method"), FieldPanel("category")]),
                FieldRowPanel([FieldPanel("project_code"), FieldPanel("project_name")]),
                FieldRowPanel([FieldPanel("purchaser"), FieldPanel("agency"), FieldPanel("region")]),
                FieldRowPanel([FieldPanel("budget_amount"), FieldPanel("max_price")]),
                FieldRowPanel([FieldPanel("bid_deadline"), FieldPanel("bid_opening")]),
            ],
            heading="项目信息",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("supplier"), FieldPanel("award_amount")]), FieldPanel("subject_matter")],
            heading="结果信息（中标、成交、合同公告填写）",
        ),
        *ContentPage.taxonomy_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = ContentPage.search_fields + [
        index.SearchField("project_name"),
        index.SearchField("project_code"),
        index.SearchField("purchaser"),
        index.SearchField("supplier"),
        index.SearchField("body"),
        index.FilterField("notice_type"),
        index.FilterField("procurement_method"),
        index.FilterField("category"),
        index.FilterField("region"),
        index.FilterField("project_code"),
    ]
    page_description = "政府采购公告：同一项目编号的公告自动组成项目进程。"
    serve_select_related = ("region", "department")  # the notice's header (portal/routing.py)

    class Meta:
        verbose_name = "政府采购公告"
        verbose_name_plural = "政府采购公告"
        indexes = ContentPage.list_indexes(
            "notice", "theme", "department", "notice_type", "procurement_method", "category", "region"
        )

    def clean(self):
        super().clean()
        errors = rules.procurement_notice_errors(
            notice_type=self.notice_type, supplier=self.supplier, award_amount=self.award_amount,
            bid_deadline=self.bid_deadline, bid_opening=self.bid_opening,
        )
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        # Lazy (.importlinter): Wagtail calls this method of the page model; selectors imports the models.
        from content import selectors

        context = super().get_context(request, *args, **kwargs)
        context["metadata"] = [
            ("项目编号", self.project_code),
            ("项目名称", self.project_name),
            ("采购方式", self.get_procurement_method_display()),
            ("品目", self.get_category_display()),
            ("采购人", self.purchaser),
            ("采购代理机构", self.agency),
            ("行政区划", str(self.region) if self.region else ""),
            ("预算金额", yuan(self.budget_amount)),
            ("最高限价", yuan(self.max_price)),
            ("投标截止时间", cn_datetime(self.bid_deadline)),
            ("开标时间", cn_datetime(self.bid_opening)),
        ]
        context["result_rows"] = [
            ("中标（成交）供应商", self.supplier),
            ("中标（成交）金额", yuan(self.award_amount)),
            ("标的", self.subject_matter),
        ] if self.supplier or self.award_amount is not None else []
        context["timeline"] = selectors.procurement_timeline(project_code=self.project_code)
        return context


class TopicPage(RoutablePageMixin, BreadcrumbMixin, Page):
    """专题: a banner, an introduction, curated blocks, and everything tagged with the topic's tag."""

    banner = models.ForeignKey("wagtailimages.Image", verbose_name="横幅图片", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    introduction = RichTextField("导语", blank=True, features=["bold", "italic", "link"])
    tag = models.CharField("专题标签", max_length=100,
                           help_text="带有此标签的新闻、政策、解读和公告自动列入本专题。")
    blocks = StreamField(TopicBlock(), verbose_name="精选区块", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("banner"), FieldPanel("introduction"), FieldPanel("tag"), FieldPanel("blocks"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("tag")]

    parent_page_types = COLUMN_PARENTS
    subpage_types: list[str] = []
    page_description = "专题：横幅、导语、精选区块，以及按标签自动汇集的内容。"
    per_page = 20

    class Meta:
        verbose_name = "专题"
        verbose_name_plural = "专题"

    @path("")
    def index_route(self, request, *args, **kwargs):
        # Lazy (.importlinter): Wagtail calls this method of the page model; listings imports the models.
        from content import listings, selectors
        from portal.pagination import CachedCountPaginator, paginate

        count_key = f"topic:{self.pk}:{self.tag}"
        page_obj = paginate(request, listings.topic_entries(topic=self), per_page=self.per_page,
                            paginator_class=lambda *a, **kw: CachedCountPaginator(*a, count_key=count_key, **kw))
        page_obj.object_list = listings.topic_rows(page_obj.object_list, request=request)
        return self.render(request, context_overrides={"breadcrumb": self.breadcrumb(), "page_obj": page_obj,
                                                       "curated": selectors.topic_curated(topic=self, request=request)})

    @path("feed/<str:fmt>/")
    def feed_route(self, request, fmt: str):
        # Lazy (.importlinter): Wagtail calls this method of the page model; feeds imports the models.
        from content import feeds

        return feeds.topic_feed(request, topic=self, fmt=fmt)
