"""The audit log: an append-only Merkle tree (RFC 9162) whose leaves are the audit entries.

Each entry's leaf data is the canonical JSON of its number, time, actor, action, target and
payload; its leaf hash is SHA-256(0x00 || data). An append locks the head row, stores the entry
and the complete subtrees it closes (AuditNode), and moves the head to the new root; every
POWERLIST_LOG_CHECKPOINT_EVERY entries it also issues a signed checkpoint. Proofs read the few
stored subtrees they need (`powerlist.core.merkle`); `audit_verify` checks everything."""

import base64
import json
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from powerlist.core import merkle
from powerlist.core.errors import InvalidInput, NotFound
from powerlist.core.models import AuditEntry, AuditHead, AuditNode
from powerlist.core.services import checkpoints

EMPTY_ROOT = merkle.EMPTY_ROOT.hex()


def actor_name(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username() or f"user#{actor.pk}"


def canonical(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def leaf_data(seq: int, at: datetime, actor: str, action: str, target: str, payload: str) -> str:
    """The text a leaf hashes (the same body the old hash chain hashed after the previous hash)."""
    return canonical({"seq": seq, "at": at.astimezone(UTC).isoformat(), "actor": actor, "action": action,
                      "target": target, "payload": payload})


def checkpoint_every() -> int:
    try:
        return max(1, int(checkpoints.setting("POWERLIST_LOG_CHECKPOINT_EVERY", 1000)))
    except ValueError:
        return 1000


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        AuditHead.objects.create(id=1)
        head = AuditHead.objects.select_for_update().get(id=1)
    return head


def extend(frontier: list[bytes], size: int, leaf: bytes, nodes: list | None = None) -> list[bytes]:
    """Add leaf number `size` (0-based) to the compact range `frontier`: merge it with every
    complete subtree it closes, as in a binary counter. Closed subtrees are appended to `nodes`
    as (key, hash)."""
    h, level = leaf, 0
    while size >> level & 1:
        h = merkle.node_hash(frontier.pop(), h)
        level += 1
        if nodes is not None:
            nodes.append((((size + 1) * 64) + level, h))
    frontier.append(h)
    return frontier


def append(actor, action: str, target: str = "", payload=None) -> AuditEntry:
    """Append one entry. Call it inside the transaction that makes the change it records, so the
    change and its record commit or roll back together."""
    with transaction.atomic():
        head = _locked_head()
        seq = head.seq + 1
        at = timezone.now()
        name = actor_name(actor)
        body = canonical(payload if payload is not None else {})
        leaf = merkle.leaf_hash(leaf_data(seq, at, name, action, target[:200], body).encode("utf-8"))
        frontier = [bytes.fromhex(h) for h in json.loads(head.frontier)]
        closed = []
        extend(frontier, head.seq, leaf, closed)
        entry = AuditEntry.objects.create(seq=seq, at=at, actor=name, action=action, target=target[:200],
                                          payload=body, leaf_hash=leaf.hex())
        if closed:
            AuditNode.objects.bulk_create([AuditNode(id=key, hash=h.hex()) for key, h in closed])
        head.seq, head.hash = seq, merkle.fold(frontier).hex()
        head.frontier = json.dumps([h.hex() for h in frontier])
        AuditHead.objects.filter(id=1).update(seq=seq, hash=head.hash, frontier=head.frontier)
        if seq % checkpoint_every() == 0:
            checkpoints.issue_for_locked_head(head)
        return entry


def tree_size() -> int:
    head = AuditHead.objects.filter(id=1).first()
    return head.seq if head else 0


def subtree_hashes(ranges: list[tuple[int, int]]) -> list[bytes]:
    """The hashes of leaf ranges, each read as its complete subtrees: two queries in all."""
    parts = [merkle.decompose(start, end) for start, end in ranges]
    wanted = {p for part in parts for p in part}
    leaves = {seq - 1: bytes.fromhex(h) for seq, h in AuditEntry.objects.filter(
        seq__in=[i + 1 for level, i in wanted if level == 0]).values_list("seq", "leaf_hash")}
    nodes = {key: bytes.fromhex(h) for key, h in AuditNode.objects.filter(
        id__in=[AuditNode.key(level, i) for level, i in wanted if level]).values_list("id", "hash")}
    out = []
    for part in parts:
        hashes = []
        for level, i in part:
            h = leaves.get(i) if level == 0 else nodes.get(AuditNode.key(level, i))
            if h is None:
                raise NotFound(f"审计日志缺少第{level}层第{i}个子树的哈希：日志已被删改，请运行 powerlist audit verify")
            hashes.append(h)
        out.append(merkle.fold(hashes))
    return out


def _size(value, name: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(f"参数 {name} 应为整数，收到“{str(value)[:40]}”") from None
    if not low <= number <= high:
        raise NotFound(f"参数 {name}={number} 超出范围：应在 {low} 到 {high} 之间（日志现有 {tree_size()} 条）")
    return number


def inclusion_proof(entry, size=None) -> dict:
    """Entry number `entry` (1-based, as the audit log numbers them) in the tree of `size`."""
    current = tree_size()
    size = current if size in (None, "") else _size(size, "size", 1, current)
    seq = _size(entry, "entry", 1, size)
    row = AuditEntry.objects.filter(seq=seq).first()
    if row is None:
        raise NotFound(f"审计日志中没有第 {seq} 条：日志已被删改，请运行 powerlist audit verify")
    hashes = subtree_hashes([*merkle.inclusion_ranges(seq - 1, size), (0, size)])
    return {"entry": seq, "leaf_index": seq - 1, "tree_size": size,
            "leaf_data": leaf_data(row.seq, row.at, row.actor, row.action, row.target, row.payload),
            "leaf_hash": _b64(bytes.fromhex(row.leaf_hash)), "inclusion_path": [_b64(h) for h in hashes[:-1]],
            "root_hash": _b64(hashes[-1])}


def consistency_proof(old, new=None) -> dict:
    current = tree_size()
    new = current if new in (None, "") else _size(new, "to", 0, current)
    old = _size(old, "from", 0, new)
    hashes = subtree_hashes([*merkle.consistency_ranges(old, new), (0, old), (0, new)])
    return {"from": old, "to": new, "consistency_path": [_b64(h) for h in hashes[:-2]],
            "from_root_hash": _b64(hashes[-2]), "to_root_hash": _b64(hashes[-1])}


def _b64(h: bytes) -> str:
    return base64.b64encode(h).decode()


def verify(**kwargs):
    """Check the whole log; see `audit_verify.verify`."""
    from powerlist.core.services import audit_verify

    return audit_verify.verify(**kwargs)
