"""Checks on uploaded materials: by content, not by name. Every refusal is a ValidationError in Chinese.

Order matters: the size is checked from the upload's size before anything is read (Django streams uploads
larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, so a big file is never held in memory); then only the first
bytes are read to recognise the type; images are opened by Pillow (which reads the header only) and refused when
their pixel count is over the limit, before any pixel is decoded.
"""

import hashlib
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from .storage import random_storage_name

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    label: str
    extension: str
    content_type: str
    extensions: frozenset[str]  # the names a file of this kind may carry


PDF = FileKind("PDF", "pdf", "application/pdf", frozenset({"pdf"}))
JPEG = FileKind("JPEG 图片", "jpg", "image/jpeg", frozenset({"jpg", "jpeg"}))
PNG = FileKind("PNG 图片", "png", "image/png", frozenset({"png"}))
OFD = FileKind("OFD", "ofd", "application/ofd", frozenset({"ofd"}))
ALLOWED = {"application/pdf": PDF, "image/jpeg": JPEG, "image/png": PNG}
ALLOWED_LABEL = "PDF、OFD、JPG、PNG"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check, with what is stored beside it."""

    file: UploadedFile
    kind: FileKind
    original_name: str
    size: int
    sha256: str
    storage_name: str


def max_upload_bytes() -> int:
    return getattr(settings, "SERVICES_HALL_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_image_pixels() -> int:
    return getattr(settings, "SERVICES_HALL_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _is_ofd(upload: UploadedFile) -> bool:
    """OFD (GB/T 33190) is a ZIP package whose root holds OFD.xml. Only the directory is read, nothing inflated."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            return "OFD.xml" in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def detect_kind(upload: UploadedFile) -> FileKind | None:
    """The allowed kind that the file's bytes show, or None."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    guess = filetype.guess(head)
    if guess is not None and guess.mime in ALLOWED:
        return ALLOWED[guess.mime]
    if head.startswith(b"PK\x03\x04") and _is_ofd(upload):
        return OFD
    return None


def _check_image(upload: UploadedFile, kind: FileKind, max_pixels: int) -> None:
    upload.seek(0)
    try:
        # Pillow's own bomb guard is a warning at its global limit; ours is an error at our limit.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        f"图片尺寸过大（{width}×{height} 像素），请缩小到 {max_pixels // 1_000_000} 百万像素以内后重新上传。",
                        code="too_many_pixels",
                    )
                if image.format != {"jpg": "JPEG", "png": "PNG"}[kind.extension]:
                    raise ValidationError("文件内容与图片格式不符。", code="bad_image")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError("图片尺寸过大，无法处理，请缩小后重新上传。", code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("图片文件已损坏或无法识别，请重新上传。", code="bad_image") from None
    finally:
        upload.seek(0)


def _sha256(upload: UploadedFile) -> str:
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_upload(upload: UploadedFile, *, max_bytes: int | None = None, max_pixels: int | None = None) -> CheckedUpload:
    """The upload with its detected kind and hash, or a ValidationError saying plainly what is wrong."""
    max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    max_pixels = max_image_pixels() if max_pixels is None else max_pixels
    original_name = PurePath(upload.name or "").name[:255]

    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            f"文件“{original_name}”超过大小上限 {_megabytes(max_bytes)}。", code="too_large"
        )
    if upload.size == 0:
        raise ValidationError(f"文件“{original_name}”是空文件。", code="empty")

    kind = detect_kind(upload)
    if kind is None:
        raise ValidationError(
            f"文件“{original_name}”不是允许的格式，仅接受 {ALLOWED_LABEL} 文件。", code="forbidden_type"
        )
    extension = PurePath(original_name).suffix.lower().lstrip(".")
    if extension not in kind.extensions:
        raise ValidationError(
            f"文件“{original_name}”的扩展名与内容不符：内容为 {kind.label}，请使用 .{kind.extension} 扩展名。",
            code="extension_mismatch",
        )
    if kind in (JPEG, PNG):
        _check_image(upload, kind, max_pixels)

    return CheckedUpload(
        file=upload,
        kind=kind,
        original_name=original_name,
        size=upload.size,
        sha256=_sha256(upload),
        storage_name=random_storage_name(kind.extension),
    )

