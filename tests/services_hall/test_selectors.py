import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from services_hall.models import Letter
from services_hall.selectors import (
    application_deadline,
    application_queue,
    application_timeline,
    letter_public_list,
    letter_statistics,
    mask_name,
    user_roles,
)
from services_hall.services import application_transition, letter_reply, letter_submit
from services_hall.workflow import Action, Role, Status

from .factories import ApplicantFactory
from .test_services import at, submit


def test_queue_puts_overdue_cases_first_and_cases_waiting_for_the_applicant_last(guide, applicant, intake):
    late = submit(guide, applicant, key="late", now=at(2025, 9, 1))
    application_transition(application=late, action=Action.ACCEPT, actor=intake, now=at(2025, 9, 2))
    fresh = submit(guide, applicant, key="fresh", now=at(2025, 11, 20))
    waiting = submit(guide, applicant, key="waiting", now=at(2025, 8, 1))
    application_transition(application=waiting, action=Action.REQUEST_CORRECTION, actor=intake,
                           correction_items=["营业执照"])
    done = submit(guide, applicant, key="done")
    application_transition(application=done, action=Action.REJECT, actor=intake, comment="不属于本机关职权")

    assert [a.tracking_number for a in application_queue()] == [
        late.tracking_number, fresh.tracking_number, waiting.tracking_number,
    ]
    assert [a.pk for a in application_queue(status=Status.SUBMITTED)] == [fresh.pk]
    assert [a.pk for a in application_queue(due_by=dt.date(2025, 10, 1))] == [late.pk]


def test_queue_runs_a_constant_number_of_queries(guide, applicant, django_assert_num_queries):
    for n in range(5):
        submit(guide, ApplicantFactory(), key=f"k{n}")
    with django_assert_num_queries(1):
        assert len([(a.service.title, a.applicant.name) for a in application_queue()]) == 5


def test_deadline_shown_to_staff_and_applicant(guide, applicant, intake):
    application = submit(guide, applicant, now=at(2025, 9, 25))
    intake_limit = application_deadline(application=application, today=dt.date(2025, 9, 30))
    assert intake_limit.due == dt.date(2025, 10, 9) and intake_limit.days_left == 1 and intake_limit.due_soon

    application_transition(application=application, action=Action.ACCEPT, actor=intake, now=at(2025, 9, 26))
    application.refresh_from_db()
    promised = application_deadline(application=application, today=dt.date(2025, 10, 13))
    statutory = application_deadline(application=application, which="statutory", today=dt.date(2025, 10, 13))
    assert (promised.due, promised.overdue) == (dt.date(2025, 10, 10), True)
    assert (statutory.due, statutory.days_left, statutory.overdue) == (dt.date(2025, 10, 16), 3, False)


def test_inquiry_shows_the_timeline_without_personal_data(guide, applicant, intake):
    application = submit(guide, applicant)
    application_transition(application=application, action=Action.REQUEST_CORRECTION, actor=intake,
                           comment="请补充法定代表人身份证", correction_items=["身份证"])

    found, timeline = application_timeline(
        tracking_number=f" {application.tracking_number.lower()} ", query_code=application.query_code.lower()
    )
    assert found.pk == application.pk
    assert [(entry.action, entry.status) for entry in timeline] == [("提交申请", "已提交"), ("要求补正", "补正中")]
    shown = repr(timeline)
    for private in (applicant.name, intake.username, "身份证", applicant.uscc):
        assert private not in shown


def test_a_wrong_pair_gets_the_same_answer_whether_or_not_the_number_exists(guide, applicant):
    application = submit(guide, applicant)
    wrong_code = "222222" if application.query_code != "222222" else "333333"
    assert application_timeline(tracking_number=application.tracking_number, query_code=wrong_code) is None
    assert application_timeline(tracking_number="20250101ABCDEFGH", query_code=application.query_code) is None
    assert application_timeline(tracking_number="", query_code="") is None


def test_roles_come_from_the_staff_groups_and_the_application(guide, applicant, intake, reviewer):
    application = submit(guide, applicant)
    assert user_roles(user=applicant.user, application=application) == {Role.APPLICANT}
    assert user_roles(user=intake, application=application) == {Role.INTAKE}
    assert user_roles(user=reviewer) == {Role.REVIEWER}
    assert user_roles(user=ApplicantFactory().user, application=application) == set()


# ------------------------------------------------------------------------------------------------ letters


def write(**overrides):
    fields = {"kind": Letter.Kind.CONSULTATION, "subject": "代理记账资格审批需要多长时间？",
              "body": "请问材料齐全后多少个工作日办结？", "name": "王小明", "phone": "13900001111",
              "consent_publish": True, "now": at(2025, 9, 30)}
    return letter_submit(**(fields | overrides))


def test_a_letter_is_due_within_five_working_days(db):
    letter = write()
    assert letter.state == Letter.State.RECEIVED and letter.tracking_number.startswith("L20250930")
    assert letter.due_on == dt.date(2025, 10, 14)  # 9, 10, 11 (make-up), 13, 14 October


def test_a_letter_needs_a_way_to_answer_and_its_fields(db):
    with pytest.raises(ValidationError) as error:
        write(phone="", email="", subject="")
    assert "请至少留下联系电话或电子邮箱" in error.value.message_dict["phone"][0]
    assert "subject" in error.value.message_dict
    assert Letter.objects.count() == 0


def test_staff_reply_once_and_consenting_letters_are_published_masked(db, intake, django_capture_on_commit_callbacks):
    letter = write(email="wang@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        reply = letter_reply(letter=letter, actor=intake, department="会计处", body="材料齐全后5个工作日内办结。",
                             now=at(2025, 10, 13))
    assert reply.on_time
    assert "会计处" in mail.outbox[0].body

    with pytest.raises(ValidationError, match="已答复"):
        letter_reply(letter=letter, actor=intake, department="会计处", body="再次答复")

    (public,) = letter_public_list()
    assert public.writer == "王**" and public.department == "会计处"
    assert (public.received_on, public.replied_on) == (dt.date(2025, 9, 30), dt.date(2025, 10, 13))
    assert "13900001111" not in repr(public)


def test_letters_without_consent_stay_private(db, intake):
    letter_reply(letter=write(consent_publish=False), actor=intake, department="会计处", body="已答复。")
    assert letter_public_list() == []


def test_only_staff_may_reply(db, applicant):
    with pytest.raises(PermissionDenied):
        letter_reply(letter=write(), actor=applicant.user, department="会计处", body="答复")


def test_public_statistics_count_received_replied_and_on_time(db, intake):
    on_time, late, _open = write(), write(), write()
    letter_reply(letter=on_time, actor=intake, department="会计处", body="答复", now=at(2025, 10, 14))
    letter_reply(letter=late, actor=intake, department="会计处", body="答复", now=at(2025, 10, 15))

    assert letter_statistics() == letter_statistics(since=dt.date(2025, 9, 1)) != letter_statistics(
        since=dt.date(2025, 10, 1)
    )
    stats = letter_statistics()
    assert (stats.received, stats.replied, stats.replied_on_time) == (3, 2, 1)


@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("李", "李*")])
def test_names_are_masked_to_the_family_name(name, masked):
    assert mask_name(name) == masked
