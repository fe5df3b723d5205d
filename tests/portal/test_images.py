from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def image_form(data):
    Form = get_image_form(get_image_model())
    return Form(data, {"file": SimpleUploadedFile("office.png", png_bytes(), "image/png")})


def test_an_image_without_alt_text_is_refused_with_a_chinese_message(db):
    form = image_form({"title": "财政部办公楼", "description": ""})

    assert not form.is_valid()
    assert "替代文本" in form.errors["description"][0]


def test_an_image_with_alt_text_is_accepted(db):
    form = image_form({"title": "财政部办公楼", "description": "财政部办公楼外景"})

    assert form.is_valid(), form.errors
