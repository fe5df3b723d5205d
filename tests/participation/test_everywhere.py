"""The participation pages where a citizen finds them: the 互动交流 front door, search, the sitemap and the feeds."""

import datetime as dt

import feedparser
import pytest

from participation import services
from participation.rules import Speaker
from search.documents import iter_documents, load_document
from tests.factories import UserFactory

from .factories import ConsultationPageFactory, InterviewPageFactory, SurveyPageFactory, add_guest, days

pytestmark = pytest.mark.django_db


def test_interaction_front_door_lists_open_consultations_surveys_and_interviews(client, interaction, consultations,
                                                                                  surveys, interviews):
    open_one = ConsultationPageFactory(parent=consultations, title="预算法实施条例修订征求意见", closes_at=days(4))
    closed = ConsultationPageFactory(parent=consultations, title="已经结束的征求意见", opens_at=days(-60),
                                     closes_at=days(-30))
    SurveyPageFactory(parent=surveys, title="满意度调查")
    InterviewPageFactory(parent=interviews, title="往期访谈")
    InterviewPageFactory(parent=interviews, title="下周的访谈", starts_at=days(7), ends_at=days(7.1))
    text = client.get(interaction.url).content.decode()
    assert "栏目筹备中" not in text
    assert open_one.title in text and "还剩 3天" in text
    assert text.index(open_one.title) < text.index(closed.title)
    assert "满意度调查" in text and "下周的访谈" in text and "往期访谈" in text and "往期回顾" in text
    assert "互动动态" not in text  # the lists are not news items of 互动交流


def test_front_door_keeps_its_placeholders_until_lists_are_placed(client, interaction):
    assert "栏目筹备中" in client.get(interaction.url).content.decode()


def test_participation_pages_are_in_search(consultations, surveys, interviews):
    consultation = ConsultationPageFactory(parent=consultations)
    survey = SurveyPageFactory(parent=surveys)
    interview = InterviewPageFactory(parent=interviews)
    services.turn_add(interview=interview, actor=UserFactory(), speaker=Speaker.GUEST, guest=add_guest(interview),
                      text="留抵退税政策惠及更多小微企业。", said_at=interview.starts_at + dt.timedelta(minutes=1))
    assert load_document(f"page:{consultation.pk}").type == "consultation"
    assert "为加强政府采购需求管理" in load_document(f"page:{consultation.pk}").body
    assert "您最关注哪些财政信息？" in load_document(f"page:{survey.pk}").body
    interview_document = load_document(f"page:{interview.pk}")
    assert interview_document.type == "interview" and "留抵退税政策" in interview_document.body
    ids = {document.id for document in iter_documents()}
    assert {f"page:{consultation.pk}", f"page:{survey.pk}", f"page:{interview.pk}"} <= ids


def test_participation_pages_are_in_the_sitemap(client, consultations, surveys):
    consultation = ConsultationPageFactory(parent=consultations)
    survey = SurveyPageFactory(parent=surveys)
    text = client.get("/sitemap.xml").content.decode()
    if "<sitemapindex" in text:  # sections: read them all
        import re

        text = "".join(client.get(url.split("localhost", 1)[-1]).content.decode()
                       for url in re.findall(r"<loc>([^<]+)</loc>", text))
    assert consultation.url in text and survey.url in text and consultations.url in text


def test_each_list_has_rss_and_atom_feeds(client, consultations, interviews):
    page = ConsultationPageFactory(parent=consultations)
    InterviewPageFactory(parent=interviews)
    rss = feedparser.parse(client.get(consultations.url + "feed/rss/").content)
    assert rss.entries[0].title == page.title and "征求意见时间" in rss.entries[0].summary
    atom = client.get(interviews.url + "feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml") and feedparser.parse(atom.content).entries
    assert client.get(consultations.url + "feed/xml/").status_code == 404
    assert 'type="application/rss+xml"' in client.get(consultations.url).content.decode()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_lists_cost_the_same_number_of_queries_however_many_entries(client, interaction, consultations, surveys,
                                                                     interviews):
    def add(n):
        for _ in range(n):
            ConsultationPageFactory(parent=consultations)
            SurveyPageFactory(parent=surveys)
            add_guest(InterviewPageFactory(parent=interviews))

    add(1)
    client.get(interaction.url)  # warm the per-site caches (navigation, identity)
    few = {url: _queries(client, url) for url in (interaction.url, consultations.url, interviews.url)}
    add(4)
    many = {url: _queries(client, url) for url in (interaction.url, consultations.url, interviews.url)}
    print(f"\nqueries per page (1 entry each → 5 each): {few} → {many}")
    assert many == few, (few, many)


def test_the_live_poll_costs_the_same_however_long_the_transcript(client, interviews):
    page = InterviewPageFactory(parent=interviews, starts_at=days(-0.01), ends_at=days(0.1))
    guest = add_guest(page)
    services.turn_add(interview=page, actor=None, speaker=Speaker.GUEST, guest=guest, text="一")
    few = _queries(client, page.url + "turns/?after=0")
    for n in range(10):
        services.turn_add(interview=page, actor=None, speaker=Speaker.GUEST, guest=guest, text=f"第{n}句")
    many = _queries(client, page.url + "turns/?after=0")
    print(f"\nqueries per live poll (1 turn → 11 turns): {few} → {many}")
    assert many == few


def test_each_list_shows_its_entries_and_offers_its_feeds(client, consultations, surveys, interviews):
    entries = {
        consultations: ConsultationPageFactory(parent=consultations),
        surveys: SurveyPageFactory(parent=surveys),
        interviews: InterviewPageFactory(parent=interviews),
    }
    for listing, entry in entries.items():
        text = client.get(listing.url).content.decode()
        assert f'href="{entry.url}"' in text and entry.title in text
        assert "暂无内容" not in text and f'{listing.url}feed/atom/' in text
