"""The data-resource catalog: publishers (提供方), datasets (数据资源) with their data dictionary (信息项),
resources (uploaded files) and the rows of each resource in one queryable store."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from opendata import rules
from opendata.forms import DatasetPageForm
from opendata.rules import (
    Classification,
    FieldType,
    License,
    OpenType,
    ResourceFormat,
    ResourceStatus,
    ShareMethod,
    ShareType,
    UpdateFrequency,
)
from opendata.storage import private_data_storage
from portal.formatting import cn_date
from portal.models.pages import BreadcrumbMixin, SectionPage

dataset_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9/._-]{1,59}$", "资源代码由字母、数字和 / . _ - 组成，2–60 位，如 000014349/00001。"
)


def field_name_validator(value: str) -> None:
    if message := rules.field_name_error(value):
        raise ValidationError(message)


# /open-data/catalog/, /open-data/resources/…, /open-data/datasets/…/apply/ and /open-data/feed/… are views
# (opendata.urls), not pages.
RESERVED_SLUGS = frozenset({"catalog", "resources", "datasets", "feed", "developers"})


class Publisher(index.Indexed, models.Model):
    """提供方: the body that provides datasets, linked to its department."""

    name = models.CharField("名称", max_length=100, unique=True)
    slug = models.SlugField("网址代码", max_length=60, unique=True,
                            help_text="用于网址筛选参数和目录接口中的机构标识，如 budget-dept。")
    department = models.ForeignKey("content.Department", verbose_name="所属部门", on_delete=models.PROTECT,
                                   related_name="data_publishers")
    description = models.TextField("简介", blank=True, max_length=1000)
    contact = models.CharField("联系方式", max_length=200, blank=True, help_text="如 数据处 010-68551114")
    email = models.EmailField("电子邮箱", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("department"), FieldPanel("description"),
              FieldRowPanel([FieldPanel("contact"), FieldPanel("email")]), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "数据提供方"
        verbose_name_plural = "数据提供方"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class DatasetQuerySet(PageQuerySet):
    def public_catalog(self) -> DatasetQuerySet:
        """Datasets the public may see: live, without view restrictions, 非涉密, and not 不予开放."""
        from portal import cache_tags

        cache_tags.shows_kind(DatasetPage)
        return self.live().public().filter(
            open_type__in=rules.PUBLIC_OPEN_TYPES, classification=Classification.NON_SECRET
        )


DatasetManager = PageManager.from_queryset(DatasetQuerySet)


class DatasetPageTag(TaggedItemBase):
    content_object = ParentalKey("opendata.DatasetPage", related_name="tagged_items", on_delete=models.CASCADE)


class DatasetPage(BreadcrumbMixin, Page):
    """数据资源: one entry of the data-resource catalog, with its metadata, data dictionary and resources."""

    code = models.CharField("资源代码", max_length=60, unique=True, validators=[dataset_code_validator])
    summary = models.TextField("资源摘要", max_length=1000)
    publisher = models.ForeignKey(Publisher, verbose_name="提供方", on_delete=models.PROTECT,
                                  related_name="datasets")
    theme = models.ForeignKey("content.Theme", verbose_name="主题分类", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    share_type = models.CharField("共享类型", max_length=20, choices=ShareType.choices,
                                  default=ShareType.UNCONDITIONAL)
    share_condition = models.TextField("共享条件", blank=True, max_length=500)
    share_method = models.CharField("共享方式", max_length=20, choices=ShareMethod.choices,
                                    default=ShareMethod.PLATFORM_API)
    open_type = models.CharField("开放类型", max_length=20, choices=OpenType.choices, default=OpenType.OPEN,
                                 help_text="不予开放的数据资源不会在门户的任何列表、搜索、订阅源、接口和站点地图中出现。")
    open_condition = models.TextField("开放条件", blank=True, max_length=500,
                                      help_text="有条件开放时填写，如“用于学术研究，须说明用途”。")
    classification = models.CharField("资源密级", max_length=20, choices=Classification.choices,
                                      default=Classification.NON_SECRET, help_text="只有非涉密数据资源可以发布。")
    update_frequency = models.CharField("更新周期", max_length=20, choices=UpdateFrequency.choices,
                                        default=UpdateFrequency.MONTHLY)
    published_on = models.DateField("发布日期", default=timezone.localdate)
    updated_on = models.DateField("更新日期", default=timezone.localdate,
                                  help_text="导入新数据时自动更新为当天。")
    tags = ClusterTaggableManager("关键词", through=DatasetPageTag, blank=True)
    license = models.CharField("许可协议", max_length=20, choices=License.choices, default=License.CC_BY_4)
    temporal_start = models.DateField("时间范围（起）", null=True, blank=True)
    temporal_end = models.DateField("时间范围（止）", null=True, blank=True)
    spatial_coverage = models.CharField("空间范围", max_length=100, default="全国", blank=True)
    contact = models.CharField("联系方式", max_length=200, blank=True, help_text="留空则使用提供方的联系方式。")
    contact_email = models.EmailField("联系邮箱", blank=True)

    objects = DatasetManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("code"), FieldPanel("publisher"), FieldPanel("theme")]),
                FieldPanel("summary"),
                FieldPanel("tags"),
            ],
            heading="基本信息",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("share_type"), FieldPanel("share_method")]),
                FieldPanel("share_condition"),
                FieldRowPanel([FieldPanel("open_type"), FieldPanel("classification")]),
                FieldPanel("open_condition"),
                FieldPanel("license"),
            ],
            heading="共享开放属性",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("update_frequency"), FieldPanel("published_on"), FieldPanel("updated_on")]),
                FieldRowPanel([FieldPanel("temporal_start"), FieldPanel("temporal_end"), FieldPanel("spatial_coverage")]),
                FieldRowPanel([FieldPanel("contact"), FieldPanel("contact_email")]),
            ],
            heading="时间、范围与联系方式",
        ),
        InlinePanel("data_fields", label="信息项", heading="信息项（数据字典）",
                    help_text="字段名即数据接口中的参数名；勾选“建立索引”的字段可快速筛选和排序（文本/日期 4 个、数值 4 个）。"),
        InlinePanel("related_links", label="相关政策和新闻", max_num=10),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("code"),
        index.FilterField("open_type"),
        index.FilterField("classification"),
        index.FilterField("publisher"),
        index.FilterField("theme"),
    ]

    base_form_class = DatasetPageForm
    parent_page_types = ["portal.SectionPage", "opendata.OpenDataPage"]
    subpage_types: list[str] = []
    page_description = "数据资源：资源目录元数据、信息项、数据文件、预览与下载。"
    serve_select_related = ("publisher", "theme")  # the metadata table (portal/routing.py)

    class Meta:
        verbose_name = "数据资源"
        verbose_name_plural = "数据资源"
        indexes = [
            models.Index(fields=["open_type", "updated_on"], name="dataset_open_updated"),
            models.Index(fields=["publisher", "updated_on"], name="dataset_publisher_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    # --- rules -------------------------------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = rules.dataset_errors(
            live=self.live, classification=self.classification, share_type=self.share_type,
            share_condition=self.share_condition, open_type=self.open_type, open_condition=self.open_condition,
            temporal_start=self.temporal_start, temporal_end=self.temporal_end,
        )
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"网址“{self.slug}”已被数据开放功能占用，请换一个。"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        syncing = update_fields is None or "open_type" in update_fields
        was_closed = bool(syncing and self.pk and DatasetPage.objects.filter(
            pk=self.pk, open_type=OpenType.CLOSED).exists())
        result = super().save(*args, **kwargs)
        if syncing:
            # 不予开放 pages carry a view restriction, so every `.public()` list on the site (columns, search,
            # sitemap, feeds) leaves them out, not only the catalog's own queries.
            # Lazy: Wagtail saves the page through this method; services imports the models.
            from opendata.services import dataset_sync_privacy

            dataset_sync_privacy(dataset=self, was_closed=was_closed)
        return result

    def with_content_json(self, content):
        """Publishing an older draft must not move 更新日期 back before the last data import."""
        obj = super().with_content_json(content)
        if self.updated_on and obj.updated_on and obj.updated_on < self.updated_on:
            obj.updated_on = self.updated_on
        return obj

    @property
    def publicly_listed(self) -> bool:
        return rules.publicly_listed(open_type=self.open_type, classification=self.classification)

    @property
    def data_is_public(self) -> bool:
        return self.publicly_listed and rules.data_is_public(open_type=self.open_type)

    def route(self, request, path_components):
        # 不予开放 and 涉密 datasets do not exist for the public: 404, not a login redirect.
        if not self.publicly_listed:
            raise Http404("未找到该数据资源。")
        return super().route(request, path_components)

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request) if self.publicly_listed else []

    # --- reading -----------------------------------------------------------------------------------------

    @cached_property
    def field_specs(self) -> list[rules.FieldSpec]:
        """The declared data dictionary (信息项), in order."""
        return [field.spec for field in self.data_fields.all()]

    @property
    def effective_contact(self) -> str:
        return self.contact or self.publisher.contact

    def metadata_rows(self) -> list[tuple[str, str]]:
        formats = "、".join(sorted({resource.get_format_display() for resource in self.shown_resources()}))
        temporal = ""
        if self.temporal_start or self.temporal_end:
            temporal = f"{cn_date(self.temporal_start) or '…'} 至 {cn_date(self.temporal_end) or '今'}"
        return [
            ("资源名称", self.title),
            ("资源代码", self.code),
            ("资源摘要", self.summary),
            ("提供方", self.publisher.name),
            ("主题分类", self.theme.name if self.theme else ""),
            ("共享类型", self.get_share_type_display()),
            ("共享条件", self.share_condition),
            ("共享方式", self.get_share_method_display()),
            ("开放类型", self.get_open_type_display()),
            ("开放条件", self.open_condition),
            ("资源密级", self.get_classification_display()),
            ("更新周期", self.get_update_frequency_display()),
            ("发布日期", cn_date(self.published_on)),
            ("更新日期", cn_date(self.updated_on)),
            ("关键词", "、".join(tag.name for tag in self.tags.all())),
            ("数据格式", formats),
            ("许可协议", self.get_license_display()),
            ("时间范围", temporal),
            ("空间范围", self.spatial_coverage),
            ("联系方式", "；".join(part for part in (self.effective_contact, self.contact_email) if part)),
        ]

    def public_resources(self):
        """Resources that hold data (a failed re-import leaves the previous data in place)."""
        return self.resources.filter(ingested_at__isnull=False).order_by("sort_order", "pk")

    def shown_resources(self) -> list:
        """public_resources() read once for the page being rendered (its metadata, list, preview and JSON-LD)."""
        if getattr(self, "_shown_resources", None) is None:
            self._shown_resources = list(self.public_resources())
        return self._shown_resources

    def get_context(self, request, *args, **kwargs):
        # Lazy (.importlinter): Wagtail calls this method of the page model; selectors imports the models.
        from opendata import selectors

        from django.db.models import prefetch_related_objects

        # The keywords show in the metadata table, the page's tags and its JSON-LD: read once.
        prefetch_related_objects([self], "tags")
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.dataset_page_context(dataset=self, request=request))
        return context

    def serve(self, request, *args, **kwargs):
        # Lazy: Wagtail serves the page through this method; services imports the models.
        from opendata.services import dataset_record_view

        from portal import cache_tags

        response = super().serve(request, *args, **kwargs)
        if response.status_code == 200:
            dataset_record_view(dataset=self)
            # A visit answered from the page cache counts too.
            cache_tags.count_on_hit("opendata.dataset-view", self.pk)
        return response


class DataField(Orderable):
    """信息项: one column of the dataset's data dictionary."""

    dataset = ParentalKey(DatasetPage, related_name="data_fields", on_delete=models.CASCADE)
    name = models.CharField("字段名", max_length=rules.MAX_FIELD_NAME_LENGTH, validators=[field_name_validator],
                            help_text="如 amount 或 金额；与上传文件的列标题或中文名称对应。")
    label = models.CharField("中文名称", max_length=100, blank=True, help_text="上传文件中的列标题，如 金额（万元）。")
    field_type = models.CharField("数据类型", max_length=10, choices=FieldType.choices, default=FieldType.STRING)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    description = models.CharField("说明", max_length=300, blank=True)
    filterable = models.BooleanField("可筛选", default=False)
    indexed = models.BooleanField("建立索引", default=False)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("label"), FieldPanel("field_type"), FieldPanel("unit")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("filterable"), FieldPanel("indexed")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "信息项"
        verbose_name_plural = "信息项"

    def __str__(self) -> str:
        return self.label or self.name

    @property
    def spec(self) -> rules.FieldSpec:
        return rules.FieldSpec(name=self.name, label=self.label, type=self.field_type, unit=self.unit,
                               description=self.description, filterable=self.filterable or self.indexed,
                               indexed=self.indexed)


class DatasetRelatedPage(Orderable):
    """相关政策和新闻: content pages an editor links from a dataset."""

    dataset = ParentalKey(DatasetPage, related_name="related_links", on_delete=models.CASCADE)
    page = models.ForeignKey("wagtailcore.Page", verbose_name="页面", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("page", ["content.PolicyPage", "content.InterpretationPage", "content.ArticlePage"])]

    class Meta(Orderable.Meta):
        verbose_name = "相关政策和新闻"


class DatasetStats(models.Model):
    """View and download counts, kept out of the page so that publishing a revision never resets them."""

    dataset = models.OneToOneField(DatasetPage, on_delete=models.CASCADE, related_name="stats", primary_key=True)
    view_count = models.PositiveBigIntegerField("浏览次数", default=0)
    download_count = models.PositiveBigIntegerField("下载次数", default=0)

    class Meta:
        verbose_name = "数据资源访问统计"
        verbose_name_plural = "数据资源访问统计"
        indexes = [models.Index(fields=["-view_count"], name="dataset_stats_views")]


class Resource(models.Model):
    """数据文件: one uploaded CSV, XLSX or JSON file of a dataset and the rows ingested from it."""

    dataset = models.ForeignKey(DatasetPage, verbose_name="数据资源", on_delete=models.CASCADE,
                                related_name="resources")
    name = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True, max_length=1000)
    format = models.CharField("格式", max_length=10, choices=ResourceFormat.choices)
    file = models.FileField("原始文件", storage=private_data_storage, upload_to="resources/%Y/%m/", blank=True,
                            max_length=300)
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("文件大小（字节）", default=0)
    encoding = models.CharField("文件编码", max_length=20, blank=True)
    row_count = models.PositiveIntegerField("行数", default=0)
    schema = models.JSONField("结构", default=list, blank=True,
                              help_text="各列的字段名、中文名称、类型和索引列，导入时由信息项或推断得出。")
    status = models.CharField("状态", max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.PENDING)
    error_message = models.TextField("最近一次导入的错误", blank=True)
    ingested_at = models.DateTimeField("数据导入时间", null=True, blank=True)
    download_count = models.PositiveBigIntegerField("下载次数", default=0)
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "数据文件"
        verbose_name_plural = "数据文件"
        ordering = ["dataset", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_format_display()}）"

    @property
    def fields(self) -> list[rules.FieldSpec]:
        return rules.fields_from_schema(self.schema)

    @property
    def slots(self) -> dict[str, str]:
        """Field name → its typed index column, as recorded at ingestion."""
        return {item["name"]: item["slot"] for item in self.schema if item.get("slot")}


class ResourceRow(models.Model):
    """One row of a resource: its values as a JSON object, and the indexed fields copied into typed columns
    (k1…k4 text, n1…n4 numbers) so that filters and sorts on them use an index, each ending in row_number
    for keyset pagination."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="rows", db_index=False)
    row_number = models.PositiveIntegerField("行号")
    data = models.JSONField("数据")
    k1 = models.CharField(max_length=rules.MAX_TEXT_INDEX_LENGTH, null=True)
    k2 = models.CharField(max_length=rules.MAX_TEXT_INDEX_LENGTH, null=True)
    k3 = models.CharField(max_length=rules.MAX_TEXT_INDEX_LENGTH, null=True)
    k4 = models.CharField(max_length=rules.MAX_TEXT_INDEX_LENGTH, null=True)
    n1 = models.DecimalField(max_digits=rules.NUMBER_MAX_DIGITS, decimal_places=rules.NUMBER_DECIMAL_PLACES, null=True)
    n2 = models.DecimalField(max_digits=rules.NUMBER_MAX_DIGITS, decimal_places=rules.NUMBER_DECIMAL_PLACES, null=True)
    n3 = models.DecimalField(max_digits=rules.NUMBER_MAX_DIGITS, decimal_places=rules.NUMBER_DECIMAL_PLACES, null=True)
    n4 = models.DecimalField(max_digits=rules.NUMBER_MAX_DIGITS, decimal_places=rules.NUMBER_DECIMAL_PLACES, null=True)

    class Meta:
        verbose_name = "数据行"
        verbose_name_plural = "数据行"
        constraints = [
            models.UniqueConstraint(fields=["resource", "row_number"], name="resource_row_number_unique"),
        ]
        indexes = [
            models.Index(fields=["resource", slot, "row_number"], name=f"resource_row_{slot}")
            for slot in (*rules.TEXT_SLOTS, *rules.NUMBER_SLOTS)
        ]


# --- access to 有条件开放 data ---------------------------------------------------------------------------------


class AccessApplication(models.Model):
    """数据使用申请: a person asks for the data of a 有条件开放 dataset, with a purpose; staff approve or refuse."""

    dataset = models.ForeignKey(DatasetPage, verbose_name="数据资源", on_delete=models.CASCADE,
                                related_name="access_applications")
    applicant_name = models.CharField("申请人", max_length=50)
    organisation = models.CharField("单位", max_length=100)
    email = models.EmailField("电子邮箱")
    phone = models.CharField("联系电话", max_length=30)
    purpose = models.TextField("用途说明", max_length=1000)
    status = models.CharField("状态", max_length=10, choices=rules.AccessStatus.choices,
                              default=rules.AccessStatus.PENDING)
    submitted_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    reason = models.TextField("审批意见", blank=True, max_length=1000)

    class Meta:
        verbose_name = "数据使用申请"
        verbose_name_plural = "数据使用申请"
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="access_status_submitted")]

    def __str__(self) -> str:
        return f"{self.applicant_name}（{self.organisation}）申请使用“{self.dataset.title}”"


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """接口密钥 for one 有条件开放 dataset. Only the SHA-256 of the secret is stored (see opendata.keys)."""

    application = models.OneToOneField(AccessApplication, verbose_name="申请", on_delete=models.CASCADE,
                                       related_name="api_key", null=True, blank=True)
    dataset = models.ForeignKey(DatasetPage, verbose_name="数据资源", on_delete=models.CASCADE,
                                related_name="api_keys")
    prefix = models.CharField("密钥前缀", max_length=8, unique=True)
    secret_hash = models.CharField("密钥摘要（SHA-256）", max_length=64)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="吊销人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "接口密钥"
        verbose_name_plural = "接口密钥"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"jcd_{self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class OpenDataPage(SectionPage):
    """数据开放 front door: the catalog itself (facets, sorts, feeds) and a 开发者 page with copyable examples.

    A 栏目 with its own face, so it keeps the column's URL, menu entry and children (the datasets)."""

    developers_intro = RichTextField(
        "开发者页说明", blank=True, features=["bold", "italic", "link"],
        default="<p>本站数据资源可通过以下接口以机器可读方式获取。无条件开放的数据无需注册；有条件开放的数据须申请接口密钥。</p>",
    )

    template = "opendata/catalog.html"
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("developers_intro")]
    max_count = 1
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["opendata.DatasetPage", "portal.InfoPage"]
    page_description = "数据开放：数据资源目录（筛选、排序、订阅）和开发者接口说明。"

    class Meta:
        verbose_name = "数据开放"
        verbose_name_plural = "数据开放"

    @path("")
    def index_route(self, request, *args, **kwargs):
        from opendata.views import catalog_context

        context = catalog_context(request)
        context["breadcrumb"] = self.breadcrumb()
        return self.render(request, context_overrides=context)

    @path("developers/")
    def developers_route(self, request, *args, **kwargs):
        from opendata import selectors

        return self.render(
            request, template="opendata/developers.html",
            context_overrides={"breadcrumb": [*self.breadcrumb(), self],
                               "examples": selectors.developer_examples(request=request)},
        )
