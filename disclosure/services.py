"""Writes of 依申请公开. Each is one transaction that also appends an event row.

Input problems raise ValidationError (a dict keyed by field, messages in Chinese); a step the request's status does
not allow raises TransitionNotAllowed.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Site

from portal.models import SiteIdentity
from services_hall.models import Applicant
from services_hall.selectors import licence_decision_count, work_calendar
from services_hall.services import new_query_code, new_tracking_number
from services_hall.storage import private_storage, random_storage_name
from services_hall.uploads import check_upload
from services_hall.workflow import ROLE_GROUPS, Role

from .clock import MAX_EXTENSION_DAYS, correction_notice_due
from .forms import RegisterForm, RequestForm
from .models import (
    DisclosureAttachment,
    DisclosureConsultation,
    DisclosureEvent,
    DisclosureRequest,
    DisclosureReview,
)
from .notice import notice_pdf, notice_text
from .notifications import NOTIFIED, request_event_notify
from .rules import (
    Action,
    ApplicantKind,
    Channel,
    Outcome,
    OutcomeGroup,
    ReviewKind,
    ReviewResult,
    Status,
    TransitionNotAllowed,
    next_status,
    outcome_group,
)

TRACKING_PREFIX = "GK"
_CREATE_ATTEMPTS = 5
_ACCOUNT_KIND = {Applicant.Kind.INDIVIDUAL: ApplicantKind.NATURAL_PERSON}


def _actor_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


KEY_INVALID = "提交标识无效，请刷新页面后重新提交。"


def _key_ok(idempotency_key: str) -> bool:
    # Checked before it reaches the database (PostgreSQL refuses a NUL byte).
    return bool(idempotency_key) and len(idempotency_key) <= 64 and idempotency_key.isprintable()


def _clean(form, *, key_ok: bool) -> dict:
    """The form's cleaned data, or ValidationError with every problem at once (the key's among them)."""
    errors = {} if form.is_valid() else _errors(form)
    if not key_ok:
        errors.setdefault("__all__", []).append(KEY_INVALID)
    if errors:
        raise ValidationError(errors)
    return form.cleaned_data


def _errors(form) -> dict[str, list[str]]:
    return {name: list(messages) for name, messages in form.errors.items()}


def _event(request: DisclosureRequest, action: Action, *, from_status: str, actor: AbstractBaseUser | None,
           on_date: dt.date, comment: str = "", actor_name: str = "") -> DisclosureEvent:
    event = DisclosureEvent.objects.create(
        request=request, action=action, from_status=from_status, to_status=request.status, actor=actor,
        actor_name=actor_name or _actor_name(actor), comment=comment, on_date=on_date,
    )
    if action in NOTIFIED:
        # The applicant hears of the step only once it is stored (and a lost mail never undoes it).
        transaction.on_commit(partial(request_event_notify, event_id=event.pk))
    return event


def _create(*, fields: dict, idempotency_key: str, actor: AbstractBaseUser | None, actor_name: str,
            existing: "Any") -> DisclosureRequest:
    """Create the request and its first event; a concurrent double submit returns the one that won."""
    for _ in range(_CREATE_ATTEMPTS):
        try:
            with transaction.atomic():
                request = DisclosureRequest.objects.create(
                    tracking_number=new_tracking_number(today=fields["received_on"], prefix=TRACKING_PREFIX),
                    query_code=new_query_code(), idempotency_key=idempotency_key, status=Status.RECEIVED, **fields,
                )
                _event(request, Action.RECEIVE, from_status="", actor=actor, actor_name=actor_name,
                       on_date=request.received_on, comment=Channel(request.channel).label)
            return request
        except IntegrityError:
            found = existing()
            if found:
                return found
            if DisclosureRequest.objects.filter(idempotency_key=idempotency_key).exists():
                raise ValidationError({"__all__": [KEY_INVALID]}) from None
            # Otherwise the random tracking number collided; draw another.
    raise RuntimeError("could not draw a free tracking number")


def request_submit(
    *, account: Applicant, data: Mapping[str, Any], idempotency_key: str, now: dt.datetime | None = None
) -> DisclosureRequest:
    """An online application by a hall account. The portal confirms it on the spot, so that day is the date of
    receipt (条例第三十一条第（三）项). The same idempotency key again returns the first request."""
    key_ok = _key_ok(idempotency_key)
    existing = lambda: DisclosureRequest.objects.filter(account=account, idempotency_key=idempotency_key).first()  # noqa: E731
    if key_ok and (found := existing()):
        return found
    # Who applies comes from the verified account, not from what was typed.
    data = dict(data) | {"applicant_name": account.name, "id_document": account.uscc or account.id_number}
    if account.kind in _ACCOUNT_KIND:
        data["applicant_kind"] = _ACCOUNT_KIND[account.kind]
    elif data.get("applicant_kind") == ApplicantKind.NATURAL_PERSON:
        raise ValidationError({"applicant_kind": ["法人账户请选择组织类型。"]})
    cleaned = _clean(RequestForm(data=data), key_ok=key_ok)
    now = now or timezone.now()
    today = timezone.localdate(now)
    fields = {k: v for k, v in cleaned.items() if k != "idempotency_key"}
    fields |= {"account": account, "channel": Channel.ONLINE, "arrived_on": today, "received_on": today,
               "created_at": now}
    return _create(fields=fields, idempotency_key=idempotency_key, actor=account.user, actor_name=account.name,
                   existing=existing)


def request_register(
    *, data: Mapping[str, Any], idempotency_key: str, actor: AbstractBaseUser, now: dt.datetime | None = None
) -> DisclosureRequest:
    """A letter, fax or visit registered by staff, with the date of receipt its channel defines."""
    key_ok = _key_ok(idempotency_key)
    existing = lambda: DisclosureRequest.objects.filter(idempotency_key=idempotency_key, account=None).first()  # noqa: E731
    if key_ok and (found := existing()):
        return found
    cleaned = _clean(RegisterForm(data=dict(data)), key_ok=key_ok)
    now = now or timezone.now()
    if cleaned["received_on"] > timezone.localdate(now):
        raise ValidationError({"fixed_on": ["收到申请之日不能晚于今天。"]})
    fields = {k: v for k, v in cleaned.items() if k not in ("idempotency_key", "fixed_on")}
    fields["created_at"] = now
    return _create(fields=fields, idempotency_key=idempotency_key, actor=actor, actor_name=_actor_name(actor),
                   existing=existing)


def _move(request: DisclosureRequest, action: Action) -> tuple[DisclosureRequest, str]:
    locked = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    before = locked.status
    locked.status = next_status(before, action)
    return locked, before


def request_correction_ask(
    *, request: DisclosureRequest, items: str, actor: AbstractBaseUser, today: dt.date | None = None
) -> DisclosureRequest:
    """告知补正: once, within 7 working days of receipt, naming everything unclear in one go (条例第三十条)."""
    today = today or timezone.localdate()
    items = items.strip()
    if not items:
        raise ValidationError({"items": ["请写明需要补正的事项。"]})
    with transaction.atomic():
        locked, before = _move(request, Action.REQUEST_CORRECTION)
        if locked.correction_requested_on:
            raise TransitionNotAllowed("补正只能告知一次，须一次性告知需要补正的全部事项。")
        last_day = correction_notice_due(locked.received_on, calendar=work_calendar())
        if today > last_day:
            raise TransitionNotAllowed(f"告知补正须在收到申请之日起7个工作日内（{last_day:%Y年%m月%d日}前）。")
        locked.correction_requested_on, locked.correction_items = today, items
        locked.save(update_fields=["status", "correction_requested_on", "correction_items", "updated_at"])
        _event(locked, Action.REQUEST_CORRECTION, from_status=before, actor=actor, on_date=today, comment=items)
    return locked


def request_supplement(
    *, request: DisclosureRequest, text: str, actor: AbstractBaseUser, today: dt.date | None = None
) -> DisclosureRequest:
    """The corrected application is received: the 20 working days run again from this day."""
    today = today or timezone.localdate()
    text = text.strip()
    if not text:
        raise ValidationError({"text": ["请填写补正内容。"]})
    with transaction.atomic():
        locked, before = _move(request, Action.SUPPLEMENT)
        if today < locked.correction_requested_on:
            raise ValidationError({"text": ["收到补正日期不能早于告知补正日期。"]})
        locked.corrected_on, locked.correction_text = today, text
        locked.save(update_fields=["status", "corrected_on", "correction_text", "updated_at"])
        _event(locked, Action.SUPPLEMENT, from_status=before, actor=actor, on_date=today, comment=text)
    return locked


def request_extend(
    *, request: DisclosureRequest, days: int, approved_by: str, reason: str, actor: AbstractBaseUser,
    today: dt.date | None = None,
) -> DisclosureRequest:
    """延长答复期限: once, by at most 20 working days, approved by the head of the disclosure office; the event is
    the notice the applicant sees (条例第三十三条)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = [f"延长期限应为1至{MAX_EXTENSION_DAYS}个工作日。"]
    if not approved_by.strip():
        errors["approved_by"] = ["延长答复期限须经政府信息公开工作机构负责人同意，请填写批准人。"]
    if not reason.strip():
        errors["reason"] = ["请填写延长理由，告知申请人。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked, before = _move(request, Action.EXTEND)
        if locked.extension_days:
            raise TransitionNotAllowed("答复期限只能延长一次。")
        locked.extension_days, locked.extended_on = days, today
        locked.extension_approved_by, locked.extension_reason = approved_by.strip(), reason.strip()
        locked.save(update_fields=["status", "extension_days", "extended_on", "extension_approved_by",
                                   "extension_reason", "updated_at"])
        _event(locked, Action.EXTEND, from_status=before, actor=actor, on_date=today,
               comment=f"延长{days}个工作日（经{locked.extension_approved_by}同意）：{locked.extension_reason}")
    return locked


def request_consult(
    *, request: DisclosureRequest, party: str, third_party: bool, actor: AbstractBaseUser,
    today: dt.date | None = None,
) -> DisclosureConsultation:
    """征求意见 from a third party or another office; the time until the answer is not counted."""
    today = today or timezone.localdate()
    if not party.strip():
        raise ValidationError({"party": ["请填写征求意见对象。"]})
    with transaction.atomic():
        locked, before = _move(request, Action.CONSULT)
        locked.save(update_fields=["status", "updated_at"])
        consultation = DisclosureConsultation.objects.create(
            request=locked, party=party.strip(), third_party=third_party, started_on=today
        )
        _event(locked, Action.CONSULT, from_status=before, actor=actor, on_date=today, comment=party.strip())
    return consultation


def request_consult_end(
    *, request: DisclosureRequest, opinion: str, actor: AbstractBaseUser, today: dt.date | None = None
) -> DisclosureRequest:
    """The consulted party answered (or its 15 working days ran out): the clock runs again from today."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked, before = _move(request, Action.CONSULT_END)
        consultation = locked.consultations.select_for_update().filter(ended_on=None).first()
        if today < consultation.started_on:
            raise ValidationError({"opinion": ["收到意见日期不能早于发出征求意见日期。"]})
        consultation.ended_on, consultation.opinion = today, opinion.strip()
        consultation.save(update_fields=["ended_on", "opinion"])
        locked.save(update_fields=["status", "updated_at"])
        _event(locked, Action.CONSULT_END, from_status=before, actor=actor, on_date=today,
               comment=opinion.strip() or "第三方未提出意见")
    return locked


def office_name() -> str:
    """The office that signs the 告知书: settings.DISCLOSURE_OFFICE, else the site's 主办单位."""
    configured = getattr(settings, "DISCLOSURE_OFFICE", "")
    if configured:
        return configured
    site = Site.objects.filter(is_default_site=True).first()
    identity = SiteIdentity.for_site(site) if site else None
    return (identity.sponsor if identity else "") or "本机关"


# Outcomes that only fit a request still waiting for its 补正 (条例第三十条: 视为放弃申请), and the reverse.
_AFTER_CORRECTION_ONLY = {Outcome.OTHER_NO_CORRECTION}


def request_answer(
    *, request: DisclosureRequest, outcome: Outcome | str, text: str, actor: AbstractBaseUser,
    files: list[UploadedFile] = (), today: dt.date | None = None,
) -> DisclosureRequest:
    """作出答复: the outcome (one row of the annual report), the 告知书 as a PDF with its legal basis and the remedy,
    and the files disclosed — all stored together, or nothing."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise ValidationError({"outcome": ["请从列表中选择办理结果。"]}) from None
    group = outcome_group(outcome)
    if group in (OutcomeGroup.PARTLY_DISCLOSED, OutcomeGroup.WITHHELD, OutcomeGroup.UNAVAILABLE) and not text.strip():
        errors["text"] = ["部分公开、不予公开和无法提供的，须写明理由。"]
    checked = []
    for upload in files:
        try:
            checked.append(check_upload(upload))
        except ValidationError as problem:
            errors.setdefault("files", []).extend(problem.messages)
    if errors:
        raise ValidationError(errors)
    saved: list[str] = []
    try:
        with transaction.atomic():
            locked, before = _move(request, Action.ANSWER)
            if (before == Status.CORRECTION) != (outcome in _AFTER_CORRECTION_ONLY):
                raise TransitionNotAllowed(
                    "等待补正的申请只能以“申请人无正当理由逾期不补正”办结。" if before == Status.CORRECTION
                    else "申请人未被告知补正，不能以“逾期不补正”办结。"
                )
            if before == Status.CONSULTING:
                locked.consultations.filter(ended_on=None).update(ended_on=today)
            for upload in checked:
                saved.append(private_storage.save(random_storage_name(upload.kind.extension), upload.file))
            DisclosureAttachment.objects.bulk_create(
                DisclosureAttachment(request=locked, file=name, original_name=c.original_name, size=c.size,
                                     sha256=c.sha256, content_type=c.kind.content_type)
                for c, name in zip(checked, saved, strict=True)
            )
            letter = notice_text(
                tracking_number=locked.tracking_number, applicant_name=locked.applicant_name,
                applicant_kind=locked.applicant_kind, received_on=locked.received_on,
                description=locked.description, outcome=outcome, answer_text=text, answered_on=today,
                office=office_name(), review_body=getattr(settings, "DISCLOSURE_REVIEW_BODY", "本级人民政府"),
                extension_days=locked.extension_days, corrected_on=locked.corrected_on,
                attachments=[c.original_name for c in checked],
            )
            saved.append(private_storage.save(random_storage_name("pdf"), ContentFile(notice_pdf(letter))))
            locked.outcome, locked.answer_text, locked.answered_on = outcome, text.strip(), today
            locked.notice_file = saved[-1]
            locked.save(update_fields=["status", "outcome", "answer_text", "answered_on", "notice_file",
                                       "updated_at"])
            _event(locked, Action.ANSWER, from_status=before, actor=actor, on_date=today,
                   comment=f"{group.label}：{outcome.label}" if group.label != outcome.label else outcome.label)
    except BaseException:
        for name in saved:
            private_storage.delete(name)
        raise
    return locked


def _review_comment(review: DisclosureReview) -> str:
    kind = ReviewKind(review.kind).label + ("（复议后起诉）" if review.after_reconsideration else "")
    result = ReviewResult(review.result).label
    decided = f"，{review.decided_on:%Y年%m月%d日}审结" if review.decided_on else ""
    return f"{kind}，{review.filed_on:%Y年%m月%d日}提起：{result}{decided}" + (f"。{review.note}" if review.note else "")


def _review_dates_problems(*, filed_on: dt.date | None, decided_on: dt.date | None, result: str,
                           answered_on: dt.date | None, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if filed_on is None:
        errors["filed_on"] = ["请填写提起日期。"]
    elif filed_on > today:
        errors["filed_on"] = ["提起日期不能晚于今天。"]
    elif answered_on and filed_on < answered_on:
        errors["filed_on"] = [f"提起日期不能早于答复日期（{answered_on:%Y年%m月%d日}）。"]
    if result == ReviewResult.PENDING and decided_on is not None:
        errors["decided_on"] = ["尚未审结的不填审结日期。"]
    elif result in ReviewResult.values and result != ReviewResult.PENDING:
        if decided_on is None:
            errors["decided_on"] = ["已审结的须填写审结日期。"]
        elif decided_on > today:
            errors["decided_on"] = ["审结日期不能晚于今天。"]
        elif filed_on and decided_on < filed_on:
            errors["decided_on"] = ["审结日期不能早于提起日期。"]
    return errors


def review_record(
    *, request: DisclosureRequest, kind: ReviewKind | str, filed_on: dt.date | None,
    result: ReviewResult | str = ReviewResult.PENDING, decided_on: dt.date | None = None,
    after_reconsideration: bool = False, note: str = "", actor: AbstractBaseUser | None = None,
    today: dt.date | None = None,
) -> DisclosureReview:
    """Record a 行政复议 or 行政诉讼 brought against an answered request (its result may follow later, see
    review_decide); the request's record shows it and the annual report counts it."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if kind not in ReviewKind.values:
        errors["kind"] = ["请选择行政复议或行政诉讼。"]
    if result not in ReviewResult.values:
        errors["result"] = ["请选择审理结果。"]
    if after_reconsideration and kind != ReviewKind.LITIGATION:
        errors["after_reconsideration"] = ["“复议后起诉”仅适用于行政诉讼。"]
    errors |= _review_dates_problems(filed_on=filed_on, decided_on=decided_on, result=result,
                                     answered_on=request.answered_on, today=today)
    if request.status != Status.ANSWERED:
        errors = {"__all__": ["申请尚未答复，不能登记行政复议或行政诉讼。"]}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
        review = DisclosureReview.objects.create(
            request=locked, kind=kind, filed_on=filed_on, result=result, decided_on=decided_on,
            after_reconsideration=after_reconsideration, note=note.strip(),
        )
        _event(locked, Action.REVIEW, from_status=locked.status, actor=actor, on_date=today,
               comment=_review_comment(review))
    return review


def review_decide(
    *, review: DisclosureReview, result: ReviewResult | str, decided_on: dt.date | None,
    actor: AbstractBaseUser | None = None, today: dt.date | None = None,
) -> DisclosureReview:
    """The result of a pending 行政复议 or 行政诉讼 (维持, 纠正 or 其他), once."""
    today = today or timezone.localdate()
    if result not in ReviewResult.values or result == ReviewResult.PENDING:
        raise ValidationError({"result": ["请选择审理结果：结果维持、结果纠正或其他结果。"]})
    with transaction.atomic():
        locked = DisclosureReview.objects.select_for_update().select_related("request").get(pk=review.pk)
        if locked.result != ReviewResult.PENDING:
            raise TransitionNotAllowed(f"该{locked.get_kind_display()}已登记结果（{locked.get_result_display()}）。")
        errors = _review_dates_problems(filed_on=locked.filed_on, decided_on=decided_on, result=result,
                                        answered_on=None, today=today)
        if errors:
            raise ValidationError(errors)
        locked.result, locked.decided_on = result, decided_on
        locked.save(update_fields=["result", "decided_on"])
        _event(locked.request, Action.REVIEW_DECIDE, from_status=locked.request.status, actor=actor, on_date=today,
               comment=_review_comment(locked))
    return locked


@dataclass(frozen=True)
class RemindersSent:
    overdue: int
    due_soon: int
    recipients: int


def reminders_send(*, today: dt.date | None = None) -> RemindersSent:
    """One email to every active 受理员 listing the requests overdue or due soon; none when there are none."""
    from .selectors import request_queue

    rows = [row for row in request_queue(today=today) if row.clock.overdue or row.clock.due_soon]
    overdue = sum(row.clock.overdue for row in rows)
    if not rows:
        return RemindersSent(0, 0, 0)
    lines = [
        f"{row.request.tracking_number}　{row.request.applicant_name}　答复期限 {row.clock.due:%Y年%m月%d日}　"
        + (f"已超期 {-row.clock.days_left} 个工作日" if row.clock.overdue else f"剩余 {row.clock.days_left} 个工作日")
        for row in rows
    ]
    recipients = sorted(set(
        get_user_model().objects.filter(is_active=True, groups__name=ROLE_GROUPS[Role.INTAKE])
        .exclude(email="").values_list("email", flat=True)
    ))
    if recipients:
        send_mail(
            subject=f"依申请公开提醒：超期 {overdue} 件，即将到期 {len(rows) - overdue} 件",
            message="以下政府信息公开申请须尽快答复（条例第三十三条）：\n\n" + "\n".join(lines),
            from_email=None, recipient_list=recipients,
        )
    return RemindersSent(overdue, len(rows) - overdue, len(recipients))


# ---------------------------------------------------------------------------------------------------------------
# The annual report

DEFAULT_OTHER_MATTERS = "本年度未收取政府信息公开信息处理费。"


class ReportColumnMissing(Exception):
    """No 年度报告 column to publish the report in."""


def _report_column():
    from services_hall.models import DisclosureRequestPage

    door = DisclosureRequestPage.objects.live().exclude(annual_reports=None).select_related("annual_reports").first()
    if door is None:
        raise ReportColumnMissing("没有找到“年度报告”栏目：请在“依申请公开”页面中选择年度报告栏目。")
    return door.annual_reports


def report_build(*, year: int, actor: AbstractBaseUser | None = None, publish: bool = True):
    """Build (or rebuild) the year's report page in the 年度报告 column: the tables from the data, the narrative
    kept as editors wrote it. Publishes a revision unless publish=False."""
    from .models import DisclosureReportPage
    from .report import report_tables
    from .selectors import report_facts

    if not 2008 <= year <= timezone.localdate().year:
        raise ValidationError({"year": [f"年度应在2008年（条例施行）至今年之间，收到的是{year}。"]})
    cases, reviews, policies = report_facts(year=year)
    tables = report_tables(year=year, cases=cases, reviews=reviews, policies=policies,
                           licence_decisions=licence_decision_count(year=year))
    with transaction.atomic():
        page = DisclosureReportPage.objects.select_for_update().filter(year=year).first()
        if page is None:
            column = _report_column()
            page = DisclosureReportPage(
                title=f"{office_name()}{year}年政府信息公开工作年度报告", slug=f"report-{year}", year=year,
                overview=(f"{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，"
                          "依法做好政府信息主动公开和依申请公开工作。"),
                other_matters=DEFAULT_OTHER_MATTERS, live=False,
            )
            column.add_child(instance=page)
        else:
            page = page.specific
        page.tables, page.tables_built_at = tables, timezone.now()
        revision = page.save_revision(user=actor, log_action=True)
        # Staff without publishing rights leave a draft for the editors' review chain; the command publishes.
        if publish and (actor is None or page.permissions_for_user(actor).can_publish()):
            revision.publish(user=actor)
    return DisclosureReportPage.objects.get(pk=page.pk)
