"""The demo's generated files: each policy offers its official PDF, whose Chinese text can be read back."""

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from content.models import ArticlePage, InterpretationForm, InterpretationPage, PolicyPage
from demo.media import build_demo_media, demo_collection_ensure
from tests.content.factories import (
    ArticlePageFactory,
    InterpretationPageFactory,
    PolicyPageFactory,
    TopicPageFactory,
)
from tests.factories import SectionPageFactory

# Pictures, charts and PDFs are drawn by Python from rows read by plain filters: the SQLite pass has these (the
# PostgreSQL pass loads the whole demo, media included, in tests/demo/test_load_demo.py).
pytestmark = pytest.mark.same_on_every_database


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def policies(home):
    section = SectionPageFactory(parent=home, title="政策发布", slug="policies", listing_kind="policy")
    return [
        PolicyPageFactory(parent=section, title=f"财政部关于做好{n}年度预算绩效评价工作的通知",
                          document_number=f"财预〔2026〕{n}号",
                          body=[("heading", "一、总体要求"), ("paragraph", f"<p>第{n}条 各级财政部门要加强绩效管理。</p>")])
        for n in range(1, 8)
    ]


@pytest.fixture
def news(home):
    section = SectionPageFactory(parent=home, title="财政新闻", slug="news", listing_kind="article")
    return [ArticlePageFactory(parent=section, title=f"全国财政工作会议在京召开（{n}）") for n in range(14)]


def _pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_a_policy_page_offers_its_pdf_with_the_title_and_number_readable(policies, client):
    build_demo_media(log=lambda *_: None)
    policy = PolicyPage.objects.get(pk=policies[0].pk)
    attachment = policy.attachments.get()

    page = client.get(policy.url).content.decode()
    assert f'href="{attachment.document.url}"' in page
    assert re.search(r"（PDF，[\d.]+\s*(KB|MB|字节|bytes)）", page), page[page.find("附件"):][:400]

    text = _pdf_text(attachment.document)
    assert policy.title in text
    assert "财预〔2026〕1号" in text
    assert "各级财政部门要加强绩效管理" in text


def test_load_demo_writes_a_few_pdfs_and_build_downloads_the_rest(policies):
    assert build_demo_media(log=lambda *_: None) == 5
    assert PolicyPage.objects.filter(attachments__isnull=True).count() == 2

    out = io.StringIO()
    call_command("build_downloads", stdout=out)
    assert all(PolicyPage.objects.get(pk=p.pk).attachments.count() == 1 for p in policies)
    assert get_document_model().objects.count() == 7

    call_command("build_downloads", stdout=out)  # nothing written twice
    assert get_document_model().objects.count() == 7


def test_build_downloads_leaves_a_site_without_the_demo_alone(policies):
    call_command("build_downloads", stdout=io.StringIO())
    assert get_document_model().objects.count() == 0
    assert get_image_model().objects.count() == 0
    demo_collection_ensure()
    call_command("build_downloads", stdout=io.StringIO())
    assert get_document_model().objects.count() == 7


def test_every_news_article_gets_a_photo_shown_in_webp_and_jpeg_with_its_title_as_alt(news, home, client):
    TopicPageFactory(parent=home, title="减税降费", slug="tax-cuts")
    build_demo_media(log=lambda *_: None)
    assert ArticlePage.objects.filter(cover_image__isnull=False).count() == 12  # the newest; the rest come later
    call_command("build_downloads", stdout=io.StringIO())
    articles = ArticlePage.objects.select_related("cover_image")
    assert all(article.cover_image for article in articles)
    assert len({article.cover_image.file_hash for article in articles}) == len(news)  # each its own picture
    assert get_image_model().objects.filter(title="减税降费").exists()  # the topic's banner

    article = articles.get(pk=news[0].pk)
    page = client.get(article.url).content.decode()
    cover = re.search(r"<picture>.*?</picture>", page, re.S)[0]
    assert 'type="image/webp"' in cover and "srcset=" in cover
    assert f'alt="{article.title}"' in cover
    assert all(re.search(r'alt="[^"]*"', img) for img in re.findall(r"<img[^>]*>", page))


def test_a_graphic_interpretation_shows_a_chart_of_its_figures(policies, home, client):
    section = SectionPageFactory(parent=home, title="政策解读", slug="interpretations", listing_kind="interpretation")
    page = InterpretationPageFactory(
        parent=section, policy=policies[0], form=InterpretationForm.GRAPHIC, title="一图读懂《预算绩效评价办法》",
        body=[("heading", "主要内容"), ("paragraph", "<p>《办法》共5章36条，一是明确评价范围；二是规范评价程序。</p>")],
    )
    build_demo_media(log=lambda *_: None)
    page = InterpretationPage.objects.get(pk=page.pk)
    chart = next(block.value["image"] for block in page.body if block.block_type == "image")
    assert chart.default_alt_text == "一图读懂《预算绩效评价办法》"
    assert chart.width > 800
    html = client.get(page.url).content.decode()
    assert re.search(r'<img[^>]*alt="一图读懂《预算绩效评价办法》"', html)

    build_demo_media(log=lambda *_: None)  # drawn once
    assert sum(block.block_type == "image" for block in InterpretationPage.objects.get(pk=page.pk).body) == 1


def test_a_news_page_already_cached_shows_its_photo_once_build_downloads_has_drawn_it(news, client, settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    demo_collection_ensure()
    oldest = news[0]
    first = client.get(oldest.url)
    again = client.get(oldest.url)
    assert "<picture>" not in first.content.decode() and again["X-Page-Cache"] == "hit"

    call_command("build_downloads", stdout=io.StringIO())

    assert "<picture>" in client.get(oldest.url).content.decode()
    cache.clear()
