"""在线访谈: guests, moderated questions from the public, the transcript as turns, the JSON the live page polls."""

import datetime as dt

import pytest
from django.utils import timezone

from participation import services
from participation.models import InterviewQuestion
from participation.rules import Moderation, Speaker
from tests.factories import UserFactory

from .factories import InterviewPageFactory, add_guest, add_turn, days

pytestmark = pytest.mark.django_db


def test_archive_shows_guests_and_the_transcript_by_speaker(client, interviews):
    page = InterviewPageFactory(parent=interviews)
    guest = add_guest(page)
    add_turn(page, "各位网友大家好。", speaker=Speaker.HOST, said_at=page.starts_at)
    add_turn(page, "今年新出台的政策主要有三项。", speaker=Speaker.GUEST, guest=guest,
             said_at=page.starts_at + dt.timedelta(minutes=5))
    text = client.get(page.url).content.decode()
    assert "税政司副司长" in text and "文字实录" in text and "往期回顾" in text
    assert text.index("各位网友大家好") < text.index("今年新出台的政策主要有三项")
    assert "interview.js" not in text  # an archive does not poll
    assert "不再接收提问" in text


def test_questions_beforehand_are_shown_only_once_approved(client, interviews):
    page = InterviewPageFactory(parent=interviews, starts_at=days(2), ends_at=days(2) + dt.timedelta(hours=2))
    response = client.post(page.url, {"body": "小微企业如何享受优惠？", "name": "小王"})
    assert response.status_code == 302
    assert "问题已提交" in client.get(response["Location"]).content.decode()
    question = InterviewQuestion.objects.get()
    assert "小微企业如何享受优惠" not in client.get(page.url).content.decode()
    services.question_moderate(question=question, actor=UserFactory(), status=Moderation.APPROVED)
    assert "小微企业如何享受优惠" in client.get(page.url).content.decode()


def test_archived_interview_refuses_questions(client, interviews):
    page = InterviewPageFactory(parent=interviews)
    response = client.post(page.url, {"body": "还能提问吗？"})
    assert response.status_code == 403 and "已经结束" in response.content.decode()
    assert not InterviewQuestion.objects.exists()


def test_live_page_polls_for_new_turns(client, interviews):
    page = InterviewPageFactory(parent=interviews, starts_at=days(-0.01), ends_at=days(0.1))
    guest = add_guest(page)
    first = add_turn(page, "访谈开始。")
    text = client.get(page.url).content.decode()
    assert "interview.js" in text and f'data-after="{first.pk}"' in text and "直播中" in text
    turn = services.turn_add(interview=page, actor=UserFactory(), speaker=Speaker.GUEST, guest=guest,
                             text="补充说明一点。")
    data = client.get(page.url + f"turns/?after={first.pk}").json()
    assert [t["text"] for t in data["turns"]] == ["补充说明一点。"]
    assert data["turns"][0]["speaker_label"] == "李明" and data["turns"][0]["id"] == turn.pk
    assert data["phase"] == "live"


def test_turns_json_rejects_a_bad_cursor(client, interviews):
    page = InterviewPageFactory(parent=interviews)
    response = client.get(page.url + "turns/?after=abc")
    assert response.status_code == 400 and "after" in response.json()["detail"]


def test_a_guest_turn_must_name_a_guest_of_this_interview(interviews):
    page = InterviewPageFactory(parent=interviews)
    other = add_guest(InterviewPageFactory(parent=interviews))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.turn_add(interview=page, actor=None, speaker=Speaker.GUEST, text="……")
    with pytest.raises(ValidationError):
        services.turn_add(interview=page, actor=None, speaker=Speaker.GUEST, guest=other, text="……")


def test_staff_publish_a_turn_from_the_admin(client, interviews):
    from participation.models import InterviewTurn, ParticipationEvent

    page = InterviewPageFactory(parent=interviews, starts_at=days(-0.01), ends_at=days(0.1))
    guest = add_guest(page)
    staff = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/participation_turns/new/").status_code == 200
    response = client.post("/admin/participation_turns/new/", {
        "interview": page.pk, "speaker": "guest", "guest": guest.pk, "netizen_name": "", "text": "感谢网友的提问。",
        "said_at": timezone.localtime().strftime("%Y-%m-%d %H:%M")})
    assert response.status_code == 302, response.content.decode()[:800]
    turn = InterviewTurn.objects.get()
    assert turn.guest == guest and ParticipationEvent.objects.filter(subject=f"turn:{turn.pk}", actor=staff).exists()
    assert "感谢网友的提问" in client.get(page.url + "turns/").content.decode()
    assert client.get("/admin/participation_questions/").status_code == 200
    assert client.get("/admin/participation_comments/").status_code == 200
