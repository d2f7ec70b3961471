"""Live supervision on PostgreSQL: case events stored at a steady rate through the case service by
writer processes, and the time from an event's commit to its alert being visible in the alerts table.

    python bench/live_bench.py [--seconds 60] [--rate 200] [--writers 8] [--evaluators 1] [--pg-db pl_supervision_live]

The database `--pg-db` is dropped and re-created (schema by `migrate`). Writer processes (forked,
each with its own connection) drive cases through the real path, `operation.services.cases`
(open_case, then act: 受理, 审查, 决定, 送达, the steps not already done by the opening), on an
open-loop schedule of `--rate` events/s in all. Every case plants a deviation the live rules see at
once: 受理 and 决定 by the same clerk where the flowchart puts them in different lanes
(same-person-accept-decide); every 5th case is also returned for correction twice at 审查
(repeated-return).

A separate process (its own connection, no Django) polls the events and alerts tables every 10 ms:
the latency of an alert is the moment it was first seen minus the moment its event was first seen
(both by the same poller: the commit of the event to the alert being visible, ±10 ms).

Phases in the same run, each `--seconds` long: the baseline with live evaluation off
(POWERLIST_SUPERVISION_LIVE=off in the writers: the storing cost alone), then `queue` (the writers
queue the case in their transaction; `--evaluators` processes of `powerlist supervise watch --live`
drain it), and with `--inline` also the former in-writer evaluation. For each: the events stored and
events/s reached, the writer's time per call (p50/p95), the alert latency p50/p95/max and the
queue left when the writers stop. The target: p95 under one second at 200 events/s."""

import argparse
import multiprocessing as mp
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
import one_county  # noqa: E402


def poll(dsn: str, stop, out):
    """First-seen times of events (case, seq) and of alerts (dedupe key) until `stop` is set."""
    import psycopg

    seen_events, seen_alerts = {}, {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        # only what this phase stores
        last_event = conn.execute("SELECT coalesce(max(id), 0) FROM operation_caseevent").fetchone()[0]
        last_alert = conn.execute("SELECT coalesce(max(id), 0) FROM supervision_alert").fetchone()[0]
        while not stop.is_set():
            now = time.time()
            for i, case_id, seq in conn.execute("SELECT id, case_id, seq FROM operation_caseevent WHERE id > %s",
                                                [last_event]).fetchall():
                seen_events[(case_id, seq)] = now
                last_event = max(last_event, i)
            for i, key in conn.execute("SELECT id, dedupe_key FROM supervision_alert WHERE id > %s",
                                       [last_alert]).fetchall():
                seen_alerts[key] = now
                last_alert = max(last_alert, i)
            time.sleep(max(0.0, 0.01 - (time.time() - now)))
    out.put((seen_events, seen_alerts))


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def writer(k: int, item_pk: int, user_pks, rate: float, writers: int, start_at: float, end_at: float,
           live_mode: str, out) -> None:
    """One writer process: its share of the schedule until `end_at` (time.time()); sends
    (call durations, errors) to `out`."""
    from django.conf import settings
    from django.db import connection

    from powerlist.catalog.models import PowerItem
    from powerlist.core.models import User
    from powerlist.operation.services import cases

    settings.POWERLIST_SUPERVISION_LIVE = live_mode
    item = PowerItem.objects.get(pk=item_pk)
    clerk, other = (User.objects.get(pk=pk) for pk in user_pks)
    per = rate / writers
    next_at = start_at + k / rate
    calls, errors, n = [], [], 0
    try:
        while time.time() < end_at:
            n += 1
            plan = [("open", None, clerk), ("complete", "受理", clerk)]
            if (k + n * writers) % 5 == 0:
                plan += [("return", "审查", other), ("resume", None, other)] * 2
            plan += [("complete", "审查", other), ("complete", "决定", clerk), ("complete", "送达", other)]
            number = None
            for action, step, who in plan:
                if (action, step) == ("complete", "受理") and step in cases.describe(cases.get_case(number))["done"]:
                    continue  # the opening stands for it
                wait = next_at - time.time()
                if wait > 0:
                    time.sleep(wait)
                next_at += 1 / per
                t = time.perf_counter()
                try:
                    if action == "open":
                        number = cases.open_case(who, item).number
                    else:
                        cases.act(who, number, action, step, reason="材料不全" if action == "return" else "")
                except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
                    errors.append(f"{action} {step}: {exc}"[:200])
                    break
                calls.append(time.perf_counter() - t)
                if time.time() >= end_at:
                    break
    finally:
        connection.close()
        out.put((calls, errors))


def drive(item, users, rate: float, seconds: float, writers: int, live_mode: str) -> dict:
    """Writer processes at `rate` events/s in all for `seconds`; per-call durations and counts."""
    from django.db import connections

    connections.close_all()  # each forked writer opens its own
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 0.2
    end_at = start_at + seconds
    procs = [ctx.Process(target=writer, args=(k, item.pk, [u.pk for u in users], rate, writers, start_at, end_at,
                                              live_mode, out)) for k in range(writers)]
    for p in procs:
        p.start()
    calls, errors = [], []
    for _ in procs:
        c, e = out.get()
        calls += c
        errors += e
    for p in procs:
        p.join()
    return {"calls": calls, "seconds": max(seconds, time.time() - start_at), "errors": errors}


def queued(dsn: str) -> int:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM supervision_livequeue").fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--writers", type=int, default=8, help="writer processes")
    parser.add_argument("--evaluators", type=int, default=1, help="`supervise watch --live` processes")
    parser.add_argument("--inline", action="store_true", help="also the former in-writer evaluation")
    parser.add_argument("--pg-db", default="pl_supervision_live")
    args = parser.parse_args()

    one_county.fresh_postgres(args.pg_db)
    dsn = f"postgresql://postgres@127.0.0.1:5432/{args.pg_db}"
    one_county.django_on("postgres", Path(tempfile.mkdtemp(prefix="live-bench-")), args.pg_db)
    from powerlist.core.models import Role, User
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import organisations
    from powerlist.supervision.tests import planted_log

    county = one_county.county()
    edu = organisations.create_organisation(SYSTEM, county, name="岳塘区教育局")
    market = organisations.create_organisation(SYSTEM, county, name="岳塘区市场监督管理局")
    charts = planted_log.prepare(SYSTEM, county, {"edu": edu, "market": market})
    users = tuple(organisations.save_user(SYSTEM, User(username=f"clerk{i}", role=Role.CLERK, jurisdiction=county,
                                                       organisation=edu), password="bench-bench-bench")
                  for i in (1, 2))
    item = charts["A"]["item"]

    results = {}
    phases = [("baseline: live evaluation off (storing alone)", "off"), ("queue + live evaluator", "queue")]
    if args.inline:
        phases.append(("inline: evaluated in the writer after its commit (before the queue)", "inline"))
    env = {**os.environ, "POWERLIST_SUPERVISION_LIVE": "queue"}
    for phase, live_mode in phases:
        evaluators = []
        if live_mode == "queue":
            evaluators = [subprocess.Popen([sys.executable, "-m", "powerlist", "supervise", "watch", "--live",
                                            "--interval", "3600"], env=env, stdout=subprocess.DEVNULL)
                          for _ in range(args.evaluators)]
            # started (Django, the first time-driven round) and listening: may take seconds on a loaded machine
            import psycopg

            with psycopg.connect(dsn, autocommit=True) as conn:
                while conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                   "AND query LIKE 'LISTEN %%'").fetchone()[0] < args.evaluators:
                    time.sleep(0.2)
        stop, out = mp.Event(), mp.Queue()
        poller = mp.get_context("fork").Process(target=poll, args=(dsn, stop, out))
        poller.start()
        time.sleep(0.5)
        run = drive(item, users, args.rate, args.seconds, args.writers, live_mode)
        left = queued(dsn)
        time.sleep(3.0)  # the last alerts
        stop.set()
        seen_events, seen_alerts = out.get()
        poller.join()
        for p in evaluators:
            p.send_signal(signal.SIGTERM)
        for p in evaluators:
            p.wait(timeout=60)
        latencies = []
        for key, when in seen_alerts.items():
            _rule, case_id, seq, _day = key.split(":", 3)
            if seq and (int(case_id), int(seq)) in seen_events:
                latencies.append(when - seen_events[(int(case_id), int(seq))])
        results[phase] = {**run, "events": len(seen_events), "alerts": len(seen_alerts), "latencies": latencies,
                          "left": left}
        if run["errors"]:
            print(f"{phase}: {len(run['errors'])} errors, e.g. {run['errors'][0]}", file=sys.stderr)
        # the next phase starts from a drained queue and an empty poller view
        from powerlist.supervision import live as live_module

        live_module.drain()
        from django.db import connections

        connections.close_all()

    print(f"\n## live supervision, PostgreSQL, target {args.rate:.0f} events/s for {args.seconds:.0f} s, "
          f"{args.writers} writer processes, {args.evaluators} live evaluators\n")
    print("| phase | events | events/s | writer call p50 ms | p95 ms | alerts | alert latency p50 ms | p95 ms "
          "| max ms | queued when the writers stopped |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for phase, r in results.items():
        lat = r["latencies"]
        cols = (f"{pct(lat, 50) * 1000:.0f} | {pct(lat, 95) * 1000:.0f} | {max(lat) * 1000:.0f}" if lat
                else "- | - | -")
        print(f"| {phase} | {r['events']:,} | {r['events'] / r['seconds']:.0f} | "
              f"{statistics.median(r['calls']) * 1000:.0f} | {pct(r['calls'], 95) * 1000:.0f} | {r['alerts']:,} | "
              f"{cols} | {r['left']} |")


if __name__ == "__main__":
    main()
