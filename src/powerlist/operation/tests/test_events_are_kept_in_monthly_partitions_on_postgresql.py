"""On PostgreSQL the case events table is partitioned by month (Beijing time): the months around
now are prepared, an event of a month nobody prepared (a department's system sending old history)
is stored in the DEFAULT partition and moved to its own month's partition when the partitions are
next prepared, a key sent twice is stored once, a month's query reads one partition, and the
migration converts a populated table (and back) keeping every row, id and the id sequence. SQLite
keeps one plain table: the same pushes behave the same there. Two writers on one case never number
two events alike: test_two_department_systems_push_the_same_case_at_once and
test_two_clerks_in_two_processes_complete_one_step run on this partitioned table."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from powerlist.operation import partitions
from powerlist.operation.models import CaseEvent, CaseEventKey
from powerlist.operation.services import ingest

postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="partitions are PostgreSQL's; SQLite keeps one plain table")
BEFORE = ("operation", "0003_applications_and_pushed_events")
AFTER = ("operation", "0004_events_partitioned_by_month_on_postgresql")


def push(user, case, at, key, *, step="受理", action="accept"):
    row = {"case": case, "item_code": "430304-JY-XK-001", "jurisdiction": "430304", "step": step,
           "action": action, "actor": "张科员", "at": at, "idempotency_key": key}
    return ingest.record_events(user, [(1, row)], source="api")


def partition_of(event_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM operation_caseevent WHERE id = %s", [event_id])
        return cursor.fetchone()[0]


@postgresql
def test_events_table_is_partitioned_by_month_with_the_next_months_prepared(db):
    assert partitions.is_partitioned()
    month = partitions.month_of(timezone.now())
    names = partitions.partitions()
    for _i in range(partitions.AHEAD + 1):
        assert partitions.name(month) in names
        month = partitions._next(month)
    assert names[-1] == partitions.DEFAULT
    assert partitions.prepare() == []  # all prepared: nothing to do


@postgresql
def test_department_pushes_an_event_of_an_unprepared_month_and_it_is_stored_then_gets_its_month(licence, users):
    assert push(users["clerk"], "2019-0001", "2019-03-05T10:00:00+08:00", "old-1").stored == 1
    event = CaseEvent.objects.get(case__number__endswith="2019-0001")
    assert partition_of(event.pk) == partitions.DEFAULT
    made = partitions.prepare()
    assert made == ["operation_caseevent_y2019m03"]
    assert partition_of(event.pk) == "operation_caseevent_y2019m03"
    assert CaseEvent.objects.get(pk=event.pk).at == event.at
    # the key stays claimed after the move: sent again, it is not stored twice
    assert push(users["clerk"], "2019-0001", "2019-03-05T10:00:00+08:00", "old-1").duplicates == 1
    assert CaseEvent.objects.filter(case__number__endswith="2019-0001").count() == 1
    # 1 March 00:30 in Beijing is still February in UTC: it belongs to March
    push(users["clerk"], "2019-0001", "2019-03-01T00:30:00+08:00", "old-2", step="审查", action="complete")
    early = CaseEvent.objects.get(idempotency_key__endswith=":old-2")
    assert partition_of(early.pk) == "operation_caseevent_y2019m03"


@postgresql
def test_supervise_watch_gives_an_old_month_pushed_meanwhile_its_own_partition(licence, users):
    push(users["clerk"], "2017-0005", "2017-12-31T23:59:00+08:00", "late-1")
    event = CaseEvent.objects.get(idempotency_key__endswith=":late-1")
    assert partition_of(event.pk) == partitions.DEFAULT
    call_command("supervise", "watch", "--once", stdout=io.StringIO())
    assert partition_of(event.pk) == "operation_caseevent_y2017m12"


def test_the_same_idempotency_key_sent_twice_is_stored_once(licence, users):
    now = timezone.localtime().replace(microsecond=0).isoformat()
    assert push(users["clerk"], "2026-0002", now, "twice").stored == 1
    again = push(users["clerk"], "2026-0002", now, "twice")
    assert (again.stored, again.duplicates) == (0, 1)
    event = CaseEvent.objects.get(idempotency_key__endswith=":twice")
    if connection.vendor == "postgresql":
        assert CaseEventKey.objects.get(key=event.idempotency_key).event_id == event.pk
    # even a writer that went around the ingest service's lookup cannot store the key twice
    copy = CaseEvent(case=event.case, seq=event.seq + 1, action="complete", actor="x", at=event.at,
                     idempotency_key=event.idempotency_key)
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save(force_insert=True)
    assert CaseEvent.objects.filter(idempotency_key=event.idempotency_key).count() == 1
    assert partitions.duplicate_seqs() == []


@postgresql
def test_inspector_query_of_one_month_reads_only_that_months_partition(licence, users):
    push(users["clerk"], "2026-0003", timezone.localtime().replace(microsecond=0).isoformat(), "now-1")
    month = partitions.month_of(timezone.now())
    lo = dt.datetime(month.year, month.month, 1, tzinfo=partitions.BEIJING)
    hi = dt.datetime.combine(partitions._next(month), dt.time(), tzinfo=partitions.BEIJING)
    plan = CaseEvent.objects.filter(at__gte=lo, at__lt=hi).explain()
    read = {word.strip('"') for word in plan.replace("(", " ").split() if word.startswith("operation_caseevent_")}
    read = {w for w in read if not w.endswith("_idx") and "_pkey" not in w}  # index names in the plan
    assert read == {partitions.name(month)}, plan


@pytest.mark.django_db(transaction=True)
def test_migration_partitions_a_populated_events_table_and_back(licence, users):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        assert not partitions.is_partitioned()
        push(users["clerk"], "2018-0004", "2018-07-09T08:00:00+08:00", "m-1")
        push(users["clerk"], "2018-0004", timezone.localtime().replace(microsecond=0).isoformat(), "m-2",
             step="审查", action="complete")
        before = list(CaseEvent.objects.order_by("id").values_list("id", "case_id", "seq", "at", "idempotency_key"))
        assert len(before) == 2
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([AFTER])
    assert list(CaseEvent.objects.order_by("id").values_list("id", "case_id", "seq", "at", "idempotency_key")) \
        == before
    if connection.vendor == "postgresql":
        assert partitions.is_partitioned()
        assert "operation_caseevent_y2018m07" in partitions.partitions()
        assert partition_of(before[0][0]) == "operation_caseevent_y2018m07"
        assert set(CaseEventKey.objects.values_list("key", flat=True)) == {b[4] for b in before}
    # the id sequence goes on from where it was
    push(users["clerk"], "2018-0004", timezone.localtime().replace(microsecond=0).isoformat(), "m-3",
         step="决定", action="complete")
    assert CaseEvent.objects.get(idempotency_key__endswith=":m-3").pk > before[-1][0]
    if connection.vendor == "postgresql":  # and back: one plain table with its unique constraints
        executor = MigrationExecutor(connection)
        executor.migrate([BEFORE])
        try:
            assert not partitions.is_partitioned()
            assert CaseEvent.objects.count() == 3
            with pytest.raises(IntegrityError), transaction.atomic():
                CaseEvent.objects.create(case_id=before[0][1], seq=before[0][2], action="complete", actor="x",
                                         at=timezone.now())
            push(users["clerk"], "2018-0004", timezone.localtime().replace(microsecond=0).isoformat(), "m-4",
                 step="送达", action="complete")
            assert CaseEvent.objects.order_by("id").last().idempotency_key.endswith(":m-4")
        finally:
            executor = MigrationExecutor(connection)
            executor.loader.build_graph()
            executor.migrate([AFTER])
        assert partitions.is_partitioned() and CaseEvent.objects.count() == 4
