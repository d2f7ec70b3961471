"""An attacker who can write the database (but not the data directory holding the signing key
and the checkpoint record) tries to make history disappear. Each attempt passes the old bare
chain's check; each must fail `powerlist audit verify`, with or without an old checkpoint."""

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command

from powerlist.core import merkle, notes
from powerlist.core.models import AuditCheckpoint, AuditEntry, AuditHead, AuditNode
from powerlist.core.scope import SYSTEM
from powerlist.core.services import audit, checkpoints


def run(capsys, *args):
    try:
        call_command("audit", *args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out + out.err


def append(n, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(n):
            audit.append(SYSTEM, "item.update", f"item:{i}", {"名称": "岳塘区教育局", "i": i})


@pytest.fixture
def saved_checkpoint(db, settings, tmp_path, django_capture_on_commit_callbacks):
    """A log with checkpoints every 4 entries, and the checkpoint someone saved at its end."""
    settings.POWERLIST_LOG_CHECKPOINT_EVERY = 4
    append(10, django_capture_on_commit_callbacks)
    path = tmp_path / "saved.checkpoint"
    with django_capture_on_commit_callbacks(execute=True):
        path.write_text(checkpoints.current(), encoding="utf-8")
    return path


def rebuild_hashes(upto: int | None = None):
    """What an attacker with our source code does after editing rows: recompute every leaf hash,
    subtree hash and the head, and drop the checkpoints they cannot re-sign."""
    AuditNode.objects.all().delete()
    frontier, size = [], 0
    for entry in AuditEntry.objects.order_by("seq"):
        leaf = merkle.leaf_hash(audit.leaf_data(entry.seq, entry.at, entry.actor, entry.action, entry.target,
                                                entry.payload).encode())
        AuditEntry.objects.filter(pk=entry.pk).update(leaf_hash=leaf.hex(), prev_hash="", hash="")
        closed = []
        audit.extend(frontier, size, leaf, closed)
        AuditNode.objects.bulk_create([AuditNode(id=k, hash=h.hex()) for k, h in closed])
        size += 1
    AuditHead.objects.filter(id=1).update(seq=size, hash=merkle.fold(frontier).hex(),
                                          frontier=json.dumps([h.hex() for h in frontier]))
    AuditCheckpoint.objects.filter(size__gt=upto if upto is not None else -1).delete()


def test_intact_log_verifies_against_the_saved_checkpoint_after_more_entries(saved_checkpoint, capsys,
                                                                              django_capture_on_commit_callbacks):
    append(7, django_capture_on_commit_callbacks)
    code, out = run(capsys, "verify", "--checkpoint", str(saved_checkpoint))
    assert code == 0 and "consistency proof verified" in out
    code, out = run(capsys, "verify")
    assert code == 0 and "intact" in out


def test_attacker_edits_a_payload_and_recomputes_every_hash(saved_checkpoint, capsys):
    victim = AuditEntry.objects.filter(action="item.update").order_by("seq")[2]
    AuditEntry.objects.filter(pk=victim.pk).update(payload='{"名称":"别的部门"}')
    rebuild_hashes()
    code, out = run(capsys, "verify", "--checkpoint", str(saved_checkpoint))
    assert code == 1 and "not an append-only extension" in out and "rewritten" in out
    code, out = run(capsys, "verify")  # the checkpoint record outside the database catches it too
    assert code == 1 and "no longer hash to the root" in out


def test_attacker_deletes_the_last_rows_and_fixes_the_head(saved_checkpoint, capsys):
    size = audit.tree_size()
    AuditEntry.objects.filter(seq__gt=size - 3).delete()
    rebuild_hashes(upto=size - 3)
    code, out = run(capsys, "verify", "--checkpoint", str(saved_checkpoint))
    assert code == 1 and f"covers {size} entries but the log now holds {size - 3}" in out
    code, out = run(capsys, "verify")
    assert code == 1 and "rolled back" in out and f"holds only {size - 3}" in out


def test_database_rolled_back_to_an_older_copy(saved_checkpoint, capsys, django_capture_on_commit_callbacks):
    old_head = AuditHead.objects.values().get(id=1)
    old_checkpoints = set(AuditCheckpoint.objects.values_list("pk", flat=True))
    append(9, django_capture_on_commit_callbacks)  # work done after the backup: checkpoints issued
    # restore the backup: newer rows gone, head and checkpoints as they were
    AuditEntry.objects.filter(seq__gt=old_head["seq"]).delete()
    AuditNode.objects.filter(id__gt=(old_head["seq"] + 1) * 64).delete()
    AuditCheckpoint.objects.exclude(pk__in=old_checkpoints).delete()
    AuditHead.objects.filter(id=1).update(**{k: v for k, v in old_head.items() if k != "id"})
    code, out = run(capsys, "verify")
    assert code == 1 and "rolled back to an older copy" in out
    assert f"holds only {old_head['seq']}" in out


def test_powerlist_flush_wipes_the_log(saved_checkpoint, capsys):
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    code, out = run(capsys, "verify")
    assert code == 1 and "or wiped" in out and "holds only 0" in out
    code, out = run(capsys, "verify", "--checkpoint", str(saved_checkpoint))
    assert code == 1 and "now holds 0" in out


def test_forged_checkpoint_signed_with_another_key_is_refused(saved_checkpoint, capsys, tmp_path):
    forger = notes.Signer(checkpoints.origin(), Ed25519PrivateKey.generate())
    forged = tmp_path / "forged.checkpoint"
    forged.write_text(forger.sign(notes.checkpoint_body(checkpoints.origin(), 3, merkle.EMPTY_ROOT)))
    code, out = run(capsys, "verify", "--checkpoint", str(forged))
    assert code == 1 and "not genuine" in out and "not signed by the key" in out


def test_checkpoint_with_an_altered_root_is_refused(saved_checkpoint, capsys, tmp_path):
    lines = saved_checkpoint.read_text().split("\n")
    lines[2] = merkle.EMPTY_ROOT.hex()[:43] + "="  # another 32-byte value in base64
    altered = tmp_path / "altered.checkpoint"
    altered.write_text("\n".join(lines))
    code, out = run(capsys, "verify", "--checkpoint", str(altered))
    assert code in (1, 2) and "Traceback" not in out and ("not valid" in out or "root hash" in out)


def test_forged_checkpoint_slipped_into_the_database_is_caught(saved_checkpoint, capsys):
    stored = AuditCheckpoint.objects.order_by("size").first()
    forger = notes.Signer(checkpoints.origin(), Ed25519PrivateKey.generate())
    stored.text = forger.sign(notes.checkpoint_body(checkpoints.origin(), stored.size, merkle.EMPTY_ROOT))
    stored.save()
    code, out = run(capsys, "verify")
    assert code == 1 and "checkpoint kept in the database is not genuine" in out


@pytest.mark.parametrize("content,expected", [
    (None, "无法读取检查点文件"), ("garbage\n", "不是签名的检查点"), (b"\xff\xfe\x00", "不是 UTF-8"),
    ("origin\n12\nAAAA\n\n\u2014 x AAAA\n", "root hash")])
def test_unusable_checkpoint_file_is_named_without_a_traceback(db, capsys, tmp_path, content, expected):
    path = tmp_path / "given.checkpoint"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    code, out = run(capsys, "verify", "--checkpoint", str(path))
    assert code == 2 and expected in out and "Traceback" not in out


def test_checkpoint_record_outside_the_database_is_appended_only_on_commit(db, settings, tmp_path):
    settings.POWERLIST_LOG_CHECKPOINT_EVERY = 1
    audit.append(SYSTEM, "test.event", "rolled-back")  # the test's transaction never commits
    assert AuditCheckpoint.objects.filter(size=audit.tree_size()).exists()
    assert not Path(checkpoints.record_path()).exists()


def test_signing_key_file_is_created_owner_only(db, settings, tmp_path, capsys):
    settings.POWERLIST_LOG_KEY_FILE = None
    code, out = run(capsys, "public-key")
    key = checkpoints.transparency_dir() / "log-key"
    assert code == 0 and key.stat().st_mode & 0o777 == 0o600
    assert notes.Verifier.parse(out.strip()) == checkpoints.verifier()
