"""The electronic supervision sweep over a large generated log, against pm4py's token-based replay
of the same log (control flow only), in the same run.

    python bench/supervision_bench.py [--cases 1000000] [--db sqlite|postgres] [--engine sql|spark|both]
                                      [--no-pm4py] [--data DIR [--again]] [--pg-db NAME]

The log (`supervision/tests/planted_log.py`): N cases (about 5 events a case) on six flowcharts
(a 许可 line, an exclusive gateway, a parallel approval, a loop back for 补正, an enterprise inspection,
a penalty with its discretion benchmark), imported as BPMN and pinned as the app pins them, with
planted deviations of every enabled rule at known rates; written straight into the tables (COPY on
PostgreSQL, executemany on SQLite, one transaction; the case service is bypassed for the generation
only, and the live evaluation is disconnected). Then the app's own sweep (`services.sweeps.sweep`,
SQL engine) over every case: wall seconds, events/s, the process's peak RSS (the database server's
memory is outside it), precision and recall per rule against the plant, each mismatch with an example.

The peer: pm4py token-based replay, control flow only, of the same cases' completed steps against
Petri nets converted from the same BPMN files (`pm4py.read_bpmn` + `convert_to_petri_net`). pm4py is
AGPL and a benchmark peer only, never a dependency of powerlist: install it into the virtualenv for
the run only (`pip install pm4py`); without it the bench says so and runs without the peer column.

`--engine spark` (or `both`) also runs the Spark engine (local mode) over the same data: its
events/s, and whether it found exactly the SQL engine's alerts (skipped with the reason when PySpark
or Java is missing).

PostgreSQL: the database `--pg-db` (default pl_supervision_bench) is dropped and re-created, its
schema made by `migrate`. SQLite: a new file in a temporary folder (or `--data DIR`)."""

import argparse
import datetime as dt
import pickle
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLANT = "planted.pickle"  # what a run planted, kept beside its data for `--again`
SQLITE = "supervision.sqlite3"
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

import one_county  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reopen(db: str, data: Path, pg_db: str):
    """The log an earlier run left (`--again`): Django on its database, the alerts and cards of the
    earlier sweep cleared; (county, charts, cases, events, the plant)."""
    with (data / PLANT).open("rb") as f:
        n_cases, n_events, expected = pickle.load(f)
    one_county.django_on(db, data, pg_db, SQLITE)
    from django.db import connection

    from powerlist.catalog.models import PowerItem
    from powerlist.core.models import Jurisdiction
    from powerlist.operation.models import Case
    from powerlist.supervision.tests.planted_log import CHARTS

    county = Jurisdiction.objects.get(code="430304")
    charts = {}
    for key in CHARTS:
        item = PowerItem.objects.get(code=f"{county.code}-BENCH-{key}")
        charts[key] = {"item": item, "flowchart_id": Case.objects.filter(item=item).values_list(
            "flowchart_id", flat=True).first()}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM supervision_card")
        cursor.execute("DELETE FROM supervision_alert")
    return county, charts, n_cases, n_events, expected


def setup(db: str, data: Path, pg_db: str):
    if db == "postgres":
        one_county.fresh_postgres(pg_db)
    one_county.django_on(db, data, pg_db, SQLITE)
    from django.db.models.signals import post_save

    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import organisations
    from powerlist.operation.models import CaseEvent

    # generation only: the events are written in bulk, the live evaluation would never see them anyway
    post_save.disconnect(sender=CaseEvent, dispatch_uid="supervision.live")
    county = one_county.county()
    orgs = {"edu": organisations.create_organisation(SYSTEM, county, name="岳塘区教育局"),
            "market": organisations.create_organisation(SYSTEM, county, name="岳塘区市场监督管理局")}
    return county, orgs


def db_version() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT sqlite_version()")
            return f"sqlite {cur.fetchone()[0]}"
        cur.execute("SHOW server_version")
        return f"postgresql {cur.fetchone()[0].split()[0]}"


def peer(charts: dict, planted: set, data: Path) -> dict | None:
    """pm4py token-based replay of every charted case's completed steps; None without pm4py."""
    try:
        import pm4py
    except ImportError:
        print("pm4py is not installed: the peer column is left out. It is AGPL and a benchmark peer only, "
              "never a dependency: `pip install pm4py` into the virtualenv for the run.", file=sys.stderr)
        return None
    import pandas as pd
    from django.db import connection

    from powerlist.supervision.tests.planted_log import CHARTS

    t = time.perf_counter()
    by_chart = {v["flowchart_id"]: k for k, v in charts.items()}
    with connection.cursor() as cur:
        cur.execute("SELECT c.flowchart_id, e.case_id, e.step, e.at FROM operation_caseevent e "
                    "JOIN operation_case c ON c.id = e.case_id WHERE e.action = 'complete' "
                    "AND c.flowchart_id IS NOT NULL ORDER BY e.case_id, e.seq")
        rows = cur.fetchall()
    frame = pd.DataFrame(rows, columns=["chart", "case:concept:name", "concept:name", "time:timestamp"])
    frame["time:timestamp"] = pd.to_datetime(frame["time:timestamp"], utc=True)
    frame["case:concept:name"] = frame["case:concept:name"].astype(str)
    exported = time.perf_counter() - t
    replay, convert, unfit, events = 0.0, 0.0, set(), len(frame)
    for chart_id, part in frame.groupby("chart"):
        key = by_chart[chart_id]
        path = data / f"{key}.bpmn"
        path.write_bytes(CHARTS[key]["bpmn"])
        t = time.perf_counter()
        net, im, fm = pm4py.convert_to_petri_net(pm4py.read_bpmn(str(path)))
        log = pm4py.convert_to_event_log(part.drop(columns=["chart"]))
        convert += time.perf_counter() - t
        t = time.perf_counter()
        result = pm4py.conformance_diagnostics_token_based_replay(log, net, im, fm)
        replay += time.perf_counter() - t
        unfit.update(int(trace.attributes["concept:name"]) for trace, r in zip(log, result) if not r["trace_is_fit"])
    cases = {k[1] for k in planted}
    return {"events": events, "export_s": exported, "convert_s": convert, "replay_s": replay, "unfit": unfit,
            "planted_cases": cases,
            "recall": len(cases & unfit) / len(cases) if cases else 1.0, "version": pm4py.__version__}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--engine", choices=("sql", "spark", "both"), default="sql")
    parser.add_argument("--no-pm4py", action="store_true")
    parser.add_argument("--no-analyze", action="store_true",
                        help="leave the planner without statistics after the bulk load (as the app leaves SQLite)")
    parser.add_argument("--pg-db", default="pl_supervision_bench")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--again", action="store_true",
                        help="sweep again the log an earlier run left in --data (and --pg-db): no generation; "
                             "the earlier sweep's alerts and cards are cleared first")
    args = parser.parse_args()
    if args.again and not (args.data and (args.data / PLANT).exists()):
        parser.error(f"--again needs --data pointing at an earlier run's folder (with its {PLANT})")
    data = args.data or Path(tempfile.mkdtemp(prefix="supervision-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    if args.again:
        county, charts, n_cases, n_events, expected = reopen(args.db, data, args.pg_db)
    else:
        county, orgs = setup(args.db, data, args.pg_db)

    from powerlist.core.scope import SYSTEM
    from powerlist.operation.models import Case
    from powerlist.supervision import engine
    from powerlist.supervision.models import Alert, Rule
    from powerlist.supervision.services import sweeps
    from powerlist.supervision.tests import planted_log as plog

    from django.db import connection

    version = db_version()
    if args.again:
        print(f"{version}: the earlier run's {n_cases:,} cases, {n_events:,} events swept again", file=sys.stderr)
    else:
        charts = plog.prepare(SYSTEM, county, orgs)
        today = engine.today()
        first = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        t = time.perf_counter()
        n_cases, n_events, expected = plog.write(
            plog.generate(args.cases, charts, county, orgs["edu"], today, first), analyze=not args.no_analyze)
        generated = time.perf_counter() - t
        with (data / PLANT).open("wb") as f:
            pickle.dump((n_cases, n_events, expected), f)
        print(f"{version}: {n_cases:,} cases, {n_events:,} events written in {generated:.1f} s "
              f"({n_events / generated:,.0f} events/s); peak RSS so far {rss_mb():.0f} MB", file=sys.stderr)

    rules = [r.code for r in engine.enabled_rules()]
    disabled = list(Rule.objects.filter(enabled=False).values_list("code", flat=True))
    # each rule's query seconds as the engine measured them (the queries run side by side, one
    # connection per core); the rules sharing one query (skipped-step and out-of-order: the control
    # flow once for both) report together: the first of them carries the query's time, the others 0
    per_rule = {}
    rss_before = rss_mb()
    cpu = time.process_time()
    started = time.perf_counter()
    found = sweeps.sweep(SYSTEM, county.code, "sql", timings=per_rule)
    swept = time.perf_counter() - started
    cpu = time.process_time() - cpu
    rss_after = rss_mb()
    stored = Alert.objects.count()
    got = plog.found_keys(found)
    score = plog.scores(expected, got, rules)

    stats = "no planner statistics" if args.no_analyze else "ANALYZE after the load"
    print(f"\n## {version}, {n_cases:,} cases, {n_events:,} events, {stats}, {dt.date.today().isoformat()}\n")
    print("| rule | planted | found | precision | recall | sweep s (this rule's SQL) |")
    print("|---|---:|---:|---:|---:|---:|")
    for code in rules:
        planted, f, _tp, p, r, missed, wrong = score[code]
        print(f"| {code} | {planted:,} | {f:,} | {p:.4f} | {r:.4f} | {per_rule[code]:.1f} |")
    for code in disabled:
        print(f"| {code} (disabled: no SQL runs) | - | - | - | - | - |")
    for code in rules:
        _pl, _f, _tp, p, r, missed, wrong = score[code]
        if missed:
            print(f"  {code}: missed, e.g. case {missed[1]} event {missed[2]}")
        if wrong:
            print(f"  {code}: not planted but found, e.g. case {wrong[1]} event {wrong[2]}")
    control = per_rule.get("skipped-step", 0) + per_rule.get("out-of-order", 0)
    print(f"\nsweep: {swept:.1f} s wall for {n_events:,} events = {n_events / swept:,.0f} events/s "
          f"(the rules' queries {engine.workers(True)} at a time) "
          f"(all {len(rules)} rules, findings stored: {len(found):,}, alerts table {stored:,}); "
          f"control flow alone (skipped-step + out-of-order SQL) {control:.1f} s = {n_events / control:,.0f} events/s")
    print(f"CPU seconds of this process during the sweep: {cpu:.1f}"
          + (" (SQLite runs inside it: this is the sweep's whole CPU)" if connection.vendor == "sqlite"
             else " (Python side only: the database server's CPU is not in it)"))
    print(f"peak RSS of this process: {rss_before:.0f} MB before the sweep, {rss_after:.0f} MB after "
          f"(the database server's memory is not in it)")

    table = [("powerlist sweep, SQL engine, all rules", n_events, swept),
             ("powerlist sweep, control-flow rules only", n_events, control)]
    if not args.no_pm4py:
        flow = {k for k in expected if k[0] in ("skipped-step", "out-of-order")}
        p = peer(charts, flow, data)
        if p:
            table.append((f"pm4py {p['version']} token replay, control flow (completed steps)", p["events"],
                          p["replay_s"]))
            table.append(("pm4py, read from the database + event log + Petri nets + replay", p["events"],
                          p["export_s"] + p["convert_s"] + p["replay_s"]))
            ours = {k[1] for k in got if k[0] in ("skipped-step", "out-of-order")}
            closed = set(Case.objects.filter(status="closed", flowchart__isnull=False).values_list("pk", flat=True))
            print(f"\npm4py: {p['events']:,} completed steps read in {p['export_s']:.1f} s, made an event log "
                  f"and Petri nets in {p['convert_s']:.1f} s, replayed in "
                  f"{p['replay_s']:.1f} s; control-flow plants detected (trace not fit): "
                  f"{len(p['planted_cases'] & p['unfit']):,} of {len(p['planted_cases']):,} "
                  f"(recall {p['recall']:.4f}); ours {len(p['planted_cases'] & ours):,}; "
                  f"unfit closed cases without a control-flow plant: "
                  f"{len((p['unfit'] & closed) - p['planted_cases']):,}; "
                  f"unfit open cases (an unfinished trace leaves tokens): {len(p['unfit'] - closed):,}")
    if args.engine in ("spark", "both"):
        from powerlist.supervision import spark

        why = spark.available()
        if why:
            print(f"\nSpark engine skipped: {why}")
        else:
            t = time.perf_counter()
            sparked = sweeps.sweep(SYSTEM, county.code, "spark")
            took = time.perf_counter() - t
            same = plog.found_keys(sparked) == got
            table.append(("powerlist sweep, Spark engine local[2] (export to Parquet included)", n_events, took))
            print(f"\nSpark: {took:.1f} s, the same alerts as the SQL engine: {same} "
                  f"({len(sparked):,} vs {len(found):,})")
            tm = spark.TIMINGS
            print(f"Spark, where the time went: session start {tm['session']:.1f} s, export {tm['export']:.1f} s "
                  f"(database to CSV {tm['csv']:.1f} s, CSV to Parquet {tm['parquet']:.1f} s), Parquet read "
                  f"and cached {tm['cache']:.1f} s, the rules' queries {tm['query']:.1f} s "
                  f"(sum over rules {sum(tm['rules'].values()):.1f} s, {spark.THREADS} at once); slowest: "
                  + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(tm["rules"].items(), key=lambda kv: -kv[1])[:4]))
            spark.stop()

    peer_rows = [row for row in table if row[0].startswith("pm4py")]
    base = peer_rows[0][1] / peer_rows[0][2] if peer_rows else None  # pm4py's replay call alone
    whole = peer_rows[1][1] / peer_rows[1][2] if peer_rows else None  # pm4py from the database on
    print("\n| what | events | s | events/s | ratio to pm4py's replay | ratio to pm4py end to end |")
    print("|---|---:|---:|---:|---:|---:|")
    for what, events, secs in table:
        ratio = f"{events / secs / base:.2f}" if base else "-"
        ratio_whole = f"{events / secs / whole:.2f}" if whole else "-"
        print(f"| {what} | {events:,} | {secs:.1f} | {events / secs:,.0f} | {ratio} | {ratio_whole} |")
    print(f"\nby rule found: {dict(sorted(Counter(f['rule'] for f in found).items()))}", file=sys.stderr)


if __name__ == "__main__":
    main()
