"""Downloads of a resource as CSV (UTF-8 with BOM, so Excel opens it), JSON or XLSX, written from the store
once per data version and served as files (with Content-Length, ETag and byte ranges).

Spreadsheet formats neutralise text cells that would run as formulas (= + - @): a leading ' is added.
JSON carries the values unchanged, since no spreadsheet evaluates it.
"""

from __future__ import annotations

import codecs
import contextvars
import csv
import datetime as dt
import io
import json
import os
import tempfile
from calendar import timegm
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe
from django_tasks import task

from opendata import rules, store
from opendata.models import Resource
from opendata.rules import FieldType
from opendata.storage import private_data_storage

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


def write_xlsx(resource: Resource, path: str) -> None:
    """The workbook written row by row to `path` (XlsxWriter in constant memory: a 120,000-row resource in a
    fraction of openpyxl's time). Strings are written as strings: nothing becomes a formula, number or link."""
    import xlsxwriter

    types = [item["type"] for item in resource.schema]
    book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
    try:
        title = (resource.name or "数据")[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "数据"
        sheet = book.add_worksheet(title)
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        for column, header in enumerate(rules.neutralise_row(headers_of(resource), [FieldType.STRING] * len(types))):
            sheet.write_string(0, column, str(header))
        for row, values in enumerate(_ordered(resource), start=1):
            for column, (value, kind) in enumerate(zip(rules.neutralise_row(values, types), types)):
                if value is None:
                    continue
                if kind in (FieldType.DECIMAL, FieldType.INTEGER):
                    sheet.write_number(row, column, float(Decimal(str(value))))
                elif kind == FieldType.DATE:
                    sheet.write_datetime(row, column, dt.datetime.combine(dt.date.fromisoformat(value), dt.time()),
                                         date_format)
                elif kind == FieldType.BOOLEAN:
                    sheet.write_boolean(row, column, bool(value))
                else:
                    sheet.write_string(row, column, str(value))
    finally:
        book.close()


def filename_for(resource: Resource, fmt: str) -> str:
    base = f"{resource.dataset.code}-{resource.name}".replace("/", "-")
    return f"{base}.{fmt}"


# --- files per data version ---------------------------------------------------------------------------------
#
# Each format of a resource is written once per data version (after the import that made it, in a background
# task) to the private storage and served from there: a byte-exact file can say its Content-Length, answer Range
# requests (206) so an interrupted download resumes, and carry an ETag that changes only with the data.


def version_of(resource: Resource) -> str:
    """The data version: the moment of the import that produced the rows, in microseconds, as hex."""
    return f"{int(resource.ingested_at.timestamp() * 1_000_000):x}"


def built_name(resource: Resource, fmt: str) -> str:
    return f"downloads/{resource.pk}/{version_of(resource)}.{fmt}"


def etag_of(resource: Resource, fmt: str) -> str:
    return f'"r{resource.pk}-{version_of(resource)}-{fmt}"'


def build(resource: Resource, fmt: str) -> str:
    """Write the `fmt` file of the resource's current data version (if not yet there); returns its storage name."""
    storage = private_data_storage()
    name = built_name(resource, fmt)
    if storage.exists(name):
        return name
    path = Path(storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside its final name and moved into place at once: a reader never sees half a file.
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        if fmt == "xlsx":
            os.close(handle)
            write_xlsx(resource, partial)
        else:
            with os.fdopen(handle, "wb") as out:
                for chunk in (csv_chunks(resource) if fmt == "csv" else json_chunks(resource)):
                    out.write(chunk.encode("utf-8"))
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return name


def remove_old_versions(resource: Resource) -> None:
    folder = Path(private_data_storage().path(f"downloads/{resource.pk}"))
    current = version_of(resource)
    for path in folder.glob("*") if folder.is_dir() else ():
        if not path.name.startswith((f"{current}.", f".{current}.")):
            path.unlink(missing_ok=True)


@task()
def resource_build_downloads(resource_id: int, version: str) -> list[str]:
    """Write every download format of a resource's data version; nothing when a newer import superseded it."""
    resource = Resource.objects.select_related("dataset").filter(pk=resource_id, ingested_at__isnull=False).first()
    if resource is None or version_of(resource) != version:
        return []
    names = [build(resource, fmt) for fmt in FORMATS]
    remove_old_versions(resource)
    return names


_deferred = contextvars.ContextVar("opendata_downloads_deferred", default=False)


@contextmanager
def deferred():
    """Imports inside this block leave their download files to `manage.py build_downloads` or the first request
    (the demo loader: `make run` serves the site first and writes the files in the background)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def build_missing() -> int:
    """Write every download file that the current data versions lack; returns how many were written."""
    written = 0
    storage = private_data_storage()
    for resource in Resource.objects.select_related("dataset").filter(ingested_at__isnull=False).order_by("pk"):
        for fmt in FORMATS:
            if not storage.exists(built_name(resource, fmt)):
                build(resource, fmt)
                written += 1
        remove_old_versions(resource)
    return written


def schedule_build(resource: Resource) -> None:
    """Build the downloads of the resource's new data version once the import's transaction commits."""
    if _deferred.get():
        return
    resource_id, version = resource.pk, version_of(resource)
    transaction.on_commit(lambda: resource_build_downloads.enqueue(resource_id=resource_id, version=version))


def response_for(request, resource: Resource, fmt: str) -> tuple[HttpResponseBase, bool]:
    """The download of `resource` in `fmt` (one of FORMATS), whole (200), in part (206, one byte range), not
    modified (304) or a range it does not have (416); and whether it starts the file (to count downloads)."""
    name = build(resource, fmt)  # at once when the background task has not written it yet
    path = private_data_storage().path(name)
    size = os.path.getsize(path)
    etag, modified = etag_of(resource, fmt), timegm(resource.ingested_at.utctimetuple())
    validators = {"ETag": etag, "Last-Modified": http_date(modified), "Accept-Ranges": "bytes"}
    not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
    if not_modified is not None:
        for header, value in validators.items():
            not_modified[header] = value
        return not_modified, False
    wanted = requested_range(request.headers.get("Range", ""), size)
    if wanted is not None and not _range_still_applies(request.headers.get("If-Range", ""), etag, modified):
        wanted = None
    if wanted is UNSATISFIABLE:
        response: HttpResponseBase = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        for header, value in validators.items():
            response[header] = value
        return response, False
    if wanted is None:
        response = FileResponse(open(path, "rb"), content_type=CONTENT_TYPES[fmt])
        starts = True
    else:
        start, end = wanted
        response = StreamingHttpResponse(_file_part(path, start, end), status=206, content_type=CONTENT_TYPES[fmt])
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        starts = start == 0
    for header, value in validators.items():
        response[header] = value
    response["Content-Disposition"] = content_disposition_header(True, filename_for(resource, fmt))
    response["X-Content-Type-Options"] = "nosniff"
    return response, starts


UNSATISFIABLE = (-1, -1)
MAX_RANGE_HEADER = 200


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range (first, last) a Range header asks of a `size`-byte file: None to send the whole file
    (no header, not bytes, several ranges, or malformed, all of which RFC 9110 lets a server ignore), or
    UNSATISFIABLE when it starts beyond the end."""
    header = header.strip()
    if not header or len(header) > MAX_RANGE_HEADER or not header.lower().startswith("bytes="):
        return None
    spec = header[6:].strip()
    if "," in spec or "-" not in spec:
        return None
    first, _, last = (part.strip() for part in spec.partition("-"))
    if not (first.isdigit() or first == "") or not (last.isdigit() or last == "") or (first == last == ""):
        return None
    if first == "":  # the last N bytes
        suffix = int(last)
        return (max(0, size - suffix), size - 1) if suffix and size else UNSATISFIABLE
    start = int(first)
    end = size - 1 if last == "" else int(last)
    if last and end < start:
        return None
    if start >= size:
        return UNSATISFIABLE
    return start, min(end, size - 1)


def _range_still_applies(if_range: str, etag: str, modified: int) -> bool:
    """If-Range: the range only when the client's copy is this version (same strong ETag, or same date)."""
    if not if_range:
        return True
    if if_range.startswith(('"', 'W/"')):
        return if_range == etag
    return parse_http_date_safe(if_range) == modified


def _file_part(path: str, start: int, end: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        handle.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                return
            remaining -= len(data)
            yield data
