"""The site's PDFs carry Chinese text a reader can copy, in an embedded font, or say which font package is missing."""

import io

import pytest
from pypdf import PdfReader

from portal import pdf as pdfdoc


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "")


def test_a_chinese_document_keeps_its_text_extractable_and_its_font_embedded():
    document = pdfdoc.cjk_document(title="政府信息公开申请答复告知书", author="财政部")
    document.add_page()
    pdfdoc.heading(document, "政府信息公开申请答复告知书")
    pdfdoc.paragraph(document, "经审查，您申请获取的信息属于主动公开范围。财库〔2021〕22号")
    pdfdoc.table(document, [["申请人", "自然人", "商业企业"], ["新收申请数", "12", "3"]])
    data = pdfdoc.to_bytes(document)

    assert data.startswith(b"%PDF")
    text = _text(data)
    assert "政府信息公开申请答复告知书" in text
    assert "财库〔2021〕22号" in text
    assert "商业企业" in text
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "政府信息公开申请答复告知书"
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descendant = next(iter(fonts.values())).get_object()["/DescendantFonts"][0].get_object()
    descriptor = descendant["/FontDescriptor"].get_object()
    assert any(key in descriptor for key in ("/FontFile2", "/FontFile3")), "the font is embedded"


def test_without_a_chinese_font_the_error_names_the_package(settings, monkeypatch):
    settings.JINCAI_CJK_FONT = "/nonexistent/font.ttc"
    monkeypatch.setattr(pdfdoc, "FONT_CANDIDATES", ())
    pdfdoc.cjk_font.cache_clear()
    try:
        with pytest.raises(pdfdoc.CJKFontMissing, match="fonts-wqy-microhei"):
            pdfdoc.cjk_document(title="x")
    finally:
        pdfdoc.cjk_font.cache_clear()
