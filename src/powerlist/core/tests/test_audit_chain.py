import pytest
from django.core.management import call_command

from powerlist.core import merkle
from powerlist.core.models import AuditEntry, AuditHead
from powerlist.core.scope import SYSTEM
from powerlist.core.services import audit


@pytest.fixture
def chain(db):
    """Five entries after whatever the test database holds already (the law corpus load)."""
    for n in range(5):
        audit.append(SYSTEM, "test.event", f"thing:{n}", {"n": n, "名称": "岳塘区"})
    return list(AuditEntry.objects.filter(action="test.event").order_by("seq"))


def run_verify(capsys):
    try:
        call_command("audit", "verify")
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out + out.err


def test_intact_chain_verifies(chain, capsys):
    assert audit.verify().ok
    code, out = run_verify(capsys)
    assert code == 0 and f"{chain[-1].seq} entries" in out


def test_edited_row_is_named(chain, capsys):
    third = chain[2].seq
    AuditEntry.objects.filter(seq=third).update(payload='{"n":99}')
    verdict = audit.verify()
    assert not verdict.ok and verdict.broken_seq == third
    code, out = run_verify(capsys)
    assert code == 1 and f"#{third} " in out and "edited" in out


def test_deleted_row_is_named(chain):
    AuditEntry.objects.filter(seq=chain[1].seq).delete()
    verdict = audit.verify()
    assert not verdict.ok and verdict.broken_seq == chain[1].seq


def test_deleted_last_row_is_detected_by_the_head(chain):
    AuditEntry.objects.filter(seq=chain[-1].seq).delete()
    verdict = audit.verify()
    assert not verdict.ok and verdict.broken_seq == chain[-1].seq


def test_reordered_rows_are_named(chain):
    # swap the contents of entries 2 and 3 while keeping their numbers in sequence
    e2, e3 = chain[1], chain[2]
    AuditEntry.objects.filter(pk=e2.pk).update(seq=-2)
    AuditEntry.objects.filter(pk=e3.pk).update(seq=e2.seq)
    AuditEntry.objects.filter(pk=e2.pk).update(seq=e3.seq)
    verdict = audit.verify()
    assert not verdict.ok and verdict.broken_seq == e2.seq


def test_forged_leaf_hash_of_one_row_breaks_the_stored_subtree_hashes(chain):
    # an attacker who edits an entry and recomputes its leaf hash still contradicts the stored
    # hashes of the subtrees above it
    e2 = chain[1]
    forged = merkle.leaf_hash(audit.leaf_data(e2.seq, e2.at, e2.actor, e2.action, e2.target, '{"n":42}').encode())
    AuditEntry.objects.filter(pk=e2.pk).update(payload='{"n":42}', leaf_hash=forged.hex())
    verdict = audit.verify()
    assert not verdict.ok and "subtree" in verdict.message


def test_head_follows_the_log(chain):
    head = AuditHead.objects.get(id=1)
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    assert head.seq == chain[-1].seq and head.hash == merkle.root_of(leaves).hex()
