"""Letters (咨询 / 建议 / 投诉): writing one, the published replies with personal data hidden, the public
statistics, and the staff reply in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from services_hall.models import Letter, LetterReply
from services_hall.selectors import mask_personal_data
from services_hall.services import letter_reply, letter_submit
from tests.factories import UserFactory

WRITE = "/hall/letters/write/"
LIST = "/hall/letters/"
STATISTICS = "/hall/letters/statistics/"
ADMIN_LETTERS = "/admin/services-hall/letters/"

GOOD = {
    "kind": "consultation", "subject": "代理记账资格审批需要多长时间？", "body": "请问材料齐全后多少个工作日办结？",
    "name": "王小明", "phone": "13900001111", "email": "wang@example.com", "consent_publish": "on",
}


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


def write(**overrides) -> Letter:
    fields = {"kind": Letter.Kind.CONSULTATION, "subject": "代理记账资格审批需要多长时间？",
              "body": "请问材料齐全后多少个工作日办结？", "name": "王小明", "phone": "13900001111",
              "consent_publish": True}
    return letter_submit(**(fields | overrides))


# ------------------------------------------------------------------------------------------------ writing


def test_anyone_can_write_and_gets_the_letter_number(client, home):
    form = client.get(WRITE)
    assert form.status_code == 200 and "我要写信" in form.content.decode() and "5 个工作日内答复" in form.content.decode()

    response = client.post(WRITE, GOOD)

    assert response.status_code == 302 and response["Location"] == "/hall/letters/sent/"
    (letter,) = Letter.objects.all()
    assert (letter.kind, letter.subject, letter.name, letter.phone, letter.consent_publish) == (
        "consultation", GOOD["subject"], "王小明", "13900001111", True,
    )
    sent = client.get(response["Location"]).content.decode()
    assert letter.tracking_number in sent
    assert f"{letter.due_on.year}年{letter.due_on.month}月{letter.due_on.day}日" in sent


def test_the_sent_page_without_a_letter_leads_back_to_the_form(client, home):
    assert client.get("/hall/letters/sent/")["Location"] == WRITE


def test_bad_input_is_named_field_by_field_and_what_was_typed_is_kept(client, home):
    response = client.post(WRITE, GOOD | {"subject": "", "phone": "12345", "email": "not-an-address",
                                          "body": "关于政府采购投诉的处理时限", "kind": "praise"})
    text = response.content.decode()

    assert response.status_code == 400
    assert "请填写标题" in text
    assert "联系电话格式不正确" in text
    assert "电子邮箱格式不正确" in text
    assert "请选择咨询、建议或投诉" in text
    assert "关于政府采购投诉的处理时限" in text and 'value="王小明"' in text and 'value="12345"' in text
    assert Letter.objects.count() == 0


def test_a_way_to_answer_is_required(client, home):
    response = client.post(WRITE, GOOD | {"phone": "", "email": ""})

    assert response.status_code == 400
    assert "请至少留下联系电话或电子邮箱" in response.content.decode()
    assert Letter.objects.count() == 0


def test_a_landline_is_accepted(client, home):
    assert client.post(WRITE, GOOD | {"phone": "0591-87654321", "email": ""}).status_code == 302
    assert Letter.objects.get().phone == "0591-87654321"


def test_too_many_letters_from_one_address_get_429_in_chinese_keeping_the_text(client, settings, home):
    settings.SERVICES_HALL_LETTER_RATE = "2/m"
    codes = [client.post(WRITE, GOOD | {"subject": f"第{n}封信"}).status_code for n in range(3)]

    assert codes == [302, 302, 429]
    limited = client.post(WRITE, GOOD | {"subject": "还想再写一封"})
    assert limited.status_code == 429
    assert "提交过于频繁" in limited.content.decode() and "还想再写一封" in limited.content.decode()
    assert Letter.objects.count() == 2
    assert client.get(WRITE).status_code == 200  # reading the form is never limited


# ------------------------------------------------------------------------------------------------ publication


@pytest.fixture
def letters(db, intake):
    """One letter published, one replied without consent, one consenting but not yet replied."""
    published = write(subject="代理记账许可证遗失怎么办？", name="王小明", phone="13900001111",
                      body="我是王小明，电话13900001111，身份证350102198501010012，邮箱wangxm@example.com。")
    letter_reply(letter=published, actor=intake, department="会计处", body="王小明您好：请登报声明后申请补发。")
    private = write(subject="不同意公开的投诉", kind=Letter.Kind.COMPLAINT, consent_publish=False, name="李四")
    letter_reply(letter=private, actor=intake, department="监督检查局", body="已核实处理。")
    waiting = write(subject="尚未答复的建议", kind=Letter.Kind.SUGGESTION)
    return {"published": published, "private": private, "waiting": waiting}


def test_the_public_list_shows_only_replied_letters_whose_writers_consented(client, home, letters):
    text = client.get(LIST).content.decode()

    assert "代理记账许可证遗失怎么办？" in text
    assert "不同意公开的投诉" not in text and "尚未答复的建议" not in text
    assert "受理日期" in text and "答复日期" in text and "会计处" in text and "请登报声明后申请补发" in text


def test_published_letters_hide_names_phones_id_numbers_and_emails(client, home, letters):
    number = letters["published"].tracking_number
    for response in (client.get(LIST), client.get(f"{LIST}{number}/")):
        text = response.content.decode()
        assert response.status_code == 200
        assert "王小明" not in text and "王**" in text
        assert "13900001111" not in text and "139****1111" in text
        assert "350102198501010012" not in text and "350102********0012" in text
        assert "wangxm@example.com" not in text


def test_unpublished_letters_have_no_public_page(client, home, letters):
    assert client.get(f"{LIST}{letters['private'].tracking_number}/").status_code == 404
    assert client.get(f"{LIST}{letters['waiting'].tracking_number}/").status_code == 404
    assert client.get(f"{LIST}L20250101NOSUCHNO/").status_code == 404


def test_the_public_list_filters_by_kind_and_refuses_a_bad_one(client, home, letters, intake):
    suggestion = write(subject="建议延长窗口办理时间", kind=Letter.Kind.SUGGESTION)
    letter_reply(letter=suggestion, actor=intake, department="办公室", body="感谢建议。")

    only = client.get(f"{LIST}?kind=suggestion").content.decode()
    assert "建议延长窗口办理时间" in only and "代理记账许可证遗失怎么办？" not in only
    bad = client.get(f"{LIST}?kind=praise")
    assert bad.status_code == 400


def test_public_statistics_count_received_replied_and_on_time(client, home, letters, intake):
    late = write(subject="迟复的信")
    Letter.objects.filter(pk=late.pk).update(due_on=late.due_on.replace(year=late.due_on.year - 1))
    letter_reply(letter=late, actor=intake, department="会计处", body="抱歉迟复。")

    text = client.get(STATISTICS).content.decode()

    assert "4件" in text  # received
    assert "3件" in text  # replied
    assert "2件" in text  # replied on time
    assert "75.0%" in text and "66.7%" in text
    assert "受理留言 <strong>4</strong>" in client.get(LIST).content.decode()
    assert client.get(f"{STATISTICS}?year=1999").content.decode().count("0件") == 3
    assert client.get(f"{STATISTICS}?year=nineteen").status_code == 400


def test_masking_keeps_the_text_readable():
    masked = mask_personal_data("张三的手机13812345678，座机0591-87654321，邮箱zs@example.cn", name="张三")
    assert masked == "张*的手机138****5678，座机0591-******21，邮箱z***@example.cn"


# ------------------------------------------------------------------------------------------------ staff reply


@pytest.fixture
def as_intake(client, intake):
    client.force_login(intake)
    return client


def test_staff_see_waiting_letters_with_their_reply_deadline(as_intake, letters):
    text = as_intake.get(ADMIN_LETTERS).content.decode()
    waiting = letters["waiting"]

    assert waiting.tracking_number in text and letters["published"].tracking_number not in text
    assert f"{waiting.due_on.year}年{waiting.due_on.month}月{waiting.due_on.day}日" in text
    assert "剩余 5 个工作日" in text
    assert letters["published"].tracking_number in as_intake.get(f"{ADMIN_LETTERS}?state=replied").content.decode()


def test_staff_reply_in_the_admin_and_the_reply_is_published(client, as_intake, letters):
    waiting = letters["waiting"]
    url = f"{ADMIN_LETTERS}{waiting.pk}/"
    assert "13900001111" in as_intake.get(url).content.decode()  # staff see the contact details

    response = as_intake.post(url, {"department": "办公室", "body": "感谢您的建议，已转相关处室研究。", "publish": "on"})

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == Letter.State.REPLIED and waiting.published
    assert waiting.reply.department == "办公室" and waiting.reply.on_time
    assert "尚未答复的建议" in client.get(LIST).content.decode()


def test_staff_may_hold_back_a_reply_from_publication(as_intake, letters):
    waiting = letters["waiting"]
    as_intake.post(f"{ADMIN_LETTERS}{waiting.pk}/", {"department": "办公室", "body": "已答复。"})

    waiting.refresh_from_db()
    assert waiting.state == Letter.State.REPLIED and not waiting.published


def test_an_incomplete_reply_is_named_and_kept(as_intake, letters):
    waiting = letters["waiting"]
    response = as_intake.post(f"{ADMIN_LETTERS}{waiting.pk}/", {"department": "", "body": "草稿答复内容"})

    assert response.status_code == 400
    assert "请填写答复部门" in response.content.decode() and "草稿答复内容" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == Letter.State.RECEIVED


def test_a_second_reply_is_refused_and_changes_nothing(as_intake, letters):
    published = letters["published"]

    response = as_intake.post(f"{ADMIN_LETTERS}{published.pk}/", {"department": "办公室", "body": "再次答复"})

    assert response.status_code == 409
    assert "该留言已答复，不能重复答复" in response.content.decode()
    assert LetterReply.objects.get(letter=published).body == "王小明您好：请登报声明后申请补发。"


def test_only_staff_handle_letters(client, letters):
    editor = UserFactory(username="editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    assert client.get(ADMIN_LETTERS).status_code == 403
    response = client.post(f"{ADMIN_LETTERS}{letters['waiting'].pk}/", {"department": "办公室", "body": "答复"})
    assert response.status_code == 403
    assert Letter.objects.get(pk=letters["waiting"].pk).state == Letter.State.RECEIVED
