"""`powerlist events import` of 100,000 case events from CSV, against plain CSV parsing and a
bulk insert of the same rows without any check, in the same run.

    python bench/events_import_bench.py [--events 100000] [--db sqlite|postgres|both]

The file: cases of 受理 → 审查 → 决定 → 送达 pushed by a department's system (accept, four
completes, close: 6 events a case), every 20th case with a step out of order and every 50th for a
power not on the list, the rows shuffled (events of a case are scattered over the file, as exports
from several workstations are). Measured:

- baseline: csv.reader over the file, then one transaction that bulk-inserts the cases and the
  events as they are (no validation, no scope, no engine, no idempotency, no transparency log);
- `events import`: the command's service on the same file (every row checked, scope, duplicates,
  each case replayed through SpiffWorkflow, cases and events inserted in chunks, every event on the
  transparency log), in one transaction;
- the same file imported again (every row a duplicate: nothing stored).

Prints a table (events/s and the ratio to the baseline) and the process's peak RSS; asserts only
that the import stored every row once."""

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
import one_county  # noqa: E402
PG_NAME = "pl_events_bench"
STEPS = one_county.STEPS
HEADER = ["case", "item_code", "jurisdiction", "step", "action", "actor", "at", "amount", "penalty_type",
          "discretion"]


def fresh_postgres():
    one_county.fresh_postgres(PG_NAME)


def setup(db: str, data: Path):
    clerk, item = one_county.setup(db, data, PG_NAME)
    return clerk, item, item.organisation, item.jurisdiction


def write_file(path: Path, events: int, prefix: str) -> int:
    rows = []
    n = 0
    while len(rows) < events:
        n += 1
        code = "430304-JY-XX-404" if n % 50 == 0 else "430304-JY-XK-001"
        steps = ["审查", "受理", "决定", "送达"] if n % 20 == 0 else STEPS
        day = 1 + n % 28
        case = f"{prefix}{n:06d}"
        rows.append([case, code, "430304", "", "accept", "张科员", f"2026-10-{day:02d}T08:00:00+08:00", "", "", ""])
        for i, step in enumerate(steps):
            amount = ("5000", "罚款", "一般") if step == "决定" else ("", "", "")
            rows.append([case, code, "430304", step, "complete", "张科员",
                         f"2026-10-{day:02d}T{9 + i:02d}:00:00+08:00", *amount])
        rows.append([case, code, "430304", "", "close", "张科员", f"2026-10-{day:02d}T14:00:00+08:00", "", "", ""])
    rows = rows[:events]
    random.Random(7).shuffle(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return n


def baseline(path: Path, org, county) -> float:
    """csv.reader, then the cases and events bulk-inserted as they are, in one transaction."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction

    from powerlist.operation.models import Case, CaseEvent

    t = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        rows = list(reader)
    with transaction.atomic():
        cases = {}
        for r in rows:
            if r[0] not in cases:
                cases[r[0]] = Case(number=f"BASE-{r[0]}", item_code=r[1], item_version=1, organisation=org,
                                   jurisdiction=county, accepted_at=dt.datetime.fromisoformat(r[6]), accepted_by=r[5],
                                   source="external")
        Case.objects.bulk_create(cases.values(), batch_size=500)
        seqs = {}
        events = []
        for r in rows:
            seq = seqs[r[0]] = seqs.get(r[0], 0) + 1
            events.append(CaseEvent(case=cases[r[0]], seq=seq, step=r[3], action=r[4], actor=r[5],
                                    at=dt.datetime.fromisoformat(r[6]), amount=Decimal(r[7]) if r[7] else None,
                                    penalty_type=r[8], discretion=r[9], source="file"))
            if len(events) >= 1000:
                CaseEvent.objects.bulk_create(events)
                events = []
        CaseEvent.objects.bulk_create(events)
    return time.perf_counter() - t


def imported(clerk, path: Path):
    from powerlist.operation.services import event_files, ingest

    t = time.perf_counter()
    result = ingest.record_events(clerk, event_files.read(path), source="file", file=path.name)
    return time.perf_counter() - t, result


def run(db: str, events: int) -> None:
    if db == "postgres":
        fresh_postgres()
    with tempfile.TemporaryDirectory() as tmp:
        clerk, item, org, county = setup(db, Path(tmp))
        from django.db import connection

        warm = Path(tmp) / "warm.csv"
        write_file(warm, 60, "W")
        imported(clerk, warm)  # the spec cache, the calendar, the connection
        path = Path(tmp) / "events.csv"
        cases = write_file(path, events, "C")
        size = path.stat().st_size
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        took, result = imported(clerk, path)
        rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert result.stored == events, result
        again, repeat = imported(clerk, path)
        assert repeat.stored == 0 and repeat.duplicates == events
        base = baseline(path, org, county)
        vendor = f"{connection.vendor} {connection.Database.sqlite_version if db == 'sqlite' else ''}".strip()
        connection.close()
    print(f"\n{events:,} events ({cases:,} cases, CSV {size / 1024 / 1024:.1f} MB), db={vendor}; flagged: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(result.flagged.items())) + "\n")
    print("| what | db | s | events/s | ratio to baseline |")
    print("|---|---|---:|---:|---:|")
    for what, s in (("baseline: csv.reader + bulk insert of the rows as they are, no checks", base),
                    ("`events import` (checked, replayed, flagged, on the transparency log)", took),
                    ("the same file again (every row a duplicate)", again)):
        print(f"| {what} | {vendor} | {s:.1f} | {events / s:,.0f} | {base / s:.2f} |")
    print(f"\npeak RSS: {rss_before / 1024:.0f} MB before the import, {rss_import / 1024:.0f} MB after it")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    args = parser.parse_args()
    if args.db == "both":  # Django is set up once per process: one child per database
        import subprocess

        for db in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, "--events", str(args.events), "--db", db], check=True)
        return
    run(args.db, args.events)


if __name__ == "__main__":
    main()
