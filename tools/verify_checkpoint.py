#!/usr/bin/env python3
"""Check powerlist's audit log without running powerlist: a signed checkpoint, an inclusion
proof (this entry is in the log the checkpoint commits to) and a consistency proof (the newer
checkpoint's log extends the older one: nothing was rewritten, truncated or rolled back).

Needs only Python 3.10+ and `cryptography` (pip install cryptography). Formats: C2SP
tlog-checkpoint and signed-note (Ed25519), RFC 9162 §2.1 Merkle trees. Usage:

    verify_checkpoint.py --key VKEY checkpoint CHECKPOINT
    verify_checkpoint.py --key VKEY inclusion CHECKPOINT PROOF.json
    verify_checkpoint.py --key VKEY consistency OLD_CHECKPOINT NEW_CHECKPOINT PROOF.json

VKEY is the log's verifier key (GET /transparency/key), given as text or as a file holding it.
CHECKPOINT is a file (GET /transparency/checkpoint, or the one a list version's page shows);
PROOF.json comes from GET /transparency/proof?entry=N&size=M or
/transparency/consistency?from=A&to=B. Exit 0: verified; 1: NOT verified (the sentence says
why); 2: a file could not be read or is not in the expected format.

Deliberately a second implementation, sharing no code with the server it checks."""

import argparse
import base64
import binascii
import hashlib
import json
import sys
from pathlib import Path

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover
    sys.exit("verify_checkpoint.py needs the cryptography package: pip install cryptography")


class Unusable(Exception):
    """Input that cannot be read or parsed (exit 2)."""


class Refuted(Exception):
    """Input that parses but does not verify (exit 1)."""


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def node(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


def b64(text, what: str, size: int | None = None) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise Unusable(f"{what} is not base64") from None
    if size is not None and len(raw) != size:
        raise Unusable(f"{what} should be {size} bytes, not {len(raw)}")
    return raw


def read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Unusable(f"cannot read {path}: {exc}") from None


def parse_vkey(text: str) -> tuple[str, bytes, bytes]:
    if "+" not in text and Path(text).is_file():
        text = read(text)
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise Unusable("the verifier key should read name+keyid+base64key")
    name, key_id, raw = parts[0], parts[1].lower(), b64(parts[2], "the verifier key", 33)
    if raw[0] != 1:
        raise Unusable("the verifier key is not an Ed25519 key")
    computed = sha256(name.encode() + b"\n" + raw)[:4]
    if computed.hex() != key_id:
        raise Unusable("the verifier key's id does not match its name and key")
    return name, computed, raw[1:]


def verify_checkpoint(path: str, vkey) -> tuple[str, int, bytes]:
    """(origin, size, root) of a checkpoint signed by vkey."""
    name, key_id, public = vkey
    text = read(path)
    body, sep, signatures = text.partition("\n\n")
    lines = body.split("\n")
    if not sep or len(lines) < 3 or not lines[1].isdigit():
        raise Unusable(f"{path} is not a checkpoint (origin, tree size, root hash, blank line, signatures)")
    origin, size, root = lines[0], int(lines[1]), b64(lines[2], f"the root hash in {path}", 32)
    for line in signatures.split("\n"):
        parts = line.split(" ")
        if len(parts) == 3 and parts[0] == "\u2014" and parts[1] == name:
            blob = b64(parts[2], f"the signature in {path}")
            if blob[:4] != key_id or len(blob) != 68:
                continue
            try:
                Ed25519PublicKey.from_public_bytes(public).verify(blob[4:], (body + "\n").encode("utf-8"))
            except InvalidSignature:
                raise Refuted(f"{path}: the signature of {name} does not match the checkpoint: "
                              f"it was altered or forged") from None
            return origin, size, root
    raise Refuted(f"{path} is not signed by the key {name} ({key_id.hex()}): forged, or from another log")


def verify_inclusion(index: int, size: int, leaf: bytes, path: list[bytes], root: bytes) -> bool:
    # RFC 9162 §2.1.3.2
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, path: list[bytes]) -> bool:
    # RFC 9162 §2.1.4.2
    if not 0 <= old <= new:
        return False
    if old == new:
        return not path and old_root == new_root
    if old == 0:
        return not path
    if not path:
        return False
    if old & (old - 1) == 0:
        path = [old_root, *path]
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


def load_proof(path: str) -> dict:
    try:
        proof = json.loads(read(path))
    except json.JSONDecodeError:
        raise Unusable(f"{path} is not JSON") from None
    if not isinstance(proof, dict):
        raise Unusable(f"{path} is not a proof object")
    return proof


def field(proof: dict, name: str, kind):
    value = proof.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise Unusable(f"the proof has no valid {name!r}")
    return value


def check_inclusion(args, vkey) -> str:
    origin, size, root = verify_checkpoint(args.checkpoint, vkey)
    proof = load_proof(args.proof)
    index, tree_size = field(proof, "leaf_index", int), field(proof, "tree_size", int)
    leaf = b64(field(proof, "leaf_hash", str), "leaf_hash", 32)
    path = [b64(h, "a hash of inclusion_path", 32) for h in field(proof, "inclusion_path", list)]
    if tree_size != size:
        raise Refuted(f"the proof is for a tree of {tree_size} entries, the checkpoint for {size}: "
                      f"ask for ?entry={index + 1}&size={size}")
    data = proof.get("leaf_data")
    if data is not None and sha256(b"\x00" + str(data).encode("utf-8")) != leaf:
        raise Refuted("the entry's text does not hash to the leaf hash given: the entry was altered")
    if not verify_inclusion(index, size, leaf, path, root):
        raise Refuted(f"entry {index + 1} is NOT in the log of {size} entries that {origin} signed")
    return f"OK: entry {index + 1} is in the log of {size} entries signed by {origin}" + (
        f":\n{data}" if data is not None else "")


def check_consistency(args, vkey) -> str:
    origin, old_size, old_root = verify_checkpoint(args.old, vkey)
    new_origin, new_size, new_root = verify_checkpoint(args.new, vkey)
    if origin != new_origin:
        raise Refuted(f"the checkpoints are of two different logs ({origin}, {new_origin})")
    proof = load_proof(args.proof)
    first, second = field(proof, "from", int), field(proof, "to", int)
    path = [b64(h, "a hash of consistency_path", 32) for h in field(proof, "consistency_path", list)]
    if (first, second) != (old_size, new_size):
        raise Refuted(f"the proof goes from {first} to {second} entries, the checkpoints from {old_size} to "
                      f"{new_size}: ask for ?from={old_size}&to={new_size}")
    if new_size < old_size:
        raise Refuted(f"the newer checkpoint has fewer entries ({new_size}) than the older ({old_size}): "
                      f"the log was truncated or rolled back")
    if not verify_consistency(old_size, new_size, old_root, new_root, path):
        raise Refuted(f"the log of {new_size} entries is NOT an append-only extension of the log of "
                      f"{old_size} entries: {origin} rewrote its history")
    return f"OK: the log of {new_size} entries signed by {origin} extends its log of {old_size} entries"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--key", required=True, help="the log's verifier key (vkey), or a file holding it")
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("checkpoint", help="check a checkpoint's signature")
    one.add_argument("checkpoint")
    inc = sub.add_parser("inclusion", help="check that an entry is in the log a checkpoint commits to")
    inc.add_argument("checkpoint")
    inc.add_argument("proof")
    con = sub.add_parser("consistency", help="check that a newer checkpoint's log extends an older one's")
    con.add_argument("old")
    con.add_argument("new")
    con.add_argument("proof")
    args = parser.parse_args(argv)
    try:
        vkey = parse_vkey(args.key)
        if args.what == "checkpoint":
            origin, size, root = verify_checkpoint(args.checkpoint, vkey)
            message = f"OK: a checkpoint of {size} entries, root {base64.b64encode(root).decode()}, signed by {origin}"
        elif args.what == "inclusion":
            message = check_inclusion(args, vkey)
        else:
            message = check_consistency(args, vkey)
    except Unusable as exc:
        print(f"cannot check: {exc}", file=sys.stderr)
        return 2
    except Refuted as exc:
        print(f"NOT VERIFIED: {exc}", file=sys.stderr)
        return 1
    print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
