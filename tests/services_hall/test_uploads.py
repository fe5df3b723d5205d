import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from services_hall.uploads import check_upload

from .files import jpeg_bytes, ofd_bytes, pdf_bytes, png_bomb_bytes, png_bytes, upload


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("营业执照.pdf", pdf_bytes(), "pdf", "application/pdf"),
        ("身份证正面.JPG", jpeg_bytes(), "jpg", "image/jpeg"),
        ("身份证反面.jpeg", jpeg_bytes(), "jpg", "image/jpeg"),
        ("印章.png", png_bytes(), "png", "image/png"),
        ("电子证照.ofd", ofd_bytes(), "ofd", "application/ofd"),
    ],
)
def test_allowed_files_are_accepted_and_get_a_random_name_that_hides_the_original(name, content, extension, content_type):
    checked = check_upload(upload(name, content))

    assert checked.kind.content_type == content_type
    assert checked.original_name == name
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.storage_name.endswith(f".{extension}")
    assert name.rsplit(".", 1)[0] not in checked.storage_name


def test_two_uploads_of_the_same_file_get_different_storage_names():
    assert check_upload(upload("a.pdf", pdf_bytes())).storage_name != check_upload(upload("a.pdf", pdf_bytes())).storage_name


def refusal(file, **limits) -> str:
    with pytest.raises(ValidationError) as error:
        check_upload(file, **limits)
    return error.value.messages[0]


def test_a_text_file_renamed_pdf_is_refused():
    message = refusal(upload("申请表.pdf", "这不是PDF文件，只是文本。".encode(), "application/pdf"))
    assert "不是允许的格式" in message and "申请表.pdf" in message


def test_an_image_whose_name_claims_pdf_is_refused_as_a_lying_extension():
    assert "扩展名与内容不符" in refusal(upload("营业执照.pdf", png_bytes()))


def test_an_executable_is_refused_whatever_its_name():
    assert "不是允许的格式" in refusal(upload("scan.png", b"MZ\x90\x00" + b"\x00" * 200))


def test_a_zip_that_is_not_an_ofd_is_refused():
    assert "不是允许的格式" in refusal(upload("材料.ofd", ofd_bytes(with_ofd_xml=False)))


def test_an_empty_file_is_refused():
    assert "空文件" in refusal(upload("空.pdf", b""))


def test_an_oversize_file_is_refused_with_the_limit_in_the_message():
    assert "超过大小上限 1 KB" in refusal(upload("大文件.pdf", pdf_bytes() + b"0" * 2048), max_bytes=1024)


class UnreadableUpload(SimpleUploadedFile):
    """Fails the test if anything reads it: the size alone must decide."""

    def read(self, *args, **kwargs):
        raise AssertionError("an oversize upload was read")

    def chunks(self, *args, **kwargs):
        raise AssertionError("an oversize upload was read")


def test_the_size_limit_is_decided_before_reading_the_file():
    big = UnreadableUpload("大文件.pdf", pdf_bytes())
    big.size = 50 * 1024 * 1024
    assert "超过大小上限 20 MB" in refusal(big)


def test_an_image_over_the_pixel_limit_is_refused_without_decoding_it():
    assert "图片尺寸过大（8000×8000 像素）" in refusal(upload("bomb.png", png_bomb_bytes(8000, 8000)))


def test_a_decompression_bomb_is_refused_by_pillows_guard_too():
    # With our own limit lifted, Pillow's guard (a warning, then an error) still stops it: never a 500.
    assert "图片尺寸过大" in refusal(upload("bomb.png", png_bomb_bytes(12_000, 12_000)), max_pixels=10**12)
    assert "图片尺寸过大" in refusal(upload("bomb.png", png_bomb_bytes(100_000, 100_000)), max_pixels=10**12)


def test_a_truncated_image_is_refused_as_damaged():
    assert "已损坏" in refusal(upload("photo.png", png_bytes(64, 64)[:-30]))
