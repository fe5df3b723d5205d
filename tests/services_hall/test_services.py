import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from services_hall import notifications
from services_hall.models import Application, ApplicationEvent, ApplicationMaterial, Rating
from services_hall.services import (
    TRACKING_ALPHABET,
    application_submit,
    application_supplement,
    application_transition,
    rating_submit,
)
from services_hall.storage import private_storage
from services_hall.workflow import Action, RoleNotAllowed, Status, TransitionNotAllowed

from .factories import ApplicantFactory
from .files import pdf_bytes, png_bytes, upload

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


FORM = {"company_name": "福州鼓楼代理记账有限公司", "staff_count": "3", "scope": "代理记账"}


def materials_for(guide, **extra):
    by_name = {m.name: m.pk for m in guide.materials.all()}
    files = {
        by_name["代理记账资格申请表"]: [upload("申请表.pdf", pdf_bytes("form"))],
        by_name["营业执照"]: [upload("营业执照.png", png_bytes())],
    }
    files.update({by_name[name]: value for name, value in extra.items()})
    return files


def submit(guide, applicant, key="k-1", now=None, **kwargs):
    return application_submit(
        applicant=applicant, service=guide, form_data=kwargs.pop("form_data", FORM),
        materials=kwargs.pop("materials", None) or materials_for(guide), idempotency_key=key, now=now, **kwargs,
    )


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# ------------------------------------------------------------------------------------------------ submission


def test_submission_creates_the_application_its_materials_and_its_first_event(guide, applicant, private_media):
    application = submit(guide, applicant, now=at(2025, 9, 30))

    assert application.status == Status.SUBMITTED
    assert re.fullmatch(r"20250930[0-9A-HJKMNP-TV-Z]{8}", application.tracking_number)
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{6}", application.query_code)
    assert application.form_data == {"company_name": "福州鼓楼代理记账有限公司", "staff_count": "3", "scope": "代理记账"}
    # 5 working days to accept: 9, 10, 11 (make-up Saturday), 13, 14 October.
    assert application.intake_due_on == dt.date(2025, 10, 14)
    (event,) = application.events.all()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        Action.SUBMIT, Status.DRAFT, Status.SUBMITTED, applicant.user,
    )


def test_materials_are_stored_privately_under_random_names_and_intact(guide, applicant, private_media):
    application = submit(guide, applicant)

    rows = list(application.materials.order_by("name"))
    assert [(m.name, m.original_name, m.content_type) for m in rows] == [
        ("代理记账资格申请表", "申请表.pdf", "application/pdf"),
        ("营业执照", "营业执照.png", "image/png"),
    ]
    for row, content in zip(rows, [pdf_bytes("form"), png_bytes()], strict=True):
        path = private_media / row.file.name
        assert path.read_bytes() == content
        assert row.sha256 == hashlib.sha256(content).hexdigest() and row.size == len(content)
        assert "营业执照" not in row.file.name and "申请表" not in row.file.name
        assert not str(path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        private_storage.url(rows[0].file.name)  # no public address


def test_a_double_submit_with_the_same_key_files_one_application(guide, applicant, private_media):
    first = submit(guide, applicant, key="same")
    second = submit(guide, applicant, key="same")

    assert second.pk == first.pk and second.tracking_number == first.tracking_number
    assert Application.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1
    assert len(stored_files(private_media)) == 2


def test_different_keys_or_applicants_file_separately_with_unrelated_numbers(guide, applicant):
    numbers = [submit(guide, applicant, key=f"k{n}").tracking_number for n in range(5)]
    numbers.append(submit(guide, ApplicantFactory(), key="k0").tracking_number)

    assert len(set(numbers)) == 6
    suffixes = sorted(sum(TRACKING_ALPHABET.index(c) * 32**i for i, c in enumerate(reversed(n[8:]))) for n in numbers)
    assert all(b - a != 1 for a, b in zip(suffixes, suffixes[1:]))  # not a running sequence


def test_missing_required_materials_are_named_and_nothing_is_saved(guide, applicant, private_media):
    licence = guide.materials.get(name="代理记账资格申请表")
    with pytest.raises(ValidationError) as error:
        submit(guide, applicant, materials={licence.pk: [upload("申请表.pdf", pdf_bytes())]})

    assert error.value.message_dict["materials"] == ["缺少必需材料：营业执照。"]
    assert Application.objects.count() == 0
    assert stored_files(private_media) == []


def test_form_data_is_checked_against_the_fields_defined_in_the_admin(guide, applicant):
    with pytest.raises(ValidationError) as error:
        submit(guide, applicant, form_data={"staff_count": "三人", "scope": "审计"})

    problems = error.value.message_dict
    assert set(problems) == {"company_name", "staff_count", "scope"}
    assert Application.objects.count() == 0


def test_a_forbidden_file_is_refused_by_material_and_nothing_is_saved(guide, applicant, private_media):
    licence = guide.materials.get(name="营业执照")
    with pytest.raises(ValidationError) as error:
        submit(guide, applicant, materials=materials_for(guide, 营业执照=[upload("营业执照.pdf", "假的".encode())]))

    assert "不是允许的格式" in error.value.message_dict[f"material_{licence.pk}"][0]
    assert Application.objects.count() == 0 and stored_files(private_media) == []


def test_filing_is_refused_when_the_guide_has_not_opened_it(guide, applicant):
    guide.online_filing_open = False
    guide.save()
    with pytest.raises(ValidationError, match="暂未开通网上申报"):
        submit(guide, applicant)


def test_a_failure_while_storing_files_leaves_no_row_and_no_file(guide, applicant, private_media, monkeypatch):
    original_save, calls = private_storage.save, []

    def save_then_fail(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return original_save(name, content, **kwargs)

    monkeypatch.setattr(private_storage, "save", save_then_fail)
    with pytest.raises(OSError):
        submit(guide, applicant)

    assert Application.objects.count() == 0 and ApplicationMaterial.objects.count() == 0
    assert stored_files(private_media) == []


def test_the_applicant_is_told_the_tracking_number_and_query_code_after_commit(
    guide, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(guide, applicant)

    (email,) = mail.outbox
    assert email.to == [applicant.user.email]
    assert application.tracking_number in email.subject
    assert application.query_code in email.body
    (sms,) = notifications.sms_outbox
    assert sms.to == applicant.phone and application.tracking_number in sms.body


# ------------------------------------------------------------------------------------------------ workflow


def test_staff_journey_across_national_day_with_a_correction(guide, applicant, intake, reviewer):
    application = submit(guide, applicant, now=at(2025, 9, 25))

    application = application_transition(application=application, action=Action.ACCEPT, actor=intake,
                                         comment="材料齐全", now=at(2025, 9, 26))
    assert application.status == Status.ACCEPTED
    assert application.promised_due_on == dt.date(2025, 10, 10)  # 5 working days: 28, 29, 30 Sep, 9, 10 Oct
    assert application.statutory_due_on == dt.date(2025, 10, 16)  # 10 working days

    application = application_transition(
        application=application, action=Action.REQUEST_CORRECTION, actor=intake, comment="执照已过期",
        correction_items=["有效期内的营业执照"], now=at(2025, 9, 29),
    )
    assert application.status == Status.CORRECTION and application.paused_since == dt.date(2025, 9, 29)

    application = application_supplement(
        application=application, actor=applicant.user,
        materials={"有效期内的营业执照": [upload("新执照.png", png_bytes(color=(0, 0, 0)))]}, now=at(2025, 10, 9),
    )
    assert application.status == Status.UNDER_REVIEW
    # The clock stood still on 30 September and 9 October.
    assert application.paused_working_days == 2 and application.paused_since is None
    assert application.promised_due_on == dt.date(2025, 10, 13)
    assert application.statutory_due_on == dt.date(2025, 10, 20)
    assert application.materials.filter(for_correction=True).get().original_name == "新执照.png"

    application = application_transition(application=application, action=Action.APPROVE, actor=reviewer,
                                         comment="符合条件，准予许可", now=at(2025, 10, 10))
    application = application_transition(application=application, action=Action.CLOSE, actor=intake,
                                         now=at(2025, 10, 11))
    assert application.status == Status.CLOSED and application.decided_at == at(2025, 10, 10)

    trail = [(e.action, e.from_status, e.to_status, e.actor, e.actor_role, e.comment) for e in application.events.all()]
    assert trail == [
        ("submit", "draft", "submitted", applicant.user, "applicant", ""),
        ("accept", "submitted", "accepted", intake, "intake", "材料齐全"),
        ("request_correction", "accepted", "correction", intake, "intake", "执照已过期"),
        ("supplement", "correction", "under_review", applicant.user, "applicant", ""),
        ("approve", "under_review", "approved", reviewer, "reviewer", "符合条件，准予许可"),
        ("close", "approved", "closed", intake, "intake", ""),
    ]


def test_a_move_the_users_group_may_not_make_is_refused_and_nothing_changes(guide, applicant, reviewer):
    application = submit(guide, applicant)

    for actor in (reviewer, applicant.user, ApplicantFactory().user):
        with pytest.raises(RoleNotAllowed, match="须由受理员办理"):
            application_transition(application=application, action=Action.ACCEPT, actor=actor)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.accepted_at is None
    assert application.events.count() == 1


def test_a_move_outside_the_table_is_refused(guide, applicant, reviewer):
    application = submit(guide, applicant)
    with pytest.raises(TransitionNotAllowed, match="当前状态为“已提交”，不能执行“准予许可”"):
        application_transition(application=application, action=Action.APPROVE, actor=reviewer)


def test_only_the_applicant_may_withdraw_and_only_before_the_decision(guide, applicant, intake, reviewer):
    application = submit(guide, applicant)
    with pytest.raises(RoleNotAllowed):
        application_transition(application=application, action=Action.WITHDRAW, actor=ApplicantFactory().user)

    withdrawn = application_transition(application=application, action=Action.WITHDRAW, actor=applicant.user)
    assert withdrawn.status == Status.WITHDRAWN

    decided = submit(guide, applicant, key="k-2")
    application_transition(application=decided, action=Action.ACCEPT, actor=intake)
    application_transition(application=decided, action=Action.START_REVIEW, actor=reviewer)
    application_transition(application=decided, action=Action.DENY, actor=reviewer, comment="不符合条件")
    with pytest.raises(TransitionNotAllowed):
        application_transition(application=decided, action=Action.WITHDRAW, actor=applicant.user)


def test_refusals_must_give_a_reason(guide, applicant, intake):
    application = submit(guide, applicant)
    with pytest.raises(ValidationError) as error:
        application_transition(application=application, action=Action.REJECT, actor=intake, comment="  ")
    assert error.value.message_dict["comment"] == ["“不予受理”须说明理由。"]
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_correction_is_asked_once_with_everything_missing(guide, applicant, intake, reviewer):
    application = submit(guide, applicant)
    with pytest.raises(ValidationError, match="一次性列出"):
        application_transition(application=application, action=Action.REQUEST_CORRECTION, actor=intake)

    application_transition(application=application, action=Action.ACCEPT, actor=intake)
    application_transition(application=application, action=Action.REQUEST_CORRECTION, actor=intake,
                           correction_items=["营业执照", "从业人员名单"])
    with pytest.raises(ValidationError) as error:
        application_supplement(application=application, actor=applicant.user,
                               materials={"营业执照": [upload("执照.pdf", pdf_bytes())]})
    assert error.value.message_dict["materials"] == ["请一次性提交全部补正材料，尚缺：从业人员名单。"]

    application_supplement(application=application, actor=applicant.user, materials={
        "营业执照": [upload("执照.pdf", pdf_bytes())], "从业人员名单": [upload("名单.pdf", pdf_bytes("list"))],
    })
    with pytest.raises(TransitionNotAllowed, match="不能再次要求补正"):
        application_transition(application=application, action=Action.REQUEST_CORRECTION, actor=reviewer,
                               correction_items=["其他材料"])


def test_only_the_applicant_answers_a_correction(guide, applicant, intake):
    application = submit(guide, applicant)
    application_transition(application=application, action=Action.REQUEST_CORRECTION, actor=intake,
                           correction_items=["营业执照"])
    with pytest.raises(RoleNotAllowed):
        application_supplement(application=application, actor=intake,
                               materials={"营业执照": [upload("执照.pdf", pdf_bytes())]})


def test_answering_a_correction_before_acceptance_accepts_the_application(guide, applicant, intake):
    application = submit(guide, applicant, now=at(2025, 9, 25))
    application_transition(application=application, action=Action.REQUEST_CORRECTION, actor=intake,
                           correction_items=["营业执照"], now=at(2025, 9, 26))
    application = application_supplement(application=application, actor=applicant.user,
                                         materials={"营业执照": [upload("执照.pdf", pdf_bytes())]},
                                         now=at(2025, 9, 30))

    assert application.accepted_at == at(2025, 9, 30)
    assert application.paused_working_days == 0
    assert application.promised_due_on == dt.date(2025, 10, 14)


def test_each_step_notifies_the_applicant_by_email_and_sms(
    guide, applicant, intake, django_capture_on_commit_callbacks
):
    application = submit(guide, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, action=Action.REQUEST_CORRECTION, actor=intake,
                               correction_items=["营业执照", "申请表"])

    (email,) = mail.outbox
    assert "补正中" in email.subject
    assert "请一次性补正以下材料：营业执照；申请表。" in email.body
    assert "请一次性补正以下材料" in notifications.sms_outbox[0].body


def test_no_notification_is_sent_for_a_refused_move(guide, applicant, reviewer, django_capture_on_commit_callbacks):
    application = submit(guide, applicant)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RoleNotAllowed):
        application_transition(application=application, action=Action.ACCEPT, actor=reviewer)
    assert mail.outbox == [] and notifications.sms_outbox == []


# ------------------------------------------------------------------------------------------------ ratings


@pytest.fixture
def closed_application(guide, applicant, intake, reviewer):
    application = submit(guide, applicant)
    for action, actor in [(Action.ACCEPT, intake), (Action.START_REVIEW, reviewer), (Action.APPROVE, reviewer),
                          (Action.CLOSE, intake)]:
        application_transition(application=application, action=action, actor=actor)
    return application


def test_a_case_can_be_rated_once_it_is_closed(closed_application, applicant):
    rating = rating_submit(application=closed_application, actor=applicant.user, level=Rating.Level.VERY_SATISFIED)
    assert rating.get_level_display() == "非常满意" and rating.follow_up == Rating.FollowUp.NONE

    with pytest.raises(ValidationError, match="已评价"):
        rating_submit(application=closed_application, actor=applicant.user, level=Rating.Level.SATISFIED)


def test_a_case_still_in_progress_cannot_be_rated(guide, applicant):
    with pytest.raises(ValidationError, match="办结后才能评价"):
        rating_submit(application=submit(guide, applicant), actor=applicant.user, level=5)


def test_only_the_applicant_may_rate(closed_application, intake):
    with pytest.raises(PermissionDenied):
        rating_submit(application=closed_application, actor=intake, level=5)


def test_a_poor_rating_needs_a_reason_and_opens_a_follow_up_due_in_15_working_days(closed_application, applicant):
    with pytest.raises(ValidationError) as error:
        rating_submit(application=closed_application, actor=applicant.user, level=Rating.Level.DISSATISFIED)
    assert "不满意" in error.value.message_dict["reason"][0]

    rating = rating_submit(application=closed_application, actor=applicant.user,
                           level=Rating.Level.VERY_DISSATISFIED, reason="窗口多次要求重复提交材料",
                           now=at(2025, 9, 26))
    assert rating.follow_up == Rating.FollowUp.OPEN
    # 15 working days from Friday 26 September 2025, skipping 1-8 October and counting 28 Sep and 11 Oct.
    assert rating.follow_up_due_on == dt.date(2025, 10, 23)
