"""Signed checkpoints in the C2SP formats, with no Django: `tlog-checkpoint` (origin, tree size,
base64 root hash) inside a `signed-note` (a blank line, then `— <name> <base64(key id ||
Ed25519 signature)>`). Key id = the first 4 bytes of SHA-256(name || "\\n" || 0x01 || public key);
the verifier key ("vkey") is `name+keyid_hex+base64(0x01 || public key)`, as in Go's
golang.org/x/mod/sumdb/note, so Go's and Sigsum's tools read our checkpoints too."""

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
DASH = "\u2014"
NAME = re.compile(r"^[^\s+]+$")


class NoteError(ValueError):
    """The text is not a well-formed checkpoint, key or signature; the message says why."""


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    name: str
    public: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public)

    def vkey(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(ED25519 + self.public).decode()}"

    @classmethod
    def parse(cls, vkey: str) -> "Verifier":
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3 or not parts[0]:
            raise NoteError("verifier key must read name+keyid+base64 key")
        name, hex_id, b64 = parts
        try:
            raw = base64.b64decode(b64, validate=True)
        except binascii.Error:
            raise NoteError("verifier key's public key is not base64") from None
        if len(raw) != 33 or raw[:1] != ED25519:
            raise NoteError("verifier key is not an Ed25519 key")
        verifier = cls(name, raw[1:])
        if verifier.key_id.hex() != hex_id.lower():
            raise NoteError("verifier key's id does not match its name and key")
        return verifier


@dataclass(frozen=True)
class Signer:
    name: str
    private: Ed25519PrivateKey

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, raw_public(self.private.public_key()))

    def sign(self, body: str) -> str:
        signature = self.private.sign(body.encode("utf-8"))
        blob = base64.b64encode(self.verifier.key_id + signature).decode()
        return f"{body}\n{DASH} {self.name} {blob}\n"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    text: str

    @property
    def root_b64(self) -> str:
        return base64.b64encode(self.root).decode()


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def parse_checkpoint(text: str) -> tuple[Checkpoint, str, list[tuple[str, bytes]]]:
    """(checkpoint, signed body, [(signer name, key id + signature)]); raises NoteError."""
    if "\n\n" not in text:
        raise NoteError("a checkpoint has its text, a blank line, then signature lines")
    body, _, sigs = text.partition("\n\n")
    body += "\n"
    lines = body.split("\n")[:-1]
    if len(lines) < 3:
        raise NoteError("a checkpoint starts with three lines: origin, tree size, root hash")
    origin, size_text, root_text = lines[:3]
    if not origin or not re.fullmatch(r"0|[1-9][0-9]{0,18}", size_text):
        raise NoteError("the second line of a checkpoint must be the tree size in decimal")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error:
        root = b""
    if len(root) != 32:
        raise NoteError("the third line of a checkpoint must be a base64 SHA-256 root hash")
    signatures = []
    for line in sigs.split("\n"):
        if not line:
            continue
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise NoteError(f"not a signature line: {line[:80]!r}")
        try:
            blob = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            raise NoteError("a signature line's signature is not base64") from None
        signatures.append((parts[1], blob))
    if not signatures:
        raise NoteError("the checkpoint carries no signature")
    return Checkpoint(origin, int(size_text), root, text), body, signatures


def verify_checkpoint(text: str, verifier: Verifier) -> Checkpoint:
    """The checkpoint, if `verifier` signed it; NoteError naming the problem otherwise."""
    checkpoint, body, signatures = parse_checkpoint(text)
    for name, blob in signatures:
        if name == verifier.name and blob[:4] == verifier.key_id and len(blob) == 68:
            try:
                Ed25519PublicKey.from_public_bytes(verifier.public).verify(blob[4:], body.encode("utf-8"))
            except InvalidSignature:
                raise NoteError(f"the signature of {name} on this checkpoint is not valid: "
                                f"the checkpoint was altered or forged") from None
            return checkpoint
    raise NoteError(f"the checkpoint is not signed by the key {verifier.name} ({verifier.key_id.hex()}): "
                    f"forged, or from another log")
