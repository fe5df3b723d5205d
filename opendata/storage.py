"""Where uploaded data files live: under PRIVATE_MEDIA_ROOT, never served directly (downloads go through views)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateDataStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT/opendata, read from settings on every access so tests can move it."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / "opendata")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("数据文件不对外提供直接链接，请通过下载接口获取。")


_storage = PrivateDataStorage()


def private_data_storage() -> PrivateDataStorage:
    return _storage
