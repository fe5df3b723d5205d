"""The back office in the Wagtail admin: the filings queue, one application and its steps, CSV export, files,
and the follow-up of poor ratings."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from services_hall import admin_views
from services_hall.deadlines import count_working_days
from services_hall.models import ApplicationEvent, Rating, ServiceMaterial
from services_hall.selectors import work_calendar
from services_hall.services import (
    application_supplement,
    application_transition,
    rating_follow_up_resolve,
    rating_submit,
)
from services_hall.workflow import Action, Status
from tests.factories import UserFactory

from .factories import ApplicantFactory, ServiceGuidePageFactory
from .files import pdf_bytes, upload
from .test_services import submit

SHANGHAI = ZoneInfo("Asia/Shanghai")
QUEUE = "/admin/services-hall/applications/"
EXPORT = "/admin/services-hall/applications/export.csv"
FOLLOW_UPS = "/admin/services-hall/follow-ups/"


def detail_url(application) -> str:
    return f"/admin/services-hall/applications/{application.pk}/"


def transition_url(application) -> str:
    return f"/admin/services-hall/applications/{application.pk}/transition/"


def working_days_ago(n: int) -> dt.datetime:
    """10 o'clock on the day that lies `n` working days before today."""
    today, calendar = timezone.localdate(), work_calendar()
    day = today
    while count_working_days(day, today, calendar=calendar) < n:
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI)


@pytest.fixture
def editor(db):
    """Someone who may use the admin (an editor) but holds no services-hall role."""
    user = UserFactory(username="editor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def as_intake(client, intake):
    client.force_login(intake)
    return client


@pytest.fixture
def queue(guide, applicant, intake):
    """An overdue case, one due soon, a fresh one, one waiting for 补正, and a concluded one."""
    late = submit(guide, applicant, key="late", now=working_days_ago(20))
    application_transition(application=late, action=Action.ACCEPT, actor=intake, now=working_days_ago(19))
    soon = submit(guide, ApplicantFactory(), key="soon", now=working_days_ago(3))
    fresh = submit(guide, ApplicantFactory(), key="fresh")
    waiting = submit(guide, ApplicantFactory(), key="waiting", now=working_days_ago(30))
    application_transition(application=waiting, action=Action.REQUEST_CORRECTION, actor=intake,
                           correction_items=["营业执照副本"])
    done = submit(guide, ApplicantFactory(), key="done")
    application_transition(application=done, action=Action.REJECT, actor=intake, comment="不属于本机关职权范围")
    return {"late": late, "soon": soon, "fresh": fresh, "waiting": waiting, "done": done}


def positions(text: str, applications) -> list[int]:
    return [text.index(a.tracking_number) for a in applications]


# ------------------------------------------------------------------------------------------------ menu and access


def test_the_back_office_menu_is_shown_to_staff_only(client, home, intake, editor):
    client.force_login(intake)
    staff_page = client.get("/admin/").content.decode()
    client.force_login(editor)
    editor_page = client.get("/admin/").content.decode()

    # The sidebar is a JSON island: look for the menu items' addresses.
    for url in (QUEUE, "/admin/services-hall/letters/", FOLLOW_UPS):
        assert url in staff_page
        assert url not in editor_page


def test_people_without_a_staff_role_get_403(client, home, editor, queue):
    client.force_login(editor)

    assert client.get(QUEUE).status_code == 403
    assert client.get(detail_url(queue["fresh"])).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_applicants_and_visitors_never_reach_the_back_office(client, queue, applicant):
    assert client.get(QUEUE).status_code == 302  # to the admin login
    client.force_login(applicant.user)
    assert client.get(detail_url(queue["late"])).status_code == 302


# ------------------------------------------------------------------------------------------------ the queue


def test_queue_lists_overdue_first_then_by_due_date_and_waiting_cases_last(as_intake, queue):
    response = as_intake.get(QUEUE)
    text = response.content.decode()

    assert response.status_code == 200
    order = positions(text, [queue["late"], queue["soon"], queue["fresh"], queue["waiting"]])
    assert order == sorted(order)
    assert queue["done"].tracking_number not in text
    assert "已超期" in text and "即将到期" in text and "等待申请人补正" in text
    assert queue["late"].applicant.name in text and "代理记账资格审批" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("due=overdue", ["late"]),
        ("due=due_soon", ["soon"]),
        ("status=correction", ["waiting"]),
        ("status=not_accepted", ["done"]),
        ("due=", ["late", "soon", "fresh", "waiting"]),
    ],
)
def test_queue_filters_by_status_and_due_date(as_intake, queue, query, expected):
    text = as_intake.get(f"{QUEUE}?{query}").content.decode()

    shown = [name for name, application in queue.items() if application.tracking_number in text]
    assert sorted(shown) == sorted(expected)


def test_queue_finds_a_case_by_tracking_number_or_applicant_name(as_intake, queue):
    by_number = as_intake.get(f"{QUEUE}?q={queue['soon'].tracking_number.lower()}").content.decode()
    by_name = as_intake.get(f"{QUEUE}?q={queue['late'].applicant.name}").content.decode()

    assert queue["soon"].tracking_number in by_number and queue["late"].tracking_number not in by_number
    assert queue["late"].tracking_number in by_name and queue["soon"].tracking_number not in by_name


def test_queue_filters_by_service(as_intake, queue, section, applicant):
    other = ServiceGuidePageFactory(parent=section, slug="cpa-firm", title="会计师事务所执业许可")
    for requirement in queue["fresh"].service.materials.all():
        ServiceMaterial.objects.create(page=other, name=requirement.name, required=requirement.required)
    for field in queue["fresh"].service.form_fields.all():
        field.pk = None
        field.page = other
        field.save()
    firm = submit(other, applicant, key="firm")

    text = as_intake.get(f"{QUEUE}?service={other.pk}").content.decode()

    assert firm.tracking_number in text
    assert queue["late"].tracking_number not in text


def test_a_bad_filter_is_named_in_chinese_with_400(as_intake, queue):
    response = as_intake.get(f"{QUEUE}?status=nonsense&service=999999")
    text = response.content.decode()

    assert response.status_code == 400
    assert "所选状态无效" in text and "所选事项不存在" in text


def test_queue_is_paginated_and_keeps_its_filters(as_intake, queue, monkeypatch):
    monkeypatch.setattr(admin_views, "PER_PAGE", 2)

    first = as_intake.get(f"{QUEUE}?due=").content.decode()
    second = as_intake.get(f"{QUEUE}?due=&p=2").content.decode()

    assert queue["late"].tracking_number in first and queue["fresh"].tracking_number not in first
    assert queue["fresh"].tracking_number in second and queue["late"].tracking_number not in second
    assert "due=&amp;p=2" in first


# ------------------------------------------------------------------------------------------------ one application


def test_detail_shows_applicant_form_data_materials_and_history(as_intake, queue):
    late = queue["late"]
    text = as_intake.get(detail_url(late)).content.decode()

    assert late.applicant.name in text and late.applicant.uscc in text and late.applicant.phone in text
    assert "机构名称" in text and "福州鼓楼代理记账有限公司" in text  # form data under the guide's labels
    assert "申请表.pdf" in text and "营业执照.png" in text
    for material in late.materials.all():
        assert f"/admin/services-hall/materials/{material.pk}/download/" in text
    assert "提交申请" in text and "已提交 → 已受理" in text and "intake-clerk（受理员）" in text


def test_intake_sees_only_the_intake_steps_of_a_new_case(as_intake, queue):
    text = as_intake.get(detail_url(queue["fresh"])).content.decode()

    for action in ("accept", "reject", "request_correction"):
        assert f'data-action-name="{action}"' in text
    for action in ("approve", "deny", "start_review", "withdraw"):
        assert f'data-action-name="{action}"' not in text


def test_reviewer_sees_no_intake_steps_but_the_review_ones(client, queue, reviewer):
    client.force_login(reviewer)

    new = client.get(detail_url(queue["fresh"])).content.decode()
    accepted = client.get(detail_url(queue["late"])).content.decode()

    assert "data-action-name=" not in new
    assert 'data-action-name="start_review"' in accepted
    assert 'data-action-name="accept"' not in accepted and 'data-action-name="request_correction"' not in accepted


def test_a_second_request_for_correction_is_not_offered(as_intake, queue, applicant, intake):
    waiting = queue["waiting"]
    application_supplement(application=waiting, actor=waiting.applicant.user,
                           materials={"营业执照副本": [upload("副本.pdf", pdf_bytes("copy"))]})
    # Back at review stage, the intake clerk has nothing to do; the reviewer may decide but not ask again.
    assert 'data-action-name="request_correction"' not in as_intake.get(detail_url(waiting)).content.decode()


def test_a_forbidden_step_is_403_and_changes_nothing(client, queue, reviewer):
    fresh = queue["fresh"]
    client.force_login(reviewer)
    events = ApplicationEvent.objects.count()

    response = client.post(transition_url(fresh), {"action": "accept", "status": "submitted", "comment": "同意"})

    assert response.status_code == 403
    assert "须由受理员办理" in response.content.decode()
    fresh.refresh_from_db()
    assert fresh.status == Status.SUBMITTED and fresh.accepted_at is None
    assert ApplicationEvent.objects.count() == events


def test_intake_may_not_ask_for_correction_during_review(as_intake, queue, reviewer):
    late = queue["late"]
    application_transition(application=late, action=Action.START_REVIEW, actor=reviewer)

    response = as_intake.post(transition_url(late), {"action": "request_correction", "status": "under_review",
                                                     "correction_items": "营业执照"})

    assert response.status_code == 403
    late.refresh_from_db()
    assert late.status == Status.UNDER_REVIEW and late.correction_count == 0


def test_accept_request_correction_supplement_and_approve_through_the_admin(client, queue, intake, reviewer):
    fresh = queue["fresh"]
    client.force_login(intake)

    accepted = client.post(transition_url(fresh), {"action": "accept", "status": "submitted", "comment": "材料齐全"})
    assert accepted.status_code == 302 and accepted["Location"] == detail_url(fresh)
    assert "已受理" in client.get(accepted["Location"]).content.decode()  # the success message

    corrected = client.post(transition_url(fresh), {
        "action": "request_correction", "status": "accepted", "comment": "营业执照已过期",
        "correction_items": "营业执照（有效期内）\n代理记账业务负责人会计师证书\n",
    })
    assert corrected.status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == Status.CORRECTION
    assert fresh.correction_items == ["营业执照（有效期内）", "代理记账业务负责人会计师证书"]

    application_supplement(application=fresh, actor=fresh.applicant.user, materials={
        "营业执照（有效期内）": [upload("新营业执照.pdf", pdf_bytes("new"))],
        "代理记账业务负责人会计师证书": [upload("证书.pdf", pdf_bytes("cert"))],
    })

    client.force_login(reviewer)
    approved = client.post(transition_url(fresh), {"action": "approve", "status": "under_review",
                                                   "comment": "符合《代理记账管理办法》第三条"})
    assert approved.status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == Status.APPROVED and fresh.decided_at is not None

    history = client.get(detail_url(fresh)).content.decode()
    for step in ("已提交 → 已受理", "已受理 → 补正中", "补正中 → 审查中", "审查中 → 准予许可"):
        assert step in history
    assert "intake-clerk（受理员）" in history and "reviewer（审核员）" in history
    assert "符合《代理记账管理办法》第三条" in history and "新营业执照.pdf" in history


def test_a_refusal_without_reasons_is_named_and_keeps_what_was_typed(as_intake, queue):
    fresh = queue["fresh"]

    refused = as_intake.post(transition_url(fresh), {"action": "reject", "status": "submitted", "comment": "  "})
    correction = as_intake.post(transition_url(fresh), {"action": "request_correction", "status": "submitted",
                                                        "comment": "请补充材料", "correction_items": ""})

    assert refused.status_code == 400 and "须说明理由" in refused.content.decode()
    assert correction.status_code == 400 and "请一次性列出需要补正的全部材料" in correction.content.decode()
    assert "请补充材料" in correction.content.decode()
    fresh.refresh_from_db()
    assert fresh.status == Status.SUBMITTED and fresh.events.count() == 1


def test_a_stale_or_unknown_step_gets_a_clear_message(as_intake, queue, intake):
    fresh = queue["fresh"]
    application_transition(application=fresh, action=Action.ACCEPT, actor=intake)  # a colleague was quicker

    stale = as_intake.post(transition_url(fresh), {"action": "accept", "status": "submitted"})
    moved = as_intake.post(transition_url(fresh), {"action": "request_correction", "status": "submitted",
                                                   "correction_items": "营业执照"})
    unknown = as_intake.post(transition_url(fresh), {"action": "erase", "status": "accepted"})

    assert stale.status_code == 409 and "不能执行“受理”" in stale.content.decode()
    assert moved.status_code == 409 and "已由他人办理" in moved.content.decode()
    assert unknown.status_code == 400 and "无法识别要执行的操作" in unknown.content.decode()
    fresh.refresh_from_db()
    assert fresh.status == Status.ACCEPTED and fresh.events.count() == 2


def test_transitions_are_post_only(as_intake, queue):
    assert as_intake.get(transition_url(queue["fresh"])).status_code == 405


# ------------------------------------------------------------------------------------------------ CSV export


def read_csv(response) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_export_is_excel_friendly_utf8_with_bom_and_follows_the_filters(as_intake, queue):
    response = as_intake.get(f"{EXPORT}?due=overdue")
    raw, rows = read_csv(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="applications-')
    assert raw.startswith(b"\xef\xbb\xbf")
    assert rows[0][:3] == ["申报号", "事项", "事项编码"]
    assert [row[0] for row in rows[1:]] == [queue["late"].tracking_number]
    assert rows[1][1] == "代理记账资格审批" and rows[1][5] == "已受理" and rows[1][-1].startswith("已超期")


def test_export_neutralises_cells_that_a_spreadsheet_would_run(as_intake, guide):
    names = ["=HYPERLINK(\"http://evil.example\")", "+1+2有限公司", "-3公司", "@SUM(A1)公司", "普通公司"]
    for n, name in enumerate(names):
        submit(guide, ApplicantFactory(name=name), key=f"n{n}")

    _, rows = read_csv(as_intake.get(EXPORT))
    exported = {row[3] for row in rows[1:]}

    assert exported == {"'=HYPERLINK(\"http://evil.example\")", "'+1+2有限公司", "'-3公司", "'@SUM(A1)公司", "普通公司"}


def test_neutralise_leaves_numbers_and_plain_text_alone():
    assert admin_views.neutralise(-3) == -3
    assert admin_views.neutralise("-3") == "'-3"
    assert admin_views.neutralise("\t=1") == "'\t=1"
    assert admin_views.neutralise(None) == ""
    assert admin_views.neutralise("已受理") == "已受理"


# ------------------------------------------------------------------------------------------------ files


def test_staff_download_a_material_as_an_attachment(as_intake, queue):
    material = queue["late"].materials.get(original_name="申请表.pdf")

    response = as_intake.get(f"/admin/services-hall/materials/{material.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes("form")


def test_only_staff_download_materials(client, queue, editor, applicant):
    url = f"/admin/services-hall/materials/{queue['late'].materials.first().pk}/download/"

    assert client.get(url).status_code == 302  # visitors: to the admin login
    client.force_login(applicant.user)
    assert client.get(url).status_code == 302  # the applicant uses the public /hall/files/ address instead
    client.force_login(editor)
    assert client.get(url).status_code == 403


def test_a_missing_material_file_is_404_not_500(as_intake, queue):
    material = queue["late"].materials.first()
    material.file.storage.delete(material.file.name)

    assert as_intake.get(f"/admin/services-hall/materials/{material.pk}/download/").status_code == 404
    assert as_intake.get("/admin/services-hall/materials/999999/download/").status_code == 404


# ------------------------------------------------------------------------------------------------ rating follow-ups


@pytest.fixture
def poor_rating(queue):
    done = queue["done"]
    return rating_submit(application=done, actor=done.applicant.user, level=Rating.Level.DISSATISFIED,
                         reason="窗口答复含糊，跑了两趟")


def test_resolving_a_follow_up_records_the_note_who_and_when(poor_rating, intake):
    resolved = rating_follow_up_resolve(rating=poor_rating, actor=intake, note="已电话回访，重新说明受理范围")

    poor_rating.refresh_from_db()
    assert poor_rating.follow_up == Rating.FollowUp.RESOLVED == resolved.follow_up
    assert poor_rating.follow_up_note == "已电话回访，重新说明受理范围"
    assert poor_rating.follow_up_by == intake and poor_rating.follow_up_at is not None


def test_a_follow_up_needs_a_note_staff_and_is_resolved_once(poor_rating, intake, applicant):
    with pytest.raises(ValidationError) as error:
        rating_follow_up_resolve(rating=poor_rating, actor=intake, note="  ")
    assert "请填写整改情况" in error.value.message_dict["note"][0]
    with pytest.raises(PermissionDenied):
        rating_follow_up_resolve(rating=poor_rating, actor=applicant.user, note="自己整改")

    rating_follow_up_resolve(rating=poor_rating, actor=intake, note="已回访")
    with pytest.raises(ValidationError, match="已整改"):
        rating_follow_up_resolve(rating=poor_rating, actor=intake, note="再次整改")


def test_follow_ups_are_listed_with_their_due_date_and_resolved_in_the_admin(as_intake, poor_rating):
    listing = as_intake.get(FOLLOW_UPS).content.decode()
    assert poor_rating.application.tracking_number in listing
    assert f"{poor_rating.follow_up_due_on:%Y}年{poor_rating.follow_up_due_on.month}月" in listing
    assert "剩余 15 个工作日" in listing and "不满意" in listing

    url = f"{FOLLOW_UPS}{poor_rating.pk}/"
    empty = as_intake.post(url, {"note": ""})
    assert empty.status_code == 400 and "请填写整改情况" in empty.content.decode()

    done = as_intake.post(url, {"note": "已电话回访并致歉"})
    assert done.status_code == 302
    poor_rating.refresh_from_db()
    assert poor_rating.follow_up == Rating.FollowUp.RESOLVED
    assert "已记录整改情况" in as_intake.get(done["Location"]).content.decode()
    assert url not in as_intake.get(FOLLOW_UPS).content.decode()
    assert url in as_intake.get(f"{FOLLOW_UPS}?follow_up=resolved").content.decode()

    again = as_intake.post(url, {"note": "再次整改"})
    assert again.status_code == 409 and "无需再办理" in again.content.decode()


def test_satisfied_ratings_open_no_follow_up(as_intake, queue):
    done = queue["done"]
    rating_submit(application=done, actor=done.applicant.user, level=Rating.Level.SATISFIED)

    assert done.tracking_number not in as_intake.get(f"{FOLLOW_UPS}?follow_up=all").content.decode()

