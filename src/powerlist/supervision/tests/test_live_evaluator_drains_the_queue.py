"""The live evaluator as it runs beside the writers (`powerlist serve`, `supervise watch --live`):
an event stored by the case service, pushed through POST /api/events or read by `events import`
queues its case in the same transaction, and the evaluator (a thread here, with its own
connection; committed data) stores its alert and empties the queue. An evaluator killed half-way
loses nothing: its batch rolls back and the next drain takes it. Two evaluators at once never take
the same queued row. `inline` mode still evaluates in the writer's process, for deployments that
run no evaluator."""

import csv
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from powerlist.api.tests.conftest import client, items, token_for  # noqa: F401  (fixtures)
from powerlist.operation.models import Case
from powerlist.operation.services import cases
from powerlist.supervision import live
from powerlist.supervision.models import Alert, LiveQueue
from powerlist.supervision.tests.scene import items as scene_items
from powerlist.testing import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("builtin_rules")]


@pytest.fixture
def evaluator():
    """A live evaluator running in a thread of the test process, stopped after the test."""
    thread, stop = live.start_thread()
    yield thread
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive()


def alerted(case_ids, deadline=30.0) -> list[tuple[int, str]]:
    """Wait (the evaluator works beside us) until each case has an alert and the queue is empty:
    [(case id, rule)]. The deadline is only a guard against hanging; the speed is in bench/."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        found = sorted(Alert.objects.filter(case_id__in=case_ids).values_list("case_id", "rule"))
        if {c for c, _r in found} == set(case_ids) and not LiveQueue.objects.exists():
            return found
        time.sleep(0.05)
    raise AssertionError(f"no alert for {case_ids} (queue: {list(LiveQueue.objects.values_list('case_id'))})")


def complete(clerk, case, steps) -> int:
    """Complete the steps not yet done (opening a case may stand for its 受理); the transactions."""
    done = 0
    for step in steps:
        if step not in cases.describe(Case.objects.get(pk=case.pk))["done"]:
            cases.act(clerk, case.number, "complete", step)
            done += 1
    return done


def test_the_evaluator_alerts_an_event_the_case_service_stores(evaluator, county, departments, users):
    clerk = users["clerk"]
    case = cases.open_case(clerk, scene_items(county, departments)["licence"])
    complete(clerk, case, ("受理", "审查", "决定"))  # 受理 and 决定 by the same person: the flowchart separates them
    assert alerted([case.pk]) == [(case.pk, "same-person-accept-decide")]


def test_the_evaluator_alerts_an_event_pushed_through_the_api(evaluator, client, items, users,  # noqa: F811
                                                              token_for):  # noqa: F811
    answer = client.post("/api/events", {"case": "API-9", "item_code": "430304-JY-XK-404", "jurisdiction": "430304",
                                         "step": "", "action": "accept", "actor": "张科员",
                                         "at": "2026-10-12T10:00:00+08:00", "idempotency_key": "live-1"},
                         content_type="application/json", **token_for(users["clerk"]))
    assert answer.status_code == 201, answer.content
    case = Case.objects.get(number__endswith="API-9")
    assert ("unlisted-power" in {rule for _c, rule in alerted([case.pk])})


def test_the_evaluator_alerts_events_read_by_events_import(evaluator, items, users, tmp_path):  # noqa: F811
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["case", "item_code", "jurisdiction", "step", "action", "actor", "at"])
        for n in (1, 2):  # accepted, then delivered without 审查 and 决定
            w.writerow([f"F-{n}", "430304-JY-XK-001", "430304", "", "accept", "张科员", "2026-10-12T09:00:00+08:00"])
            w.writerow([f"F-{n}", "430304-JY-XK-001", "430304", "送达", "complete", "张科员",
                        "2026-10-13T09:00:00+08:00"])
    call_command("events", "import", str(path), "--as", "edu_clerk", stdout=open(os.devnull, "w"))  # noqa: SIM115
    pks = list(Case.objects.filter(number__contains="-F-").values_list("pk", flat=True))
    assert len(pks) == 2
    found = alerted(pks)
    assert {(c, "skipped-step") for c in pks} <= set(found)


def queue_cases(county, departments, users, n: int) -> tuple[list[int], int]:
    """n cases accepted and decided by the same clerk: queued, committed, not yet evaluated; and
    the number of transactions that stored their events."""
    licence = scene_items(county, departments)["licence"]
    made, transactions = [], 0
    for _ in range(n):
        case = cases.open_case(users["clerk"], licence)
        transactions += 1 + complete(users["clerk"], case, ("受理", "审查", "决定"))
        made.append(case.pk)
    return made, transactions


def test_two_evaluators_never_take_the_same_queued_row(county, departments, users):
    made, transactions = queue_cases(county, departments, users, 6)
    queued = set(LiveQueue.objects.values_list("id", flat=True))
    assert len(queued) == transactions  # one row per case and transaction
    first, second = race(lambda: live.drain(limit=3), lambda: live.drain(limit=3))
    assert isinstance(first, list) and isinstance(second, list), (first, second)
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(queued)
    assert not LiveQueue.objects.exists()
    assert sorted(Alert.objects.values_list("case_id", flat=True)) == sorted(made)


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def test_an_evaluator_killed_with_its_batch_in_hand_loses_nothing(county, departments, users, tmp_path):
    """The evaluator process takes the queued rows and is killed (SIGKILL) before it commits: the
    rows are back for the next drain, which stores the alerts. On PostgreSQL it is killed while
    blocked storing its alerts (the test holds the alerts table), so it has taken the rows; on
    SQLite, while it waits for the write lock the test holds."""
    made, _n = queue_cases(county, departments, users, 2)
    queued = sorted(LiveQueue.objects.values_list("id", flat=True))
    env = {**os.environ, "DATABASE_URL": _database_url(), "POWERLIST_DATA_DIR": str(tmp_path),
           "POWERLIST_SECRET_KEY": "test", "DJANGO_SETTINGS_MODULE": "powerlist.settings"}
    # it waits for the lock as long as it takes (the evaluator's own timeout would give the batch back at once)
    code = ("import django; django.setup(); from powerlist.supervision import live; "
            "live.LOCK_TIMEOUT_MS = 600000; live.drain()")
    if connection.vendor == "postgresql":
        import psycopg

        db = settings.DATABASES["default"]
        holder = psycopg.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
        evaluator = None
        try:
            holder.execute(f"LOCK TABLE {Alert._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
            evaluator = subprocess.Popen([sys.executable, "-c", code], env=env)
            end = time.monotonic() + 60
            waiting = None
            while time.monotonic() < end and waiting is None and evaluator.poll() is None:
                # pg_locks, not pg_stat_activity: the latter is a snapshot taken once per transaction
                waiting = holder.execute("SELECT pid FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
                                         [Alert._meta.db_table]).fetchone()
                time.sleep(0.05)
            assert waiting is not None, "the evaluator never reached its alerts"
            # it has taken the queue rows (its delete is not committed), and dies
            evaluator.send_signal(signal.SIGKILL)
            evaluator.wait(timeout=30)
            holder.execute("SELECT pg_terminate_backend(%s)", [waiting[0]])
        finally:
            if evaluator is not None and evaluator.poll() is None:
                evaluator.kill()
            holder.rollback()
            holder.close()
    else:
        import sqlite3

        holder = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
        evaluator = None
        try:
            holder.execute("BEGIN IMMEDIATE")
            evaluator = subprocess.Popen([sys.executable, "-c", code], env=env)
            time.sleep(2)  # it starts and waits for the write lock (busy timeout 20 s)
            assert evaluator.poll() is None
            evaluator.send_signal(signal.SIGKILL)
            evaluator.wait(timeout=30)
        finally:
            if evaluator is not None and evaluator.poll() is None:
                evaluator.kill()
            holder.execute("ROLLBACK")
            holder.close()
    assert sorted(LiveQueue.objects.values_list("id", flat=True)) == queued
    assert not Alert.objects.exists()
    deadline = time.monotonic() + 30
    taken = []
    while sorted(taken) != queued and time.monotonic() < deadline:  # the killed backend's locks may linger
        taken += live.drain()
    assert sorted(taken) == queued
    assert not LiveQueue.objects.exists()
    assert sorted(Alert.objects.values_list("case_id", flat=True)) == sorted(made)


def test_watch_live_once_drains_the_queue(county, departments, users):
    from io import StringIO

    made, transactions = queue_cases(county, departments, users, 1)
    out = StringIO()
    call_command("supervise", "watch", "--live", "--once", stdout=out)
    assert f"实时监察：已评估 {transactions} 条待评估记录" in out.getvalue()
    assert not LiveQueue.objects.exists()
    assert list(Alert.objects.values_list("case_id", "rule")) == [(made[0], "same-person-accept-decide")]


def test_inline_mode_evaluates_in_the_writer_and_queues_nothing(county, departments, users, settings):
    settings.POWERLIST_SUPERVISION_LIVE = "inline"
    made, _n = queue_cases(county, departments, users, 1)
    assert not LiveQueue.objects.exists()
    assert list(Alert.objects.values_list("case_id", "rule")) == [(made[0], "same-person-accept-decide")]
