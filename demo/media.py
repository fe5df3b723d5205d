"""The demo's files, generated on this machine (nothing is downloaded): each policy's official PDF, written by
portal.pdf from the policy's own title, 文号 and text; each news article's photo and each topic's banner, drawn by
demo.pictures seeded with the page's slug (the same demo gives the same images), alt text the page's title.

A PDF costs 0.3–1 s, so load_demo writes only the first few (a fresh site has some at once) and
`manage.py build_downloads` (make run starts it beside the server) the rest. Everything made here lives in the
collection DEMO_COLLECTION: build_downloads touches nothing on a site where load_demo never ran.
"""

from __future__ import annotations

import io
import re

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.html import strip_tags
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from content.models import ArticlePage, InterpretationForm, InterpretationPage, PolicyAttachment, PolicyPage, TopicPage
from demo import pictures
from portal import pdf as cjk_pdf

DEMO_COLLECTION = "演示素材"
LOAD_DEMO_POLICY_PDFS = 5  # how many policy PDFs load_demo writes itself; build_downloads writes the rest
LOAD_DEMO_NEWS_PHOTOS = 12  # likewise the newest articles' photos (~0.2 s each)


def demo_collection_ensure() -> Collection:
    """The collection the demo's documents and images live in (made under the root collection once)."""
    existing = Collection.objects.filter(name=DEMO_COLLECTION).first()
    if existing is not None:
        return existing
    return Collection.get_first_root_node().add_child(name=DEMO_COLLECTION)


def policy_plain_paragraphs(*, policy: PolicyPage) -> list[tuple[str, str]]:
    """The policy's body as (kind, text) pairs, kind "heading" or "paragraph"; tables and images left out."""
    parts = []
    for block in policy.body:
        if block.block_type == "heading":
            parts.append(("heading", str(block.value)))
        elif block.block_type == "paragraph":
            text = strip_tags(block.value.source).strip()
            if text:
                parts.append(("paragraph", text))
        elif block.block_type == "quote":
            parts.append(("paragraph", str(block.value["text"])))
    return parts


def policy_pdf_bytes(*, policy: PolicyPage) -> bytes:
    """The policy as its official document: 发文机关, 文号, title, text, then the authority and date at the foot."""
    authority = policy.issuing_authority.name
    doc = cjk_pdf.cjk_document(title=policy.title, author=authority, subject=policy.document_number)
    doc.add_page()
    cjk_pdf.heading(doc, f"{authority}文件", size=22)
    if policy.document_number:
        cjk_pdf.paragraph(doc, policy.document_number, indent=False, align="C")
    cjk_pdf.heading(doc, policy.title)
    for kind, text in policy_plain_paragraphs(policy=policy):
        if kind == "heading":
            cjk_pdf.paragraph(doc, text, size=13, indent=False, align="L")
        else:
            cjk_pdf.paragraph(doc, text)
    doc.ln(8)
    written = policy.written_date or policy.date
    cjk_pdf.paragraph(doc, authority, indent=False, align="R")
    cjk_pdf.paragraph(doc, f"{written.year}年{written.month}月{written.day}日", indent=False, align="R")
    return cjk_pdf.to_bytes(doc)


def policy_pdf_attach(*, policy: PolicyPage, collection: Collection) -> PolicyAttachment:
    """Write the policy's PDF as a Wagtail document and list it first among the policy's attachments."""
    data = policy_pdf_bytes(policy=policy)
    Document = get_document_model()
    with transaction.atomic():
        document = Document(title=policy.title, collection=collection)
        document.file.save(f"{policy.slug}.pdf", ContentFile(data), save=False)
        document._set_document_file_metadata()
        document.save()
        return PolicyAttachment.objects.create(policy=policy, document=document, title=policy.title, sort_order=0)


def policies_without_attachment():
    return PolicyPage.objects.filter(attachments__isnull=True).order_by("-date", "pk")


def build_policy_pdfs(*, limit: int | None = None, log=print) -> int:
    """Give each policy lacking an attachment its PDF (the newest first, at most `limit`); how many were written.
    Without a Chinese font it says so in one line and writes none."""
    collection = demo_collection_ensure()
    policies = policies_without_attachment().select_related("issuing_authority")
    if limit is not None:
        policies = policies[:limit]
    written = 0
    for policy in policies:
        try:
            policy_pdf_attach(policy=policy, collection=collection)
        except cjk_pdf.CJKFontMissing as missing:
            log(f"  政策文件附件未生成：{missing}")
            break
        written += 1
    return written


def build_missing_media(*, log=print) -> int:
    """`manage.py build_downloads`: the files load_demo left to it; nothing on a site without the demo."""
    if not Collection.objects.filter(name=DEMO_COLLECTION).exists():
        return 0
    written = (build_policy_pdfs(log=log) + build_news_photos(log=log) + build_topic_banners()
               + build_explainer_charts(log=log))
    if written:
        _purge_pages_with_media()
    return written


def _purge_pages_with_media() -> None:
    """The pictures and files are set with queryset updates (the demo's pages keep no revisions), which the page
    cache does not see: purge the pages that show them, or a visitor of a freshly started site would keep seeing
    them bare until midnight."""
    from wagtail.models import Page

    from portal.page_cache import purge_tags, purging

    if purging():
        pages = Page.objects.type(PolicyPage, ArticlePage, TopicPage, InterpretationPage).values_list("pk", flat=True)
        purge_tags({f"page:{pk}" for pk in pages})


def build_demo_media(*, log=print) -> int:
    """load_demo: the first few policies' PDFs, so a fresh site shows some at once."""
    written = build_policy_pdfs(limit=LOAD_DEMO_POLICY_PDFS, log=log)
    photos = build_news_photos(limit=LOAD_DEMO_NEWS_PHOTOS, log=log) + build_topic_banners()
    photos += build_explainer_charts(log=log)
    log(f"  演示附件与图片：生成 {written} 个政策文件 PDF、{photos} 张新闻图片和专题横幅，其余由 manage.py build_downloads 生成。")
    return written + photos


def demo_image_create(*, title: str, data: bytes, name: str, collection: Collection):
    """A Wagtail image whose alt text (description) is `title`."""
    Image = get_image_model()
    image = Image(title=title, description=title, collection=collection)
    image.file = ImageFile(io.BytesIO(data), name=name)  # an ImageFile: the field reads its width and height
    image._set_image_file_metadata()
    image.save()
    return image


def build_news_photos(*, limit: int | None = None, log=print) -> int:
    """A photo for each news article without a cover (the newest first, at most `limit`)."""
    collection = demo_collection_ensure()
    articles = ArticlePage.objects.filter(cover_image__isnull=True).order_by("-date", "pk")
    if limit is not None:
        articles = articles[:limit]
    written = 0
    for article in articles:
        with transaction.atomic():
            image = demo_image_create(title=article.title, data=pictures.news_photo(seed=article.slug),
                                      name=f"news-{article.pk}.jpg", collection=collection)
            ArticlePage.objects.filter(pk=article.pk).update(cover_image=image)
        written += 1
    return written


def build_topic_banners() -> int:
    """A wide skyline banner for each topic without one."""
    collection = demo_collection_ensure()
    written = 0
    for topic in TopicPage.objects.filter(banner__isnull=True).order_by("pk"):
        with transaction.atomic():
            image = demo_image_create(title=topic.title, data=pictures.skyline(seed=topic.slug, size=(1600, 400)),
                                      name=f"topic-{topic.pk}.jpg", collection=collection)
            TopicPage.objects.filter(pk=topic.pk).update(banner=image)
        written += 1
    return written


FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(章|条|项|款|亿元|万元|个|家|%)")
POINT = re.compile(r"[一二三四五六七八九]是([^；。]+)[；。]")


def explainer_figures(*, text: str) -> tuple[list[tuple[str, float]], list[str]]:
    """The figures a text gives ("共5章36条" -> [("章", 5), ("条", 36)]) and its points ("一是……；")."""
    figures = []
    for number, unit in FIGURE.findall(text):
        if unit not in {label for label, _ in figures}:
            figures.append((unit, float(number)))
    return figures[:6], [point.strip() for point in POINT.findall(text)]


def build_explainer_charts(*, log=print) -> int:
    """Each 图解 interpretation without a picture gets a chart of the figures and points its text gives, drawn
    with the CJK font, as an image block after its first heading."""
    collection = demo_collection_ensure()
    try:
        font_path, font_index = cjk_pdf.cjk_font()
    except cjk_pdf.CJKFontMissing as missing:
        log(f"  图解未生成：{missing}")
        return 0
    written = 0
    for page in InterpretationPage.objects.filter(form=InterpretationForm.GRAPHIC).order_by("pk"):
        if any(block.block_type == "image" for block in page.body):
            continue
        text = " ".join(strip_tags(block.value.source) for block in page.body if block.block_type == "paragraph")
        figures, points = explainer_figures(text=text)
        data = pictures.explainer_chart(title=page.title, figures=figures, points=points,
                                        font_path=str(font_path), font_index=font_index)
        with transaction.atomic():
            image = demo_image_create(title=page.title, data=data, name=f"explainer-{page.pk}.jpg",
                                      collection=collection)
            image.contextual_alt_text, image.decorative = page.title, False  # what ImageBlock stores
            page.body.insert(1 if page.body and page.body[0].block_type == "heading" else 0,
                             ("image", {"image": image, "caption": page.title}))
            InterpretationPage.objects.filter(pk=page.pk).update(body=page.body)
        written += 1
    return written
