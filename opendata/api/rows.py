"""The data API's query string, parsed against a resource's schema (its 信息项) and nothing else.

`<field>=v` is equality and `<field>__gte|__lte|__gt|__lt=v` a range, on declared filterable fields only; values
are converted by the field's type. Every other parameter name (`_connector`, `a__in`, a field that does not
exist) is a RowsQueryError naming it, so request parameters never reach the ORM as keyword arguments.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opendata import rules
from opendata.store import Condition, Position

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_CURSOR_LENGTH = 600
MAX_VALUE_LENGTH = rules.MAX_TEXT_INDEX_LENGTH
RESERVED = ("limit", "cursor", "sort", "fields")
RANGES = {"gte": "≥", "lte": "≤", "gt": ">", "lt": "<"}


class RowsQueryError(ValueError):
    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class RowsQuery:
    conditions: tuple[Condition, ...] = ()
    sort: str | None = None
    descending: bool = False
    fields: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    after: Position | None = None

    @property
    def sort_param(self) -> str:
        return f"{'-' if self.descending else ''}{self.sort}" if self.sort else ""


def _one(params, name: str) -> str:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        values = [params[name]] if name in params else []
    if len(values) > 1:
        raise RowsQueryError(name, "参数重复出现，每个参数只能给一次。")
    return values[0].strip() if values else ""


def _names(schema: Sequence[Mapping], predicate) -> str:
    names = [item["name"] for item in schema if predicate(item)]
    return "、".join(names) if names else "无"


def parse_rows_query(params: Mapping[str, str], schema: Sequence[Mapping]) -> RowsQuery:
    """The query in `params` (request.GET) for a resource with `schema`; RowsQueryError for the first bad one."""
    by_name = {item["name"]: item for item in schema}
    conditions: list[Condition] = []
    for key in params:
        if key in RESERVED:
            continue
        name, separator, lookup = key.partition("__")
        if key.startswith("_") or not name:
            raise RowsQueryError(key, "不是本接口的参数。可用参数：limit、cursor、sort、fields，以及可筛选字段的筛选条件。")
        if name not in by_name:
            raise RowsQueryError(key, f"没有字段“{name}”。可筛选字段：{_names(schema, _filterable)}。")
        if separator and lookup not in RANGES:
            raise RowsQueryError(key, f"不支持的筛选方式“__{lookup}”：只能用 __gte、__lte、__gt、__lt。")
        spec = by_name[name]
        if not _filterable(spec):
            raise RowsQueryError(key, f"字段“{name}”不可筛选。可筛选字段：{_names(schema, _filterable)}。")
        raw = _one(params, key)
        if not raw:  # a blank form field: no filter
            continue
        if len(raw) > MAX_VALUE_LENGTH:
            raise RowsQueryError(key, f"值的长度不能超过 {MAX_VALUE_LENGTH} 个字符。")
        kind = spec.get("type", rules.FieldType.STRING)
        if separator and kind == rules.FieldType.BOOLEAN:
            raise RowsQueryError(key, "布尔字段只能按相等筛选。")
        try:
            value = rules.convert(raw, kind)
        except ValueError as error:
            raise RowsQueryError(key, f"{error}（字段类型为{rules.FieldType(kind).label}）。") from None
        conditions.append(Condition(field=name, op=lookup if separator else "eq", value=value))

    sort, descending = None, False
    if raw_sort := _one(params, "sort"):
        descending = raw_sort.startswith("-")
        sort = raw_sort.removeprefix("-")
        if sort not in by_name:
            raise RowsQueryError("sort", f"没有字段“{sort}”。可排序字段：{_names(schema, _indexed)}。")
        if not _indexed(by_name[sort]):
            raise RowsQueryError("sort", f"字段“{sort}”未建立索引，不能排序。可排序字段：{_names(schema, _indexed)}。")

    fields: tuple[str, ...] = ()
    if raw_fields := _one(params, "fields"):
        chosen: list[str] = []
        for name in (part.strip() for part in raw_fields.split(",")):
            if not name:
                continue
            if name not in by_name:
                raise RowsQueryError("fields", f"没有字段“{name}”。字段：{_names(schema, lambda item: True)}。")
            if name not in chosen:
                chosen.append(name)
        fields = tuple(chosen)

    limit = DEFAULT_LIMIT
    if raw_limit := _one(params, "limit"):
        if not raw_limit.isascii() or not raw_limit.isdigit() or len(raw_limit) > 9:
            raise RowsQueryError("limit", f"应为 1–{MAX_LIMIT} 的整数。")
        limit = int(raw_limit)
        if not 1 <= limit <= MAX_LIMIT:
            raise RowsQueryError("limit", f"应为 1–{MAX_LIMIT} 的整数，一次最多返回 {MAX_LIMIT} 条。")

    query = RowsQuery(conditions=tuple(conditions), sort=sort, descending=descending, fields=fields, limit=limit)
    if raw_cursor := _one(params, "cursor"):
        query = RowsQuery(conditions=query.conditions, sort=sort, descending=descending, fields=fields, limit=limit,
                          after=decode_cursor(raw_cursor, sort_param=query.sort_param,
                                              sort_type=by_name[sort]["type"] if sort else None))
    return query


def _filterable(item: Mapping) -> bool:
    return bool(item.get("filterable") or item.get("indexed"))


def _indexed(item: Mapping) -> bool:
    return bool(item.get("indexed") and item.get("slot"))


# --- cursors -----------------------------------------------------------------------------------------------


def encode_cursor(position: Position, *, sort_param: str) -> str:
    """An opaque token for the position a page ended at, bound to the sort it was made for."""
    raw = json.dumps([sort_param, position.value, position.row_number], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).rstrip(b"=").decode("ascii")


def decode_cursor(token: str, *, sort_param: str, sort_type: str | None) -> Position:
    """The position in a cursor this API issued for the same sort; RowsQueryError for anything else."""
    bad = RowsQueryError("cursor", "游标无效，请使用响应中 next 链接给出的游标。")
    if len(token) > MAX_CURSOR_LENGTH or not token.isascii():
        raise bad
    try:
        sort_made, value, row_number = json.loads(
            base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4)).decode("utf-8"))
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        raise bad from None
    if sort_made != sort_param:
        raise RowsQueryError("cursor", "游标与当前的 sort 参数不一致：翻页时请保持排序不变。")
    if not isinstance(row_number, int) or isinstance(row_number, bool) or not 0 < row_number < 2**31:
        raise bad
    if sort_type is None or value is None:
        if value is not None:
            raise bad
        return Position(None, row_number)
    try:
        if rules.convert(value, sort_type) != value or isinstance(value, (dict, list)):
            raise bad
    except (ValueError, TypeError):
        raise bad from None
    return Position(value, row_number)
