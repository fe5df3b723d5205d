"""依申请公开: requests for government information (政府信息公开条例, 2019), their events and consultations.

Plain models (what the public submits); the rules they follow are the tables of rules.py and the clock of clock.py.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from portal.models.pages import BreadcrumbMixin

from .rules import (
    Action,
    ApplicantKind,
    Channel,
    Delivery,
    InformationForm,
    Outcome,
    ReviewKind,
    ReviewResult,
    Status,
)


class DisclosureRequest(models.Model):
    """政府信息公开申请: one request, from its receipt to the answer (告知书)."""

    tracking_number = models.CharField("申请编号", max_length=24, unique=True)
    query_code = models.CharField("查询码", max_length=8)
    idempotency_key = models.CharField("提交标识", max_length=64, unique=True)
    # The hall account of an online applicant; letters and visits registered by staff have none.
    account = models.ForeignKey(
        "services_hall.Applicant", verbose_name="申请人账户", null=True, blank=True, on_delete=models.PROTECT,
        related_name="disclosure_requests",
    )
    applicant_kind = models.CharField("申请人类型", max_length=24, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    id_document = models.CharField("身份证件号码或统一社会信用代码", max_length=40)
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=20)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    description = models.TextField("所需政府信息的名称、文号或特征性描述")
    information_form = models.CharField("信息的指定提供形式", max_length=12, choices=InformationForm.choices)
    delivery = models.CharField("获取信息的方式", max_length=12, choices=Delivery.choices)

    channel = models.CharField("提交方式", max_length=16, choices=Channel.choices)
    arrived_on = models.DateField("申请到达日期")
    received_on = models.DateField("收到申请之日", help_text="依条例第三十一条确定。")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True)

    correction_requested_on = models.DateField("告知补正日期", null=True, blank=True)
    correction_items = models.TextField("补正事项", blank=True)
    corrected_on = models.DateField("收到补正日期", null=True, blank=True)
    correction_text = models.TextField("补正内容", blank=True)

    extension_days = models.PositiveSmallIntegerField("延长工作日数", default=0)
    extended_on = models.DateField("延期告知日期", null=True, blank=True)
    extension_approved_by = models.CharField("延期批准人", max_length=60, blank=True)
    extension_reason = models.TextField("延期理由", blank=True)

    outcome = models.CharField("办理结果", max_length=32, choices=Outcome.choices, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answer_text = models.TextField("答复内容", blank=True)
    # The 告知书 as delivered: a PDF in private storage, streamed to the applicant and staff only.
    notice_file = models.CharField("告知书文件", max_length=200, blank=True)

    created_at = models.DateTimeField("登记时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["status", "received_on"], name="disclosure_queue_idx")]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.applicant_name}"


class DisclosureAttachment(models.Model):
    """A file delivered with the answer (the information disclosed), stored privately under a random name."""

    request = models.ForeignKey(
        DisclosureRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.CharField("存储名", max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("类型", max_length=100)

    class Meta:
        verbose_name = "答复附件"
        verbose_name_plural = "答复附件"

    def __str__(self) -> str:
        return self.original_name


class DisclosureConsultation(models.Model):
    """征求意见: a letter to a third party or another office; the time until its answer is not counted."""

    request = models.ForeignKey(
        DisclosureRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="consultations"
    )
    party = models.CharField("征求意见对象", max_length=200)
    third_party = models.BooleanField("第三方", default=True, help_text="否：其他机关。")
    started_on = models.DateField("发出征求意见日期")
    ended_on = models.DateField("收到意见日期", null=True, blank=True)
    opinion = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.request.tracking_number} → {self.party}"


class DisclosureEvent(models.Model):
    """One step of a request, in order: who did what, when."""

    request = models.ForeignKey(DisclosureRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=24, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150)
    comment = models.TextField("说明", blank=True)
    on_date = models.DateField("日期")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.tracking_number} {self.get_action_display()}"


class DisclosureReview(models.Model):
    """行政复议 or 行政诉讼 brought against the answer to a request, and its result."""

    request = models.ForeignKey(
        DisclosureRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="reviews"
    )
    kind = models.CharField("类型", max_length=16, choices=ReviewKind.choices)
    after_reconsideration = models.BooleanField("复议后起诉", default=False, help_text="仅对行政诉讼：先经行政复议。")
    result = models.CharField("结果", max_length=12, choices=ReviewResult.choices, default=ReviewResult.PENDING)
    filed_on = models.DateField("提起日期")
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "行政复议 / 行政诉讼"
        verbose_name_plural = "行政复议 / 行政诉讼"
        ordering = ["filed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.request.tracking_number} {self.get_kind_display()}"


class DisclosureReportPage(RoutablePageMixin, BreadcrumbMixin, Page):
    """政府信息公开工作年度报告: the narrative sections editors write, and the tables built from the system's data
    (`manage.py disclosure_report YEAR` or the admin button), which no one edits by hand."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    overview = models.TextField("一、总体情况", blank=True)
    proactive_other = models.TextField(
        "二、行政处罚、行政强制和行政事业性收费情况", blank=True,
        help_text="这些事项不在本系统办理，统计表中无法计算，请在此写明本年处理决定数量和收费金额。",
    )
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField("六、其他需要报告的事项", blank=True)
    # Built by disclosure.services.report_build from the requests, reviews and policies; not in any panel.
    tables = models.JSONField("统计表", default=dict, editable=False, encoder=DjangoJSONEncoder)
    tables_built_at = models.DateTimeField("统计时间", null=True, editable=False)

    content_panels = Page.content_panels + [
        HelpPanel(content="第二、三、四部分的统计表由系统根据依申请公开办件和已发布的政策文件生成，不能手工修改；"
                          "请在“依申请公开”中点击“生成年度报告”重新统计。"),
        FieldPanel("overview"), FieldPanel("proactive_other"), FieldPanel("problems"), FieldPanel("other_matters"),
    ]
    parent_page_types = ["portal.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.render(request, context_overrides={"breadcrumb": self.breadcrumb()})

    @path("pdf/")
    def pdf_route(self, request, *args, **kwargs):
        from .report_pdf import report_pdf  # the PDF writer loads its font only when a PDF is asked for

        response = HttpResponse(report_pdf(self), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="disclosure-report-{self.year}.pdf"'
        return response
