"""Private storage for filed materials: outside MEDIA_ROOT, never served by URL (views stream them after a check)."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible(path="services_hall.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT, read on each use so tests can point it elsewhere."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None  # url() raises: these files have no public address


private_storage = PrivateStorage()


def random_storage_name(extension: str) -> str:
    """A path that reveals nothing of the applicant or the original file name, e.g. 2026/11/3f9c….pdf."""
    now = timezone.localdate()
    return f"applications/{now:%Y/%m}/{secrets.token_hex(16)}.{extension}"
