"""Live supervision on PostgreSQL: case events stored at a steady rate through the case service,
and the time from an event's commit to its alert being visible in the alerts table.

    python bench/live_bench.py [--seconds 60] [--rate 200] [--writers 4] [--pg-db pl_supervision_live]

The database `--pg-db` is dropped and re-created (schema by `migrate`). Writer threads (each with
its own connection) drive cases through the real path, `operation.services.cases` (open_case, then
act: 受理, 审查, 决定, 送达: 5 events a case), on an open-loop schedule of `--rate` events/s in all.
Every case plants a deviation the live rules see at once: 受理 and 决定 by the same clerk where the
flowchart puts them in different lanes (same-person-accept-decide); every 5th case is also returned
for correction twice before 受理 (repeated-return).

A separate process (its own connection, no Django) polls the events and alerts tables every 10 ms:
the latency of an alert is the moment it was first seen minus the moment its event was first seen
(both by the same poller: the commit of the event to the alert being visible, ±10 ms).

Two phases in the same run, each `--seconds` long: the baseline with supervision's live evaluation
switched off (its post_save receiver disconnected: the storing cost alone), then with it on. For each:
the events/s reached, the writer's time per call (p50/p95), and with it on the alert latency
p50/p95/max. The target: p95 under one second at 200 events/s."""

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def poll(dsn: str, stop, out):
    """First-seen times of events (case, seq) and of alerts (dedupe key) until `stop` is set."""
    import psycopg

    seen_events, seen_alerts = {}, {}
    last_event = last_alert = 0
    with psycopg.connect(dsn, autocommit=True) as conn:
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


def drive(item, users, rate: float, seconds: float, writers: int, prefix: int) -> dict:
    """Writer threads at `rate` events/s in all for `seconds`; per-call durations and counts."""
    from django.db import connection

    from powerlist.operation.services import cases

    calls, errors, lock = [], [], threading.Lock()
    end = time.perf_counter() + seconds

    def writer(k: int):
        clerk, other = users
        per = rate / writers
        next_at = time.perf_counter() + k / rate
        n = 0
        try:
            while time.perf_counter() < end:
                n += 1
                plan = [("open", None, clerk)]
                if (prefix + k + n * writers) % 5 == 0:
                    plan += [("return", "受理", clerk), ("resume", None, clerk)] * 2
                plan += [("complete", "受理", clerk), ("complete", "审查", other), ("complete", "决定", clerk),
                         ("complete", "送达", other)]
                number = None
                for action, step, who in plan:
                    wait = next_at - time.perf_counter()
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
                        with lock:
                            errors.append(f"{action} {step}: {exc}"[:200])
                        break
                    with lock:
                        calls.append(time.perf_counter() - t)
                    if time.perf_counter() >= end:
                        break
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=writer, args=(k,)) for k in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    return {"events": len(calls), "seconds": took, "calls": calls, "errors": errors}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--pg-db", default="pl_supervision_live")
    args = parser.parse_args()

    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {args.pg_db}")
        conn.execute(f"CREATE DATABASE {args.pg_db}")
    dsn = f"postgresql://postgres@127.0.0.1:5432/{args.pg_db}"
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.pg_db}"
    os.environ["POWERLIST_DATA_DIR"] = tempfile.mkdtemp(prefix="live-bench-")
    os.environ.setdefault("POWERLIST_SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "powerlist.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models.signals import post_save

    call_command("migrate", verbosity=0)
    from powerlist.core.models import Role, User
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions, organisations
    from powerlist.operation.models import CaseEvent
    from powerlist.supervision import live
    from powerlist.supervision.tests import planted_log

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    county = jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")
    edu = organisations.create_organisation(SYSTEM, county, name="岳塘区教育局")
    market = organisations.create_organisation(SYSTEM, county, name="岳塘区市场监督管理局")
    charts = planted_log.prepare(SYSTEM, county, {"edu": edu, "market": market})
    users = tuple(organisations.save_user(SYSTEM, User(username=f"clerk{i}", role=Role.CLERK, jurisdiction=county,
                                                       organisation=edu), password="bench-bench-bench")
                  for i in (1, 2))
    item = charts["A"]["item"]

    results = {}
    for phase, on in (("baseline: live evaluation off (storing alone)", False), ("live evaluation on", True)):
        if on:
            post_save.connect(live.on_event_saved, sender=CaseEvent, dispatch_uid="supervision.live")
        else:
            post_save.disconnect(sender=CaseEvent, dispatch_uid="supervision.live")
        stop, out = mp.Event(), mp.Queue()
        poller = mp.get_context("fork").Process(target=poll, args=(dsn, stop, out))
        poller.start()
        time.sleep(0.5)
        run = drive(item, users, args.rate, args.seconds, args.writers, prefix=len(results))
        time.sleep(2.0)  # the last alerts
        stop.set()
        seen_events, seen_alerts = out.get()
        poller.join()
        latencies = []
        for key, when in seen_alerts.items():
            _rule, case_id, seq, _day = key.split(":", 3)
            if seq and (int(case_id), int(seq)) in seen_events:
                latencies.append(when - seen_events[(int(case_id), int(seq))])
        results[phase] = {**run, "alerts": len(seen_alerts), "latencies": latencies}
        if run["errors"]:
            print(f"{phase}: {len(run['errors'])} errors, e.g. {run['errors'][0]}", file=sys.stderr)

    print(f"\n## live supervision, PostgreSQL, target {args.rate:.0f} events/s for {args.seconds:.0f} s, "
          f"{args.writers} writer threads\n")
    print("| phase | events | events/s | writer call p50 ms | p95 ms | alerts | alert latency p50 ms | p95 ms "
          "| max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for phase, r in results.items():
        lat = r["latencies"]
        cols = (f"{pct(lat, 50) * 1000:.0f} | {pct(lat, 95) * 1000:.0f} | {max(lat) * 1000:.0f}" if lat
                else "- | - | -")
        print(f"| {phase} | {r['events']:,} | {r['events'] / r['seconds']:.0f} | "
              f"{statistics.median(r['calls']) * 1000:.0f} | {pct(r['calls'], 95) * 1000:.0f} | {r['alerts']:,} | "
              f"{cols} |")


if __name__ == "__main__":
    main()
