"""The audit log: appending entries to the transparency log against the old bare hash chain, and
verifying a log of 1,000,000 entries against an old signed checkpoint.

    python bench/audit_bench.py [--appends 3000] [--every 1000] [--entries 1000000] [--db sqlite|postgres]

Appends: each entry in its own transaction, as a service makes it. Baseline measured in the same
run on the same database and tables: the old chain's append (lock the head row, sha256 over the
previous hash and the entry, insert, update the head), reimplemented here. Rounds alternate and
the best of each is kept. Verify: the 1,000,000 entries are bulk-inserted with their leaf and
subtree hashes, with a checkpoint at half the log saved to a file; `powerlist audit verify
--checkpoint FILE` then runs in a fresh process (its peak RSS is the figure), against a floor
measured in the same way: a process that only reads the same rows. Prints a table; asserts nothing.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
PG = "postgres://postgres@127.0.0.1:5432/pl_tlog_bench"


def setup(db: str, data: Path):
    os.environ["DATABASE_URL"] = db
    os.environ["POWERLIST_DATA_DIR"] = str(data)
    os.environ.setdefault("POWERLIST_SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "powerlist.settings"
    import django

    django.setup()


def fresh_postgres():
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS pl_tlog_bench")
        conn.execute("CREATE DATABASE pl_tlog_bench")


def clear():
    """Start a fresh log: the rows, and the checkpoint record outside the database (which would
    otherwise, rightly, report the cleared log as wiped)."""
    from powerlist.core.models import AuditCheckpoint, AuditEntry, AuditHead, AuditNode
    from powerlist.core.services import checkpoints

    for model in (AuditEntry, AuditNode, AuditCheckpoint, AuditHead):
        model.objects.all().delete()
    checkpoints.record_path().unlink(missing_ok=True)


def chain_append(n: int):
    """The old bare chain's append (core/services/audit.py before the transparency log)."""
    from django.db import transaction
    from django.utils import timezone

    from powerlist.core.models import AuditEntry, AuditHead
    from powerlist.core.services.audit import canonical, leaf_data

    for i in range(n):
        with transaction.atomic():
            head = AuditHead.objects.select_for_update().filter(id=1).first()
            if head is None:
                head = AuditHead.objects.create(id=1, hash="0" * 64)
            seq, at, payload = head.seq + 1, timezone.now(), canonical({"item": i, "名称": "岳塘区教育局"})
            digest = hashlib.sha256((head.hash + leaf_data(seq, at, "bench", "item.update", f"item:{i}",
                                                           payload)).encode()).hexdigest()
            AuditEntry.objects.create(seq=seq, at=at, actor="bench", action="item.update", target=f"item:{i}",
                                      payload=payload, prev_hash=head.hash, hash=digest)
            AuditHead.objects.filter(id=1).update(seq=seq, hash=digest)


def log_append(n: int):
    from powerlist.core.services import audit

    for i in range(n):
        audit.append("bench", "item.update", f"item:{i}", {"item": i, "名称": "岳塘区教育局"})


def bulk_log(total: int, half_file: Path):
    """`total` entries with their leaf and subtree hashes, written in bulk; the checkpoint at half
    the log is saved to half_file, as someone would have kept it."""
    from django.db import transaction

    from powerlist.core import merkle
    from powerlist.core.models import AuditEntry, AuditHead, AuditNode
    from powerlist.core.services import audit, checkpoints

    start, frontier, entries, nodes = datetime(2025, 1, 1, tzinfo=UTC), [], [], []

    def flush():
        AuditEntry.objects.bulk_create(entries)
        AuditNode.objects.bulk_create(nodes)
        entries.clear()
        nodes.clear()

    for size in range(total):
        seq, at = size + 1, start + timedelta(seconds=size)
        payload = audit.canonical({"item": size, "名称": "岳塘区教育局", "fields": ["name", "conditions"]})
        leaf = merkle.leaf_hash(audit.leaf_data(seq, at, "clerk1", "item.update", f"item:{size}", payload).encode())
        entries.append(AuditEntry(seq=seq, at=at, actor="clerk1", action="item.update", target=f"item:{size}",
                                  payload=payload, leaf_hash=leaf.hex()))
        closed = []
        audit.extend(frontier, size, leaf, closed)
        nodes.extend(AuditNode(id=k, hash=h.hex()) for k, h in closed)
        if len(entries) >= 10_000:
            flush()
        if seq in (total // 2, total):
            flush()
            AuditHead.objects.update_or_create(id=1, defaults={
                "seq": seq, "hash": merkle.fold(frontier).hex(), "frontier": json.dumps([h.hex() for h in frontier])})
            with transaction.atomic():
                text = checkpoints.current()
            if seq == total // 2:
                half_file.write_text(text)
    flush()


def child(kind: str, arg: str):
    """Run in a fresh process: the verify (or the bare read) whose time and peak RSS we report."""
    import resource

    t = time.perf_counter()
    if kind == "append":
        log_append(int(arg))
        return
    if kind == "verify":
        from powerlist.core.services import audit_verify

        verdict = audit_verify.against_checkpoint(Path(arg).read_text())
        result = verdict.message[:90]
        ok = verdict.ok
    else:
        from powerlist.core.models import AuditEntry

        n = 0
        for _ in AuditEntry.objects.order_by("seq").values_list(
                "seq", "at", "actor", "action", "target", "payload", "leaf_hash").iterator(chunk_size=5000):
            n += 1
        result, ok = f"{n} rows read", True
    print(json.dumps({"seconds": time.perf_counter() - t, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                      / 1024, "ok": ok, "result": result}))


def run_child(kind: str, arg: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, arg], capture_output=True, text=True,
                         env=os.environ.copy(), check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def concurrent(processes: int, each: int) -> tuple[float, str]:
    """`processes` processes append at once; the log must come out whole."""
    from powerlist.core.services import audit

    clear()
    t = time.perf_counter()
    children = [subprocess.Popen([sys.executable, __file__, "--child", "append", str(each)], env=os.environ.copy())
                for _ in range(processes)]
    codes = [c.wait() for c in children]
    elapsed = time.perf_counter() - t
    verdict = audit.verify()
    return elapsed, f"exit codes {codes}; verify ok={verdict.ok}: {verdict.message[:80]}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appends", type=int, default=3000)
    parser.add_argument("--every", type=int, default=1000, help="a checkpoint every N entries")
    parser.add_argument("--entries", type=int, default=1_000_000, help="size of the log verified")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--processes", type=int, default=4, help="processes appending at once (safety check)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        setup(os.environ["DATABASE_URL"], Path(os.environ["POWERLIST_DATA_DIR"]))
        return child(*args.child)

    tmp = Path(tempfile.mkdtemp(prefix="audit-bench-"))
    if args.db == "postgres":
        fresh_postgres()
        db = PG
    else:
        db = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["POWERLIST_LOG_CHECKPOINT_EVERY"] = str(args.every)
    setup(db, tmp / "data")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    best = {"chain": float("inf"), "log": float("inf")}
    for _ in range(args.rounds):
        for name, fn in (("chain", chain_append), ("log", log_append)):
            clear()
            t = time.perf_counter()
            fn(args.appends)
            best[name] = min(best[name], time.perf_counter() - t)
    from powerlist.core.models import AuditCheckpoint

    issued = AuditCheckpoint.objects.count()
    each = max(1, args.appends // (2 * args.processes))
    conc_s, conc = concurrent(args.processes, each)
    clear()
    t = time.perf_counter()
    half = tmp / "half.checkpoint"
    bulk_log(args.entries, half)
    load_s = time.perf_counter() - t
    bare = run_child("read", "")
    verified = run_child("verify", str(half))

    print(f"database: {args.db}; {args.appends:,} appends per round, best of {args.rounds}; "
          f"a checkpoint every {args.every} entries ({issued} issued in the last round)")
    print()
    print("| append, one transaction each | entries | seconds | entries/s | ratio to the bare chain |")
    print("|---|---:|---:|---:|---:|")
    c, m = best["chain"], best["log"]
    print(f"| bare hash chain (old code, baseline) | {args.appends:,} | {c:.2f} | {args.appends / c:,.0f} | 1.00 |")
    print(f"| transparency log + signed checkpoints | {args.appends:,} | {m:.2f} | {args.appends / m:,.0f} | "
          f"{c / m:.2f} |")
    print(f"\n{args.processes} processes appending {each:,} entries each at once: {conc_s:.1f}s; {conc}")
    print()
    print(f"{args.entries:,} entries bulk-loaded with their hashes in {load_s:.0f}s; "
          f"old checkpoint at {args.entries // 2:,}")
    print()
    print("| pass over the whole log (fresh process) | entries | seconds | entries/s | peak RSS MB | ratio to bare read |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in (("read the rows only (floor)", bare), ("audit verify --checkpoint (old checkpoint)", verified)):
        print(f"| {label} | {args.entries:,} | {r['seconds']:.1f} | {args.entries / r['seconds']:,.0f} | "
              f"{r['rss_mb']:.0f} | {r['seconds'] / bare['seconds']:.2f} |")
    print(f"\nverify verdict: ok={verified['ok']}: {verified['result']}")


if __name__ == "__main__":
    main()
