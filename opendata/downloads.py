"""Downloads of a resource as CSV (UTF-8 with BOM, so Excel opens it), JSON or XLSX, streamed from the store.

Spreadsheet formats neutralise text cells that would run as formulas (= + - @): a leading ' is added.
JSON carries the values unchanged, since no spreadsheet evaluates it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from opendata import rules, store
from opendata.models import Resource
from opendata.rules import FieldType

FORMATS = ("csv", "json", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": rules.FORMAT_MEDIA_TYPES[rules.ResourceFormat.XLSX],
}


def headers_of(resource: Resource) -> list[str]:
    return [item.get("label") or item["name"] for item in resource.schema]


def _ordered(resource: Resource) -> Iterator[list]:
    names = [item["name"] for item in resource.schema]
    for data in store.iter_rows(resource=resource):
        yield [data.get(name) for name in names]


def csv_chunks(resource: Resource) -> Iterator[str]:
    types = [item["type"] for item in resource.schema]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield codecs.BOM_UTF8.decode("utf-8")
    writer.writerow(rules.neutralise_row(headers_of(resource), [FieldType.STRING] * len(types)))
    for number, values in enumerate(_ordered(resource), start=1):
        writer.writerow(["" if value is None else _csv_text(value) for value in rules.neutralise_row(values, types)])
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def json_chunks(resource: Resource) -> Iterator[str]:
    yield "["
    for number, data in enumerate(store.iter_rows(resource=resource)):
        yield ("," if number else "") + "\n" + json.dumps(data, ensure_ascii=False)
    yield "\n]\n"


def xlsx_file(resource: Resource):
    """The workbook written row by row (openpyxl write-only) to a temporary file, positioned at its start."""
    from openpyxl import Workbook

    types = [item["type"] for item in resource.schema]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(resource.name or "数据")[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "数据")
    sheet.append(rules.neutralise_row(headers_of(resource), [FieldType.STRING] * len(types)))
    for values in _ordered(resource):
        sheet.append([_xlsx_value(value, kind) for value, kind in zip(rules.neutralise_row(values, types), types)])
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return handle


def _xlsx_value(value, kind: str):
    if value is None:
        return None
    if kind == FieldType.DECIMAL:
        return Decimal(value)
    if kind == FieldType.DATE:
        return dt.date.fromisoformat(value)
    return value


def filename_for(resource: Resource, fmt: str) -> str:
    base = f"{resource.dataset.code}-{resource.name}".replace("/", "-")
    return f"{base}.{fmt}"


def response_for(resource: Resource, fmt: str):
    """A streamed download of `resource` in `fmt` (one of FORMATS)."""
    disposition = content_disposition_header(True, filename_for(resource, fmt))
    if fmt == "xlsx":
        response = FileResponse(xlsx_file(resource), content_type=CONTENT_TYPES[fmt])
    else:
        chunks = csv_chunks(resource) if fmt == "csv" else json_chunks(resource)
        response = StreamingHttpResponse((chunk.encode("utf-8") for chunk in chunks), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    return response
