"""Taxonomy snippets editors manage and reuse: departments, themes (主题分类) and regions (行政区划)."""

from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

department_code_validator = RegexValidator(r"^[A-Za-z0-9]{2,20}$", "部门代码只能由 2–20 位字母或数字组成。")
uscc_format_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", "统一社会信用代码应为 18 位数字或大写字母。"
)
region_code_validator = RegexValidator(r"^\d{6}$", "行政区划代码应为 6 位数字（GB/T 2260）。")


class Department(index.Indexed, models.Model):
    """发文机关 / 提供方: a ministry department or another public body."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    code = models.CharField(
        "部门代码", max_length=20, unique=True, validators=[department_code_validator],
        help_text="用于索引号前缀和网址筛选参数，如 000014349。",
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[uscc_format_validator])
    sort_order = models.PositiveIntegerField("排序", default=0)

    panels = [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("code"), FieldPanel("uscc"),
              FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("code")]

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Theme(index.Indexed, models.Model):
    """主题分类 of the government information disclosure catalogue (财政、金融、审计 › 预算 …)."""

    name = models.CharField("名称", max_length=50, unique=True)
    slug = models.SlugField("网址代码", max_length=50, unique=True, allow_unicode=False,
                            help_text="用于网址筛选参数，如 budget。")
    sort_order = models.PositiveIntegerField("排序", default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Region(index.Indexed, models.Model):
    """行政区划 (GB/T 2260): a 6-digit code and its name."""

    code = models.CharField("区划代码", max_length=6, unique=True, validators=[region_code_validator])
    name = models.CharField("名称", max_length=50)

    panels = [FieldPanel("code"), FieldPanel("name")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("code")]

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
