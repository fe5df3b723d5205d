"""Only what the public may see is ever indexed."""

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from opendata.rules import Classification, OpenType
from search import documents
from search.documents import iter_documents, load_document
from services_hall.models import Letter, LetterReply
from tests.content.factories import ArticlePageFactory, ProcurementNoticePageFactory, RegionFactory
from tests.opendata.factories import DatasetPageFactory
from tests.services_hall.factories import ServiceGuidePageFactory


def indexed_ids() -> set[str]:
    return {document.id for document in iter_documents()}


def test_an_article_becomes_a_document_with_its_plain_text(section):
    page = ArticlePageFactory(parent=section, title="国库集中支付改革", summary="摘要文字。",
                              body=[("paragraph", "<p>正文<b>加粗</b>段落。</p>")])
    page.tags.add("国库")
    page.save()

    document = load_document(f"page:{page.pk}")

    assert document.type == "article" and document.url == page.url
    assert "摘要文字。" in document.body and "正文加粗段落。" in document.body and "<" not in document.body
    assert document.year == page.date.year and document.tags == ("国库",)
    assert "国库集中支付" in document.title_tokens.split()


def test_a_notice_carries_its_region(home):
    from tests.factories import SectionPageFactory

    column = SectionPageFactory(parent=home, title="政府采购", slug="procurement", listing_kind="procurement")
    notice = ProcurementNoticePageFactory(parent=column, region=RegionFactory())

    assert load_document(f"page:{notice.pk}").region == "北京市"


def test_drafts_and_unpublished_pages_are_not_indexed(section):
    draft = ArticlePageFactory(parent=section, live=False)
    withdrawn = ArticlePageFactory(parent=section)
    withdrawn.unpublish()

    assert load_document(f"page:{draft.pk}") is None
    assert load_document(f"page:{withdrawn.pk}") is None
    assert not {f"page:{draft.pk}", f"page:{withdrawn.pk}"} & indexed_ids()


def test_private_pages_are_not_indexed(section):
    page = ArticlePageFactory(parent=section)
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.PASSWORD, password="x")

    assert load_document(f"page:{page.pk}") is None
    assert f"page:{page.pk}" not in indexed_ids()


@pytest.mark.parametrize("changes", [{"open_type": OpenType.CLOSED},
                                     {"classification": Classification.SECRET}])
def test_closed_and_classified_datasets_are_not_indexed(home, changes):
    from tests.factories import SectionPageFactory

    column = SectionPageFactory(parent=home, title="数据开放", slug="open-data")
    public = DatasetPageFactory(parent=column)
    hidden = DatasetPageFactory(parent=column)
    type(hidden).objects.filter(pk=hidden.pk).update(**changes)

    assert load_document(f"dataset:{public.pk}").type == "dataset"
    assert load_document(f"dataset:{hidden.pk}") is None
    assert f"dataset:{hidden.pk}" not in indexed_ids()


def _letter(number: int, *, published: bool, replied: bool = True) -> Letter:
    letter = Letter.objects.create(
        kind=Letter.Kind.CONSULTATION, tracking_number=f"L2026{number:05d}", query_code="abcd1234",
        subject="咨询专项债券信息", body="我是张三，电话13900001111，想了解专项债券。", name="张三",
        phone="13900001111", consent_publish=published, due_on=timezone.localdate(),
        state=Letter.State.REPLIED if replied else Letter.State.RECEIVED, published=published,
    )
    if replied:
        LetterReply.objects.create(letter=letter, department="债务管理司", body="请登录中国地方政府债券信息公开平台查询。",
                                   on_time=True)
    return letter


def test_published_letters_are_indexed_masked_and_others_are_not(db):
    published = _letter(1, published=True)
    private = _letter(2, published=False)
    waiting = _letter(3, published=False, replied=False)

    document = load_document(f"letter:{published.pk}")

    assert document.type == "letter" and document.department == "债务管理司"
    assert "13900001111" not in document.body and "张三" not in document.body
    assert "139****1111" in document.body and "中国地方政府债券信息公开平台" in document.body
    assert load_document(f"letter:{private.pk}") is None
    assert load_document(f"letter:{waiting.pk}") is None
    assert {f"letter:{private.pk}", f"letter:{waiting.pk}"}.isdisjoint(indexed_ids())


def test_service_guides_are_indexed(section):
    from tests.factories import SectionPageFactory

    column = SectionPageFactory(parent=section.get_parent(), title="办事服务", slug="services")
    guide = ServiceGuidePageFactory(parent=column)

    document = load_document(f"page:{guide.pk}")

    assert document.type == "guide" and document.department == "市财政局"
    assert "会计法" in document.body


def test_every_type_has_a_label():
    labels = documents.type_labels()

    assert set(labels) == {
        "article", "policy", "interpretation", "notice", "topic", "guide", "letter", "dataset", "page",
        "consultation", "survey", "interview", "disclosure_report"}
    assert all(labels.values())
