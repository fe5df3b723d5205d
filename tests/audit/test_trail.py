"""The audit trail: append-only, SM3-chained, and `manage.py audit verify` names the record someone tampered with."""

import datetime as dt
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from audit import chain
from audit.models import Action, AppendOnlyError, AuditCheckpoint, AuditRecord
from audit.selectors import audit_verify
from audit.services import audit_prune, audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def verify_output() -> str:
    """What an operator sees from `manage.py audit verify` when it fails (empty when the chain is intact)."""
    try:
        call_command("audit", "verify")
    except CommandError as failure:
        return "\n".join(str(p) for p in audit_verify()) + "\n" + str(failure)
    return ""


def five_records():
    user = UserFactory(username="auditor")
    return [audit_record(action=Action.LOGIN, actor=user, target=f"user:{user.pk}", detail={"n": n})
            for n in range(5)]


def raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_record_is_chained_to_the_previous_by_sm3(capsys):
    records = five_records()
    assert [r.seq for r in records] == sorted(r.seq for r in records)
    for before, after in zip(records, records[1:]):
        assert after.prev_hash == before.hash
    assert records[0].hash == chain.sm3(chain.canonical(records[0].hashed_fields()))
    call_command("audit", "verify")
    assert "审计链校验通过" in capsys.readouterr().out


def test_a_hand_edited_record_fails_verification_and_is_named():
    records = five_records()
    raw("UPDATE audit_auditrecord SET target = %s WHERE seq = %s", "user:999", records[2].seq)
    output = verify_output()
    assert f"#{records[2].seq} 的内容已被修改" in output
    assert "校验失败" in output


def test_an_edit_with_a_recomputed_hash_is_caught_by_the_seal():
    records = five_records()
    fields = AuditRecord.objects.get(seq=records[1].seq).hashed_fields() | {"actor_name": "somebody-else"}
    raw("UPDATE audit_auditrecord SET actor_name = %s, hash = %s WHERE seq = %s",
        "somebody-else", chain.link(fields), records[1].seq)
    assert f"#{records[1].seq} 的签名不符" in verify_output()


def test_a_deleted_record_is_named():
    records = five_records()
    raw("DELETE FROM audit_auditrecord WHERE seq = %s", records[3].seq)
    assert f"审计记录 #{records[3].seq} 已被删除" in verify_output()


def test_records_removed_from_the_end_are_noticed():
    records = five_records()
    raw("DELETE FROM audit_auditrecord WHERE seq >= %s", records[3].seq)
    assert f"#{records[3].seq}–#{records[4].seq} 已被删除（链尾缺少记录）" in verify_output()


def test_an_inserted_record_is_named():
    records = five_records()
    last = records[-1]
    fields = last.hashed_fields() | {"seq": last.seq + 1, "prev_hash": last.hash, "target": "forged"}
    raw("INSERT INTO audit_auditrecord (seq, created_at, action, actor_id, actor_name, target, detail, ip, prev_hash, "
        "hash, seal) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        fields["seq"], fields["created_at"], fields["action"], fields["actor_id"], fields["actor_name"],
        fields["target"], '{"n": 4}', "", fields["prev_hash"], "f" * 64, "0" * 64)
    output = verify_output()
    assert f"#{last.seq + 1}" in output and "插入" in output


def test_the_orm_and_the_model_refuse_to_change_or_remove_a_record():
    record = five_records()[0]
    record.target = "changed"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(pk=record.pk).update(target="changed")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().delete()
    assert AuditRecord.objects.get(pk=record.pk).target != "changed"
    assert audit_verify() == []


def test_pruning_keeps_180_days_and_the_rest_still_verifies():
    long_ago = timezone.now() - dt.timedelta(days=400)
    for n in range(3):
        audit_record(action=Action.LOGIN_FAILED, target=f"username:old{n}", now=long_ago + dt.timedelta(minutes=n))
    recent = audit_record(action=Action.LOGIN_FAILED, target="username:recent",
                          now=timezone.now() - dt.timedelta(days=179))
    with pytest.raises(ValueError, match="至少保留 180 天"):
        audit_prune(days=30)
    assert audit_prune(days=180) == 3
    assert AuditRecord.objects.filter(target__startswith="username:old").count() == 0
    assert AuditRecord.objects.filter(pk=recent.pk).exists()
    assert AuditCheckpoint.objects.count() == 1
    assert audit_verify() == []
    assert AuditRecord.objects.order_by("-seq").first().action == Action.AUDIT_PRUNE


def test_a_forged_checkpoint_is_noticed():
    long_ago = timezone.now() - dt.timedelta(days=400)
    for n in range(3):
        audit_record(action=Action.LOGIN_FAILED, target=f"username:old{n}", now=long_ago)
    audit_record(action=Action.LOGIN, target="user:1")
    audit_prune(days=180)
    raw("UPDATE audit_auditcheckpoint SET seq = seq - 1")
    assert "检查点签名不符" in verify_output()


def test_prune_command_refuses_less_than_180_days():
    with pytest.raises(CommandError, match="至少保留 180 天"):
        call_command("audit", "prune", "--days", "90")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL (DATABASE_URL); SQLite serialises writers anyway")
    writers, per_writer, errors = 8, 25, []

    def write(n: int) -> None:
        try:
            for i in range(per_writer):
                audit_record(action=Action.LOGIN_FAILED, target=f"username:w{n}-{i}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == writers * per_writer
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert audit_verify() == []
