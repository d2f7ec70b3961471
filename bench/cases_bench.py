"""Cases through a four-step flowchart (受理 → 审查 → 决定 → 送达) with the state and the events
saved at every step, against SpiffWorkflow alone in memory, in the same run. The case goes through
all four steps: the first, 受理, is the opening itself (opening a case is the acceptance, and it
completes the flowchart's leading 受理 step with it), the other three are a clerk's actions.

    python bench/cases_bench.py [--cases 300] [--rounds 3] [--db sqlite|postgres|both]

Persisted: `cases.open_case` (the acceptance, 受理 completed with it) then
`cases.act(..., "complete", step)` for 审查, 决定 and 送达, as a clerk: each call its own
transaction that locks the case row, restores the workflow from its saved JSON with the cached
spec, completes the READY task, saves the state, writes the event(s) and appends them to the
transparency log (6 events a case: accept, 4 complete (受理's written by the opening), close).
Baselines on the same spec:
SpiffWorkflow alone in memory (create and run 受理 as the opening does, complete the three READY
tasks after it), and the same with the state
dumped to JSON and restored at every step (no database); for information, the 6 audit appends a
case makes, alone, on the same database. Beside the wall-clock rates, cases per CPU second of the
bench's own process (on SQLite the database works inside it; on PostgreSQL the server's work is
not counted), which a machine shared with other work slows much less. Persisted runs are measured
with supervision's live hook switched off: it is measured on its own row (in the default queue mode
the writer only queues each event's case in its transaction; the evaluator works apart, measured
by bench/live_bench.py; with POWERLIST_SUPERVISION_LIVE=inline the writer runs the rules itself). Rounds alternate; the best of each is
kept. Prints a table; asserts nothing.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
import one_county  # noqa: E402
PG_NAME = "pl_cases_bench"
STEPS = one_county.STEPS


def fresh_postgres():
    one_county.fresh_postgres(PG_NAME)


def setup(db: str, data: Path):
    return one_county.setup(db, data, PG_NAME)


def steps_after_opening(clerk, item) -> list[str]:
    """The steps a clerk completes after the opening: STEPS from the first one ready once the case
    is open (the opening itself may stand for 受理, and then completes it)."""
    from powerlist.operation.services import cases

    first = cases.describe(cases.open_case(clerk, item))["ready"][0]
    return STEPS[STEPS.index(first):]


def persisted(clerk, item, n: int, cold: bool = False, steps=STEPS) -> float:
    """`cold`: every step restored from the saved JSON, as when another process saved the case
    last (the workflow this process saved is not taken back)."""
    from powerlist.operation.services import cases
    from powerlist.operation.services import workflow as wf

    t, c = time.perf_counter(), time.process_time()
    for _ in range(n):
        case = cases.open_case(clerk, item)
        for step in steps:
            if cold:
                wf._WARM.clear()
            cases.act(clerk, case.number, "complete", step)
    return time.perf_counter() - t, time.process_time() - c


def _live_mode() -> str:
    from powerlist.supervision import live

    return live.mode()


def supervision_live(on: bool) -> None:
    """Supervision's live evaluation (its rules run on every committed event, powerlist.supervision.live)."""
    from django.db.models.signals import post_save

    from powerlist.operation.models import CaseEvent
    from powerlist.supervision import live

    if on:
        post_save.connect(live.on_event_saved, sender=CaseEvent, dispatch_uid="supervision.live")
    else:
        post_save.disconnect(sender=CaseEvent, dispatch_uid="supervision.live")


def log_only(clerk, n: int) -> float:
    """The transparency log's share: the 6 audit appends a case makes, each in its own transaction."""
    from django.db import transaction

    from powerlist.core.services import audit

    t, c = time.perf_counter(), time.process_time()
    for i in range(n * 6):
        with transaction.atomic():
            audit.append(clerk, "case.complete", f"case:bench-{i}", {"seq": i % 6 + 1, "step": "审查"})
    return time.perf_counter() - t, time.process_time() - c


def in_memory(pinned: dict, n: int, saved: bool, steps=STEPS) -> float:
    from powerlist.operation.services import workflow as wf

    t, c = time.perf_counter(), time.process_time()
    for _ in range(n):
        workflow = wf.start(pinned)
        state = wf.dump(workflow) if saved else None
        for step in steps:
            if saved:
                workflow = wf.load(state, pinned)
            task = next(t for t in wf.ready(workflow) if wf.step_name(t) == step)
            wf.complete(workflow, task)
            if saved:
                state = wf.dump(workflow)
        assert wf.finished(workflow)
    return time.perf_counter() - t, time.process_time() - c


def run(db: str, n: int, rounds: int, live: bool) -> list[tuple]:
    if db == "postgres":
        fresh_postgres()
    with tempfile.TemporaryDirectory() as tmp:
        clerk, item = setup(db, Path(tmp))
        from django.db import connection

        from powerlist.operation.models import Case, CaseEvent
        from powerlist.operation.services import flowcharts

        pinned = flowcharts.runnable(item)
        supervision_live(False)
        steps = steps_after_opening(clerk, item)
        persisted(clerk, item, 5, steps=steps)  # warm: the spec cache, the calendar, the connection
        best, cpu = {}, {}  # the best wall time of each, and the least CPU time of this process

        def keep(key, timing):
            best[key], cpu[key] = min(best.get(key, 1e9), timing[0]), min(cpu.get(key, 1e9), timing[1])

        for _ in range(rounds):
            keep("memory", in_memory(pinned, n, False, steps))
            keep("memory+json", in_memory(pinned, n, True, steps))
            keep("persisted", persisted(clerk, item, n, steps=steps))
            keep("cold", persisted(clerk, item, n, cold=True, steps=steps))
            keep("log", log_only(clerk, n))
        live_n = max(5, n // 10)
        if live:
            supervision_live(True)
            persisted(clerk, item, 2, steps=steps)
            keep("live", persisted(clerk, item, live_n, steps=steps))
            supervision_live(False)
        events = CaseEvent.objects.count() / Case.objects.count()
        state = sum(len(s) for s in Case.objects.values_list("state", flat=True)[:50]) / 50
        vendor = f"{connection.vendor} {connection.Database.sqlite_version if db == 'sqlite' else ''}".strip()
        connection.close()
    base = n / best["memory"]

    def row(what, where, key, count, per_case):
        return (what, where, count / best[key], count * per_case / best[key], (count / best[key]) / base,
                count / cpu[key])

    rows = [row("SpiffWorkflow alone in memory (baseline)", "-", "memory", n, 6),
            row("SpiffWorkflow, state to JSON and back at every step", "-", "memory+json", n, 6),
            row(f"persisted cases (state, event, audit entry per step; {events:.0f} events a case, "
                f"state ~{state / 1024:.1f} KB)", vendor, "persisted", n, events),
            row("persisted, every step restored from the saved JSON (another process saved it last)", vendor,
                "cold", n, events),
            *([row(f"persisted, with supervision's live hook ({_live_mode()}: {live_n} cases, one round)",
                   vendor, "live", live_n, events)] if live else []),
            row("for information: the transparency log alone, 6 appends a case", vendor, "log", n, 6)]
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--no-live", action="store_true",
                        help="skip the row with supervision's live evaluation (slow while it parses SQL per event)")
    args = parser.parse_args()
    if args.db == "both":  # Django is set up once per process: one child per database
        import subprocess

        for db in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, "--cases", str(args.cases), "--rounds", str(args.rounds),
                            "--db", db, *(["--no-live"] if args.no_live else [])], check=True)
        return
    rows = run(args.db, args.cases, args.rounds, not args.no_live)
    print(f"\n{args.cases} cases × {len(STEPS)} steps, best of {args.rounds} rounds, db={args.db}\n")
    print("| what | db | cases/s | events/s | ratio to in-memory | cases per CPU second of this process |")
    print("|---|---|---:|---:|---:|---:|")
    for what, vendor, cps, eps, ratio, per_cpu in rows:
        print(f"| {what} | {vendor} | {cps:,.0f} | {eps:,.0f} | {ratio:.2f} | {per_cpu:,.0f} |")


if __name__ == "__main__":
    main()
