"""Live evaluation: every CaseEvent stored, whoever stores it (the case service, the API, an events
import), has its case's rules run within a second of its commit, without the writer paying for it.

**The writer** (the post_save receiver, in the transaction that stores the event) inserts the case
id into the queue table `LiveQueue`, once per case and transaction, and on PostgreSQL raises a
NOTIFY on `CHANNEL` (delivered when the transaction commits). The event and its queue row commit
together or not at all: no process dying anywhere can leave a stored event that is never evaluated.

**The evaluator** (`run`, started by `powerlist serve` and by `powerlist supervise watch --live`)
drains the queue in batches: one transaction deletes up to `BATCH` rows (`DELETE … RETURNING`,
`FOR UPDATE SKIP LOCKED` on PostgreSQL), runs `engine.evaluate` once over their cases and stores the
alerts, then commits. If it dies or fails half-way the transaction rolls back and the rows are there
for the next drain; two evaluators (or more) never take the same row, as SKIP LOCKED hands each row
to one of them (on SQLite the write lock, taken at BEGIN IMMEDIATE, makes them take turns). It wakes
on the NOTIFY (PostgreSQL, its own psycopg connection doing LISTEN), on a commit in its own process,
or every `POLL` seconds otherwise.

**Modes** (setting or environment `POWERLIST_SUPERVISION_LIVE`): `queue` (the default, above);
`inline`: the cases a transaction touched are evaluated in the writer's process right after it
commits, as before the queue existed, for a deployment that runs no long-lived process (a script on
SQLite, `runserver`): every writer then pays for every rule run (about ten times the cost of opening
a case, BENCHMARKS.md); `off`: nothing is queued (the next sweep finds what happened)."""

import logging
import os
import random
import threading
import time

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone

from powerlist.supervision.models import LiveQueue

CHANNEL = "powerlist_supervision_live"
BATCH = 500  # queue rows a drain takes at once (each row one case of one transaction)
POLL = 0.15  # seconds between two looks at the queue when no notification comes
# PostgreSQL: how long the evaluator waits for a lock before it gives its batch back (rolls back, retries). The
# evaluator's commit locks the cases' rows (its alerts' and cards' foreign keys) after its cards took the
# audit log's head, which writers take last: waiting longer than the writers' deadlock detection (1 s) could
# make a clerk's action the one PostgreSQL cancels; this way the evaluator always yields first.
LOCK_TIMEOUT_MS = 300
log = logging.getLogger(__name__)

# set by a commit that queued something in this process: an evaluator thread here wakes at once
_committed_here = threading.Event()


def mode() -> str:
    chosen = getattr(settings, "POWERLIST_SUPERVISION_LIVE", None) or os.environ.get(
        "POWERLIST_SUPERVISION_LIVE", "queue")
    if chosen not in ("queue", "inline", "off"):
        raise ValueError(f"POWERLIST_SUPERVISION_LIVE: 应为 queue、inline 或 off，而不是“{chosen}”")
    return chosen


def _woken():
    _committed_here.set()


class _Inline:
    """`inline` mode: the cases whose events one transaction stored, evaluated when it commits."""

    def __init__(self):
        self.case_ids: set[int] = set()
        self.done = False
        # Django names a failing on_commit callback by its __qualname__ when it logs the failure
        self.__qualname__ = "supervision.live.evaluate"

    def __call__(self):
        from powerlist.supervision import engine

        self.done = True
        engine.evaluate(case_ids=sorted(self.case_ids))


def on_event_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    chosen = mode()
    if chosen == "off":
        return
    conn = transaction.get_connection()
    if chosen == "inline":
        _inline(conn, instance.case_id)
        return
    # one queue row per case and transaction: `state` is (the transaction's on-commit list, its
    # cases). Django replaces that list when the transaction ends and when a savepoint rolls back
    # (which may have removed a row queued inside it), so a different list means "queue again".
    state = getattr(conn, "_supervision_queued", None)
    if state is not None and (state[0] is not conn.run_on_commit or not conn.in_atomic_block):
        state = None
    if state is not None and instance.case_id in state[1]:
        return
    table = LiveQueue._meta.db_table
    now = conn.ops.adapt_datetimefield_value(timezone.now())
    with conn.cursor() as cursor:
        if state is None and conn.vendor == "postgresql":
            # NOTIFY is transactional: the evaluator hears it when (and only if) the event commits
            cursor.execute(f"WITH q AS (INSERT INTO {table} (case_id, queued_at) VALUES (%s, %s)) "
                           f"SELECT pg_notify(%s, '')", [instance.case_id, now, CHANNEL])
        else:
            cursor.execute(f"INSERT INTO {table} (case_id, queued_at) VALUES (%s, %s)", [instance.case_id, now])
    if not conn.in_atomic_block:
        _woken()
        return
    if state is None:
        conn.on_commit(_woken)
        state = conn._supervision_queued = (conn.run_on_commit, set())
    state[1].add(instance.case_id)


def _inline(conn, case_id: int) -> None:
    pending = getattr(conn, "_supervision_pending", None)
    waiting = pending is not None and not pending.done and conn.in_atomic_block and any(
        entry[1] is pending for entry in conn.run_on_commit)
    if waiting:
        pending.case_ids.add(case_id)
        return
    pending = conn._supervision_pending = _Inline()
    pending.case_ids.add(case_id)
    transaction.on_commit(pending, robust=True)


def _claim(limit: int) -> list[tuple[int, int]]:
    """Delete up to `limit` queue rows in the current transaction: [(row id, case id)]."""
    table = LiveQueue._meta.db_table
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s{lock}) "
                       f"RETURNING id, case_id", [limit])
        return cursor.fetchall()


def drain_once(limit: int = BATCH) -> list[int]:
    """One batch: take up to `limit` queued rows, evaluate their cases in one engine run, store the
    alerts and delete the rows in one transaction. The queue row ids taken ([] when it was empty)."""
    from powerlist.operation.models import Case
    from powerlist.supervision import engine, transitions

    # the queued cases' flowcharts made into steps and transitions first, committed on their own:
    # inside the batch a second evaluator meeting the first's uncommitted rows would wait past the
    # batch's lock timeout
    queued = LiveQueue.objects.order_by("id").values("case_id")[:limit]
    transitions.ensure(set(Case.objects.filter(pk__in=queued).values_list("flowchart_id", flat=True).distinct()))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'")
        rows = _claim(limit)
        if rows:
            engine.evaluate(case_ids=sorted({case_id for _id, case_id in rows}))
    # a writer on this same connection (a test, `events import` then a drain) queues its cases again
    connection._supervision_queued = None
    return [i for i, _case in rows]


def drain(limit: int = BATCH) -> list[int]:
    """Evaluate until the queue is empty (for this evaluator: rows another holds are left to it);
    the queue row ids this call evaluated."""
    taken = []
    while True:
        batch = drain_once(limit)
        if not batch:
            return taken
        taken.extend(batch)


class _Listener:
    """LISTEN on its own autocommit psycopg connection (PostgreSQL only)."""

    def __init__(self):
        import psycopg

        params = connection.get_connection_params()
        keep = {k: params[k] for k in ("dbname", "user", "password", "host", "port", "sslmode", "sslrootcert",
                                       "sslcert", "sslkey", "options", "passfile", "service") if params.get(k)}
        self.conn = psycopg.connect(**keep, autocommit=True)
        self.conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> None:
        for _note in self.conn.notifies(timeout=timeout, stop_after=1):
            pass
        # more notifications that came meanwhile are for rows the next drain takes anyway
        for _note in self.conn.notifies(timeout=0):
            pass

    def close(self):
        self.conn.close()


def run(stop: threading.Event | None = None, until: float | None = None, poll: float = POLL,
        limit: int = BATCH, on_drained=None) -> int:
    """The live evaluator: drain, then wait for a notification, a commit in this process or `poll`
    seconds, again, until `stop` is set or time.monotonic() passes `until`. A failing drain (a lost
    connection, a deadlock between two evaluators' upserts) is logged and retried: its rows stayed
    in the queue. `on_drained(row_ids)` is called after each non-empty drain. The rows evaluated."""
    stop = stop or threading.Event()
    listener = None
    total = yielded = 0

    def over():
        return stop.is_set() or (until is not None and time.monotonic() >= until)

    try:
        while not over():
            if listener is None and connection.vendor == "postgresql":
                try:
                    listener = _Listener()
                except Exception:  # noqa: BLE001 - polling still works; retried next round
                    log.exception("supervision.live: LISTEN failed, polling every %.2f s", poll)
            _committed_here.clear()
            try:
                taken = drain(limit)
            except OperationalError as exc:
                if getattr(exc.__cause__, "sqlstate", None) in ("55P03", "40P01"):  # lock timeout, deadlock
                    log.info("supervision.live: a writer held a lock; the batch stays queued and is retried")
                    yielded += 1
                    time.sleep(random.uniform(0.01, 0.05))
                else:
                    log.exception("supervision.live: drain failed; its rows stay queued and are retried")
                    connection.close()
                    time.sleep(poll)
                taken = []
                continue
            except DatabaseError:
                log.exception("supervision.live: drain failed; its rows stay queued and are retried")
                connection.close()
                taken = []
                time.sleep(poll)
            if taken:
                total += len(taken)
                if on_drained:
                    on_drained(taken)
                continue  # more may have come while evaluating
            wait = poll if until is None else max(0.0, min(poll, until - time.monotonic()))
            if listener is not None:
                try:
                    listener.wait(wait)
                except Exception:  # noqa: BLE001 - the connection broke: poll, reconnect next round
                    log.exception("supervision.live: LISTEN connection lost")
                    listener.close()
                    listener = None
            else:
                _committed_here.wait(wait)
    finally:
        if listener is not None:
            listener.close()
        if yielded:
            log.warning("supervision.live: %d batches given back to writers holding a lock, and retried", yielded)
    return total


def start_thread(**kwargs) -> tuple[threading.Thread, threading.Event]:
    """An evaluator in a thread of this process (its own database connection): (thread, stop)."""
    stop = threading.Event()

    def target():
        try:
            run(stop=stop, **kwargs)
        finally:
            connection.close()

    thread = threading.Thread(target=target, name="supervision-live", daemon=True)
    thread.start()
    return thread, stop
