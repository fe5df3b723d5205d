"""Importing an uploaded CSV, XLSX or JSON file into the data store.

Two passes over the stored file: the first reads and validates all of it (encoding, shape, every value
against the declared 信息项, or infers the types when none are declared); only then does the second write the
rows, replacing the previous ones in one transaction. A bad file therefore never touches the data already
published, and the editor is told the row and column that failed.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from opendata import downloads, rules, store
# The upload rules live in opendata/files.py (the admin form checks them without importing this module).
from opendata.files import EXTENSIONS, IngestError, format_for, max_upload_bytes, size_error  # noqa: F401
from opendata.models import DatasetPage, Resource
from opendata.rules import FieldSpec, FieldType, ResourceFormat, ResourceStatus
from opendata.storage import private_data_storage

SAMPLE_BYTES = 256 * 1024
ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gbk": "GBK", "gb18030": "GB18030",
                   "utf-16": "UTF-16", "big5": "Big5"}


def get_column_letter(index: int) -> str:
    """The spreadsheet letters of column `index` (1 → A). openpyxl (22 MB) is imported by an import, not by every
    web worker."""
    from openpyxl.utils import get_column_letter as letters

    return letters(index)


# --- encodings ---------------------------------------------------------------------------------------------


def detect_encoding(sample: bytes, *, complete: bool) -> str:
    """The codec of a text file from its first bytes: a BOM, then UTF-8, then GBK/GB18030, then whatever
    charset-normalizer is sure of. `complete` says whether the sample is the whole file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # GBK next: most government CSV exports that are not UTF-8 are GBK or GB18030.
    for codec in ("utf-8", "gbk", "gb18030"):
        try:
            codecs.getincrementaldecoder(codec)().decode(sample, final=complete)
            return codec
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is not None and best.encoding and best.chaos < 0.2:
        return best.encoding
    raise IngestError("无法识别文件的字符编码：请将文件另存为 UTF-8 或 GBK 编码后重新上传。")


def _decoding_codec(codec: str) -> str:
    # GB18030 is a superset of GBK: a GBK file with a rarer character further down still decodes.
    return "gb18030" if codec == "gbk" else codec


# --- tables ------------------------------------------------------------------------------------------------


@dataclass
class Table:
    """A file opened as a table: its headers and a way to iterate its rows (more than once)."""

    format: str
    headers: list[str]
    encoding: str = ""
    rows: Any = None  # () -> Iterator[tuple[int, list]]: (row number as the editor sees it, values)

    def where(self, row: int, column: int | None = None) -> str:
        if self.format == ResourceFormat.JSON:
            place = f"第 {row} 条记录"
            return place if column is None else f"{place}的“{self.headers[column]}”字段"
        place = f"第 {row} 行"
        if column is None:
            return place
        letter = get_column_letter(column + 1)
        header = self.headers[column] if column < len(self.headers) else ""
        return f"{place}第 {column + 1} 列（{letter} 列“{header}”）" if header else f"{place}第 {column + 1} 列"


def open_table(path: str, fmt: str) -> Table:
    if fmt == ResourceFormat.CSV:
        return _csv_table(path)
    if fmt == ResourceFormat.XLSX:
        return _xlsx_table(path)
    return _json_table(path)


def _csv_table(path: str) -> Table:
    size = os.path.getsize(path)
    with open(path, "rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    if not sample.strip():
        raise IngestError("文件是空的。")
    encoding = detect_encoding(sample, complete=size <= SAMPLE_BYTES)
    codec = _decoding_codec(encoding)
    first_line = sample.split(b"\n", 1)[0].decode(codec, errors="ignore")
    delimiter = max((",", "\t", ";", "|"), key=first_line.count)
    delimiter = delimiter if first_line.count(delimiter) else ","

    def records() -> Iterator[tuple[int, list]]:
        """(row number as a spreadsheet shows it, cells) of every record; a quoted cell may span lines."""
        with open(path, encoding=codec, errors="strict", newline="") as text:
            reader = csv.reader(text, delimiter=delimiter, strict=True)
            number = 0
            try:
                for record in reader:
                    number += 1
                    yield number, record
            except UnicodeDecodeError:
                raise IngestError(f"第 {number + 1} 行含有无法按 {ENCODING_LABELS.get(encoding, encoding)} "
                                  "解码的字节：文件可能混用了多种编码，请统一另存为 UTF-8 后重新上传。") from None
            except csv.Error as error:
                raise IngestError(f"第 {number + 1} 行格式有误（{_csv_reason(error)}），"
                                  "请检查引号和分隔符。") from None

    iterator = records()
    try:
        _, headers = next(iterator)
    except StopIteration:
        raise IngestError("文件是空的。") from None
    finally:
        iterator.close()
    if headers and headers[0].startswith("\ufeff"):
        headers[0] = headers[0][1:]

    def rows() -> Iterator[tuple[int, list]]:
        iterator = records()
        next(iterator)
        yield from iterator

    return Table(ResourceFormat.CSV, _clean_headers(headers, fmt=ResourceFormat.CSV), encoding, rows)


def _csv_reason(error: csv.Error) -> str:
    text = str(error)
    if "NUL" in text:
        return "含有空字符"
    if "EOF" in text or "quot" in text or "end of data" in text:
        return "引号未闭合"
    return "无法按 CSV 解析"


def _xlsx_table(path: str) -> Table:
    from openpyxl import load_workbook

    def open_sheet():
        try:
            book = load_workbook(path, read_only=True, data_only=False)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise IngestError("无法读取 XLSX 文件：文件已损坏或不是 Excel 2007 及以上版本的工作簿"
                              f"（{type(error).__name__}）。") from None
        if not book.worksheets:
            book.close()
            raise IngestError("工作簿中没有工作表。")
        return book, book.worksheets[0]

    def cells(sheet) -> Iterator[tuple[int, list]]:
        for number, row in enumerate(sheet.iter_rows(), start=1):
            values = []
            for column, cell in enumerate(row):
                value = cell.value
                if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
                    raise IngestError(
                        f"工作表“{sheet.title}”的单元格 {get_column_letter(column + 1)}{number} 含有公式"
                        f"（{str(value)[:40]}）：请将公式转换为数值（复制后“选择性粘贴 → 数值”）再上传。"
                    )
                values.append(value)
            yield number, values

    book, sheet = open_sheet()
    try:
        header_row = next(cells(sheet), None)
    finally:
        book.close()
    if header_row is None:
        raise IngestError("工作表是空的。")
    headers = list(header_row[1])
    while headers and headers[-1] in (None, ""):
        headers.pop()

    def rows() -> Iterator[tuple[int, list]]:
        book, sheet = open_sheet()
        try:
            iterator = cells(sheet)
            next(iterator)
            yield from iterator
        finally:
            book.close()

    return Table(ResourceFormat.XLSX, _clean_headers(headers, fmt=ResourceFormat.XLSX), "", rows)


def _json_table(path: str) -> Table:
    size = os.path.getsize(path)
    with open(path, "rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    if not sample.strip():
        raise IngestError("文件是空的。")
    encoding = detect_encoding(sample, complete=size <= SAMPLE_BYTES)

    def load() -> list:
        try:
            with open(path, encoding=_decoding_codec(encoding), errors="strict") as text:
                return json.load(text, parse_float=Decimal)
        except UnicodeDecodeError:
            raise IngestError("文件含有无法解码的字节，请另存为 UTF-8 后重新上传。") from None
        except json.JSONDecodeError as error:
            raise IngestError(f"JSON 格式有误：第 {error.lineno} 行第 {error.colno} 个字符附近（{error.msg}）。") from None
        except RecursionError:
            raise IngestError("JSON 嵌套层次过深。") from None

    records = load()
    if not isinstance(records, list):
        raise IngestError("JSON 文件应为对象数组，如 [{\"年份\": 2024, \"金额\": 12.5}, …]。")
    headers: dict[str, None] = {}
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise IngestError(f"第 {number} 条记录不是对象：JSON 文件应为对象数组。")
        headers.update(dict.fromkeys(str(key) for key in record))
    names = list(headers)

    def rows() -> Iterator[tuple[int, list]]:
        data = records if rows.first else load()
        rows.first = False
        for number, record in enumerate(data, start=1):
            values = []
            for column, key in enumerate(names):
                value = record.get(key)
                if isinstance(value, (dict, list)):
                    raise IngestError(f"第 {number} 条记录的“{key}”字段是嵌套的对象或数组，无法作为表格导入。")
                values.append(value)
            yield number, values

    rows.first = True
    return Table(ResourceFormat.JSON, _clean_headers(names, fmt=ResourceFormat.JSON), encoding, rows)


def _clean_headers(headers: list, *, fmt: str) -> list[str]:
    cleaned = ["" if header is None else str(header).strip() for header in headers]
    if not cleaned:
        raise IngestError("文件没有列标题：第 1 行应为列标题。")
    seen: set[str] = set()
    for column, header in enumerate(cleaned):
        where = f"第 1 行第 {column + 1} 列（{get_column_letter(column + 1)} 列）" if fmt != ResourceFormat.JSON else "字段名"
        if not header:
            raise IngestError(f"{where}的列标题为空：每一列都需要标题。")
        if header in seen:
            raise IngestError(f"{where}的列标题“{header}”重复。")
        seen.add(header)
    return cleaned


# --- schema ------------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """How each column of the file becomes a field of the store."""

    fields: list[FieldSpec]
    slots: dict[str, str] = field(default_factory=dict)

    @property
    def types(self) -> list[str]:
        return [spec.type for spec in self.fields]

    def schema(self, headers: list[str]) -> list[dict]:
        return [
            {"name": spec.name, "label": spec.label or header, "type": spec.type, "unit": spec.unit,
             "description": spec.description, "filterable": spec.filterable or spec.name in self.slots,
             "indexed": spec.name in self.slots, "slot": self.slots.get(spec.name, ""), "source": header}
            for spec, header in zip(self.fields, headers)
        ]


def declared_plan(table: Table, declared: list[FieldSpec]) -> Plan:
    """Match each column to a declared 信息项 by field name or 中文名称; every column and every field must match."""
    by_key: dict[str, FieldSpec] = {}
    for spec in declared:
        by_key[spec.name.lower()] = spec
        if spec.label:
            by_key[spec.label.lower()] = spec
    fields: list[FieldSpec] = []
    for column, header in enumerate(table.headers):
        spec = by_key.get(header.lower())
        if spec is None:
            raise IngestError(f"{table.where(1, column) if table.format != ResourceFormat.JSON else '字段“' + header + '”'}"
                              "不在信息项中：请在数据资源的信息项中添加该字段（字段名或中文名称与列标题一致），或修改列标题。")
        if spec in fields:
            raise IngestError(f"列“{header}”与另一列对应同一个信息项“{spec.name}”。")
        fields.append(spec)
    missing = [spec for spec in declared if spec not in fields]
    if missing:
        names = "、".join(f"“{spec.label or spec.name}”" for spec in missing)
        raise IngestError(f"文件缺少信息项 {names} 对应的列。")
    return Plan(fields, rules.assign_slots(fields))


def inferred_names(headers: list[str]) -> list[str]:
    names: list[str] = []
    for column, header in enumerate(headers, start=1):
        base = rules.header_to_name(header) or f"column{column}"
        name, suffix = base, 2
        while name in names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        names.append(name)
    return names


# --- the two passes ----------------------------------------------------------------------------------------


def check(table: Table, declared: list[FieldSpec]) -> Plan:
    """The plan the rows are stored by. With 信息项 declared it is theirs, and the values are checked as they are
    written (pass two raises inside the import's transaction, so a bad cell leaves nothing stored). Without them,
    pass one reads every row to infer the narrowest type of each column."""
    if declared:
        return declared_plan(table, declared)
    guesses = [rules.TypeGuess() for _ in table.headers]
    width = len(table.headers)
    for number, values in table.rows():
        values = _fit(table, number, values, width)
        if values is None:
            continue
        for guess, value in zip(guesses, values):
            guess.observe(value)
    names = inferred_names(table.headers)
    fields = [FieldSpec(name=name, label=header, type=guess.type, indexed=True, filterable=True)
              for name, header, guess in zip(names, table.headers, guesses)]
    return Plan(fields, rules.assign_slots(fields))


def _fit(table: Table, number: int, values: list, width: int) -> list | None:
    """The row cut to the header's width, None for a blank row; IngestError for a missing or surplus cell."""
    if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
        return None
    if len(values) > width:
        extra = values[width:]
        if any(value is not None and str(value).strip() for value in extra):
            column = width + next(i for i, v in enumerate(extra) if v is not None and str(v).strip())
            raise IngestError(f"{table.where(number, column)}多出数据：该行有 {len(values)} 列，"
                              f"而列标题只有 {width} 列。")
        values = values[:width]
    if len(values) < width:
        if table.format == ResourceFormat.CSV:
            raise IngestError(f"{table.where(number, len(values))}缺失：该行只有 {len(values)} 列，"
                              f"应有 {width} 列（请检查分隔符和引号）。")
        values = values + [None] * (width - len(values))
    return values


def _show(value) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def write(table: Table, resource: Resource, plan: Plan, spans: dict[str, list[str]] | None = None) -> int:
    """Pass two: convert and store every row (inside the caller's transaction); IngestError names the first row
    that lacks a cell or holds a value that does not fit its type. `spans` receives the earliest and latest value
    of each date field (the time the data covers)."""
    spans = {} if spans is None else spans
    dates = {spec.name for spec, kind in zip(plan.fields, plan.types) if kind == FieldType.DATE}
    names = [spec.name for spec in plan.fields]
    typed = [(spec.name, spec.type, plan.slots[spec.name]) for spec in plan.fields if spec.name in plan.slots]
    width = len(table.headers)

    def objects():
        row_number = 0
        for number, values in table.rows():
            values = _fit(table, number, values, width)
            if values is None:
                continue
            row_number += 1
            data = {}
            for column, (name, kind, value) in enumerate(zip(names, plan.types, values)):
                try:
                    data[name] = rules.convert(value, kind)
                except ValueError as error:
                    raise IngestError(f"{table.where(number, column)}的值“{_show(value)}”{error}"
                                      f"（信息项类型为{FieldType(kind).label}）。") from None
            for name in dates:
                if value := data.get(name):
                    span = spans.setdefault(name, [value, value])
                    span[0], span[1] = min(span[0], value), max(span[1], value)
            yield store.make_row(resource_id=resource.pk, row_number=row_number, data=data, typed=typed)

    return store.replace_rows(resource=resource, rows=objects())


# --- the service -------------------------------------------------------------------------------------------


def resource_ingest(*, resource: Resource, upload: File | None = None, filename: str = "") -> Resource:
    """Import `upload` (or, without one, the resource's stored file again, e.g. after its 信息项 changed).

    The resource must be saved. On success its rows, schema and counts are replaced in one transaction and the
    dataset's 更新日期 becomes today; on failure nothing but the resource's status and error message changes,
    and IngestError says what failed and where."""
    storage = private_data_storage()
    new_name = ""
    try:
        if upload is not None:
            filename = filename or os.path.basename(upload.name or "")
            if error := size_error(upload.size or 0):
                raise error
            fmt = format_for(filename)
            extension = os.path.splitext(filename)[1].lower()
            new_name = storage.save(f"resources/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{extension}", upload)
            name, size = new_name, storage.size(new_name)
        else:
            if not resource.file:
                raise IngestError("该数据文件还没有上传原始文件。")
            name, size, fmt = resource.file.name, resource.size, resource.format
            filename = resource.original_name
        table = open_table(storage.path(name), fmt)
        # The declared 信息项; without them, a re-upload keeps the types its predecessor established, so a
        # stray value cannot silently turn a number column into text under the API's clients.
        declared = resource.dataset.field_specs or (resource.fields if resource.ingested_at else [])
        plan = check(table, declared)
        old_name = resource.file.name if resource.file and name != resource.file.name else ""
        with transaction.atomic():
            locked = Resource.objects.select_for_update().get(pk=resource.pk)
            spans: dict[str, list[str]] = {}
            count = write(table, locked, plan, spans)
            now = timezone.now()
            locked.file.name = name
            locked.original_name = filename[:255]
            locked.size = size
            locked.format = fmt
            locked.encoding = table.encoding
            locked.row_count = count
            locked.schema = [{**item, "min": spans[item["name"]][0], "max": spans[item["name"]][1]}
                             if item["name"] in spans else item for item in plan.schema(table.headers)]
            locked.status = ResourceStatus.READY
            locked.error_message = ""
            locked.ingested_at = now
            locked.save()
            downloads.schedule_build(locked)
            DatasetPage.objects.filter(pk=locked.dataset_id, updated_on__lt=timezone.localdate(now)).update(
                updated_on=timezone.localdate(now))
            if old_name:
                transaction.on_commit(lambda: storage.delete(old_name))
        return locked
    except IngestError as error:
        if new_name:
            storage.delete(new_name)
        Resource.objects.filter(pk=resource.pk).update(status=ResourceStatus.FAILED, error_message=error.message)
        raise
    except (OSError, MemoryError, zipfile.BadZipFile, ValueError, TypeError, KeyError, IndexError) as error:
        # A reader choking on a damaged file must become an editor-facing message, never a 500.
        if new_name:
            storage.delete(new_name)
        message = f"文件无法解析（{type(error).__name__}），请检查文件是否完整、格式是否与扩展名一致。"
        Resource.objects.filter(pk=resource.pk).update(status=ResourceStatus.FAILED, error_message=message)
        raise IngestError(message) from error


def encoding_label(codec: str) -> str:
    return ENCODING_LABELS.get(codec, codec.upper())
