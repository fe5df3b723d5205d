"""政务服务大厅: service guides (pages), the holiday calendar (snippet), and what the public files (plain models).

Models hold data and its constraints; rules live in workflow.py and deadlines.py, writes in services.py.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.urls import NoReverseMatch, reverse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.models.pages import BreadcrumbMixin, InfoPage, SectionPage

from .storage import private_storage
from .validators import validate_id_number, validate_uscc
from .workflow import Action, Role, Status

PROSE_FEATURES = ["bold", "italic", "link", "ol", "ul"]


# ---------------------------------------------------------------------------------------------------------------
# Holiday calendar (snippet)


class Holiday(models.Model):
    """One day that differs from the Monday-to-Friday rule: a holiday off, or a weekend day worked (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日（放假）"
        WORKDAY = "workday", "调休上班日"

    date = models.DateField("日期", unique=True)
    name = models.CharField("名称", max_length=60, help_text="例如：国庆节、春节调休上班")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    panels = [FieldPanel("date"), FieldPanel("name"), FieldPanel("kind")]

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y年%m月%d日} {self.name}（{self.get_kind_display()}）"


# ---------------------------------------------------------------------------------------------------------------
# Service guide (办事指南) — a page editors publish


class ServiceGuidePage(BreadcrumbMixin, Page):
    """办事指南: one matter (事项) with everything an applicant needs, and its online form when filing is open."""

    class ServiceType(models.TextChoices):
        LICENSING = "licensing", "行政许可"
        CONFIRMATION = "confirmation", "行政确认"
        PUBLIC_SERVICE = "public_service", "公共服务"
        OTHER = "other", "其他"

    class Audience(models.TextChoices):
        LEGAL_PERSON = "legal_person", "法人"
        PERSONAL = "personal", "个人"
        BOTH = "both", "个人和法人"

    service_code = models.CharField("事项编码", max_length=64, blank=True, db_index=True)
    service_type = models.CharField("事项类型", max_length=20, choices=ServiceType.choices, default=ServiceType.LICENSING)
    implementing_body = models.CharField("实施主体", max_length=120)
    legal_basis = RichTextField("设定依据", features=PROSE_FEATURES)
    acceptance_conditions = RichTextField("受理条件", blank=True, features=PROSE_FEATURES)
    location = models.TextField("办理地点", blank=True)
    office_hours = models.CharField("办理时间", max_length=200, blank=True)
    statutory_days = models.PositiveSmallIntegerField("法定办结时限（工作日）", default=20)
    promised_days = models.PositiveSmallIntegerField(
        "承诺办结时限（工作日）", null=True, blank=True, help_text="不超过法定办结时限；留空表示与法定时限相同。"
    )
    fees = models.TextField("收费标准", default="不收费")
    consultation_phone = models.CharField("咨询电话", max_length=60, blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=60, blank=True)
    online_filing_open = models.BooleanField("开通网上申报", default=False)
    # How the hall groups its matters (按服务对象、主题、部门).
    audience = models.CharField("服务对象", max_length=14, choices=Audience.choices, default=Audience.LEGAL_PERSON)
    theme = models.CharField("主题", max_length=40, blank=True, help_text="办事大厅按主题分组，如：会计管理、政府采购。")
    department = models.CharField("承办部门", max_length=60, blank=True,
                                  help_text="办事大厅按部门分组，如：会计司；留空则按实施主体分组。")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("service_code"), FieldPanel("service_type")]),
                FieldRowPanel([FieldPanel("audience"), FieldPanel("theme"), FieldPanel("department")]),
                FieldPanel("implementing_body"),
                FieldPanel("legal_basis"),
                FieldPanel("acceptance_conditions"),
            ],
            heading="基本信息",
        ),
        InlinePanel("materials", label="申请材料", heading="申请材料"),
        InlinePanel("steps", label="办理流程", heading="办理流程"),
        MultiFieldPanel(
            [
                FieldPanel("location"),
                FieldPanel("office_hours"),
                FieldRowPanel([FieldPanel("statutory_days"), FieldPanel("promised_days")]),
                FieldPanel("fees"),
                FieldRowPanel([FieldPanel("consultation_phone"), FieldPanel("complaint_phone")]),
            ],
            heading="办理信息",
        ),
        InlinePanel("faqs", label="常见问题", heading="常见问题"),
        MultiFieldPanel(
            [FieldPanel("online_filing_open"), InlinePanel("form_fields", label="申报表单字段")],
            heading="网上申报",
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("service_code"),
        index.SearchField("implementing_body"),
        index.SearchField("legal_basis"),
        index.SearchField("acceptance_conditions"),
        index.FilterField("service_type"),
    ]

    parent_page_types = ["portal.SectionPage", "services_hall.ServicesHallPage"]
    subpage_types: list[str] = []
    page_description = "办事指南：一个政务服务事项的办理要素，可开通网上申报。"

    class Meta:
        verbose_name = "办事指南"
        verbose_name_plural = "办事指南"

    def clean(self):
        super().clean()
        if self.promised_days is not None and self.promised_days > self.statutory_days:
            raise ValidationError({"promised_days": "承诺办结时限不能超过法定办结时限。"})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumb"] = self.breadcrumb()
        return context

    @property
    def effective_promised_days(self) -> int:
        return self.promised_days if self.promised_days is not None else self.statutory_days

    @property
    def department_label(self) -> str:
        return self.department or self.implementing_body


class ServiceMaterial(Orderable):
    """申请材料: one document the applicant provides."""

    class Form(models.TextChoices):
        ORIGINAL = "original", "原件"
        COPY = "copy", "复印件"
        ELECTRONIC = "electronic", "电子件"

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField("材料名称", max_length=200)
    required = models.BooleanField("必需", default=True)
    form = models.CharField("材料形式", max_length=12, choices=Form.choices, default=Form.ELECTRONIC)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    template = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="空白表格 / 示例样表", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    notes = models.TextField("填报说明", blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("form"), FieldPanel("copies")]),
        FieldPanel("template"),
        FieldPanel("notes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"

    def __str__(self) -> str:
        return self.name


class ServiceStep(Orderable):
    """办理流程: one step, in order."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField("环节", max_length=100)
    description = models.TextField("说明", blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = "办理环节"
        verbose_name_plural = "办理流程"


class ServiceFaq(Orderable):
    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField("问题", max_length=300)
    answer = models.TextField("解答")

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = "常见问题"
        verbose_name_plural = "常见问题"


class ServiceFormField(AbstractFormField):
    """One field of the online form, defined by editors (validated by Wagtail's FormBuilder on submission)."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="form_fields")
    clean_name = models.CharField(
        "字段名", max_length=255, blank=True, default="",
        help_text="申报数据中的键名：英文小写字母、数字和下划线，如 company_name；留空则按标签自动生成。",
    )

    panels = [FieldPanel("clean_name"), *AbstractFormField.panels]

    class Meta(AbstractFormField.Meta):
        verbose_name = "表单字段"
        verbose_name_plural = "表单字段"


# ---------------------------------------------------------------------------------------------------------------
# Applicants and applications — what the public files


class Applicant(models.Model):
    """申请人: an enterprise identified by its 统一社会信用代码, or a person by 居民身份证号."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "法人（企业）"
        INDIVIDUAL = "individual", "自然人"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.PROTECT, related_name="applicant"
    )
    kind = models.CharField("申请人类型", max_length=12, choices=Kind.choices)
    name = models.CharField("名称 / 姓名", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_uscc])
    id_number = models.CharField("居民身份证号", max_length=18, blank=True, validators=[validate_id_number])
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请人"
        verbose_name_plural = "申请人"
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="applicant_unique_uscc"),
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="applicant_unique_id_number"
            ),
            models.CheckConstraint(
                condition=(Q(kind="enterprise") & ~Q(uscc="") & Q(id_number=""))
                | (Q(kind="individual") & ~Q(id_number="") & Q(uscc="")),
                name="applicant_identified_by_its_kind",
                violation_error_message="法人须填写统一社会信用代码，自然人须填写居民身份证号。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def email(self) -> str:
        return self.user.email


class Application(models.Model):
    """办件: one filing for one service guide, from submission to its conclusion."""

    service = models.ForeignKey(
        ServiceGuidePage, verbose_name="事项", on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name="申请人", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    tracking_number = models.CharField("申报号", max_length=24, unique=True)
    # Kept readable so the applicant can see it again under "my applications"; compared in constant time.
    query_code = models.CharField("查询码", max_length=8)
    idempotency_key = models.CharField("提交标识", max_length=64)
    form_data = models.JSONField("申报内容", default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The limits as they stood when the application was filed; later edits of the guide do not move its deadline.
    statutory_days = models.PositiveSmallIntegerField("法定办结时限（工作日）")
    promised_days = models.PositiveSmallIntegerField("承诺办结时限（工作日）")
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    intake_due_on = models.DateField("受理期限", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    statutory_due_on = models.DateField("法定办结日期", null=True, blank=True)
    promised_due_on = models.DateField("承诺办结日期", null=True, blank=True)
    paused_since = models.DateField("补正起始日", null=True, blank=True)
    paused_working_days = models.PositiveIntegerField("补正暂停工作日数", default=0)
    correction_count = models.PositiveSmallIntegerField("补正次数", default=0)
    correction_items = models.JSONField("需补正材料", default=list, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "idempotency_key"], name="application_idempotent_submit"),
        ]
        indexes = [models.Index(fields=["status", "promised_due_on"], name="application_queue_idx")]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.service.title}"

    @property
    def status_label(self) -> str:
        return Status(self.status).label


class ApplicationMaterial(models.Model):
    """One uploaded file, stored privately under a random name; its hash lets anyone check it is intact."""

    application = models.ForeignKey(
        Application, verbose_name="办件", on_delete=models.CASCADE, related_name="materials"
    )
    requirement = models.ForeignKey(
        ServiceMaterial, verbose_name="对应材料要求", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", storage=private_storage, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)
    for_correction = models.BooleanField("补正材料", default=False)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请材料文件"
        verbose_name_plural = "申请材料文件"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}：{self.original_name}"


class ApplicationEvent(models.Model):
    """审计记录: who moved an application, when, from which status to which, and why. Never edited."""

    application = models.ForeignKey(Application, verbose_name="办件", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=24, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A copy of who acted, so the record survives the deletion of the account.
    actor_name = models.CharField("操作人姓名", max_length=150)
    actor_role = models.CharField("身份", max_length=12, choices=Role.choices)
    comment = models.TextField("意见 / 说明", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.get_from_status_display()} → {self.get_to_status_display()}"


# ---------------------------------------------------------------------------------------------------------------
# Letters (咨询 / 建议 / 投诉)


class Letter(models.Model):
    """A letter anyone may write; answered within a working-day limit and, with consent, published masked."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", "咨询"
        SUGGESTION = "suggestion", "建议"
        COMPLAINT = "complaint", "投诉"

    # What each kind is for, as the 写信 entries say it.
    KIND_PROMPTS = {
        Kind.CONSULTATION: "政策、办事问题咨询",
        Kind.SUGGESTION: "对财政工作提出建议",
        Kind.COMPLAINT: "反映问题、监督投诉",
    }

    class State(models.TextChoices):
        RECEIVED = "received", "已受理"
        REPLIED = "replied", "已答复"

    kind = models.CharField("类型", max_length=14, choices=Kind.choices)
    tracking_number = models.CharField("留言编号", max_length=24, unique=True)
    query_code = models.CharField("查询码", max_length=8)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", max_length=5000)
    name = models.CharField("姓名", max_length=60)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_publish = models.BooleanField("同意公开", default=False)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.RECEIVED, db_index=True)
    received_at = models.DateTimeField("受理日期", default=timezone.now, db_index=True)
    due_on = models.DateField("答复期限")
    published = models.BooleanField("已公开", default=False, db_index=True)

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.subject}"


class LetterReply(models.Model):
    letter = models.OneToOneField(Letter, verbose_name="留言", on_delete=models.CASCADE, related_name="reply")
    department = models.CharField("答复部门", max_length=120)
    body = models.TextField("答复内容")
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField("答复日期", default=timezone.now)
    on_time = models.BooleanField("按时答复")

    class Meta:
        verbose_name = "留言答复"
        verbose_name_plural = "留言答复"

    def __str__(self) -> str:
        return f"答复：{self.letter.subject}"


# ---------------------------------------------------------------------------------------------------------------
# Ratings (好差评)


class Rating(models.Model):
    """好差评 of a concluded application; a poor rating opens a follow-up that staff must close in time."""

    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, "非常满意"
        SATISFIED = 4, "满意"
        FAIRLY_SATISFIED = 3, "基本满意"
        DISSATISFIED = 2, "不满意"
        VERY_DISSATISFIED = 1, "非常不满意"

    class FollowUp(models.TextChoices):
        NONE = "none", "无需整改"
        OPEN = "open", "待整改"
        RESOLVED = "resolved", "已整改"

    application = models.OneToOneField(
        Application, verbose_name="办件", on_delete=models.CASCADE, related_name="rating"
    )
    level = models.PositiveSmallIntegerField("评价", choices=Level.choices)
    reason = models.TextField("评价理由", blank=True, max_length=2000)
    created_at = models.DateTimeField("评价时间", default=timezone.now)
    follow_up = models.CharField("整改状态", max_length=10, choices=FollowUp.choices, default=FollowUp.NONE)
    follow_up_due_on = models.DateField("整改期限", null=True, blank=True)
    follow_up_note = models.TextField("整改情况", blank=True)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="整改人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    follow_up_at = models.DateTimeField("整改完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "好差评"
        verbose_name_plural = "好差评"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.application.tracking_number}：{self.get_level_display()}"


# ---------------------------------------------------------------------------------------------------------------
# Front doors: the 政务服务, 互动交流 and 依申请公开 columns as editors place and word them.
# Each is a 栏目 (SectionPage) with its own face, so it keeps the column's URL, menu entry and feed.


class ServicesHallPage(SectionPage):
    """政务服务 front door: the matters grouped by 服务对象, 主题 and 部门, the hall's four entries and its figures."""

    volume_definition = models.TextField(
        "办件量口径", default="本年1月1日起通过本站在线申报提交的办件数（含已撤回、不予受理的办件）。",
    )
    on_time_definition = models.TextField(
        "按期办结率口径",
        default="本年作出决定的办件中，在承诺办结日期（未受理的为受理期限）当日或之前作出决定的比例；"
                "补正材料期间不计入办理时限。",
    )
    satisfaction_definition = models.TextField(
        "满意度口径", default="本年申请人对办结事项的好差评中，“非常满意”“满意”“基本满意”三档所占比例。",
    )
    letters_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="咨询投诉入口", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="一般选择“互动交流”栏目；留空则进入写信页面。",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("letters_page"),
        MultiFieldPanel(
            [FieldPanel("volume_definition"), FieldPanel("on_time_definition"), FieldPanel("satisfaction_definition")],
            heading="办件数据口径",
        ),
    ]
    max_count = 1
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["services_hall.ServiceGuidePage", "portal.InfoPage"]
    page_description = "政务服务大厅：按服务对象、主题、部门列出办事事项，提供在线申报、办件查询、我的办件、咨询投诉入口和办件数据。"

    class Meta:
        verbose_name = "政务服务大厅"
        verbose_name_plural = "政务服务大厅"

    @path("")
    def index_route(self, request, *args, **kwargs):
        from . import selectors

        query = request.GET.get("q", "").strip()[:50]
        guides = selectors.hall_matters(hall=self, query=query)
        context = {
            "breadcrumb": self.breadcrumb(),
            "query": query,
            "guides": guides,
            "groups": selectors.hall_matter_groups(guides=guides),
            "figures": selectors.hall_figures(today=timezone.localdate()),
        }
        return self.render(request, context_overrides=context)


class InteractionPage(SectionPage):
    """互动交流 front door: 写信, 留言选登 with the published replies, 办理统计, and the participation places."""

    upcoming_note = models.CharField(
        "筹备中栏目说明", max_length=120, blank=True, default="栏目筹备中，开通后将在此发布。",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("upcoming_note")]
    max_count = 1
    parent_page_types = ["portal.HomePage"]
    # The participation app's lists (by name: services_hall does not import it).
    subpage_types = ["portal.InfoPage", "participation.ConsultationIndexPage", "participation.SurveyIndexPage",
                     "participation.InterviewIndexPage"]
    page_description = "互动交流：写信（咨询、建议、投诉）、留言选登、办理统计，以及征求意见、网上调查、在线访谈。"

    latest_count = 6

    class Meta:
        verbose_name = "互动交流"
        verbose_name_plural = "互动交流"

    @path("")
    def index_route(self, request, *args, **kwargs):
        from portal.selectors import LISTING_FIELDS

        from portal import cache_tags

        from . import selectors

        # The letters' statistics change with every letter, shown or not.
        cache_tags.shows_below(self)
        cache_tags.shows("services_hall.letter:set")
        context = {
            "breadcrumb": self.breadcrumb(),
            "letters": selectors.letter_public_list()[: self.latest_count],
            "statistics": selectors.letter_statistics(since=dt.date(timezone.localdate().year, 1, 1)),
            "year": timezone.localdate().year,
            "write_entries": [
                (f"{reverse('services_hall:letter_write')}?kind={kind.value}", f"写{kind.label}", prompt)
                for kind, prompt in Letter.KIND_PROMPTS.items()
            ],
            "participation": ["征求意见", "网上调查", "在线访谈"],
            # The news pages beneath it, not the participation lists placed beside them (征求意见 …).
            "entries": self.get_children().live().public().exact_type(InfoPage).order_by("-first_published_at")
            .only(*LISTING_FIELDS)[:8],
        }
        return self.render(request, context_overrides=context)


class DisclosureRequestPage(SectionPage):
    """依申请公开 front door: the 申请指南 (its pages), the online application and the 年度报告 column together."""

    application_guide = models.ForeignKey(
        "services_hall.ServiceGuidePage", verbose_name="在线申请事项", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", help_text="“政府信息公开申请”办事指南，申请人由此在线提交。",
    )
    annual_reports = models.ForeignKey(
        "portal.SectionPage", verbose_name="年度报告栏目", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"), FieldPanel("application_guide"), FieldPanel("annual_reports"),
    ]
    max_count = 1
    parent_page_types = ["portal.HomePage", "portal.SectionPage"]
    subpage_types = ["portal.InfoPage"]
    page_description = "依申请公开：申请指南、在线申请和政府信息公开工作年度报告。"

    class Meta:
        verbose_name = "依申请公开"
        verbose_name_plural = "依申请公开"

    @staticmethod
    def online_application_url() -> str:
        """The statutory application form of the disclosure app, found by its URL name (services_hall does not
        import the app above it); "" where that app is not installed, and the guide's own filing is offered."""
        try:
            return reverse("disclosure:apply")
        except NoReverseMatch:
            return ""

    @path("")
    def index_route(self, request, *args, **kwargs):
        from portal.selectors import LISTING_FIELDS, latest_entries

        from portal import cache_tags

        reports = self.annual_reports
        cache_tags.shows_below(self)
        cache_tags.shows_below(reports)
        context = {
            "breadcrumb": self.breadcrumb(),
            "apply_url": self.online_application_url(),
            "guides": self.get_children().live().public().order_by("path").only(*LISTING_FIELDS),
            "reports": list(reports.get_children().live().public().order_by("-first_published_at")
                            .only(*LISTING_FIELDS)[:6]) if reports and reports.live else [],
        }
        return self.render(request, context_overrides=context)
