"""The tamper-evident audit chain. Each entry's hash is sha256(previous hash + canonical JSON of
the entry), so editing, deleting or reordering any stored row breaks every hash after it."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from powerlist.core.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def actor_name(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username() or f"user#{actor.pk}"


def canonical(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _digest(prev_hash: str, seq: int, at: datetime, actor: str, action: str, target: str, payload: str) -> str:
    body = canonical({"seq": seq, "at": at.astimezone(UTC).isoformat(), "actor": actor, "action": action,
                      "target": target, "payload": payload})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(actor, action: str, target: str = "", payload=None) -> AuditEntry:
    """Append one entry. Call it inside the transaction that makes the change it records, so the
    change and its record commit or roll back together."""
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        if head is None:
            head = AuditHead.objects.create(id=1)
            head = AuditHead.objects.select_for_update().get(id=1)
        seq = head.seq + 1
        at = timezone.now()
        name = actor_name(actor)
        body = canonical(payload if payload is not None else {})
        digest = _digest(head.hash, seq, at, name, action, target[:200], body)
        entry = AuditEntry.objects.create(seq=seq, at=at, actor=name, action=action, target=target[:200],
                                          payload=body, prev_hash=head.hash, hash=digest)
        AuditHead.objects.filter(id=1).update(seq=seq, hash=digest)
        return entry


@dataclass
class Verdict:
    ok: bool
    checked: int
    message: str
    broken_seq: int | None = None


def verify() -> Verdict:
    """Walk the chain in order; name the first entry whose number, link or hash is wrong."""
    prev, expected_seq, checked = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=5000):
        if entry.seq != expected_seq:
            what = "missing" if entry.seq > expected_seq else "duplicated or reordered"
            return Verdict(False, checked, f"entry #{expected_seq} is {what} (found #{entry.seq} next)", expected_seq)
        if entry.prev_hash != prev:
            return Verdict(False, checked, f"entry #{entry.seq} does not link to the entry before it "
                                           f"(deleted, inserted or reordered rows)", entry.seq)
        if _digest(prev, entry.seq, entry.at, entry.actor, entry.action, entry.target, entry.payload) != entry.hash:
            return Verdict(False, checked, f"entry #{entry.seq} was edited after it was written "
                                           f"(its content no longer matches its hash)", entry.seq)
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != checked or head.hash != prev):
        return Verdict(False, checked, f"the chain ends at #{checked} but its head records #{head.seq}: "
                                       f"entries after #{checked} were deleted", checked + 1)
    return Verdict(True, checked, f"audit chain intact: {checked} entries")
