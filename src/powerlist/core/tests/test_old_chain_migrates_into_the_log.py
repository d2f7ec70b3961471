"""An installation upgraded from the bare hash chain keeps its entries, in order and unchanged:
migration 0003 makes them leaves of the log, and their old chain links still verify."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from powerlist.core.models import AuditCheckpoint, AuditEntry, AuditHead, AuditNode
from powerlist.core.scope import SYSTEM
from powerlist.core.services import audit, audit_verify

migration = importlib.import_module("powerlist.core.migrations.0003_transparency_log")


@pytest.fixture
def old_chain(db):
    """Seven entries as the old code wrote them (hash = sha256(prev_hash + body)), no leaf hashes."""
    for model in (AuditEntry, AuditNode, AuditCheckpoint, AuditHead):
        model.objects.all().delete()
    prev = audit_verify.GENESIS
    for seq in range(1, 8):
        at = timezone.now()
        payload = audit.canonical({"n": seq, "名称": "岳塘区"})
        digest = audit_verify.legacy_digest(prev, audit.leaf_data(seq, at, "system", "old.event", f"t:{seq}", payload))
        AuditEntry.objects.create(seq=seq, at=at, actor="system", action="old.event", target=f"t:{seq}",
                                  payload=payload, prev_hash=prev, hash=digest)
        prev = digest
    AuditHead.objects.create(id=1, seq=7, hash=prev)
    return list(AuditEntry.objects.order_by("seq").values_list("seq", "payload", "hash"))


def test_old_chain_becomes_the_first_leaves_with_content_and_links_intact(old_chain):
    migration.chain_into_log(apps, None)
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "payload", "hash")) == old_chain
    assert audit.verify().ok
    audit.append(SYSTEM, "new.event", "after-upgrade")
    verdict = audit.verify()
    assert verdict.ok and verdict.checked == 8


def test_entry_edited_before_the_upgrade_is_still_caught_by_its_old_link(old_chain):
    AuditEntry.objects.filter(seq=3).update(payload='{"n":99}')  # tampered before the upgrade
    migration.chain_into_log(apps, None)  # leaf hashes are computed from the tampered text...
    verdict = audit.verify()
    assert not verdict.ok and verdict.broken_seq == 3 and "old chain link" in verdict.message
