"""The data store: rows of every resource in one table (ResourceRow), read and written only here.

Each row keeps its values as a JSON object keyed by field name; indexed fields are also copied into typed
columns (k1…k4 text, n1…n4 numbers) with (resource, column, row_number) indexes, so that equality and range
filters and sorts on them are index range scans, and keyset pagination on (column, row_number) stays fast
however deep the page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections, models
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from opendata import rules
from opendata.models import Resource, ResourceRow

BATCH_SIZE = 2000
SLOTS = frozenset((*rules.TEXT_SLOTS, *rules.NUMBER_SLOTS))


# --- writing -----------------------------------------------------------------------------------------------


def make_row(*, resource_id: int, row_number: int, data: dict[str, Any], typed: Sequence[tuple[str, str, str]]
             ) -> dict[str, Any]:
    """A row's column values by attribute name; `typed` lists (field name, field type, slot) of the indexed
    fields. A plain dict, not a ResourceRow: building 100,000 model instances cost more than storing them."""
    row = {"resource_id": resource_id, "row_number": row_number, "data": data}
    for name, kind, slot in typed:
        row[slot] = rules.index_value(data.get(name), kind)
    return row


def replace_rows(*, resource: Resource, rows: Iterable[dict[str, Any]]) -> int:
    """Delete the resource's rows and insert `rows` (from make_row) in batches; call inside the import's
    transaction.

    One prepared INSERT run over each batch (executemany): compiling a multi-row INSERT per batch through the ORM
    cost more than the database's own work (a 120,000-row file took 24 s, now a few)."""
    ResourceRow.objects.filter(resource=resource)._raw_delete(ResourceRow.objects.db)
    connection = connections[ResourceRow.objects.db]
    fields = [field for field in ResourceRow._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(ResourceRow._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")

    def prepared(row: dict[str, Any]) -> list:
        values = []
        for field in fields:
            value = row.get(field.attname)
            values.append(None if value is None else field.get_db_prep_save(value, connection))
        return values

    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, BATCH_SIZE):
            cursor.executemany(sql, [prepared(row) for row in batch])
            count += len(batch)
    return count


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- reading -----------------------------------------------------------------------------------------------


def first_rows(*, resource: Resource, limit: int = 10) -> list[dict[str, Any]]:
    return list(
        ResourceRow.objects.filter(resource=resource).order_by("row_number").values_list("data", flat=True)[:limit]
    )


def iter_rows(*, resource: Resource, chunk: int = BATCH_SIZE) -> Iterator[dict[str, Any]]:
    """Every row in order, read in chunks by row number (no OFFSET, constant memory)."""
    last = 0
    while True:
        batch = list(
            ResourceRow.objects.filter(resource=resource, row_number__gt=last)
            .order_by("row_number").values_list("row_number", "data")[:chunk]
        )
        if not batch:
            return
        for _, data in batch:
            yield data
        last = batch[-1][0]


# --- queries for the data API ------------------------------------------------------------------------------

COUNT_CACHE_SECONDS = 24 * 3600
COUNT_CACHE = True  # off only in bench/opendata.py, which measures counts with and without it in one run


def count(*, resource: Resource, queryset: QuerySet) -> int:
    """queryset.count(), kept in the shared cache for this version of the resource's data.

    A filtered count reads every match (a full-text `q` reads every row: ~100 ms at 120,000 rows on SQLite), and
    clients paging through one query ask for the same total on every page. The rows change only by a new import,
    which changes ingested_at and so the key; the query's own SQL and parameters make the rest of it."""
    from django.core.cache import cache

    if not COUNT_CACHE:
        return queryset.count()
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params)).encode("utf-8")).hexdigest()
    version = resource.ingested_at.timestamp() if resource.ingested_at else 0
    key = f"opendata:count:{resource.pk}:{version}:{digest}"
    total = cache.get(key)
    if total is None:
        total = queryset.count()
        cache.set(key, total, COUNT_CACHE_SECONDS)
    return total


OPERATORS = ("eq", "gt", "gte", "lt", "lte")


@dataclass(frozen=True)
class Condition:
    """`field op value`, the value already converted to the field's type with rules.convert()."""

    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class Position:
    """Where a page ended: the sort value (None when sorting by row number) and the row number."""

    value: Any
    row_number: int


def column(resource: Resource, field: str) -> tuple[Any, bool]:
    """The expression a filter or sort on `field` uses, and whether it is an indexed column.

    Only fields of the resource's schema are accepted (KeyError otherwise): request parameters never become
    ORM keyword arguments."""
    spec = next((item for item in resource.schema if item["name"] == field), None)
    if spec is None:
        raise KeyError(field)
    if spec.get("slot"):
        return spec["slot"], True
    text = KeyTextTransform(field, "data")
    if spec.get("type") in rules.NUMERIC_TYPES:
        return Cast(text, models.DecimalField(max_digits=rules.NUMBER_MAX_DIGITS,
                                              decimal_places=rules.NUMBER_DECIMAL_PLACES)), False
    return text, False


def comparable(resource: Resource, field: str, value: Any) -> Any:
    """`value` (already converted to the field's type) as column(resource, field) compares it."""
    kind = next(item.get("type") for item in resource.schema if item["name"] == field)
    if kind in rules.NUMERIC_TYPES and value is not None:
        return Decimal(str(value))
    return rules.index_value(value, kind) if value is not None else None


def filtered(*, resource: Resource, conditions: Iterable[Condition] = ()) -> QuerySet[ResourceRow]:
    queryset = ResourceRow.objects.filter(resource=resource)
    for number, condition in enumerate(conditions):
        if condition.op not in OPERATORS:
            raise KeyError(condition.op)
        expression, _ = column(resource, condition.field)
        value = comparable(resource, condition.field, condition.value)
        lookup = "exact" if condition.op == "eq" else condition.op
        if not isinstance(expression, str):
            queryset = queryset.alias(**{f"_c{number}": expression})
            expression = f"_c{number}"
        queryset = queryset.filter(**{f"{expression}__{lookup}": value})
    return queryset


# Off only in bench/opendata.py, which measures the plans with and without it in one run.
DEFERRED_JOIN = True


def _first(queryset: QuerySet[ResourceRow], count: int, *, deferred: bool) -> list[ResourceRow]:
    """The first `count` rows of `queryset`, in its order.

    Deferred: the row ids are chosen in the index alone and only those rows are read. When a filter's index does
    not give the order (a range), the database sorts every match; sorting (value, row number, id)
    tuples read from a covering index costs a fraction of sorting whole rows with their JSON (EXPLAIN: "USING
    COVERING INDEX … USE TEMP B-TREE" on the ids, then "INTEGER PRIMARY KEY (rowid=?)" for the 101 rows). The
    rows read are put in order by the database again (its collation orders text, as in the cursor's comparison)."""
    if not (deferred and DEFERRED_JOIN):
        return list(queryset[:count])
    return list(ResourceRow.objects.filter(pk__in=queryset.values("pk")[:count]).order_by(*queryset.query.order_by))


def rows_page(
    *, resource: Resource, conditions: Iterable[Condition] = (), sort: str | None = None, descending: bool = False,
    after: Position | None = None, limit: int = 100,
) -> tuple[list[ResourceRow], Position | None]:
    """Up to `limit` rows after `after`, in (sort field, row number) order; rows whose sort value is empty
    come last. Returns the rows and the position to continue from (None at the end)."""
    conditions = tuple(conditions)
    # In row order, an equality filter's (resource, column, row_number) index gives the order; a range's does not.
    ranged = any(condition.op != "eq" for condition in conditions)
    queryset = filtered(resource=resource, conditions=conditions)
    if sort is None:
        queryset = queryset.order_by("-row_number" if descending else "row_number")
        if after is not None:
            queryset = queryset.filter(**{"row_number__lt" if descending else "row_number__gt": after.row_number})
        rows = _first(queryset, limit + 1, deferred=ranged)
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, (Position(None, rows[-1].row_number) if more and rows else None)

    expression, _ = column(resource, sort)
    queryset = queryset.alias(_sort=expression) if not isinstance(expression, str) else queryset
    key = "_sort" if not isinstance(expression, str) else expression
    # No NULLS LAST: rows without a value are read separately (below), and a plain DESC lets PostgreSQL scan the
    # (resource, column, row_number) index backwards instead of sorting the whole resource.
    ordering = [models.F(key).desc() if descending else models.F(key).asc(),
                "-row_number" if descending else "row_number"]
    rn = "row_number__lt" if descending else "row_number__gt"
    empty = queryset.filter(**{f"{key}__isnull": True}).order_by("-row_number" if descending else "row_number")
    queryset = queryset.filter(**{f"{key}__isnull": False}).order_by(*ordering)
    if after is not None:
        if after.value is None:
            queryset = empty.filter(**{rn: after.row_number})
        else:
            value = comparable(resource, sort, after.value)
            if key in SLOTS:
                # A row-value comparison lets the database seek the (resource, column, row_number) index straight
                # to the position, even inside a long run of equal values (SQLite ≥ 3.15 and PostgreSQL both do),
                # so deep pages cost what the first does. `key` is one of our own column names, never input.
                connection = connections[queryset.db]
                db_value = ResourceRow._meta.get_field(key).get_db_prep_value(value, connection)
                columns = f"({connection.ops.quote_name(key)}, {connection.ops.quote_name('row_number')})"
                queryset = queryset.filter(RawSQL(f"{columns} {'<' if descending else '>'} (%s, %s)",
                                                  (db_value, after.row_number), output_field=models.BooleanField()))
            else:
                bound = f"{key}__lte" if descending else f"{key}__gte"
                beyond = f"{key}__lt" if descending else f"{key}__gt"
                queryset = queryset.filter(Q(**{bound: value}), Q(**{beyond: value}) | Q(**{rn: after.row_number}))
            # Rows without a value come last; they are read (by row number) once these run out.
    # Not deferred: the sort's (resource, column, row_number) index gives the order and the planner reads it,
    # filtering as it goes (EXPLAIN at 120,000 rows: no temp B-tree; a deferred read cost 6.1 → 7.1 ms).
    # Past the last value, rows without one are read in row order, as without a sort.
    rows = _first(queryset, limit + 1, deferred=ranged and after is not None and after.value is None)
    if (after is None or after.value is not None) and len(rows) <= limit:
        rows += _first(empty, limit + 1 - len(rows), deferred=ranged)
    more = len(rows) > limit
    rows = rows[:limit]
    if not (more and rows):
        return rows, None
    last = rows[-1]
    return rows, Position(last.data.get(sort), last.row_number)
