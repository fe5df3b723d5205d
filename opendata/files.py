"""What an uploaded data file may be: its format, from its name, and its size limit.

No model import here, so the admin form (opendata/forms.py, which the page model names as its base_form_class)
checks an upload without importing the ingestion, which imports the models.
"""

from __future__ import annotations

import os

from django.conf import settings

from opendata.rules import ResourceFormat

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
EXTENSIONS = {".csv": ResourceFormat.CSV, ".txt": ResourceFormat.CSV, ".xlsx": ResourceFormat.XLSX,
              ".json": ResourceFormat.JSON}


class IngestError(Exception):
    """A file that cannot be imported; `message` says why (and where) in Chinese, `status` is the HTTP status
    an API would answer with (413 for a file over the size limit, 400 otherwise)."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def max_upload_bytes() -> int:
    return int(getattr(settings, "OPENDATA_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_error(size: int) -> IngestError | None:
    limit = max_upload_bytes()
    if size > limit:
        return IngestError(f"文件大小 {size / 1024 / 1024:.1f} MB，超过上限 {limit / 1024 / 1024:.0f} MB。"
                           "请拆分为多个文件后分别上传。", status=413)
    return None


def format_for(filename: str) -> str:
    extension = os.path.splitext(filename)[1].lower()
    if extension not in EXTENSIONS:
        raise IngestError(f"不支持的文件类型“{extension or '无扩展名'}”：请上传 CSV、XLSX 或 JSON 文件。")
    return EXTENSIONS[extension]
