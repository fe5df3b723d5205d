"""Writes of the services hall. Each is one transaction: the rows it creates exist together or not at all.

Input problems raise ValidationError (a dict keyed by field, messages in Chinese); a move the workflow or the
person's role does not allow raises TransitionNotAllowed / RoleNotAllowed, or PermissionDenied.
"""

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.contrib.forms.forms import FormBuilder

from audit.context import current_request
from audit.models import Action as AuditAction
from audit.services import audit_record

from . import notifications
from .deadlines import WorkCalendar, add_working_days, count_working_days, due_date
from .models import (
    Applicant,
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Letter,
    LetterReply,
    Rating,
    ServiceGuidePage,
    ServiceMaterial,
)
from .selectors import user_roles, work_calendar
from .storage import private_storage
from .uploads import CheckedUpload, check_upload
from .workflow import (
    MAX_CORRECTIONS,
    RATABLE_STATUSES,
    TRANSITIONS,
    Action,
    Role,
    Status,
    TransitionNotAllowed,
    next_status,
)

# Crockford's base32 without I, L, O, U: easy to read aloud and type, 40 bits in 8 characters.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 6
_CREATE_ATTEMPTS = 5


def new_tracking_number(*, today: dt.date, prefix: str = "") -> str:
    """申报号: the filing date, then 8 random characters — nothing to learn from one number about the next."""
    return f"{prefix}{today:%Y%m%d}{''.join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))}"


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _actor_name(user: AbstractBaseUser) -> str:
    return (user.get_full_name() or user.get_username()) if hasattr(user, "get_full_name") else str(user)


def _save_files(uploads: Iterable[CheckedUpload], saved: list[str]) -> list[tuple[CheckedUpload, str]]:
    """Store each checked upload under its random name; `saved` collects the names for clean-up on failure."""
    stored = []
    for checked in uploads:
        name = private_storage.save(checked.storage_name, checked.file)
        saved.append(name)
        stored.append((checked, name))
    return stored


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        private_storage.delete(name)


def _material_row(application: Application, checked: CheckedUpload, stored_name: str, *, name: str,
                  requirement: ServiceMaterial | None, for_correction: bool) -> ApplicationMaterial:
    return ApplicationMaterial(
        application=application, requirement=requirement, name=name, file=stored_name,
        original_name=checked.original_name, sha256=checked.sha256, size=checked.size,
        content_type=checked.kind.content_type, for_correction=for_correction,
    )


def _check_files(files: Sequence[UploadedFile], key: str, errors: dict[str, list[str]]) -> list[CheckedUpload]:
    checked = []
    for upload in files:
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            errors.setdefault(key, []).extend(error.messages)
    return checked


# ---------------------------------------------------------------------------------------------------------------
# Applications


def _validate_form_data(service: ServiceGuidePage, form_data: Mapping[str, Any]) -> tuple[dict, dict[str, list[str]]]:
    """The cleaned form data against the guide's field definitions, and the problems found, by field name."""
    form_class = FormBuilder(list(service.form_fields.all())).get_form_class()
    form = form_class(data=dict(form_data))
    if form.is_valid():
        # Stored as JSON: dates and decimals become strings here, so the saved row and the returned object agree.
        return json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder)), {}
    return {}, {name: list(messages) for name, messages in form.errors.items()}


def application_submit(
    *,
    applicant: Applicant,
    service: ServiceGuidePage,
    form_data: Mapping[str, Any],
    materials: Mapping[int, Sequence[UploadedFile]],
    idempotency_key: str,
    now: dt.datetime | None = None,
) -> Application:
    """File an application: one row, its material files and its first event, or nothing at all.

    `materials` maps a ServiceMaterial id of the guide to the files uploaded for it. Submitting twice with the same
    idempotency key returns the first application.
    """
    # Checked before it reaches the database: the form hands the key over as typed (PostgreSQL refuses a NUL byte).
    if not idempotency_key or len(idempotency_key) > 64 or not idempotency_key.isprintable():
        raise ValidationError({"__all__": ["提交标识无效，请刷新页面后重新提交。"]})
    existing = Application.objects.filter(applicant=applicant, idempotency_key=idempotency_key).first()
    if existing:
        return existing
    if not service.online_filing_open:
        raise ValidationError({"__all__": ["该事项暂未开通网上申报，请到办理地点现场办理。"]})

    cleaned, errors = _validate_form_data(service, form_data)
    requirements = {material.pk: material for material in service.materials.all()}
    unknown = set(materials) - set(requirements)
    if unknown:
        errors.setdefault("materials", []).append("上传的材料不属于该事项，请刷新页面后重新上传。")
    missing = [m.name for m in requirements.values() if m.required and not materials.get(m.pk)]
    if missing:
        errors.setdefault("materials", []).append(f"缺少必需材料：{'、'.join(missing)}。")
    checked: list[tuple[ServiceMaterial, CheckedUpload]] = []
    for pk, files in materials.items():
        if pk in requirements:
            checked += [(requirements[pk], c) for c in _check_files(files, f"material_{pk}", errors)]
    if errors:
        raise ValidationError(errors)

    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = work_calendar()
    for _ in range(_CREATE_ATTEMPTS):
        saved: list[str] = []
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    service=service, applicant=applicant, status=Status.SUBMITTED,
                    tracking_number=new_tracking_number(today=today), query_code=new_query_code(),
                    idempotency_key=idempotency_key, form_data=cleaned,
                    statutory_days=service.statutory_days, promised_days=service.effective_promised_days,
                    submitted_at=now,
                    # 行政许可法第三十二条: accept, or name everything missing, within five working days.
                    intake_due_on=add_working_days(today, _setting("SERVICES_HALL_INTAKE_DAYS", 5), calendar=calendar),
                )
                stored = _save_files((c for _, c in checked), saved)
                ApplicationMaterial.objects.bulk_create(
                    _material_row(application, c, name, name=req.name, requirement=req, for_correction=False)
                    for (req, _), (c, name) in zip(checked, stored, strict=True)
                )
                event = ApplicationEvent.objects.create(
                    application=application, action=Action.SUBMIT, from_status=Status.DRAFT,
                    to_status=next_status(Status.DRAFT, Action.SUBMIT, Role.APPLICANT),
                    actor=applicant.user, actor_name=applicant.name, actor_role=Role.APPLICANT, created_at=now,
                )
                _audit_status(event, actor=applicant.user)
                transaction.on_commit(partial(notifications.application_event_notify, event_id=event.pk))
            return application
        except IntegrityError:
            _delete_files(saved)
            # A concurrent double submit won the race: that one is the application.
            existing = Application.objects.filter(applicant=applicant, idempotency_key=idempotency_key).first()
            if existing:
                return existing
            # Otherwise the random tracking number collided; draw another.
        except BaseException:
            _delete_files(saved)
            raise
    raise RuntimeError("could not allocate a unique tracking number")


def _audit_status(event: ApplicationEvent, *, actor: AbstractBaseUser) -> None:
    """Every filing status change also goes into the tamper-evident audit trail, in the same transaction."""
    application = event.application
    audit_record(
        action=AuditAction.FILING_STATUS, actor=actor,
        target=f"application:{application.pk} {application.tracking_number}",
        detail={"action": event.action, "from": event.from_status, "to": event.to_status, "role": event.actor_role},
        request=current_request.get(),
    )


def _set_due_dates(application: Application, calendar: WorkCalendar) -> None:
    start = timezone.localdate(application.accepted_at)
    paused = application.paused_working_days
    application.statutory_due_on = due_date(start, application.statutory_days, calendar=calendar, paused_working_days=paused)
    application.promised_due_on = due_date(start, application.promised_days, calendar=calendar, paused_working_days=paused)


def _apply_effects(application: Application, action: Action, *, now: dt.datetime, calendar: WorkCalendar) -> None:
    """Timestamps and the deadline clock that follow from `action`."""
    today = timezone.localdate(now)
    if action == Action.ACCEPT:
        application.accepted_at = now
        _set_due_dates(application, calendar)
    elif action == Action.REQUEST_CORRECTION:
        application.paused_since = today
        application.correction_count += 1
    elif action == Action.SUPPLEMENT:
        if application.accepted_at is None:
            # 行政许可法第三十二条: once all the requested material is in, the application is accepted.
            application.accepted_at = now
        elif application.paused_since is not None:
            application.paused_working_days += count_working_days(application.paused_since, today, calendar=calendar)
        application.paused_since = None
        _set_due_dates(application, calendar)
    elif action in (Action.REJECT, Action.APPROVE, Action.DENY):
        application.decided_at = now
    elif action == Action.CLOSE:
        application.closed_at = now
    elif action == Action.WITHDRAW:
        application.paused_since = None


def _transition_locked(
    locked: Application, *, action: Action, actor: AbstractBaseUser, comment: str, now: dt.datetime
) -> ApplicationEvent:
    """Move a row already locked by the caller, record the event and schedule the notification."""
    source = Status(locked.status)
    target = next_status(source, action, user_roles(user=actor, application=locked))
    _apply_effects(locked, action, now=now, calendar=work_calendar())
    locked.status = target
    locked.save()
    event = ApplicationEvent.objects.create(
        application=locked, action=action, from_status=source, to_status=target, actor=actor,
        actor_name=_actor_name(actor), actor_role=TRANSITIONS[(source, action)][1], comment=comment, created_at=now,
    )
    _audit_status(event, actor=actor)
    transaction.on_commit(partial(notifications.application_event_notify, event_id=event.pk))
    return event


def application_transition(
    *,
    application: Application,
    action: Action | str,
    actor: AbstractBaseUser,
    comment: str = "",
    correction_items: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> Application:
    """Take one step of the workflow on behalf of `actor`, recording who, when and why.

    For 补正 the applicant answers with application_supplement, which also takes the files.
    """
    action = Action(action)
    comment = comment.strip()
    if action == Action.SUPPLEMENT:
        raise ValueError("use application_supplement: a 补正 answer carries files")
    items = [item.strip() for item in correction_items if item.strip()]
    if action == Action.REQUEST_CORRECTION and not items:
        raise ValidationError({"correction_items": ["请一次性列出需要补正的全部材料。"]})
    if action in (Action.REJECT, Action.DENY) and not comment:
        # 行政许可法第三十二条、第三十八条: refusals state their reasons.
        raise ValidationError({"comment": [f"“{action.label}”须说明理由。"]})

    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
        if action == Action.REQUEST_CORRECTION:
            next_status(locked.status, action, user_roles(user=actor, application=locked))
            if locked.correction_count >= MAX_CORRECTIONS:
                raise TransitionNotAllowed(
                    "本件已要求过补正；需补正的内容应一次性告知，不能再次要求补正。",
                    current=Status(locked.status), action=action,
                )
            locked.correction_items = items
        _transition_locked(locked, action=action, actor=actor, comment=comment, now=now or timezone.now())
    return locked


def application_supplement(
    *,
    application: Application,
    actor: AbstractBaseUser,
    materials: Mapping[str, Sequence[UploadedFile]],
    comment: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """The applicant's one answer to a 补正 request: every requested item must come with at least one file."""
    requested = list(Application.objects.values_list("correction_items", flat=True).get(pk=application.pk))
    errors: dict[str, list[str]] = {}
    missing = [item for item in requested if not materials.get(item)]
    if missing:
        errors["materials"] = [f"请一次性提交全部补正材料，尚缺：{'、'.join(missing)}。"]
    if set(materials) - set(requested):
        errors.setdefault("materials", []).append("只需提交要求补正的材料。")
    checked = [(item, c) for item in requested for c in _check_files(materials.get(item, ()), item, errors)]
    if errors:
        raise ValidationError(errors)

    saved: list[str] = []
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
            if list(locked.correction_items) != requested:
                raise ValidationError({"materials": ["补正要求已变更，请刷新页面后重新提交。"]})
            _transition_locked(locked, action=Action.SUPPLEMENT, actor=actor, comment=comment.strip(),
                               now=now or timezone.now())
            stored = _save_files((c for _, c in checked), saved)
            ApplicationMaterial.objects.bulk_create(
                _material_row(locked, c, name, name=item, requirement=None, for_correction=True)
                for (item, _), (c, name) in zip(checked, stored, strict=True)
            )
    except BaseException:
        _delete_files(saved)
        raise
    return locked


# ---------------------------------------------------------------------------------------------------------------
# Letters


def _require_staff(user: AbstractBaseUser) -> None:
    if not ({Role.INTAKE, Role.REVIEWER} & user_roles(user=user)):
        raise PermissionDenied("只有受理员或审核员可以答复留言。")


def letter_submit(
    *,
    kind: Letter.Kind | str,
    subject: str,
    body: str,
    name: str,
    phone: str = "",
    email: str = "",
    consent_publish: bool = False,
    user: AbstractBaseUser | None = None,
    now: dt.datetime | None = None,
) -> Letter:
    """Receive a letter; its reply is due within SERVICES_HALL_LETTER_REPLY_DAYS working days (5 by default)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    letter = Letter(
        kind=kind, subject=subject.strip(), body=body.strip(), name=name.strip(), phone=phone.strip(),
        email=email.strip(), consent_publish=consent_publish, user=user if user and user.is_authenticated else None,
        received_at=now, query_code=new_query_code(),
        due_on=add_working_days(today, _setting("SERVICES_HALL_LETTER_REPLY_DAYS", 5), calendar=work_calendar()),
        tracking_number="L",  # placeholder so that full_clean passes; replaced below
    )
    errors: dict[str, list[str]] = {}
    try:
        letter.full_clean(exclude=["tracking_number", "due_on"])
    except ValidationError as error:
        errors = error.message_dict
    if not letter.phone and not letter.email:
        errors.setdefault("phone", []).append("请至少留下联系电话或电子邮箱，以便答复。")
    if errors:
        raise ValidationError(errors)
    for _ in range(_CREATE_ATTEMPTS):
        letter.tracking_number = new_tracking_number(today=today, prefix="L")
        try:
            with transaction.atomic():
                letter.save(force_insert=True)
            return letter
        except IntegrityError:
            letter.pk = None
    raise RuntimeError("could not allocate a unique letter number")


def letter_reply(
    *,
    letter: Letter,
    actor: AbstractBaseUser,
    department: str,
    body: str,
    publish: bool = True,
    now: dt.datetime | None = None,
) -> LetterReply:
    """Answer a letter once; it is published (masked) if the writer consented and staff did not hold it back."""
    _require_staff(actor)
    errors = {}
    if not department.strip():
        errors["department"] = ["请填写答复部门。"]
    if not body.strip():
        errors["body"] = ["请填写答复内容。"]
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.state == Letter.State.REPLIED:
            raise ValidationError({"__all__": ["该留言已答复，不能重复答复。"]})
        reply = LetterReply.objects.create(
            letter=locked, department=department.strip(), body=body.strip(), replied_by=actor, replied_at=now,
            on_time=timezone.localdate(now) <= locked.due_on,
        )
        locked.state = Letter.State.REPLIED
        locked.published = publish and locked.consent_publish
        locked.save(update_fields=["state", "published"])
        transaction.on_commit(partial(notifications.letter_reply_notify, letter_id=locked.pk))
    return reply


# ---------------------------------------------------------------------------------------------------------------
# Ratings


POOR_LEVELS = frozenset({Rating.Level.DISSATISFIED, Rating.Level.VERY_DISSATISFIED})


def rating_submit(
    *,
    application: Application,
    actor: AbstractBaseUser,
    level: Rating.Level | int,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Rating:
    """好差评 by the applicant once the case is concluded; a poor one opens a follow-up due in 15 working days."""
    level = Rating.Level(int(level))
    reason = reason.strip()
    if Role.APPLICANT not in user_roles(user=actor, application=application):
        raise PermissionDenied("只有申请人本人可以评价。")
    if level in POOR_LEVELS and not reason:
        raise ValidationError({"reason": [f"选择“{level.label}”时请填写理由，以便我们改进。"]})
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in RATABLE_STATUSES:
            raise ValidationError({"__all__": ["办件办结后才能评价。"]})
        if Rating.objects.filter(application=locked).exists():
            raise ValidationError({"__all__": ["该办件已评价，不能重复评价。"]})
        follow_up_due_on = None
        if level in POOR_LEVELS:
            follow_up_due_on = add_working_days(
                timezone.localdate(now), _setting("SERVICES_HALL_FOLLOW_UP_DAYS", 15), calendar=work_calendar()
            )
        return Rating.objects.create(
            application=locked, level=level, reason=reason, created_at=now,
            follow_up=Rating.FollowUp.OPEN if follow_up_due_on else Rating.FollowUp.NONE,
            follow_up_due_on=follow_up_due_on,
        )


def rating_follow_up_resolve(
    *,
    rating: Rating,
    actor: AbstractBaseUser,
    note: str,
    now: dt.datetime | None = None,
) -> Rating:
    """Close the follow-up of a poor rating, recording what was done (整改情况), by whom and when."""
    if not ({Role.INTAKE, Role.REVIEWER} & user_roles(user=actor)):
        raise PermissionDenied("只有受理员或审核员可以办理差评整改。")
    note = note.strip()
    if not note:
        raise ValidationError({"note": ["请填写整改情况。"]})
    with transaction.atomic():
        locked = Rating.objects.select_for_update().get(pk=rating.pk)
        if locked.follow_up != Rating.FollowUp.OPEN:
            raise ValidationError({"__all__": [f"该评价的整改状态为“{locked.get_follow_up_display()}”，无需再办理。"]})
        locked.follow_up = Rating.FollowUp.RESOLVED
        locked.follow_up_note = note
        locked.follow_up_by = actor
        locked.follow_up_at = now or timezone.now()
        locked.save(update_fields=["follow_up", "follow_up_note", "follow_up_by", "follow_up_at"])
    return locked
