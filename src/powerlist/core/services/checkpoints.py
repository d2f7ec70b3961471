"""Signed checkpoints of the audit log. The signing key lives outside the database (a file in
the data directory, created 0600 on first use, or POWERLIST_LOG_KEY_FILE), and every issued
checkpoint is kept twice: in the database (AuditCheckpoint) and appended to
`transparency/checkpoints.jsonl` in the data directory, so that an attacker who can write only
the database cannot roll the log back under the installation's own nose."""

import base64
import json
import os
import socket
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from powerlist.core import notes
from powerlist.core.errors import DomainError
from powerlist.core.models import AuditCheckpoint, AuditHead

_KEY_PREFIX = "PRIVATE+KEY+"


def setting(name: str, default=None):
    """POWERLIST_LOG_KEY_FILE, POWERLIST_LOG_ORIGIN, POWERLIST_LOG_CHECKPOINT_EVERY: a Django
    setting of that name if there is one (tests), else the environment variable."""
    return getattr(settings, name, None) or os.environ.get(name) or default
_cache: dict[tuple, notes.Signer] = {}


class LogKeyError(DomainError):
    """The log's signing key file is missing or unreadable."""


def transparency_dir() -> Path:
    return Path(settings.POWERLIST_DATA_DIR) / "transparency"


def key_path() -> Path:
    configured = setting("POWERLIST_LOG_KEY_FILE")
    return Path(configured) if configured else transparency_dir() / "log-key"


def record_path() -> Path:
    return transparency_dir() / "checkpoints.jsonl"


def default_origin() -> str:
    # C2SP: a schema-less URL naming the log; the host name keeps two installations apart
    host = (socket.gethostname() or "localhost").split(".")[0].replace("+", "-").replace(" ", "-")
    return f"{host}/powerlist/audit"


def origin() -> str:
    return setting("POWERLIST_LOG_ORIGIN") or signer().name


def _parse_key(text: str, path: Path) -> notes.Signer:
    # Go's note signer key: PRIVATE+KEY+name+keyid+base64(0x01 || 32-byte seed)
    parts = text.strip().removeprefix(_KEY_PREFIX).split("+", 2)
    try:
        seed = base64.b64decode(parts[2], validate=True)
        if len(parts) != 3 or len(seed) != 33 or seed[:1] != notes.ED25519:
            raise ValueError
        return notes.Signer(parts[0], Ed25519PrivateKey.from_private_bytes(seed[1:]))
    except (ValueError, IndexError):
        raise LogKeyError(f"审计日志签名密钥文件 {path} 已损坏（应为 PRIVATE+KEY+名称+编号+密钥）") from None


def signer(create: bool = True) -> notes.Signer:
    """The log's key; made on first use unless `create` is False (verify never makes one)."""
    path = key_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        if not create:
            raise LogKeyError(f"找不到审计日志签名密钥文件 {path}：无法核对已签发的检查点") from None
        return _create_key(path)
    cache_key = (str(path), stat.st_mtime_ns, stat.st_size)
    if cache_key not in _cache:
        _cache.clear()
        _cache[cache_key] = _parse_key(path.read_text(), path)
    return _cache[cache_key]


def _create_key(path: Path) -> notes.Signer:
    name = setting("POWERLIST_LOG_ORIGIN") or default_origin()
    new = notes.Signer(name, Ed25519PrivateKey.generate())
    seed = new.private.private_bytes_raw()
    text = f"{_KEY_PREFIX}{name}+{new.verifier.key_id.hex()}+{base64.b64encode(notes.ED25519 + seed).decode()}\n"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return signer(create=False)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return new


def verifier(create: bool = True) -> notes.Verifier:
    return signer(create).verifier


def _issue(head: AuditHead) -> AuditCheckpoint:
    key = signer()
    text = key.sign(notes.checkpoint_body(origin(), head.seq, bytes.fromhex(head.hash)))
    checkpoint = AuditCheckpoint.objects.create(size=head.seq, root=head.hash, text=text, issued_at=timezone.now())
    record = json.dumps({"size": head.seq, "root": head.hash, "issued_at": checkpoint.issued_at.isoformat(),
                         "checkpoint": text}, ensure_ascii=False) + "\n"
    # only what commits is recorded outside: a rolled-back append must not look like a rollback
    transaction.on_commit(lambda: _append_record(record))
    return checkpoint


def _append_record(line: str) -> None:
    path = record_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def issue_for_locked_head(head: AuditHead) -> AuditCheckpoint:
    """Called by audit.append with the head row locked, every POWERLIST_LOG_CHECKPOINT_EVERY entries."""
    existing = AuditCheckpoint.objects.filter(size=head.seq).first()
    return existing or _issue(head)


def current() -> str:
    """The signed checkpoint of the log as it is now, issuing one if the last is older."""
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        if head is None:
            head = AuditHead.objects.create(id=1)
        return issue_for_locked_head(head).text


def recorded() -> tuple[list[dict], list[str]]:
    """The checkpoints this installation wrote to its data directory, and the lines that are
    not checkpoint records (each named by its number)."""
    path = record_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [], []
    records, damaged = [], []
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
            record["size"], record["checkpoint"] = int(record["size"]), str(record["checkpoint"])
            records.append(record)
        except (ValueError, KeyError, TypeError):
            damaged.append(f"{path} line {number}")
    return records, damaged
