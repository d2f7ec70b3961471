"""A journalist takes the checkpoint, the verifier key and the proofs from the public endpoints
and checks them with tools/verify_checkpoint.py, which runs without Django or powerlist."""

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from powerlist.core import merkle, notes
from powerlist.core.models import AuditEntry
from powerlist.core.scope import SYSTEM
from powerlist.core.services import audit, checkpoints

TOOL = Path(__file__).resolve().parents[4] / "tools" / "verify_checkpoint.py"


def tool(*args):
    done = subprocess.run([sys.executable, "-I", str(TOOL), *map(str, args)], capture_output=True, text=True,
                          timeout=60)
    return done.returncode, done.stdout + done.stderr


def fetch(client, url, tmp_path, name):
    response = client.get(url)
    assert response.status_code == 200, response.content
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


@pytest.fixture
def record(db, client, tmp_path):
    """Entries, a checkpoint the journalist saved, more entries, and today's checkpoint."""
    for i in range(5):
        audit.append(SYSTEM, "list.publish", f"jurisdiction:43030{i}", {"version": i, "title": "岳塘区权力清单"})
    old = fetch(client, "/transparency/checkpoint", tmp_path, "old.checkpoint")
    for i in range(11):
        audit.append(SYSTEM, "item.update", f"item:{i}", {"i": i})
    new = fetch(client, "/transparency/checkpoint", tmp_path, "new.checkpoint")
    key = client.get("/transparency/key").content.decode().strip()
    return key, old, new


def test_checkpoint_is_served_as_utf8_text_and_its_signature_verifies(record, client):
    key, old, new = record
    response = client.get("/transparency/checkpoint")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().split("\n")[1] == str(audit.tree_size())
    code, out = tool("--key", key, "checkpoint", new)
    assert code == 0 and f"checkpoint of {audit.tree_size()} entries" in out


def test_journalist_proves_an_entry_is_in_the_signed_log(record, client, tmp_path):
    key, old, new = record
    size = int(old.read_text().split("\n")[1])
    proof = fetch(client, f"/transparency/proof?entry={size}&size={size}", tmp_path, "proof.json")
    assert json.loads(proof.read_text())["leaf_index"] == size - 1
    code, out = tool("--key", key, "inclusion", old, proof)
    assert code == 0 and "岳塘区权力清单" in out and "list.publish" in out
    # the same entry against today's larger tree
    proof = fetch(client, f"/transparency/proof?entry={size}", tmp_path, "proof2.json")
    assert tool("--key", key, "inclusion", new, proof)[0] == 0


def test_journalist_proves_todays_log_extends_the_saved_checkpoint(record, client, tmp_path):
    key, old, new = record
    a, b = (int(p.read_text().split("\n")[1]) for p in (old, new))
    proof = fetch(client, f"/transparency/consistency?from={a}&to={b}", tmp_path, "consistency.json")
    code, out = tool("--key", key, "consistency", old, new, proof)
    assert code == 0 and f"extends its log of {a} entries" in out


def test_tool_refuses_a_doctored_entry_and_a_doctored_proof(record, client, tmp_path):
    key, old, new = record
    size = int(old.read_text().split("\n")[1])
    proof = json.loads(client.get(f"/transparency/proof?entry={size}&size={size}").content)
    doctored = tmp_path / "doctored.json"
    doctored.write_text(json.dumps({**proof, "leaf_data": proof["leaf_data"].replace("岳塘区", "雨湖区")}))
    code, out = tool("--key", key, "inclusion", old, doctored)
    assert code == 1 and "altered" in out
    a, b = (int(p.read_text().split("\n")[1]) for p in (old, new))
    consistency = json.loads(client.get(f"/transparency/consistency?from={a}&to={b}").content)
    consistency["consistency_path"] = consistency["consistency_path"][::-1]
    doctored.write_text(json.dumps(consistency))
    code, out = tool("--key", key, "consistency", old, new, doctored)
    assert code == 1 and "NOT an append-only extension" in out


def test_tool_refuses_a_checkpoint_from_another_key_and_garbage(record, tmp_path):
    key, old, new = record
    impostor = notes.Signer(checkpoints.origin(), Ed25519PrivateKey.generate()).verifier.vkey()
    code, out = tool("--key", impostor, "checkpoint", new)
    assert code == 1 and "is not signed by the key" in out
    forged = tmp_path / "forged.checkpoint"
    forged.write_text(new.read_text().replace("\n" + str(audit.tree_size()) + "\n", "\n1000000\n"))
    code, out = tool("--key", key, "checkpoint", forged)
    assert code == 1 and "altered or forged" in out
    garbage = tmp_path / "garbage"
    garbage.write_text("nothing to see\n")
    code, out = tool("--key", key, "checkpoint", garbage)
    assert code == 2 and "not a checkpoint" in out and "Traceback" not in out


@pytest.mark.parametrize("url,status", [
    ("/transparency/proof", 400), ("/transparency/proof?entry=abc", 400), ("/transparency/proof?entry=1%00", 400),
    ("/transparency/proof?entry=0", 404), ("/transparency/proof?entry=99999999", 404),
    ("/transparency/proof?entry=1&size=-3", 404), ("/transparency/proof?entry=1&size=" + "9" * 5000, 400),
    ("/transparency/consistency", 400), ("/transparency/consistency?from=x", 400),
    ("/transparency/consistency?from=5&to=2", 404), ("/transparency/consistency?from=1&to=99999999", 404)])
def test_bad_proof_parameters_get_a_json_message_not_a_500(record, client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["error"]


def test_help_page_explains_the_endpoints_and_the_tool(db, client):
    response = client.get("/transparency/")
    assert response.status_code == 200 and "verify_checkpoint.py" in response.content.decode()


def test_a_proof_reads_a_handful_of_rows_however_long_the_log(db, django_assert_max_num_queries):
    for i in range(300):
        audit.append(SYSTEM, "item.update", f"item:{i}")
    size = audit.tree_size()
    with django_assert_max_num_queries(5):
        proof = audit.inclusion_proof(size // 3, size)
    assert len(proof["inclusion_path"]) >= 8
    with django_assert_max_num_queries(4):
        audit.consistency_proof(size // 2 + 1, size)
    # the proof of the last entry is made from stored subtree hashes, not from the leaves below them
    root = audit.inclusion_proof(size)["root_hash"]
    AuditEntry.objects.filter(seq__lte=256).delete()
    last = audit.inclusion_proof(size)
    assert last["root_hash"] == root and merkle.verify_inclusion(
        size - 1, size, base64.b64decode(last["leaf_hash"]), [base64.b64decode(h) for h in last["inclusion_path"]],
        base64.b64decode(root))
