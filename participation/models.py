"""征求意见, 网上调查, 在线访谈: the pages editors place under 互动交流, and what the public submits to them (plain
models: comments, answers, questions) with the staff's records (采纳情况, transcript turns, events)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from portal.models.pages import BreadcrumbMixin

from . import rules
from .rules import Adoption, Moderation, Phase, Question, QuestionKind, Speaker

INTERACTION = "services_hall.InteractionPage"


# --- the three lists under 互动交流 -------------------------------------------------------------------------


class ParticipationIndexPage(RoutablePageMixin, BreadcrumbMixin, Page):
    """A list page (征求意见, 网上调查 or 在线访谈) under 互动交流; its entries are the pages beneath it."""

    intro = RichTextField("栏目简介", blank=True, features=["bold", "italic", "link"])
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = [INTERACTION]
    max_count = 1
    per_page = 20

    class Meta:
        abstract = True

    @path("")
    def index_route(self, request, *args, **kwargs):
        from . import selectors

        context = {"breadcrumb": self.breadcrumb(), **selectors.index_context(index=self, request=request)}
        return self.render(request, context_overrides=context)

    @path("feed/<str:fmt>/")
    def feed_route(self, request, fmt: str, *args, **kwargs):
        from .feeds import index_feed

        return index_feed(request, index=self, fmt=fmt)


class ConsultationIndexPage(ParticipationIndexPage):
    subpage_types = ["participation.ConsultationPage"]
    page_description = "征求意见：列出其下的意见征集，进行中的在前。"

    class Meta:
        verbose_name = "征求意见栏目"
        verbose_name_plural = "征求意见栏目"


class SurveyIndexPage(ParticipationIndexPage):
    subpage_types = ["participation.SurveyPage"]
    page_description = "网上调查：列出其下的问卷。"

    class Meta:
        verbose_name = "网上调查栏目"
        verbose_name_plural = "网上调查栏目"


class InterviewIndexPage(ParticipationIndexPage):
    subpage_types = ["participation.InterviewPage"]
    page_description = "在线访谈：访谈预告、直播和往期回顾。"

    class Meta:
        verbose_name = "在线访谈栏目"
        verbose_name_plural = "在线访谈栏目"


class PeriodMixin(models.Model):
    """Takes input from `opens_at` until `closes_at`."""

    opens_at = models.DateTimeField("开始时间", default=timezone.now)
    closes_at = models.DateTimeField("截止时间", null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "截止时间须晚于开始时间。"})

    def phase(self, now=None) -> Phase:
        closes_at = self.closes_at or rules.default_close(self.opens_at)
        return rules.phase_at(opens_at=self.opens_at, closes_at=closes_at, now=now or timezone.now())

    def countdown(self, now=None):
        return rules.countdown(until=self.closes_at, now=now or timezone.now()) if self.closes_at else None


# --- 征求意见 -------------------------------------------------------------------------------------------------


class ConsultationPage(PeriodMixin, RoutablePageMixin, BreadcrumbMixin, Page):
    """A draft put to the public for comment over a period (30 days unless the editor says otherwise)."""

    summary = models.CharField("征求意见说明", max_length=300, blank=True)
    department = models.CharField("起草单位", max_length=100, blank=True)
    draft = RichTextField("征求意见稿")
    ways_to_comment = RichTextField(
        "意见反馈渠道", blank=True, features=["bold", "link"],
        help_text="除本页留言外的渠道，如电子邮件、信函地址、传真。",
    )
    comment_max_chars = models.PositiveIntegerField("每条意见字数上限", default=1000)
    final_policy = models.ForeignKey(
        "wagtailcore.Page", verbose_name="正式发布的文件", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="正式文件发布后在此选择：文件页将显示“本文件曾公开征求意见”并链接采纳情况。",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"), FieldPanel("department"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading="征求意见期限",
                      help_text="截止时间留空则为开始后30日。"),
        FieldPanel("draft"), InlinePanel("attachments", label="附件"), FieldPanel("ways_to_comment"),
        FieldPanel("comment_max_chars"), PageChooserPanel("final_policy", page_type="content.PolicyPage"),
    ]
    parent_page_types = ["participation.ConsultationIndexPage"]
    subpage_types: list[str] = []
    page_description = "一项征求意见：征求意见稿、期限、留言和意见采纳情况。"

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"

    def save(self, *args, **kwargs):
        if self.closes_at is None and self.opens_at:
            self.closes_at = rules.default_close(self.opens_at)
        return super().save(*args, **kwargs)

    @path("")
    def index_route(self, request, *args, **kwargs):
        from .views import consultation_page

        return consultation_page(request, page=self)

    @path("feedback/")
    def feedback_route(self, request, *args, **kwargs):
        from .views import consultation_feedback

        return consultation_feedback(request, page=self)


class ConsultationAttachment(Orderable):
    page = ParentalKey(ConsultationPage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey("wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+")
    title = models.CharField("显示名称", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class ConsultationComment(models.Model):
    """One comment from the public; shown only once staff approve it, and answered in the 采纳情况."""

    consultation = models.ForeignKey(ConsultationPage, verbose_name="征求意见", on_delete=models.CASCADE,
                                     related_name="comments")
    body = models.TextField("意见内容")
    name = models.CharField("姓名或单位", max_length=60, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    status = models.CharField("审核", max_length=10, choices=Moderation.choices, default=Moderation.PENDING)
    adoption = models.CharField("采纳情况", max_length=12, choices=Adoption.choices, blank=True, default="")
    theme = models.CharField("意见类别", max_length=40, blank=True, help_text="采纳情况按类别汇总，如“适用范围”“时限要求”。")
    reason = models.CharField("采纳或不采纳的理由", max_length=300, blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "征求意见留言"
        verbose_name_plural = "征求意见留言"
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.consultation.title}：{self.body[:20]}"

    @property
    def shown_name(self) -> str:
        return self.name or "网友"


class FeedbackReport(models.Model):
    """意见采纳情况, published by staff once the consultation has closed; the figures are frozen when published."""

    consultation = models.OneToOneField(ConsultationPage, verbose_name="征求意见", on_delete=models.CASCADE,
                                        related_name="feedback_report")
    summary = models.TextField("采纳情况说明")
    figures = models.JSONField("统计", default=dict)
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "意见采纳情况"
        verbose_name_plural = "意见采纳情况"

    def __str__(self) -> str:
        return f"{self.consultation.title} 意见采纳情况"

    @property
    def feedback(self) -> rules.FeedbackFigures:
        return rules.FeedbackFigures.from_json(self.figures)


# --- 网上调查 -------------------------------------------------------------------------------------------------


class ChoiceQuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="题目", max_length=200)
    options = blocks.ListBlock(blocks.CharBlock(label="选项", max_length=100), label="选项", min_num=2)
    required = blocks.BooleanBlock(label="必答", required=False, default=True)


class ScaleQuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="题目", max_length=200)
    points = blocks.IntegerBlock(label="分级数", min_value=2, max_value=10, default=5)
    low_label = blocks.CharBlock(label="最低分含义", max_length=20, default="很不满意")
    high_label = blocks.CharBlock(label="最高分含义", max_length=20, default="非常满意")
    required = blocks.BooleanBlock(label="必答", required=False, default=True)


class TextQuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="题目", max_length=200)
    max_length = blocks.IntegerBlock(label="字数上限", min_value=10, max_value=2000, default=500)
    required = blocks.BooleanBlock(label="必答", required=False, default=False)


class SurveyPage(PeriodMixin, RoutablePageMixin, BreadcrumbMixin, Page):
    """A questionnaire open for a period; one answer per person; results as bars after closing (or live)."""

    class Identity(models.TextChoices):
        ACCOUNT = "account", "须登录账号作答（每个账号一份）"
        ANONYMOUS = "anonymous", "匿名作答（每个浏览器一份，并按IP限制）"

    class Results(models.TextChoices):
        AFTER_CLOSE = "after_close", "结束后公布"
        LIVE = "live", "实时公布"
        HIDDEN = "hidden", "不公布"

    intro = RichTextField("调查说明", blank=True)
    identity = models.CharField("作答身份", max_length=10, choices=Identity.choices, default=Identity.ANONYMOUS)
    results_visibility = models.CharField("调查结果", max_length=12, choices=Results.choices,
                                          default=Results.AFTER_CLOSE)
    questions = StreamField([
        ("single", ChoiceQuestionBlock(label="单选题")),
        ("multiple", ChoiceQuestionBlock(label="多选题")),
        ("scale", ScaleQuestionBlock(label="量表题")),
        ("text", TextQuestionBlock(label="填空题")),
    ], verbose_name="题目", min_num=1)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]), FieldPanel("identity"),
                         FieldPanel("results_visibility")], heading="调查设置"),
        FieldPanel("questions"),
    ]
    parent_page_types = ["participation.SurveyIndexPage"]
    subpage_types: list[str] = []
    page_description = "一份网上调查问卷：题目、期限、作答方式和结果。"

    class Meta:
        verbose_name = "网上调查"
        verbose_name_plural = "网上调查"

    def clean(self):
        super().clean()
        if not self.closes_at:
            raise ValidationError({"closes_at": "请填写调查的截止时间。"})

    def question_list(self) -> list[Question]:
        """The questions as the rules see them, keyed by their block ids (stable across edits)."""
        questions = []
        for block in self.questions:
            value = block.value
            kind = QuestionKind(block.block_type)
            if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                options = tuple(str(option) for option in value["options"])
            elif kind == QuestionKind.SCALE:
                options = tuple(str(n) for n in range(1, int(value["points"]) + 1))
            else:
                options = ()
            questions.append(Question(key=block.id, kind=kind, text=value["text"], options=options,
                                      required=bool(value.get("required")),
                                      max_length=int(value.get("max_length") or 500),
                                      low_label=value.get("low_label") or "", high_label=value.get("high_label") or ""))
        return questions

    def results_shown(self, now=None) -> bool:
        if self.results_visibility == self.Results.LIVE:
            return True
        return self.results_visibility == self.Results.AFTER_CLOSE and self.phase(now) == Phase.CLOSED

    @path("")
    def index_route(self, request, *args, **kwargs):
        from .views import survey_page

        return survey_page(request, page=self)

    @path("export/")
    def export_route(self, request, *args, **kwargs):
        from .views import survey_export

        return survey_export(request, page=self)


class SurveyResponse(models.Model):
    """One person's answers; (survey, voter_key) is unique, so a double submit stores one answer."""

    survey = models.ForeignKey(SurveyPage, verbose_name="调查", on_delete=models.CASCADE, related_name="responses")
    voter_key = models.CharField("作答人标识", max_length=80)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    answers = models.JSONField("答案", default=dict)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "调查答卷"
        verbose_name_plural = "调查答卷"
        constraints = [models.UniqueConstraint(fields=["survey", "voter_key"], name="participation_one_answer_each")]


# --- 在线访谈 -------------------------------------------------------------------------------------------------


class InterviewPage(RoutablePageMixin, BreadcrumbMixin, Page):
    """An online interview: guests, time and topic; questions from the public beforehand; the transcript, published
    turn by turn while it runs and kept as the archive."""

    topic = models.CharField("访谈主题", max_length=200)
    intro = RichTextField("访谈简介", blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    host_name = models.CharField("主持人", max_length=40, default="主持人")
    host_photo = models.ForeignKey("wagtailimages.Image", verbose_name="主持人照片", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    content_panels = Page.content_panels + [
        FieldPanel("topic"), FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="访谈时间"),
        FieldPanel("intro"), FieldRowPanel([FieldPanel("host_name"), FieldPanel("host_photo")], heading="主持人"),
        InlinePanel("guests", label="嘉宾", min_num=1),
    ]
    parent_page_types = ["participation.InterviewIndexPage"]
    subpage_types: list[str] = []
    page_description = "一场在线访谈：嘉宾、时间、主题、网友提问和文字实录。"

    class Meta:
        verbose_name = "在线访谈"
        verbose_name_plural = "在线访谈"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "结束时间须晚于开始时间。"})

    def phase(self, now=None) -> rules.InterviewPhase:
        return rules.interview_phase_at(starts_at=self.starts_at, ends_at=self.ends_at, now=now or timezone.now())

    @path("")
    def index_route(self, request, *args, **kwargs):
        from .views import interview_page

        return interview_page(request, page=self)

    @path("turns/")
    def turns_route(self, request, *args, **kwargs):
        from .views import interview_turns

        return interview_turns(request, page=self)


class InterviewGuest(Orderable):
    page = ParentalKey(InterviewPage, related_name="guests", on_delete=models.CASCADE)
    name = models.CharField("姓名", max_length=40)
    title = models.CharField("职务", max_length=100)
    photo = models.ForeignKey("wagtailimages.Image", verbose_name="照片", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("photo")]

    def __str__(self) -> str:
        return f"{self.title} {self.name}"


class InterviewQuestion(models.Model):
    """A question from the public before (or during) the interview; shown once approved."""

    interview = models.ForeignKey(InterviewPage, verbose_name="访谈", on_delete=models.CASCADE,
                                  related_name="questions")
    name = models.CharField("网友昵称", max_length=40, blank=True)
    body = models.TextField("问题")
    status = models.CharField("审核", max_length=10, choices=Moderation.choices, default=Moderation.PENDING)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "访谈网友提问"
        verbose_name_plural = "访谈网友提问"
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.body[:30]

    @property
    def shown_name(self) -> str:
        return self.name or "网友"


class InterviewTurn(models.Model):
    """One turn of the transcript (主持人 / 嘉宾 / 网友), published when staff save it."""

    interview = models.ForeignKey(InterviewPage, verbose_name="访谈", on_delete=models.CASCADE, related_name="turns")
    speaker = models.CharField("发言人", max_length=10, choices=Speaker.choices, default=Speaker.HOST)
    guest = models.ForeignKey(InterviewGuest, verbose_name="嘉宾", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text="发言人为嘉宾时选择。")
    netizen_name = models.CharField("网友昵称", max_length=40, blank=True, help_text="发言人为网友时填写。")
    text = models.TextField("内容")
    said_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "访谈实录"
        verbose_name_plural = "访谈实录"
        ordering = ["said_at", "pk"]

    def __str__(self) -> str:
        return f"{self.speaker_label}：{self.text[:20]}"

    def clean(self):
        if self.speaker == Speaker.GUEST and self.guest_id is None:
            raise ValidationError({"guest": "发言人为嘉宾时请选择嘉宾。"})
        if self.guest_id is not None and self.guest.page_id != self.interview_id:
            raise ValidationError({"guest": "该嘉宾不属于这场访谈。"})

    @property
    def speaker_label(self) -> str:
        if self.speaker == Speaker.GUEST and self.guest is not None:
            return self.guest.name
        if self.speaker == Speaker.NETIZEN:
            return f"网友{self.netizen_name}" if self.netizen_name else "网友"
        return self.interview.host_name if self.speaker == Speaker.HOST else Speaker(self.speaker).label


# --- the record of what staff did -------------------------------------------------------------------------


class ParticipationEvent(models.Model):
    """Every write to a consultation, survey or interview, in order: who did what to which."""

    subject = models.CharField("对象", max_length=60)  # "consultation:12", "comment:40", "survey:7" …
    action = models.CharField("操作", max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    note = models.CharField("说明", max_length=300, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "公众参与操作记录"
        verbose_name_plural = "公众参与操作记录"
        ordering = ["-at", "-pk"]
