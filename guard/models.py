"""A guard run and what it found (plain models), and the wording list editors manage (a snippet)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel

from guard.indicators import BY_CODE, INDICATORS


class WordingRule(models.Model):
    """错别字, 规范表述 and 禁用词 the guard looks for in published text."""

    class Kind(models.TextChoices):
        TYPO = "typo", "错别字"
        NORMATIVE = "normative", "规范表述"
        FORBIDDEN = "forbidden", "禁用词"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.TYPO)
    wrong = models.CharField("错误或禁用写法", max_length=60)
    right = models.CharField("正确写法", max_length=120, blank=True, help_text="禁用词留空。")
    note = models.CharField("说明", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)

    panels = [FieldPanel("kind"), FieldPanel("wrong"), FieldPanel("right"), FieldPanel("note"), FieldPanel("active")]

    class Meta:
        verbose_name = "用语检查规则"
        verbose_name_plural = "用语检查规则"
        ordering = ["kind", "wrong"]
        constraints = [models.UniqueConstraint(fields=["kind", "wrong"], name="guard_wording_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.wrong}" + (f" → {self.right}" if self.right else "")


class GuardRun(models.Model):
    """One run of `manage.py site_guard run`: when, how long, and the counts the trend shows."""

    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    duration_seconds = models.FloatField("用时（秒）", default=0)
    checked_pages = models.PositiveIntegerField("检查页面数", default=0)
    checked_links = models.PositiveIntegerField("检查链接数", default=0)
    finding_count = models.PositiveIntegerField("问题数", default=0)
    veto_count = models.PositiveIntegerField("单项否决数", default=0)

    class Meta:
        verbose_name = "检查记录"
        verbose_name_plural = "检查记录"
        ordering = ["-started_at"]
        permissions = [("view_guard_dashboard", "可查看网站检查")]

    def __str__(self) -> str:
        return f"网站检查 {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def passed(self) -> bool:
        return self.veto_count == 0


class Finding(models.Model):
    """One thing a run found wrong, linked to the page to fix when there is one."""

    run = models.ForeignKey(GuardRun, verbose_name="检查记录", on_delete=models.CASCADE, related_name="findings")
    indicator = models.CharField("指标", max_length=40, choices=[(i.code, i.name) for i in INDICATORS])
    veto = models.BooleanField("单项否决", default=False)
    page = models.ForeignKey("wagtailcore.Page", verbose_name="页面", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField("对象", max_length=255, blank=True)
    detail = models.CharField("问题", max_length=500, blank=True)
    excerpt = models.TextField("原文", blank=True)
    url = models.CharField("处理地址", max_length=500, blank=True)

    class Meta:
        verbose_name = "检查发现"
        verbose_name_plural = "检查发现"
        ordering = ["-veto", "indicator", "pk"]
        indexes = [models.Index(fields=["run", "indicator"], name="guard_finding_run_ind")]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}：{self.subject}"

    @property
    def group(self) -> str:
        return BY_CODE[self.indicator].group.value


class WordingOverride(models.Model):
    """终审's decision to let a page go to review despite its 错别字 or 禁用词, with the reason (also in the audit
    trail and the page's history). It covers the findings it lists; a new one blocks again."""

    page = models.ForeignKey("wagtailcore.Page", verbose_name="页面", on_delete=models.CASCADE,
                             related_name="+")
    findings = models.JSONField("放行的问题", default=list, help_text="[问题, 原句] 列表")
    reason = models.TextField("放行理由")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="放行人", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("放行时间", auto_now_add=True)

    class Meta:
        verbose_name = "用语问题放行"
        verbose_name_plural = "用语问题放行"
        ordering = ["-created_at"]
        permissions = [("override_wording", "可终审放行错别字、禁用词")]

    def __str__(self) -> str:
        return f"放行 {self.page_id}：{self.reason[:20]}"


class ProbeResult(models.Model):
    """One answer of `manage.py site_guard probe`: a key URL asked from the server itself, in one round."""

    round_at = models.DateTimeField("探测时间", db_index=True)
    url = models.CharField("地址", max_length=500)
    status = models.PositiveSmallIntegerField("状态码", null=True, blank=True)
    ok = models.BooleanField("可用", default=False)
    elapsed_ms = models.PositiveIntegerField("响应时间（毫秒）", default=0)
    size = models.PositiveIntegerField("字节数", default=0)
    error = models.CharField("错误", max_length=200, blank=True)

    class Meta:
        verbose_name = "可用性探测"
        verbose_name_plural = "可用性探测"
        ordering = ["-round_at", "pk"]

    def __str__(self) -> str:
        return f"{self.url} {self.status or self.error}"


class ExternalLinkCheck(models.Model):
    """The last answer of an external URL (weekly `site_guard run --external`), kept with its check date so the
    daily runs report it without asking the other site again."""

    url = models.CharField("地址", max_length=1000, unique=True)
    outcome = models.CharField("结果", max_length=12)
    status = models.PositiveSmallIntegerField("状态码", null=True, blank=True)
    final_url = models.CharField("跳转后地址", max_length=1000, blank=True)
    detail = models.CharField("说明", max_length=200, blank=True)
    checked_at = models.DateTimeField("检查时间", db_index=True)

    class Meta:
        verbose_name = "外部链接检查"
        verbose_name_plural = "外部链接检查"

    def __str__(self) -> str:
        return f"{self.url} {self.outcome}"
