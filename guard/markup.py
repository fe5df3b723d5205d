"""What a rendered page's HTML says: its links, images, headings and tables, its main text, the site marks.

Pure functions over an HTML string (the standard library's parser, no network)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from guard.facts import FindingData

HEADING = re.compile(r"^h([1-6])$")
SKIP_TEXT = {"script", "style", "noscript", "template"}


@dataclass
class Markup:
    links: list[str] = field(default_factory=list)        # href of every <a> in the page
    images: list[tuple[str, str | None]] = field(default_factory=list)  # (src, alt) of every <img> in <main>
    headings: list[int] = field(default_factory=list)     # levels of the headings in <main>, in order
    tables: list[bool] = field(default_factory=list)      # for each <table> in <main>: has it a <th>?
    main_text: str = ""
    footer_text: str = ""
    footer_links: list[tuple[str, str]] = field(default_factory=list)  # (href, text+alt inside the link)
    all_images: list[str] = field(default_factory=list)   # src of every <img>


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.result = Markup()
        self.main = 0
        self.footer = 0
        self.skip = 0
        self.table_stack: list[bool] = []
        self.text: list[str] = []
        self.footer_parts: list[str] = []
        self.anchor: list[str] | None = None
        self.anchor_href = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "main":
            self.main += 1
        elif tag == "footer":
            self.footer += 1
        elif tag in SKIP_TEXT:
            self.skip += 1
        elif tag == "a" and attributes.get("href") is not None:
            self.result.links.append(attributes["href"] or "")
            if self.footer:
                self.anchor, self.anchor_href = [], attributes["href"] or ""
        elif tag == "img":
            src = attributes.get("src") or ""
            self.result.all_images.append(src)
            if self.main:
                self.result.images.append((src, attributes.get("alt")))
            if self.anchor is not None:
                self.anchor.append(attributes.get("alt") or "")
            if self.footer:
                self.footer_parts.append(attributes.get("alt") or "")
        elif tag == "table" and self.main:
            self.table_stack.append(False)
        elif tag == "th" and self.table_stack:
            self.table_stack[-1] = True
        elif (match := HEADING.match(tag)) and self.main:
            self.result.headings.append(int(match.group(1)))
        if tag in {"p", "br", "li", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6"} and self.main:
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag == "main":
            self.main = max(0, self.main - 1)
        elif tag == "footer":
            self.footer = max(0, self.footer - 1)
        elif tag in SKIP_TEXT:
            self.skip = max(0, self.skip - 1)
        elif tag == "table" and self.table_stack:
            self.result.tables.append(self.table_stack.pop())
        elif tag == "a" and self.anchor is not None:
            self.result.footer_links.append((self.anchor_href, "".join(self.anchor)))
            self.anchor = None

    def handle_data(self, data):
        if self.skip:
            return
        if self.main:
            self.text.append(data)
        if self.footer:
            self.footer_parts.append(data)
        if self.anchor is not None:
            self.anchor.append(data)


def parse(html: str) -> Markup:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    markup = parser.result
    markup.main_text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.text))
    markup.main_text = re.sub(r"\s*\n\s*", "\n", markup.main_text).strip()
    markup.footer_text = " ".join(part.strip() for part in parser.footer_parts if part.strip())
    return markup


def accessibility(*, page_id: int, title: str, markup: Markup) -> list[FindingData]:
    """Images without alt (alt="" is a decorative image and fine), headings that skip a level, tables without th."""
    findings = []
    missing_alt = [src for src, alt in markup.images if alt is None]
    if missing_alt:
        findings.append(FindingData("markup_img_alt", page_id=page_id, subject=title,
                                    detail=f"{len(missing_alt)}张图片没有 alt 替代文字", excerpt=missing_alt[0]))
    previous = 1
    for level in markup.headings:
        if level > previous + 1:
            findings.append(FindingData("markup_heading_order", page_id=page_id, subject=title,
                                        detail=f"h{previous} 之后直接出现 h{level}"))
            break
        previous = level
    headerless = markup.tables.count(False)
    if headerless:
        findings.append(FindingData("markup_table_header", page_id=page_id, subject=title,
                                    detail=f"{headerless}个表格没有表头（th）"))
    return findings


ICP = re.compile(r"ICP[备證证]\s*\d+号")
PUBLIC_SECURITY = re.compile(r"公网安备\s*\d+号")


def identity_marks(markup: Markup) -> set[str]:
    """The identity marks (guard.indicators.IDENTITY_MARKS) the page's footer shows, and links where it must."""
    text = markup.footer_text
    present = set()
    if re.search(r"网站标识码[:：]\s*\w+", text):
        present.add("网站标识码")
    if re.search(r"主办单位[:：]\s*\S+", text):
        present.add("主办单位")
    if ICP.search(text):
        present.add("ICP备案号")
    if PUBLIC_SECURITY.search(text):
        present.add("公安机关备案号")
    if "党政机关" in text:
        present.add("党政机关标识")
    for href, inner in markup.footer_links:
        if not href or href.startswith("#"):
            continue
        if ICP.search(inner):
            present.add("ICP备案查询链接")
        if PUBLIC_SECURITY.search(inner):
            present.add("公安机关备案查询链接")
        if "党政机关" in inner:
            present.add("党政机关标识链接")
    return present
