"""What search stores: synonyms editors manage, the database backend's entries and their generations, and the
queries people make (for suggestions)."""

from __future__ import annotations

import re
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

# One term a line, or separated by commas / 顿号 / semicolons.
_TERM_SEPARATORS = re.compile(r"[\n\r,，、;；|⇄]+")
MAX_TERM_LENGTH = 50


def split_terms(raw: str) -> list[str]:
    """The distinct terms of a synonym group as an editor typed them, in order."""
    terms = [term.strip() for term in _TERM_SEPARATORS.split(raw or "")]
    return list(dict.fromkeys(term for term in terms if term))


class Synonym(index.Indexed, models.Model):
    """同义词组: searching any of its terms also searches the others (PPP ⇄ 政府和社会资本合作)."""

    terms = models.TextField(
        "同义词",
        help_text="每行一个词（也可用逗号或顿号分隔），至少两个。搜索其中任何一个词，都会同时查找其余各词。"
                  "英文不区分大小写，全角字符按半角处理。",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]
    search_fields = [index.SearchField("terms"), index.AutocompleteField("terms")]

    class Meta:
        verbose_name = "搜索同义词"
        verbose_name_plural = "搜索同义词"
        ordering = ["pk"]

    def __str__(self) -> str:
        return " ⇄ ".join(self.term_list())

    def term_list(self) -> list[str]:
        return split_terms(self.terms)

    def clean(self):
        super().clean()
        terms = self.term_list()
        if len(terms) < 2:
            raise ValidationError({"terms": "同义词组至少需要两个不同的词。"})
        too_long = [term for term in terms if len(term) > MAX_TERM_LENGTH]
        if too_long:
            raise ValidationError({"terms": f"每个词不超过 {MAX_TERM_LENGTH} 个字：{too_long[0][:20]}……"})
        self.terms = "\n".join(terms)


def new_revision() -> str:
    return uuid.uuid4().hex


class IndexState(models.Model):
    """Which generation of entries a backend serves, and with which analyzer it was built. The revision is
    replaced on every change to the index, so cached results are never served after one (nor after a test
    database is flushed and the state made anew)."""

    backend = models.CharField("后端", max_length=40, primary_key=True)
    active_generation = models.PositiveIntegerField("当前版本", default=1)
    building_generation = models.PositiveIntegerField("正在重建的版本", null=True, blank=True)
    analyzer_version = models.CharField("分词器版本", max_length=40, blank=True)
    built_at = models.DateTimeField("重建时间", null=True, blank=True)
    revision = models.CharField("修订标识", max_length=32, default=new_revision, editable=False)

    class Meta:
        verbose_name = "搜索索引状态"
        verbose_name_plural = "搜索索引状态"

    def __str__(self) -> str:
        return f"{self.backend} g{self.active_generation} ({self.analyzer_version or '未建'})"


class SearchEntry(models.Model):
    """One document in the database backend, in one generation: the plain columns facets group by and results
    are shown from. The segmented text lives beside it, in an FTS5 table (SQLite) or a tsvector column
    (PostgreSQL) that migration 0002 creates; see search.backends.database."""

    doc_id = models.CharField("文档标识", max_length=40)
    generation = models.PositiveIntegerField("索引版本")
    url = models.CharField("网址", max_length=500)
    type = models.CharField("类型", max_length=20)
    title = models.CharField("标题", max_length=500)
    body = models.TextField("正文", blank=True)
    date = models.DateField("日期", null=True, blank=True)
    department = models.CharField("部门", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    region = models.CharField("行政区划", max_length=100, blank=True)
    tags = models.TextField("标签", blank=True, help_text="每行一个。")
    analyzer_version = models.CharField("分词器版本", max_length=40)

    class Meta:
        verbose_name = "搜索条目"
        verbose_name_plural = "搜索条目"
        constraints = [models.UniqueConstraint(fields=["generation", "doc_id"], name="search_entry_generation_doc")]
        indexes = [
            models.Index(fields=["generation", "type"], name="search_entry_gen_type"),
            models.Index(fields=["generation", "department"], name="search_entry_gen_department"),
            models.Index(fields=["generation", "year"], name="search_entry_gen_year"),
            models.Index(fields=["generation", "region"], name="search_entry_gen_region"),
            models.Index(fields=["generation", "date"], name="search_entry_gen_date"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_id} {self.title}"


class PopularStatus(models.TextChoices):
    """An editor's decision on a popular-search candidate: only ALLOWED ones are ever shown to the public."""

    PENDING = "pending", "待审核"
    ALLOWED = "allowed", "已允许"
    BLOCKED = "blocked", "已屏蔽"


class PopularQuery(index.Indexed, models.Model):
    """热门搜索候选: a query that enough distinct visitors made and that found something. Shown in 大家都在搜 and
    in suggestions only once an editor allowed it; a blocked one is never shown, however often it is searched."""

    text = models.CharField("搜索词", max_length=100, unique=True)
    count = models.PositiveIntegerField("有结果的搜索次数", default=0)
    visitors = models.PositiveIntegerField("近期不同访客数", default=0,
                                           help_text="统计期内搜索此词并找到结果的不同访客数（访客以加盐散列标识，不保存 IP 地址）。")
    last_searched_at = models.DateTimeField("最近搜索时间", default=timezone.now)
    pinyin = models.CharField("拼音", max_length=600, blank=True, db_index=True)
    initials = models.CharField("拼音首字母", max_length=100, blank=True, db_index=True)
    status = models.CharField("审核状态", max_length=10, choices=PopularStatus.choices,
                              default=PopularStatus.PENDING, db_index=True)
    decided_by = models.CharField("审核人", max_length=150, blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    panels = [FieldPanel("text", read_only=True), FieldPanel("status", read_only=True),
              FieldPanel("visitors", read_only=True), FieldPanel("decided_by", read_only=True)]
    search_fields = [index.SearchField("text"), index.AutocompleteField("text")]

    class Meta:
        verbose_name = "热门搜索"
        verbose_name_plural = "热门搜索"
        ordering = ["-count", "text"]
        indexes = [models.Index(fields=["status", "-count"], name="search_popular_status_count")]

    def __str__(self) -> str:
        return self.text


class QuerySighting(models.Model):
    """One visitor found something with a query (at most one row per query and visitor, the latest time kept).
    The visitor is a salted SM3 of their address, never the address itself; rows older than the window are
    removed as new ones arrive."""

    text = models.CharField("搜索词", max_length=100)
    visitor = models.CharField("访客标识（散列）", max_length=64)
    seen_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "搜索词访客记录"
        verbose_name_plural = "搜索词访客记录"
        constraints = [models.UniqueConstraint(fields=["text", "visitor"], name="search_sighting_text_visitor")]
