"""Many entries on the transparency log at once, for events pushed in bulk (`events import`, the
batch API): the same leaves, subtree hashes, head and signed checkpoints as
`powerlist.core.services.audit.append` writes one at a time, computed in memory and inserted in
chunks. `audit verify` cannot tell the two apart.

The head row is locked from the first chunk to the end of the caller's transaction, as one
append locks it: callers append last, after their own rows, so the lock is held briefly.
(This belongs in core's audit service as `append_many`; it is here until the lead moves it.)"""

import json
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from powerlist.core import merkle
from powerlist.core.models import AuditEntry, AuditHead, AuditNode
from powerlist.core.services import audit, checkpoints

CHUNK = 2000


def append_many(actor, entries: Iterable[tuple[str, str, dict]]) -> int:
    """Append (action, target, payload) entries in order; returns how many. Call it inside the
    transaction that stores what they record."""
    name = audit.actor_name(actor)
    every = audit.checkpoint_every()
    count = 0
    with transaction.atomic():
        head = audit._locked_head()
        frontier = [bytes.fromhex(h) for h in json.loads(head.frontier)]
        seq = head.seq
        at = timezone.now()
        rows: list[AuditEntry] = []
        nodes: list[AuditNode] = []

        def flush():
            AuditEntry.objects.bulk_create(rows, batch_size=CHUNK)
            AuditNode.objects.bulk_create(nodes, batch_size=CHUNK)
            rows.clear()
            nodes.clear()
            head.seq, head.hash = seq, merkle.fold(frontier).hex()
            head.frontier = json.dumps([h.hex() for h in frontier])
            AuditHead.objects.filter(id=1).update(seq=head.seq, hash=head.hash, frontier=head.frontier)

        for action, target, payload in entries:
            body = audit.canonical(payload if payload is not None else {})
            leaf = merkle.leaf_hash(audit.leaf_data(seq + 1, at, name, action, target[:200], body).encode("utf-8"))
            closed: list = []
            audit.extend(frontier, seq, leaf, closed)
            seq += 1
            count += 1
            rows.append(AuditEntry(seq=seq, at=at, actor=name, action=action, target=target[:200], payload=body,
                                   leaf_hash=leaf.hex()))
            nodes.extend(AuditNode(id=key, hash=h.hex()) for key, h in closed)
            if seq % every == 0:  # a checkpoint signs the head at exactly this size, as append does
                flush()
                checkpoints.issue_for_locked_head(head)
            elif len(rows) >= CHUNK:
                flush()
        if rows or seq != head.seq:
            flush()
    return count
