"""CKAN's DataStore read API (`datastore_search`) over the rows of a resource, for CKAN clients and harvesters.

The same store, limits and access rules as the data API (/api/data/v1/): filters on the fields marked filterable,
sorts on indexed fields and `_id` (the row number), at most rows.MAX_LIMIT rows a request, 有条件开放 rows only
with the dataset's key, 不予开放 never. `datastore_search_sql` is not offered.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.lookups import IContains

from opendata import rules, store
from opendata.api.rows import MAX_LIMIT
from opendata.models import Resource, ResourceRow

DEFAULT_LIMIT = 100
MAX_Q_WORDS = 5
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
# Our field types as the DataStore's column types.
CKAN_TYPES = {
    rules.FieldType.STRING: "text",
    rules.FieldType.INTEGER: "int",
    rules.FieldType.DECIMAL: "numeric",
    rules.FieldType.DATE: "date",
    rules.FieldType.BOOLEAN: "bool",
}


class DatastoreQueryError(ValueError):
    """A parameter the search cannot use: `param` names it, `message` says why (in Chinese)."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class Search:
    filters: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    q: str | Mapping[str, str] = ""
    fields: Sequence[str] = ()
    sort: Sequence[tuple[str, bool]] = ()  # (field, descending)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    distinct: bool = False
    include_total: bool = True
    records_format: str = "objects"


def _spec(resource: Resource, name: str, param: str) -> dict:
    found = next((item for item in resource.schema if item["name"] == name), None)
    if found is None:
        names = "、".join(["_id", *(item["name"] for item in resource.schema)])
        raise DatastoreQueryError(param, f"没有字段“{name}”。字段：{names}。")
    return found


def _filterable(item: Mapping) -> bool:
    return bool(item.get("filterable") or item.get("indexed"))


def fields_out(resource: Resource, names: Sequence[str]) -> list[dict]:
    """The DataStore's field list: `_id` first (when chosen), then each field with its type and its 信息项."""
    by_name = {item["name"]: item for item in resource.schema}
    out = []
    for name in names:
        if name == "_id":
            out.append({"id": "_id", "type": "int"})
            continue
        item = by_name[name]
        info = {"label": item.get("label") or name, "notes": item.get("description", "")}
        if item.get("unit"):
            info["unit"] = item["unit"]
        out.append({"id": name, "type": CKAN_TYPES.get(item.get("type"), "text"), "info": info})
    return out


def parse_sort(text: str | Sequence[str]) -> list[tuple[str, bool]]:
    """`"a desc, b"` or ["a desc", "b"] as [(field, descending)]."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for part in parts:
        words = str(part).split()
        if not words:
            continue
        direction = words[1].lower() if len(words) > 1 else "asc"
        if len(words) > 2 or direction not in ("asc", "desc"):
            raise DatastoreQueryError("sort", f"排序“{str(part).strip()}”应为“字段 asc|desc”。")
        out.append((words[0].strip('"'), direction == "desc"))
    return out


def _converted(resource: Resource, name: str, value: Any) -> Any:
    kind = _spec(resource, name, "filters").get("type", rules.FieldType.STRING)
    if isinstance(value, (dict, list)):
        raise DatastoreQueryError("filters", f"字段“{name}”的值应为单个值或值的列表。")
    try:
        converted = rules.convert(value, kind)
    except ValueError as error:
        raise DatastoreQueryError("filters", f"字段“{name}”的值“{value}”{error}。") from None
    return store.comparable(resource, name, converted)


def _filtered(resource: Resource, search: Search) -> QuerySet[ResourceRow]:
    queryset = ResourceRow.objects.filter(resource=resource)
    for number, (name, values) in enumerate(search.filters.items()):
        values = list(values)
        if name == "_id":
            try:
                numbers = [int(value) for value in values if not isinstance(value, bool)]
            except (TypeError, ValueError):
                numbers = []
            if len(numbers) != len(values) or not all(0 < number < 2**31 for number in numbers):
                raise DatastoreQueryError("filters", "_id 的值应为正整数（行号）。")
            queryset = queryset.filter(row_number__in=numbers)
            continue
        item = _spec(resource, name, "filters")
        if not _filterable(item):
            names = "、".join(i["name"] for i in resource.schema if _filterable(i)) or "无"
            raise DatastoreQueryError("filters", f"字段“{name}”不可筛选。可筛选字段：_id、{names}。")
        expression, _ = store.column(resource, name)
        if not isinstance(expression, str):
            queryset = queryset.alias(**{f"_f{number}": expression})
            expression = f"_f{number}"
        wanted = [_converted(resource, name, value) for value in values]
        empty = any(value is None for value in wanted)
        condition = Q(**{f"{expression}__in": [value for value in wanted if value is not None]})
        if empty:
            condition |= Q(**{f"{expression}__isnull": True})
        queryset = queryset.filter(condition)
    if search.q:
        queryset = queryset.filter(_text_condition(resource, search.q))
    return queryset


def _text_condition(resource: Resource, q: str | Mapping[str, str]) -> Q:
    """Full-text `q`: each word must appear in some text field; {field: words} looks in that field only."""
    condition = Q()
    if isinstance(q, Mapping):
        for name, text in q.items():
            _spec(resource, name, "q")
            for word in str(text).split()[:MAX_Q_WORDS]:
                condition &= _contains(name, word)
        return condition
    names = [item["name"] for item in resource.schema if item.get("type") == rules.FieldType.STRING]
    for word in str(q).split()[:MAX_Q_WORDS]:
        anywhere = Q(pk__in=[])
        for name in names:
            anywhere |= _contains(name, word)
        condition &= anywhere
    return condition


def _contains(name: str, word: str) -> Q:
    # A lookup expression rather than `data__<name>__icontains`: field names may be Chinese or hold "__".
    return Q(IContains(KeyTextTransform(name, "data"), word))


def run(resource: Resource, search: Search) -> dict[str, Any]:
    """The result of a DataStore search: fields, records in the chosen format, and the total."""
    names = list(search.fields) or ["_id", *(item["name"] for item in resource.schema)]
    for name in names:
        if name != "_id":
            _spec(resource, name, "fields")
    if search.records_format not in RECORDS_FORMATS:
        raise DatastoreQueryError("records_format", "应为 objects、lists、csv 或 tsv。")
    ordering = []
    for name, descending in search.sort:
        if name == "_id":
            key: Any = F("row_number")
        else:
            item = _spec(resource, name, "sort")
            if not item.get("slot") and not search.distinct:
                indexed = "、".join(i["name"] for i in resource.schema if i.get("slot")) or "无"
                raise DatastoreQueryError("sort", f"字段“{name}”未建立索引，不能排序。可排序字段：_id、{indexed}。")
            key = F(item["slot"]) if item.get("slot") else KeyTransform(name, "data")
        ordering.append(key.desc(nulls_last=True) if descending else key.asc(nulls_last=True))
    plain = not search.filters and not search.q and not search.distinct
    queryset = _filtered(resource, search)
    if search.distinct:
        chosen = [name for name in names if name != "_id"]
        if not chosen:
            raise DatastoreQueryError("fields", "distinct 须配合 fields 选择至少一个字段（_id 除外）。")
        aliases = {f"_v{number}": KeyTransform(name, "data") for number, name in enumerate(chosen)}
        values = queryset.annotate(**aliases).values(*aliases).distinct()
        if search.sort:
            order = []
            for name, descending in search.sort:
                if name not in chosen:
                    raise DatastoreQueryError("sort", "distinct 时只能按所选字段排序。")
                alias = f"_v{chosen.index(name)}"
                order.append(F(alias).desc(nulls_last=True) if descending else F(alias).asc(nulls_last=True))
            values = values.order_by(*order)
        else:
            values = values.order_by(*aliases)
        total = store.count(resource=resource, queryset=values) if search.include_total else None
        page = values[search.offset:search.offset + search.limit]
        records = [{name: row[f"_v{number}"] for number, name in enumerate(chosen)} for row in page]
        names = chosen
    else:
        if plain and list(search.sort) in ([], [("_id", False)]):
            # Row numbers run 1…row_count, so an offset is a seek on the (resource, row_number) key, not a scan.
            rows = queryset.filter(row_number__gt=search.offset).order_by("row_number")[:search.limit]
            total = resource.row_count
        else:
            rows = queryset.order_by(*ordering, "row_number")[search.offset:search.offset + search.limit]
            total = store.count(resource=resource, queryset=queryset) if search.include_total else None
        records = [{"_id": row.row_number, **row.data} for row in rows.only("row_number", "data")]
    result: dict[str, Any] = {"fields": fields_out(resource, names), "records_format": search.records_format}
    result["records"] = _format(records, names, search.records_format)
    if search.include_total:
        result["total"] = total
        result["total_was_estimated"] = False
    return result


def _format(records: list[dict], names: list[str], records_format: str):
    if records_format == "objects":
        return [{name: record.get(name) for name in names} for record in records]
    rows = [[record.get(name) for name in names] for record in records]
    if records_format == "lists":
        return rows
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if records_format == "tsv" else ",", lineterminator="\n")
    writer.writerows([["" if value is None else value for value in row] for row in rows])
    return buffer.getvalue()
