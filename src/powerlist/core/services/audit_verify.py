"""Checking the audit log end to end, in one streaming pass (memory does not grow with the log):
every entry's number and leaf hash, the old chain links of entries written before the log,
every stored subtree hash, the head, and the roots of every checkpoint this installation signed,
both those in the database and those in the data directory (which an attacker who can only
write the database cannot touch). `against_checkpoint` also proves, with a consistency proof,
that today's log extends an older checkpoint someone kept."""

import base64
import hashlib
from dataclasses import dataclass

from powerlist.core import merkle, notes
from powerlist.core.errors import DomainError
from powerlist.core.models import AuditCheckpoint, AuditEntry, AuditHead, AuditNode
from powerlist.core.services import audit, checkpoints

GENESIS = "0" * 64


@dataclass
class Verdict:
    ok: bool
    checked: int
    message: str
    broken_seq: int | None = None


@dataclass
class Signed:
    size: int
    root: bytes
    where: str


def legacy_digest(prev_hash: str, body: str) -> str:
    """The old hash chain's link (entries written before the transparency log)."""
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def _signed_checkpoints(extra: list[Signed]) -> tuple[list[Signed], str | None]:
    texts = [(c.text, f"database, issued {c.issued_at:%Y-%m-%d %H:%M}") for c in AuditCheckpoint.objects.all()]
    records, damaged = checkpoints.recorded()
    if damaged:
        return [], f"the checkpoint record kept outside the database is damaged ({', '.join(damaged[:3])})"
    texts += [(r["checkpoint"], f"{checkpoints.record_path().name}, issued {str(r.get('issued_at', '?'))[:16]}")
              for r in records]
    if not texts:
        return list(extra), None
    try:
        key = checkpoints.verifier(create=False)
    except DomainError as exc:
        return [], str(exc)
    out = list(extra)
    for text, where in texts:
        try:
            cp = notes.verify_checkpoint(text, key)
        except notes.NoteError as exc:
            return [], f"a checkpoint kept in the {where.split(',')[0]} is not genuine: {exc}"
        out.append(Signed(cp.size, cp.root, where))
    return out, None


def verify(extra: list[Signed] = ()) -> Verdict:
    signed, problem = _signed_checkpoints(list(extra))
    if problem:
        return Verdict(False, 0, problem)
    targets = {s.size for s in signed}
    roots = {0: merkle.EMPTY_ROOT}
    entries = AuditEntry.objects.order_by("seq").values_list(
        "seq", "at", "actor", "action", "target", "payload", "leaf_hash", "prev_hash", "hash").iterator(chunk_size=5000)
    stored_nodes = AuditNode.objects.order_by("id").values_list("id", "hash").iterator(chunk_size=5000)
    frontier: list[bytes] = []
    legacy_prev, legacy_open, count = GENESIS, True, 0
    for seq, at, actor, action, target, payload, leaf_hex, prev_hash, chain_hash in entries:
        if seq != count + 1:
            what = "missing" if seq > count + 1 else "duplicated or reordered"
            return Verdict(False, count, f"entry #{count + 1} is {what} (found #{seq} next)", count + 1)
        body = audit.leaf_data(seq, at, actor, action, target, payload)
        leaf = merkle.leaf_hash(body.encode("utf-8"))
        if leaf.hex() != leaf_hex:
            return Verdict(False, count, f"entry #{seq} was edited after it was written "
                                         f"(its content no longer matches its leaf hash)", seq)
        if chain_hash:
            if not legacy_open or prev_hash != legacy_prev or legacy_digest(prev_hash, body) != chain_hash:
                return Verdict(False, count, f"entry #{seq}, written before the transparency log, no longer "
                                             f"matches its old chain link (edited, inserted or reordered)", seq)
            legacy_prev = chain_hash
        else:
            legacy_open = False
        closed = []
        audit.extend(frontier, count, leaf, closed)
        for key, h in closed:
            stored = next(stored_nodes, None)
            if stored is None or stored[0] != key or stored[1] != h.hex():
                return Verdict(False, count, f"the stored hash of the subtree ending at entry #{seq} does not "
                                             f"match the entries (subtree hashes altered): proofs would lie", seq)
        count += 1
        if count in targets:
            roots[count] = merkle.fold(frontier)
    root = merkle.fold(frontier)
    if next(stored_nodes, None) is not None:
        return Verdict(False, count, f"the log stores subtree hashes past its last entry #{count}: "
                                     f"entries after #{count} were deleted", count + 1)
    head = AuditHead.objects.filter(id=1).first()
    head_size = head.seq if head else 0
    if head_size != count:
        if head_size > count:
            return Verdict(False, count, f"the log ends at #{count} but its head records #{head_size}: "
                                         f"entries after #{count} were deleted", count + 1)
        return Verdict(False, count, f"the log holds {count} entries but its head records {head_size}: "
                                     f"entries were inserted behind the head", head_size + 1)
    if count and head.hash != root.hex():
        return Verdict(False, count, "the head's root hash does not match the entries (head altered)")
    for s in sorted(signed, key=lambda s: -s.size):
        if s.size > count:
            return Verdict(False, count, f"a checkpoint signed by this log ({s.where}) covers {s.size} entries, "
                                         f"but the log now holds only {count}: entries were deleted, the database "
                                         f"was rolled back to an older copy, or wiped", count + 1)
        if roots[s.size] != s.root:
            return Verdict(False, count, f"the first {s.size} entries no longer hash to the root of the checkpoint "
                                         f"signed by this log ({s.where}): the log was rewritten and its hashes "
                                         f"recomputed")
    latest = max((s.size for s in signed), default=0)
    return Verdict(True, count, f"audit log intact: {count} entries, root {base64.b64encode(root).decode()}; "
                                f"consistent with the {len(targets)} signed checkpoints held (the latest covers {latest})")


def against_checkpoint(text: str) -> Verdict:
    """`audit verify --checkpoint FILE`: the file must be signed by this log's key and today's log
    must be an append-only extension of it (consistency proof from the stored hashes), then the
    whole log is checked as `verify` does."""
    try:
        key = checkpoints.verifier(create=False)
        old = notes.verify_checkpoint(text, key)
    except notes.NoteError as exc:
        return Verdict(False, 0, f"the checkpoint is not genuine: {exc}")
    except DomainError as exc:
        return Verdict(False, 0, str(exc))
    if old.origin != checkpoints.origin():
        return Verdict(False, 0, f"the checkpoint is for the log {old.origin!r}, not this log ({checkpoints.origin()!r})")
    size = audit.tree_size()
    if old.size > size:
        return Verdict(False, size, f"the checkpoint covers {old.size} entries but the log now holds {size}: "
                                    f"entries were deleted, the database was rolled back to an older copy, "
                                    f"or wiped", size + 1)
    try:
        proof = audit.consistency_proof(old.size, size)
    except DomainError as exc:
        return Verdict(False, size, f"no consistency proof can be made: {exc}")
    path = [base64.b64decode(h) for h in proof["consistency_path"]]
    new_root = base64.b64decode(proof["to_root_hash"])
    head = AuditHead.objects.filter(id=1).first()
    if head is None or head.hash != new_root.hex() or not merkle.verify_consistency(
            old.size, size, old.root, new_root, path):
        return Verdict(False, size, f"today's log ({size} entries) is not an append-only extension of the checkpoint "
                                    f"of {old.size} entries: the log was rewritten")
    verdict = verify([Signed(old.size, old.root, "the checkpoint given")])
    if verdict.ok:
        verdict.message = (f"the log's {size} entries extend the checkpoint of {old.size} entries "
                           f"(consistency proof verified); {verdict.message}")
    return verdict
