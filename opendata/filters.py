"""The catalog's URL parameters: facets, search words and sort, each validated against declared values.

Only these parameters reach the ORM; a bad value is a CatalogError naming the parameter (a 400 page or JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from opendata.models import Publisher
from opendata.rules import OpenType, ResourceFormat, UpdateFrequency

MAX_PARAM_LENGTH = 100

SORTS: dict[str, str] = {"updated": "最近更新", "popular": "最受欢迎", "name": "名称"}
DEFAULT_SORT = "updated"
FACETS = ("publisher", "theme", "open_type", "format", "frequency")
PUBLIC_OPEN_TYPES = {OpenType.OPEN.value: OpenType.OPEN.label, OpenType.CONDITIONAL.value: OpenType.CONDITIONAL.label}


class CatalogError(ValueError):
    def __init__(self, param: str, message: str):
        super().__init__(f"参数 {param} 无效：{message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class CatalogQuery:
    publisher: str = ""
    theme: str = ""
    open_type: str = ""
    format: str = ""
    frequency: str = ""
    q: str = ""
    sort: str = DEFAULT_SORT

    def without(self, facet: str) -> CatalogQuery:
        return replace(self, **{facet: ""})

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in (*FACETS, "q") if getattr(self, name)}


def parse_catalog_query(params: Mapping[str, str]) -> CatalogQuery:
    """The catalog query in `params` (request.GET); CatalogError for the first bad parameter."""
    values: dict[str, str] = {}
    for name in (*FACETS, "q", "sort"):
        raw = params.get(name, "") or ""
        if len(raw) > MAX_PARAM_LENGTH:
            raise CatalogError(name, f"长度不能超过 {MAX_PARAM_LENGTH} 个字符。")
        values[name] = raw.strip()
    if values["publisher"] and not Publisher.objects.filter(slug=values["publisher"]).exists():
        raise CatalogError("publisher", "没有这个数据提供方。")
    if values["theme"]:
        from content.models import Theme

        if not Theme.objects.filter(slug=values["theme"]).exists():
            raise CatalogError("theme", "没有这个主题分类。")
    if values["open_type"] and values["open_type"] not in PUBLIC_OPEN_TYPES:
        raise CatalogError("open_type", "可选值为 " + "、".join(f"{k}（{v}）" for k, v in PUBLIC_OPEN_TYPES.items()) + "。")
    if values["format"] and values["format"] not in ResourceFormat.values:
        raise CatalogError("format", "可选值为 " + "、".join(ResourceFormat.values) + "。")
    if values["frequency"] and values["frequency"] not in UpdateFrequency.values:
        raise CatalogError("frequency", "不是可选的更新周期。")
    if values["sort"] and values["sort"] not in SORTS:
        raise CatalogError("sort", "可选值为 " + "、".join(f"{k}（{v}）" for k, v in SORTS.items()) + "。")
    values["sort"] = values["sort"] or DEFAULT_SORT
    return CatalogQuery(**values)
