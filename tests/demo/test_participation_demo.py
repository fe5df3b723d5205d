"""The 公众参与 demo: what a visitor to 互动交流 finds after load_demo, and running it again changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from demo.participation import build_participation_demo
from participation.models import ConsultationPage, FeedbackReport, InterviewPage, SurveyPage, SurveyResponse
from participation.rules import InterviewPhase, Phase
from tests.content.factories import PolicyPageFactory
from tests.factories import SectionPageFactory
from tests.services_hall.factories import InteractionPageFactory

pytestmark = pytest.mark.django_db


def test_demo_has_open_and_closed_consultations_surveys_and_an_archived_interview(client, home):
    interaction = InteractionPageFactory(parent=home)
    policy = PolicyPageFactory(parent=SectionPageFactory(parent=home, slug="policies"))
    today = timezone.localdate()

    build_participation_demo(home, today=today)
    build_participation_demo(home, today=today)  # again: nothing changes

    phases = sorted(page.phase() for page in ConsultationPage.objects.all())
    assert phases == sorted([Phase.OPEN, Phase.CLOSED])
    closed = next(page for page in ConsultationPage.objects.all() if page.phase() == Phase.CLOSED)
    figures = FeedbackReport.objects.get(consultation=closed).feedback
    assert (figures.comments, figures.adopted, figures.partly, figures.not_adopted) == (5, 2, 1, 2)
    assert closed.final_policy_id == policy.pk
    assert "本文件曾公开征求意见" in client.get(policy.url).content.decode()
    opened = next(page for page in ConsultationPage.objects.all() if page.phase() == Phase.OPEN)
    assert opened.closes_at - opened.opens_at == dt.timedelta(days=30)

    assert sorted(s.phase() for s in SurveyPage.objects.all()) == sorted([Phase.OPEN, Phase.CLOSED])
    assert SurveyResponse.objects.count() == 98
    interview = InterviewPage.objects.get()
    assert interview.phase() == InterviewPhase.ARCHIVED and interview.turns.count() == 7

    front = client.get(interaction.url).content.decode()
    assert "栏目筹备中" not in front and opened.title in front and interview.title in front
    for page in [*ConsultationPage.objects.all(), *SurveyPage.objects.all(), interview]:
        assert client.get(page.url).status_code == 200
    assert "共收到答卷" in client.get(SurveyPage.objects.get(slug="satisfaction-2026").url).content.decode()


def test_each_consultation_puts_up_a_draft_about_its_own_subject(home):
    """A reader of the open consultation on 专项债券项目绩效管理 reads articles on that subject (the demo once gave it
    the 采购需求 articles: “本办法所称采购需求…”), one 条 to a paragraph, numbered 1..N, none repeated."""
    import re

    from django.utils.html import strip_tags

    from tests.demo.test_demo_reading import CN, articles_of

    InteractionPageFactory(parent=home)
    build_participation_demo(home, today=timezone.localdate())

    seen: dict[str, str] = {}
    for page in ConsultationPage.objects.all():
        paragraphs = [strip_tags(part).strip() for part in page.draft.split("</p>") if strip_tags(part).strip()]
        articles = articles_of(paragraphs)
        assert len(articles) == len(paragraphs) >= 4, page.title  # every paragraph is one 条
        assert [n for n, _ in articles] == list(range(1, len(articles) + 1)), page.title
        assert all(not re.search(rf"第[{CN}]+条", text) for _, text in articles), page.title  # none runs into the next
        for _, text in articles:
            assert text not in seen, (page.title, text, seen.get(text))
            seen[text] = page.title
        # “本办法所称X” names the subject of the 办法 in the title.
        defined = re.search(r"本办法所称(.+?)，", page.draft)
        assert defined and defined[1] in page.title, (page.title, defined and defined[1])
        assert page.department.endswith("司"), page.department  # a ministry's departments
        assert "我局" not in page.summary and "财政局" not in page.ways_to_comment


def test_the_closed_consultation_links_the_rule_it_became(home):
    """Its “正式文件已发布” link leads to the 政府采购需求管理办法, not to whichever policy the site has first."""
    InteractionPageFactory(parent=home)
    policies = SectionPageFactory(parent=home, slug="policies")
    PolicyPageFactory(parent=policies, title="中华人民共和国资产评估法")
    issued = PolicyPageFactory(parent=policies, title="财政部关于印发《政府采购需求管理办法》的通知")
    PolicyPageFactory(parent=policies, title="中华人民共和国会计法")

    build_participation_demo(home, today=timezone.localdate())

    assert ConsultationPage.objects.get(slug="procurement-demand").final_policy_id == issued.pk
