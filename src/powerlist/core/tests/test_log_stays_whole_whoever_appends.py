"""Entries reach the transparency log one at a time, several at once (one action recording two
events), after a rolled-back transaction, and after another process moved the head behind this
process's back: every time the head is the root
of exactly the entries there are, and `audit verify` passes."""

import pytest
from django.db import transaction

from powerlist.core import merkle
from powerlist.core.models import AuditCheckpoint, AuditEntry, AuditHead
from powerlist.core.scope import SYSTEM
from powerlist.core.services import audit


def assert_whole():
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    head = AuditHead.objects.get(id=1)
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert head.seq == len(leaves) and head.hash == merkle.root_of(leaves).hex()
    verdict = audit.verify()
    assert verdict.ok, verdict.message


def another_process(n):
    """Entries appended by another process: the head moves, this process's memory of it does not."""
    remembered = dict(audit._LAST)
    audit.append_many(SYSTEM, [("test.other", "x", {"i": i}) for i in range(n)])
    audit._LAST.clear()
    audit._LAST.update(remembered)


def rolled_back(n):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.append_many(SYSTEM, [("test.gone", f"thing:{i}", {"i": i}) for i in range(n)])
        raise RuntimeError("the change fails after its entries were appended")


STEPS = {
    "one": lambda: audit.append(SYSTEM, "test.one", "thing:1", {"名称": "岳塘区"}),
    "two at once": lambda: audit.append_many(SYSTEM, [("case.complete", "case:1", {"seq": 5}),
                                                      ("case.close", "case:1", {"seq": 6})]),
    "seven at once": lambda: audit.append_many(SYSTEM, [("test.many", f"thing:{i}", {"i": i}) for i in range(7)]),
    "rolled back": lambda: rolled_back(3),
    "another writer": lambda: another_process(5),
}


@pytest.mark.parametrize("order", [
    ["one", "two at once", "one", "seven at once", "one"],
    ["one", "rolled back", "one", "two at once"],
    ["seven at once", "rolled back", "rolled back", "seven at once"],
    ["one", "another writer", "one", "another writer", "two at once"],
    ["two at once", "rolled back", "another writer", "seven at once", "one"],
])
def test_head_is_the_root_of_the_entries_after_every_kind_of_append(db, order):
    for step in order:
        STEPS[step]()
        assert_whole()


def test_entries_appended_together_are_the_same_leaves_as_one_by_one(db):
    before = audit.tree_size()
    saved = audit.append_many(SYSTEM, [("test.many", f"thing:{i}", {"i": i}) for i in range(9)])
    assert [e.seq for e in saved] == list(range(before + 1, before + 10))
    assert list(AuditEntry.objects.filter(seq__gt=before).order_by("seq").values_list("pk", flat=True)) == \
        [e.pk for e in saved]
    for entry in AuditEntry.objects.filter(seq__gt=before):
        data = audit.leaf_data(entry.seq, entry.at, entry.actor, entry.action, entry.target, entry.payload)
        assert entry.leaf_hash == merkle.leaf_hash(data.encode()).hex()
    assert_whole()


def test_a_checkpoint_inside_a_batch_signs_the_tree_at_its_size(db, settings):
    settings.POWERLIST_LOG_CHECKPOINT_EVERY = 4
    before = audit.tree_size()
    audit.append_many(SYSTEM, [("test.many", f"thing:{i}", {}) for i in range(9)])
    sizes = [s for s in range(before + 1, before + 10) if s % 4 == 0]
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    for size in sizes:
        assert AuditCheckpoint.objects.get(size=size).root == merkle.root_of(leaves[:size]).hex()
    assert_whole()
