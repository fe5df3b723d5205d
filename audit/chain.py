"""The hash chain as pure functions: how a record is serialised, linked and sealed, and what verification finds.

Each record's `hash` is SM3 over its canonical serialisation, which includes the previous record's hash, so editing,
removing or inserting a record breaks the links after it. Anyone holding the database can recompute a public hash
chain, so each record also carries a `seal`: HMAC-SM3 of its hash under a key only the application holds
(AUDIT_SIGNING_KEY, by default derived from SECRET_KEY). A record written by hand has no valid seal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GENESIS = "0" * 64
# The fields the hash covers, in the order they are serialised (json.dumps sorts keys anyway).
HASHED_FIELDS = ("seq", "created_at", "action", "actor_id", "actor_name", "target", "detail", "ip", "prev_hash")


def sm3(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def timestamp(value: dt.datetime) -> str:
    """UTC with microseconds: the same text whichever time zone or database stored the value."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: Mapping[str, object]) -> bytes:
    """The bytes the hash is taken over: sorted keys, no whitespace, UTF-8, timestamps as UTC text."""
    values = {name: fields[name] for name in HASHED_FIELDS}
    values["created_at"] = timestamp(values["created_at"])  # type: ignore[arg-type]
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def link(fields: Mapping[str, object]) -> str:
    return sm3(canonical(fields))


def seal(record_hash: str, *, key: bytes) -> str:
    return hmac.new(key, record_hash.encode("ascii"), "sm3").hexdigest()


def seal_ok(record_hash: str, record_seal: str, *, key: bytes) -> bool:
    return hmac.compare_digest(seal(record_hash, key=key), record_seal)


@dataclass(frozen=True)
class Problem:
    """One thing verification found, naming the record (by its sequence number) a reader should look at."""

    seq: int
    kind: str  # "edited" | "forged" | "deleted" | "inserted" | "truncated"
    message: str

    def __str__(self) -> str:
        return self.message


def verify(
    records: Iterable[Mapping[str, object]], *, key: bytes, start_seq: int = 0, start_hash: str = GENESIS,
    head_seq: int | None = None, head_hash: str | None = None,
) -> list[Problem]:
    """Every break in the chain, in order. `start_seq`/`start_hash` come from the latest prune checkpoint (or the
    genesis); `head_seq`/`head_hash` from the head row, so that records removed from the end are noticed too."""
    problems: list[Problem] = []
    expected_seq, expected_prev = start_seq + 1, start_hash
    last_seq = start_seq
    for record in records:
        seq = int(record["seq"])  # type: ignore[arg-type]
        recomputed = link(record)
        if seq > expected_seq:
            gap = f"#{expected_seq}" if seq - expected_seq == 1 else f"#{expected_seq}–#{seq - 1}"
            problems.append(Problem(seq, "deleted", f"审计记录 {gap} 已被删除（#{seq} 之前缺少记录）"))
        elif seq < expected_seq:
            problems.append(Problem(seq, "inserted", f"审计记录 #{seq} 重复或顺序错乱"))
        if recomputed != record["hash"]:
            problems.append(Problem(seq, "edited", f"审计记录 #{seq} 的内容已被修改（哈希不符）"))
        elif not seal_ok(str(record["hash"]), str(record["seal"]), key=key):
            problems.append(Problem(seq, "forged", f"审计记录 #{seq} 的签名不符：内容被改写后重算了哈希，或是插入的伪造记录"))
        elif record["prev_hash"] != expected_prev and seq == expected_seq:
            problems.append(Problem(seq, "inserted", f"审计记录 #{seq} 与前一条记录不衔接，可能为插入或替换的记录"))
        expected_seq, expected_prev, last_seq = seq + 1, str(record["hash"]), seq
    if head_seq is not None and last_seq > head_seq:
        problems.append(Problem(last_seq, "inserted", f"审计记录 #{head_seq + 1}–#{last_seq} 位于链头之后，为插入的记录"))
    elif head_seq is not None and head_seq > last_seq:
        gap = f"#{last_seq + 1}" if head_seq == last_seq + 1 else f"#{last_seq + 1}–#{head_seq}"
        problems.append(Problem(head_seq, "truncated", f"审计记录 {gap} 已被删除（链尾缺少记录）"))
    elif head_hash is not None and head_seq == last_seq and head_hash != expected_prev:
        problems.append(Problem(last_seq, "edited", f"审计记录 #{last_seq} 与链头登记的哈希不符"))
    return problems
