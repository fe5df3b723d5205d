"""Chinese PDF documents, written with fpdf2 and a CJK font embedded (subset) so the text can be read and extracted.

Every PDF the site writes (policy attachments in the demo, 告知书, the annual report, the guard's monthly report) goes
through `cjk_document()`:

    pdf = cjk_document(title="关于……的通知", author="财政部")
    pdf.add_page()
    heading(pdf, "关于……的通知")
    paragraph(pdf, "第一条 ……")
    data = pdf.output()          # bytes

The font is the first one found of: settings.JINCAI_CJK_FONT (a path, optionally "path#index" for a font collection),
then Debian's fonts-wqy-microhei (TrueType outlines: fpdf2 writes them as Identity-H CID fonts, which every reader
and text extractor understands, and it loads in ~0.3 s), then other common places. Noto CJK comes last: fpdf2 embeds
its CFF outlines with an encoding CMap that pdfminer and pypdf cannot read text back from. Without any,
`CJKFontMissing` says which package to install; callers that can do without a PDF (the demo) catch it and say so.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

FONT_FAMILY = "cjk"

# (path, index inside a .ttc collection): Simplified Chinese first.
FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # Debian fonts-wqy-microhei
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
    ("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc", 0),  # Fedora
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # fonts-arphic-uming
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # fonts-noto-cjk (index 2 is SC); see above
)


class CJKFontMissing(RuntimeError):
    """No font with Chinese glyphs was found on this machine."""


@functools.cache
def cjk_font() -> tuple[Path, int]:
    """The font file and collection index used for Chinese text."""
    configured = getattr(settings, "JINCAI_CJK_FONT", "") or ""
    candidates = list(FONT_CANDIDATES)
    if configured:
        path, _, index = configured.partition("#")
        candidates.insert(0, (path, int(index or 0)))
    for path, index in candidates:
        if Path(path).is_file():
            return Path(path), index
    raise CJKFontMissing(
        "没有找到中文字体，无法生成 PDF：请安装 Debian 的 fonts-wqy-microhei（apt-get install fonts-wqy-microhei），"
        "或在 JINCAI_CJK_FONT 中给出字体文件路径。"
    )


def cjk_document(*, title: str, author: str = "", subject: str = ""):
    """An A4 fpdf2 document with the Chinese font registered and selected, and its metadata set."""
    from fpdf import FPDF

    path, index = cjk_font()
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(left=25, top=25, right=25)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.add_font(FONT_FAMILY, fname=str(path), collection_font_number=index)
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.set_title(title)
    pdf.set_lang("zh-CN")
    pdf.set_creator("金财门户")
    if author:
        pdf.set_author(author)
    if subject:
        pdf.set_subject(subject)
    return pdf


def heading(pdf, text: str, *, size: float = 18, align: str = "C") -> None:
    """A centred title (公文标题) followed by a blank line."""
    pdf.set_font(FONT_FAMILY, size=size)
    pdf.multi_cell(0, size * 0.6, text, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(size * 0.3)
    pdf.set_font(FONT_FAMILY, size=12)


def paragraph(pdf, text: str, *, size: float = 12, indent: bool = True, align: str = "J") -> None:
    """A body paragraph, first line indented by two characters as Chinese official documents are."""
    pdf.set_font(FONT_FAMILY, size=size)
    body = ("\u3000\u3000" + text) if indent else text
    pdf.multi_cell(0, size * 0.62, body, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(size * 0.2)


def table(pdf, rows: list[list[str]], *, widths: tuple[float, ...] | None = None, size: float = 10) -> None:
    """A bordered table; the first row is the header."""
    from fpdf.fonts import FontFace

    pdf.set_font(FONT_FAMILY, size=size)
    header = FontFace(emphasis=None, fill_color=(235, 235, 235))
    with pdf.table(col_widths=widths, text_align="CENTER", line_height=size * 0.6, headings_style=header) as grid:
        for cells in rows:
            row = grid.row()
            for cell in cells:
                row.cell(str(cell))
    pdf.ln(2)


def to_bytes(pdf) -> bytes:
    return bytes(pdf.output())
