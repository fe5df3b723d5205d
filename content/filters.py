"""The filters of every list (column pages, feeds, the content API), declared once per content type.

Only declared parameters reach the ORM; each is validated by its form field, and a bad value becomes
a FilterError naming the parameter: a PublicBadRequest, which the 400 handler answers (the 400 page; plain text
for feeds), and which the API answers with a 400 JSON body.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import QuerySet

from content.models import (
    Department,
    NoticeType,
    ProcurementCategory,
    ProcurementMethod,
    Region,
    Theme,
    Validity,
)
from portal.errors import PublicBadRequest

MAX_PARAM_LENGTH = 100
MIN_YEAR, MAX_YEAR = 1949, 2100


class FilterError(PublicBadRequest):
    """A list parameter with a bad value; `param` names it, `message` says what is wrong, in Chinese."""

    def __init__(self, param: str, message: str):
        super().__init__(f"参数 {param} 无效：{message}")
        self.param = param
        self.message = message


class YearFilter(django_filters.Filter):
    """`year=2025`: entries dated in that calendar year (a range, so the date index is used)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "年份")
        super().__init__(*args, **kwargs)
        self.extra.update(min_value=MIN_YEAR, max_value=MAX_YEAR)

    def filter(self, qs: QuerySet, value):
        if value in (None, ""):
            return qs
        start, end = dt.date(value, 1, 1), dt.date(value + 1, 1, 1)
        if self.field_name == "first_published_at":
            from django.utils import timezone

            start = timezone.make_aware(dt.datetime.combine(start, dt.time()))
            end = timezone.make_aware(dt.datetime.combine(end, dt.time()))
        return qs.filter(**{f"{self.field_name}__gte": start, f"{self.field_name}__lt": end})


def _choice(choices, label: str, field_name: str | None = None) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(choices=choices, label=label, field_name=field_name, empty_label="全部")


class ListFilterSet(django_filters.FilterSet):
    """Validation shared by every list: bounded parameter lengths and errors that name the parameter."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if data is not None:
            for name in self.filters:
                if len(data.get(name, "") or "") > MAX_PARAM_LENGTH:
                    raise FilterError(name, f"长度不能超过 {MAX_PARAM_LENGTH} 个字符。")

    def cleaned(self) -> dict:
        """The validated, non-empty filter values; FilterError for the first bad parameter."""
        if not self.is_bound:
            return {}
        if not self.form.is_valid():
            name, errors = next(iter(self.form.errors.items()))
            raise FilterError(name, _plain(errors[0]))
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}


def _plain(message: str) -> str:
    """Django's choice error quotes the whole value; keep the message short and generic instead."""
    if "选择" in message or "choice" in message.lower():
        return "不是可选的值。"
    return message


class EntryFilterSet(ListFilterSet):
    """A column of mixed pages (information pages and the like): by year of publication."""

    year = YearFilter(field_name="first_published_at")


class ContentFilterSet(ListFilterSet):
    year = YearFilter(field_name="date")
    theme = django_filters.ModelChoiceFilter(queryset=Theme.objects.all(), to_field_name="slug",
                                             label="主题分类", empty_label="全部")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), to_field_name="code",
                                                  label="部门", empty_label="全部")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="起始日期")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="截止日期")


class ArticleFilterSet(ContentFilterSet):
    pass


class PolicyFilterSet(ContentFilterSet):
    authority = django_filters.ModelChoiceFilter(field_name="issuing_authority", queryset=Department.objects.all(),
                                                 to_field_name="code", label="发文机关", empty_label="全部")
    number = django_filters.CharFilter(field_name="document_number", lookup_expr="icontains", label="文号",
                                       max_length=MAX_PARAM_LENGTH)
    validity = _choice(Validity.choices, "有效性")


class InterpretationFilterSet(ContentFilterSet):
    policy = django_filters.NumberFilter(field_name="policy_id", label="解读的文件", min_value=1)


class ProcurementFilterSet(ContentFilterSet):
    type = _choice(NoticeType.choices, "公告类型", field_name="notice_type")
    method = _choice(ProcurementMethod.choices, "采购方式", field_name="procurement_method")
    category = _choice(ProcurementCategory.choices, "品目")
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), to_field_name="code",
                                              label="行政区划", empty_label="全部")
    project = django_filters.CharFilter(field_name="project_code", label="项目编号", max_length=50)
