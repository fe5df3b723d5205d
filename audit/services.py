"""Writes to the audit trail. Domain apps call `audit_record`; nothing else appends to the chain.

Part A (lockout, second factor) records its events with, for example::

    audit_record(action=Action.LOCKOUT, actor=None, target=f"user:{username}", detail={"failures": 5}, request=request)
    audit_record(action=Action.SECOND_FACTOR, actor=user, target=f"user:{user.pk}", detail={"change": "enrolled"})
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from audit import chain
from audit.models import Action, AuditCheckpoint, AuditHead, AuditRecord
from portal.ratelimit import client_ip

# 等保 2.0 third level: audit records are kept at least 180 days (网络安全法第二十一条: not less than six months).
MIN_RETENTION_DAYS = 180


def signing_key() -> bytes:
    """The key that seals records. Set AUDIT_SIGNING_KEY in production: by default it is derived from SECRET_KEY,
    so rotating SECRET_KEY would make every earlier seal fail verification."""
    configured = getattr(settings, "AUDIT_SIGNING_KEY", "") or ""
    material = configured or f"jincai-audit:{settings.SECRET_KEY}"
    return hashlib.new("sm3", material.encode("utf-8")).digest()


def _target_text(target: object) -> str:
    if isinstance(target, models.Model):
        return f"{target._meta.label_lower}:{target.pk} {target}"[:255]
    return str(target or "")[:255]


def _plain(detail: object) -> dict:
    """The detail as stored and read back (plain JSON types), so the hash taken now matches the row read later."""
    return json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def _head_locked() -> AuditHead:
    if not AuditHead.objects.filter(pk=1).exists():
        # Migrations make the head; a flushed test database or a restored one may lack it: continue the chain.
        last = AuditRecord.objects.order_by("-seq").values("seq", "hash").first()
        AuditHead.objects.get_or_create(pk=1, defaults={"seq": last["seq"], "hash": last["hash"]} if last else {})
    return AuditHead.objects.select_for_update().get(pk=1)


def audit_record(
    *, action: Action | str, actor=None, target: object = "", detail: dict | None = None, request=None,
    now: dt.datetime | None = None,
) -> AuditRecord:
    """Append one record to the chain. `actor` defaults to the request's signed-in user; `target` is a model
    instance or a short text naming what was acted on; `detail` is JSON-serialisable."""
    action = Action(action)
    if actor is None and request is not None and getattr(getattr(request, "user", None), "is_authenticated", False):
        actor = request.user
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    fields = {
        "created_at": now or timezone.now(),
        "action": action.value,
        "actor_id": actor.pk if signed_in else None,
        "actor_name": actor.get_username()[:150] if signed_in else "",
        "target": _target_text(target),
        "detail": _plain(detail),
        "ip": client_ip(None, request)[:64] if request is not None else "",
    }
    with transaction.atomic():
        head = _head_locked()
        fields |= {"seq": head.seq + 1, "prev_hash": head.hash}
        record_hash = chain.link(fields)
        record = AuditRecord(**fields, hash=record_hash, seal=chain.seal(record_hash, key=signing_key()))
        record.save()
        head.seq, head.hash = record.seq, record_hash
        head.save(update_fields=["seq", "hash"])
    return record


def checkpoint_seal(seq: int, record_hash: str) -> str:
    return chain.seal(f"checkpoint:{seq}:{record_hash}", key=signing_key())


def audit_prune(*, days: int, actor=None, now: dt.datetime | None = None) -> int:
    """Remove records older than `days` (never fewer than 180) after writing a signed checkpoint of the last one
    removed, so that `audit verify` still accepts what remains. The newest record is always kept."""
    if days < MIN_RETENTION_DAYS:
        raise ValueError(f"审计记录至少保留 {MIN_RETENTION_DAYS} 天。")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    with transaction.atomic():
        head = _head_locked()
        last = (AuditRecord.objects.filter(created_at__lt=cutoff, seq__lt=head.seq)
                .order_by("-seq").values("seq", "hash").first())
        if last is None:
            return 0
        removed = AuditRecord.objects.filter(seq__lte=last["seq"])._prune()
        AuditCheckpoint.objects.create(seq=last["seq"], hash=last["hash"], pruned=removed,
                                       seal=checkpoint_seal(last["seq"], last["hash"]))
    audit_record(action=Action.AUDIT_PRUNE, actor=actor, target=f"#{last['seq']}",
                 detail={"removed": removed, "older_than_days": days})
    return removed
