"""Twenty clerks acting at once on PostgreSQL, each a separate process with its own connection,
against the same actions done by one process, in the same run; then every event is counted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x python bench/clerks_bench.py [--clerks 20] [--own 8] [--shared 2]

Only the server of DATABASE_URL is used: the bench works in its own database `pl_clerks_bench`
there, dropped and re-created (the database DATABASE_URL names is not touched). Without a
PostgreSQL DATABASE_URL it says so and exits: on SQLite one writer at a time is the design.

Each clerk (one department, one four-step item 受理 → 审查 → 决定 → 送达) opens `--own` cases of its
own and moves each through its four steps (`cases.open_case`, then `cases.act(..., "complete")`);
after each of its own cases it also takes `--shared` turns on cases everybody shares, opened
beforehand: it looks at the step ready on one (as a workbench shows it) and completes it, so two
clerks often press the same step at once: one succeeds, the other is refused and the refusal is
recorded (a refused event). The baseline: one process doing the very same clerks' actions one
after the other, on a fresh set of shared cases. Timed from the moment every process is ready.
Supervision's live evaluation is switched off in both (as in cases_bench.py).

Afterwards, for every case touched: the events stored against the actions that returned (accepts
and completions that succeeded, the closing the last step makes, the refusals reported), their
numbers 1..n without a gap, the case's event count, and the transparency log's entries for the
case; the log's size grew by exactly the events written, and `audit verify` passes. Prints a
table; exits non-zero if any event is lost or doubled.
"""

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
DB_NAME = "pl_clerks_bench"
STEPS = ["受理", "审查", "决定", "送达"]


def server_url(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path=f"/{DB_NAME}").geturl()


def django_setup(url: str, data: str):
    os.environ["DATABASE_URL"] = url
    os.environ["POWERLIST_DATA_DIR"] = data
    os.environ.setdefault("POWERLIST_SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "powerlist.settings"
    import django

    django.setup()
    from django.db.models.signals import post_save

    from powerlist.operation.models import CaseEvent

    post_save.disconnect(sender=CaseEvent, dispatch_uid="supervision.live")


def fresh_database(url: str):
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres", scheme="postgresql").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def setup(clerks: int):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from powerlist.catalog.services.items import create_item
    from powerlist.core.models import Role, User
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    org = organisations.create_organisation(SYSTEM, county, name="岳塘区教育局")
    for i in range(clerks):
        organisations.save_user(SYSTEM, User(username=f"clerk{i:02d}", role=Role.CLERK, jurisdiction=county,
                                             organisation=org), password="bench-bench-bench")
    create_item(SYSTEM, county, {"code": "430304-JY-XK-001", "name": "民办学校设立审批", "category": "01",
                                 "organisation": "岳塘区教育局", "status": "published",
                                 "statutory_limit_days": 20, "promised_limit_days": 10,
                                 "flowchart": " → ".join(STEPS)})


def open_shared(n: int) -> list[str]:
    from powerlist.catalog.models import PowerItem
    from powerlist.core.models import User
    from powerlist.operation.services import cases

    clerk, item = User.objects.get(username="clerk00"), PowerItem.objects.get(code="430304-JY-XK-001")
    return [cases.open_case(clerk, item).number for _ in range(n)]


def worker(url, data, names, own, shared_turns, shared, offset, ready, go, results):
    """Act as each clerk in `names`, one after the other; put every action's outcome on `results`."""
    django_setup(url, data)
    from django.db import connection

    from powerlist.catalog.models import PowerItem
    from powerlist.core.models import User
    from powerlist.operation.models import Case
    from powerlist.operation.services import cases

    item = PowerItem.objects.get(code="430304-JY-XK-001")
    users = [User.objects.get(username=n) for n in names]
    cases._runnable(item)  # warm: the chart, the parsed spec, the connection; nothing written
    cases.pinned(Case.objects.filter(number=shared[0]).values_list("flowchart_id", flat=True).get())
    ready.wait()
    go.wait()
    out, start = [], time.perf_counter()

    def timed(kind, number, step, call):
        t = time.perf_counter()
        try:
            value = call()
            out.append((kind, number or value.number, step, "ok", time.perf_counter() - t))
            return value
        except cases.Refused:
            out.append((kind, number, step, "refused", time.perf_counter() - t))
            return None

    turn = offset
    for user in users:
        for _ in range(own):
            case = timed("accept", None, "", lambda: cases.open_case(user, item))
            for step in STEPS:
                timed("complete", case.number, step, lambda: cases.act(user, case.number, "complete", step))
            for _ in range(shared_turns):
                number = shared[turn % len(shared)]
                turn += 7  # clerks wander over the shared cases, meeting each other on some
                row = Case.objects.get(number=number)
                now = cases.describe(row)["ready"]  # what the clerk's workbench shows
                if now:
                    timed("complete", number, now[0], lambda: cases.act(user, number, "complete", now[0]))
    results.put((start, time.perf_counter(), out))
    connection.close()


def run(url, data, clerks, own, shared_turns, parallel: bool) -> dict:
    from powerlist.core.services import audit
    from powerlist.operation.models import CaseEvent

    shared = open_shared(max(1, clerks * own * shared_turns // 4))
    log_before, events_before = audit.tree_size(), CaseEvent.objects.count()
    ctx = mp.get_context("spawn")
    names = [f"clerk{i:02d}" for i in range(clerks)]
    groups = [[n] for n in names] if parallel else [names]
    ready, go, results = ctx.Barrier(len(groups) + 1), ctx.Barrier(len(groups) + 1), ctx.Queue()
    # clerks in four groups, each group walking the shared cases in step: they meet on the same step
    procs = [ctx.Process(target=worker, args=(url, data, group, own, shared_turns, shared, (i % 4) * 11, ready, go,
                                             results)) for i, group in enumerate(groups)]
    for p in procs:
        p.start()
    ready.wait()  # every process set up
    go.wait()
    reports = [results.get() for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode:
            raise SystemExit(f"a clerk process failed (exit code {p.exitcode})")
    wall = max(end for _s, end, _o in reports) - min(start for start, _e, _o in reports)
    outcomes = [o for _s, _e, out in reports for o in out]
    return {"wall": wall, "outcomes": outcomes, "check": check(outcomes, shared, log_before, events_before)}


def check(outcomes, shared, log_before, events_before) -> dict:
    """Events stored against the actions that returned: lost, doubled, gaps, log entries."""
    from powerlist.core.models import AuditEntry
    from powerlist.core.services import audit
    from powerlist.operation.models import Case, CaseEvent

    ok, refused, closed = Counter(), Counter(), Counter()
    for _kind, number, step, outcome, _t in outcomes:
        (ok if outcome == "ok" else refused)[number] += 1
        closed[number] += outcome == "ok" and step == STEPS[-1]  # the last step closes the case
    numbers = set(ok) | set(refused) | set(shared)
    found = {c.number: c for c in Case.objects.filter(number__in=numbers)}
    stored = Counter()
    gaps = lost = doubled = 0
    for number, case in found.items():
        events = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", "refused", "action"))
        seqs = [s for s, _r, _a in events]
        gaps += seqs != list(range(1, len(seqs) + 1)) or case.event_count != len(seqs)
        expected = ok[number] + closed[number] + (1 if number in shared else 0)  # shared: accepted before
        good = sum(not r for _s, r, _a in events)
        bad = sum(r for _s, r, _a in events)
        lost += max(0, expected - good) + max(0, refused[number] - bad)
        doubled += max(0, good - expected) + max(0, bad - refused[number])
        stored[number] = len(events)
    in_run = CaseEvent.objects.count() - events_before
    entries = Counter(AuditEntry.objects.filter(seq__gt=log_before, action__startswith="case.").values_list(
        "target", flat=True))
    log_mismatch = sum(entries[f"case:{n}"] != stored[n] - (1 if n in shared else 0) for n in found)
    verdict = audit.verify()
    return {"events": in_run, "lost": lost, "doubled": doubled, "gaps": gaps,
            "log_grew": audit.tree_size() - log_before, "log_mismatch": log_mismatch, "verify": verdict.ok,
            "refused": sum(refused.values()), "ok": sum(ok.values())}


def p95_ms(times: list[float]) -> float:
    return times[max(0, -(-len(times) * 95 // 100) - 1)] * 1000 if times else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clerks", type=int, default=20)
    parser.add_argument("--own", type=int, default=8, help="cases each clerk opens and moves through")
    parser.add_argument("--shared", type=int, default=2, help="turns on shared cases after each own case")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("clerks_bench: skipped: set DATABASE_URL to a PostgreSQL server (postgres://user@host:port/any); "
              "processes writing at once are measured on PostgreSQL only", file=sys.stderr)
        return
    url = server_url(url)
    fresh_database(url)
    with tempfile.TemporaryDirectory() as data:
        django_setup(url, data)
        from django.db import connection

        setup(args.clerks)
        version = connection.pg_version // 10000
        connection.close()
        rows = []
        for parallel in (False, True):
            result = run(url, data, args.clerks, args.own, args.shared, parallel)
            connection.close()
            rows.append((parallel, result))
    print(f"\n{args.clerks} clerks × ({args.own} own cases × 5 actions + {args.own * args.shared} turns on shared "
          f"cases), PostgreSQL {version}\n")
    print("| run | wall s | actions | refused | events | events/s | p50 ms | p95 ms | p95 open ms | p95 complete ms "
          "| lost | doubled | seq gaps | log entries = events | audit verify |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    base = None
    bad = False
    for parallel, r in rows:
        times = sorted(t for *_x, t in r["outcomes"])
        p50, p95 = statistics.median(times) * 1000, p95_ms(times)
        opens = p95_ms(sorted(t for kind, *_x, t in r["outcomes"] if kind == "accept"))
        completes = p95_ms(sorted(t for kind, *_x, t in r["outcomes"] if kind == "complete"))
        c = r["check"]
        eps = c["events"] / r["wall"]
        base = base or eps
        name = f"{args.clerks} processes at once" if parallel else "one process, the same clerks' actions (baseline)"
        print(f"| {name} | {r['wall']:.1f} | {len(times):,} | {c['refused']} | {c['events']:,} | {eps:,.0f} "
              f"({eps / base:.2f}×) | {p50:.0f} | {p95:.0f} | {opens:.0f} | {completes:.0f} | {c['lost']} | "
              f"{c['doubled']} | {c['gaps']} | "
              f"{'yes' if c['log_grew'] == c['events'] and not c['log_mismatch'] else 'NO'} | "
              f"{'ok' if c['verify'] else 'FAILED'} |")
        bad |= bool(c["lost"] or c["doubled"] or c["gaps"] or c["log_mismatch"] or c["log_grew"] != c["events"]
                    or not c["verify"])
    if bad:
        raise SystemExit("clerks_bench: events lost, doubled or out of order (see the table)")


if __name__ == "__main__":
    main()
