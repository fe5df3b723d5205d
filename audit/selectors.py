"""Reads of the audit trail: verification and the staff list."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from audit import chain
from audit.models import AuditCheckpoint, AuditHead, AuditRecord
from audit.services import checkpoint_seal, signing_key


def audit_verify() -> list[chain.Problem]:
    """Every break in the stored chain, each naming a record; an empty list means the trail is intact."""
    problems: list[chain.Problem] = []
    start_seq, start_hash = 0, chain.GENESIS
    checkpoint = AuditCheckpoint.objects.order_by("-seq").first()
    if checkpoint is not None:
        if checkpoint.seal != checkpoint_seal(checkpoint.seq, checkpoint.hash):
            problems.append(chain.Problem(checkpoint.seq, "forged", f"截至 #{checkpoint.seq} 的清理检查点签名不符"))
        start_seq, start_hash = checkpoint.seq, checkpoint.hash
    head = AuditHead.objects.filter(pk=1).first()
    rows = (AuditRecord.objects.order_by("seq")
            .values("seq", "created_at", "action", "actor_id", "actor_name", "target", "detail", "ip",
                    "prev_hash", "hash", "seal")
            .iterator(chunk_size=2000))
    problems += chain.verify(rows, key=signing_key(), start_seq=start_seq, start_hash=start_hash,
                             head_seq=head.seq if head else None, head_hash=head.hash if head else None)
    return problems


def audit_records(
    *, action: str = "", actor: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None,
) -> QuerySet[AuditRecord]:
    """Newest first, narrowed by event, by a part of the actor's name, and by local dates (both ends included)."""
    records = AuditRecord.objects.order_by("-seq")
    if action:
        records = records.filter(action=action)
    if actor:
        records = records.filter(actor_name__icontains=actor)
    zone = timezone.get_current_timezone()
    if date_from:
        records = records.filter(created_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=zone))
    if date_to:
        records = records.filter(created_at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min,
                                                                    tzinfo=zone))
    return records
