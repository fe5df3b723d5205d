"""Writes of the catalog: counters, the privacy of 不予开放 pages, access applications and API keys, and (in
ingest.py) resource imports."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import PageViewRestriction

from audit.context import current_request
from audit.models import Action as AuditAction
from audit.services import audit_record
from opendata import keys, rules
from opendata.models import AccessApplication, ApiKey, DatasetPage, DatasetStats, Resource
from opendata.rules import AccessAction, OpenType


def dataset_sync_privacy(*, dataset: DatasetPage, was_closed: bool) -> None:
    """不予开放 pages carry a login restriction so that every `.public()` query on the site leaves them out;
    the restriction goes when the page opens again (one an editor set by hand on an open page stays)."""
    restrictions = PageViewRestriction.objects.filter(page_id=dataset.pk)
    if dataset.open_type == OpenType.CLOSED:
        if not restrictions.exists():
            PageViewRestriction.objects.create(page_id=dataset.pk, restriction_type=PageViewRestriction.LOGIN)
    elif was_closed:
        restrictions.filter(restriction_type=PageViewRestriction.LOGIN).delete()


def _bump(dataset_id: int, **increments: F) -> None:
    if not DatasetStats.objects.filter(dataset_id=dataset_id).update(**increments):
        DatasetStats.objects.get_or_create(dataset_id=dataset_id)
        DatasetStats.objects.filter(dataset_id=dataset_id).update(**increments)


VIEWS_PENDING = "opendata:views-pending:{}"
VIEWS_WRITE_EVERY = 100


def dataset_record_view(*, dataset: DatasetPage) -> None:
    """One more view, counted in the shared cache: no database write per view (dataset_views_flush writes them)."""
    dataset_record_view_id(dataset_id=dataset.pk)


def dataset_record_view_id(*, dataset_id: int) -> None:
    from django.core.cache import cache

    key = VIEWS_PENDING.format(dataset_id)
    try:
        pending = cache.incr(key)
    except ValueError:  # the first view since the last write
        if not cache.add(key, 1, timeout=None):
            cache.incr(key)  # another worker added it first
        return
    # Without the timer (`make run`), every hundredth view writes the hundred.
    if pending >= VIEWS_WRITE_EVERY:
        cache.decr(key, pending)
        _bump(dataset_id, view_count=F("view_count") + pending)


def dataset_views_pending(*, dataset_id: int) -> int:
    from django.core.cache import cache

    return int(cache.get(VIEWS_PENDING.format(dataset_id)) or 0)


def dataset_views_flush() -> int:
    """Add the views counted in the cache to each dataset's stored count; the number of views written."""
    from django.core.cache import cache

    ids = list(DatasetPage.objects.values_list("pk", flat=True))
    pending = cache.get_many([VIEWS_PENDING.format(pk) for pk in ids])
    written = 0
    for pk in ids:
        count = int(pending.get(VIEWS_PENDING.format(pk)) or 0)
        if count <= 0:
            continue
        # Taken out of the cache first: views counted meanwhile stay there for the next flush.
        cache.decr(VIEWS_PENDING.format(pk), count)
        with transaction.atomic():
            _bump(pk, view_count=F("view_count") + count)
        written += count
    return written


def dataset_record_download(*, resource: Resource) -> None:
    _bump(resource.dataset_id, download_count=F("download_count") + 1)
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)


# --- access to 有条件开放 data ---------------------------------------------------------------------------------

logger = logging.getLogger(__name__)


def access_application_submit(
    *, dataset: DatasetPage, applicant_name: str, organisation: str, email: str, phone: str, purpose: str,
) -> AccessApplication:
    """Record an application for a public 有条件开放 dataset and send the applicant a receipt."""
    if not (DatasetPage.objects.public_catalog().filter(pk=dataset.pk).exists()
            and rules.may_apply_for_access(open_type=dataset.open_type)):
        raise ValidationError("只有有条件开放的数据资源需要申请；该数据资源不接受申请。")
    application = AccessApplication.objects.create(
        dataset=dataset, applicant_name=applicant_name.strip(), organisation=organisation.strip(),
        email=email.strip(), phone=phone.strip(), purpose=purpose.strip(),
    )
    transaction.on_commit(lambda: _mail(
        application.email, f"已收到您的数据使用申请：{dataset.title}",
        f"{application.applicant_name}：\n\n我们已收到您对数据资源“{dataset.title}”（{dataset.code}）的使用申请，"
        f"申请编号 {application.pk}。审核结果将发送到本邮箱。\n",
    ))
    return application


def access_application_approve(
    *, application: AccessApplication, actor, reason: str = "",
) -> tuple[AccessApplication, str]:
    """Approve a pending application and issue its API key. Returns the plaintext key: the only time it exists
    outside the applicant's mailbox, since only its hash is stored."""
    with transaction.atomic():
        locked = AccessApplication.objects.select_for_update().select_related("dataset").get(pk=application.pk)
        locked.status = rules.next_access_status(locked.status, AccessAction.APPROVE)
        locked.decided_by, locked.decided_at, locked.reason = actor, timezone.now(), reason.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        new = keys.generate()
        api_key = ApiKey.objects.create(application=locked, dataset=locked.dataset, prefix=new.prefix,
                                        secret_hash=new.secret_hash)
        audit_record(action=AuditAction.API_KEY_ISSUE, actor=actor, target=f"apikey:{api_key.pk} {new.prefix}",
                     detail={"dataset": locked.dataset.code, "application": locked.pk, "holder": locked.email},
                     request=current_request.get())
        plaintext = new.plaintext
        transaction.on_commit(lambda: _mail(
            locked.email, f"您的数据使用申请已批准：{locked.dataset.title}",
            f"{locked.applicant_name}：\n\n您对数据资源“{locked.dataset.title}”（{locked.dataset.code}）的使用申请已批准。"
            f"\n\n接口密钥：{plaintext}\n\n调用数据接口时，请在请求头 X-API-Key 中提供该密钥"
            f"（或使用 Authorization: Bearer 密钥）。密钥只发送这一次，门户不保存明文，请妥善保管；"
            f"如遗失或泄露，请重新申请。\n" + (f"\n审批意见：{locked.reason}\n" if locked.reason else ""),
        ))
    return locked, plaintext


def access_application_refuse(*, application: AccessApplication, actor, reason: str) -> AccessApplication:
    """Refuse a pending application; the reason is required and sent to the applicant."""
    if not reason.strip():
        raise ValidationError({"reason": "不予批准时须填写理由。"})
    with transaction.atomic():
        locked = AccessApplication.objects.select_for_update().select_related("dataset").get(pk=application.pk)
        locked.status = rules.next_access_status(locked.status, AccessAction.REFUSE)
        locked.decided_by, locked.decided_at, locked.reason = actor, timezone.now(), reason.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        transaction.on_commit(lambda: _mail(
            locked.email, f"您的数据使用申请未获批准：{locked.dataset.title}",
            f"{locked.applicant_name}：\n\n您对数据资源“{locked.dataset.title}”（{locked.dataset.code}）的使用申请未获批准。"
            f"\n\n理由：{locked.reason}\n",
        ))
    return locked


def api_key_revoke(*, key: ApiKey, actor) -> ApiKey:
    """Revoke a key at once (every later request with it gets 403); revoking a revoked key changes nothing."""
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is None:
            locked.revoked_at, locked.revoked_by = timezone.now(), actor
            locked.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(action=AuditAction.API_KEY_REVOKE, actor=actor, target=f"apikey:{locked.pk} {locked.prefix}",
                         detail={"dataset_id": locked.dataset_id, "application": locked.application_id},
                         request=current_request.get())
    return locked


def _mail(to: str, subject: str, body: str) -> None:
    # After commit: a mail server that is down must not undo a decision that staff already see as made.
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception:  # noqa: BLE001 - any backend failure
        logger.exception("could not mail %s: %s", to, subject)
