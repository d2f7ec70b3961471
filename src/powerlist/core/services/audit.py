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
    return append_many(actor, [(action, target, payload)])[0]


# The head as this process last wrote it, per database alias: (size, root hex, frontier). Only a
# guess, never trusted: the head is moved on condition that it still holds that size and root
# (the root hash names every leaf), which another process's append or a rolled-back transaction
# makes false; then the head is read under its lock as before.
_LAST: dict[str, tuple[int, str, tuple[bytes, ...]]] = {}
_CHUNK = 500  # rows per INSERT: far below every database's limit on parameters


def append_many(actor, entries) -> list[AuditEntry]:
    """Append (action, target, payload) entries in order, as one actor at one time, in the
    caller's transaction: the same leaves, subtree hashes, head and checkpoints as one append
    each, in one head update and one INSERT per table. Uncontended, an append is two statements:
    the head moved on condition it is the one this process last wrote (which also locks it), and
    the entry inserted (plus the subtrees it closes, about one append in two)."""
    name = actor_name(actor)
    rows = [(action, (target or "")[:200], canonical(payload if payload is not None else {}))
            for action, target, payload in entries]
    if not rows:
        return []
    every = checkpoint_every()
    with transaction.atomic(savepoint=False):  # a failed append fails the caller's transaction
        connection = transaction.get_connection()
        with connection.cursor() as cursor:
            guess = _LAST.get(connection.alias)
            built = _build(guess, timezone.now(), name, rows, every) if guess else None
            if built is None or not _move_head(cursor, connection, built, guess):
                seq, root, frontier = _read_locked_head(cursor, connection)
                guess = (seq, root, tuple(bytes.fromhex(h) for h in json.loads(frontier)))
                built = _build(guess, timezone.now(), name, rows, every)
                _move_head(cursor, connection, built)
            saved = _insert(cursor, connection, built)
        _LAST[connection.alias] = (built["seq"], built["root"], built["frontier"])
        for size, root in built["checkpoints"]:
            checkpoints.issue_for_locked_head(AuditHead(id=1, seq=size, hash=root))
        return saved


def _build(head: tuple, at: datetime, name: str, rows: list, every: int) -> dict:
    """The entries' leaves and the subtrees they close, from the head (size, root, frontier)."""
    seq, _root, frontier = head[0], head[1], list(head[2])
    entries, nodes, signed = [], [], []
    for action, target, body in rows:
        leaf = merkle.leaf_hash(leaf_data(seq + 1, at, name, action, target, body).encode("utf-8"))
        extend(frontier, seq, leaf, nodes)
        seq += 1
        entries.append((seq, at, name, action, target, body, leaf.hex()))
        if seq % every == 0:  # a checkpoint signs the tree at exactly this size
            signed.append((seq, merkle.fold(frontier).hex()))
    return {"seq": seq, "root": merkle.fold(frontier).hex(), "frontier": tuple(frontier), "entries": entries,
            "nodes": nodes, "checkpoints": signed}


def _table(connection, model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _move_head(cursor, connection, built: dict, expected: tuple | None = None) -> bool:
    """Write the new head; with `expected`, only if the head is still (size, root) = expected."""
    sql = f"UPDATE {_table(connection, AuditHead)} SET seq = %s, hash = %s, frontier = %s WHERE id = 1"
    params = [built["seq"], built["root"], json.dumps([h.hex() for h in built["frontier"]])]
    if expected is not None:
        sql += " AND seq = %s AND hash = %s"
        params += [expected[0], expected[1]]
    cursor.execute(sql, params)
    return cursor.rowcount == 1


def _read_locked_head(cursor, connection) -> tuple[int, str, str]:
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT seq, hash, frontier FROM {_table(connection, AuditHead)} WHERE id = 1{lock}"
    cursor.execute(sql)
    row = cursor.fetchone()
    if row is None:
        _locked_head()  # the first append ever: the head row is created
        cursor.execute(sql)
        row = cursor.fetchone()
    return row


def _insert(cursor, connection, built: dict) -> list[AuditEntry]:
    """The entries and the subtrees they close; the entries come back with their ids."""
    at_field = AuditEntry._meta.get_field("at")
    table, entries = _table(connection, AuditEntry), built["entries"]
    returning = connection.features.can_return_rows_from_bulk_insert
    ids = {}
    for start in range(0, len(entries), _CHUNK):
        chunk = entries[start:start + _CHUNK]
        cursor.execute(
            f"INSERT INTO {table} (seq, at, actor, action, target, payload, leaf_hash, prev_hash, hash) VALUES "
            + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, '', '')"] * len(chunk))
            + (" RETURNING seq, id" if returning else ""),
            [v for seq, at, *rest in chunk for v in (seq, at_field.get_db_prep_value(at, connection), *rest)])
        if returning:
            ids.update(cursor.fetchall())  # in no promised order: matched by number
    if not returning:
        ids = dict(AuditEntry.objects.filter(seq__gte=entries[0][0], seq__lte=entries[-1][0]).values_list("seq", "pk"))
    for start in range(0, len(built["nodes"]), _CHUNK):
        chunk = built["nodes"][start:start + _CHUNK]
        cursor.execute(f"INSERT INTO {_table(connection, AuditNode)} (id, hash) VALUES "
                       + ", ".join(["(%s, %s)"] * len(chunk)),
                       [v for key, h in chunk for v in (key, h.hex())])
    saved = []
    for seq, at, name, action, target, body, leaf in entries:
        entry = AuditEntry(id=ids[seq], seq=seq, at=at, actor=name, action=action, target=target, payload=body,
                           leaf_hash=leaf)
        entry._state.adding, entry._state.db = False, connection.alias
        saved.append(entry)
    return saved


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
