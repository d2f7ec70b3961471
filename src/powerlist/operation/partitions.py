"""On PostgreSQL the case events table (operation_caseevent) is partitioned by month of `at`
(Beijing time); SQLite keeps one plain table and everything here does nothing there.

**Partitions.** One partition per month, `operation_caseevent_y2026m11`, holding the events whose
`at` falls in that Beijing month, and a DEFAULT partition, `operation_caseevent_default`, so an
event of a month nobody prepared (a department's system sending old history, or a clock far off)
is stored, never refused. `prepare()` creates this month's partition and the next `AHEAD` months',
and gives every month found in the DEFAULT partition its own partition, moving its rows there (a
month's partition cannot be added while the DEFAULT partition holds rows of that month). It is
called by the migration that partitioned the table, by the time-driven supervision job (the
background worker) and by `powerlist supervise watch`; it is safe to run any time, from several
processes at once (an advisory lock serialises them), and does nothing when all is prepared.

**Keys.** A partitioned table's primary key and unique constraints must include the partition key:
the database's primary key is (id, at) (Django still sees `id` as the primary key: ids come from
one sequence and stay unique), foreign keys to an event are checked by the services, not by the
database (`Attachment.event` has no database constraint), and the two unique rules live here:

- the sender's idempotency key is claimed in `operation_caseeventkey` (primary key `key`) by a
  trigger on every insert of an event that has a key, in the same statement and transaction: a key
  sent twice, even by two processes at once, is stored once; the second insert fails with an
  IntegrityError, as the unique column did before (the ingest service retries and answers
  "duplicate"). A trigger, not a call in each writer, so no writer (the case service, the API,
  `events import`, a COPY) can forget it.
- (case, seq) is kept unique by the case row lock: every writer (the case service's `_events`, the
  ingest service) locks the case row (or has just created it in the same transaction) and numbers
  from `case.event_count`, saved in the same transaction. A unique (case, seq) side table would
  double the index writes of the hottest insert for a rule the lock already guarantees;
  `duplicate_seqs()` checks the table for a writer that went around the services.

Events are append-only: `at` and `idempotency_key` are never updated and events never deleted, so
the side table is written on insert only."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import DEFAULT_DB_ALIAS, connections, transaction

TABLE = "operation_caseevent"
DEFAULT = f"{TABLE}_default"
KEYS = "operation_caseeventkey"
AHEAD = 3  # months prepared beyond the current one
BEIJING = ZoneInfo("Asia/Shanghai")
_LOCK = 7_344_201  # pg_advisory_xact_lock key: one preparer at a time


def is_partitioned(using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                       "WHERE c.oid = to_regclass(%s)", [TABLE])
        return cursor.fetchone() is not None


def month_of(at: dt.datetime | dt.date) -> dt.date:
    if isinstance(at, dt.datetime):
        at = at.astimezone(BEIJING).date()
    return at.replace(day=1)


def _next(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def name(month: dt.date) -> str:
    return f"{TABLE}_y{month.year}m{month.month:02d}"


def _bound(month: dt.date) -> str:
    return dt.datetime(month.year, month.month, 1, tzinfo=BEIJING).isoformat()


def partitions(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The partitions' names, in order (the DEFAULT partition last)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname = %s, c.relname", [TABLE, DEFAULT])
        return [r[0] for r in cursor.fetchall()]


def create_months(cursor, months) -> list[str]:
    """Partitions for `months` (first days) that do not exist yet, rows of those months moved out of
    the DEFAULT partition. The caller holds the lock (or the table, in the migration)."""
    cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                   "WHERE i.inhparent = to_regclass(%s)", [TABLE])
    existing, made = {r[0] for r in cursor.fetchall()}, []
    has_default = DEFAULT in existing
    for month in sorted(set(months)):
        part, lo, hi = name(month), _bound(month), _bound(_next(month))
        if part in existing:
            continue
        held = False
        if has_default:
            cursor.execute(f"SELECT 1 FROM {DEFAULT} WHERE at >= %s AND at < %s LIMIT 1", [lo, hi])
            held = cursor.fetchone() is not None
        if held:
            # a month's partition cannot be added while the DEFAULT one holds its rows: move them first
            cursor.execute(f"CREATE TABLE {part} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
            cursor.execute(f"WITH moved AS (DELETE FROM {DEFAULT} WHERE at >= %s AND at < %s RETURNING *) "
                           f"INSERT INTO {part} SELECT * FROM moved", [lo, hi])
            cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {part} FOR VALUES FROM ('{lo}') TO ('{hi}')")
        else:
            cursor.execute(f"CREATE TABLE {part} PARTITION OF {TABLE} FOR VALUES FROM ('{lo}') TO ('{hi}')")
        made.append(part)
    return made


def prepare(ahead: int = AHEAD, *, today: dt.date | None = None, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """This month's and the next `ahead` months' partitions, and one for every month whose events
    sit in the DEFAULT partition; returns the names created. Nothing on SQLite."""
    if not is_partitioned(using):
        return []
    month = month_of(today or dt.datetime.now(BEIJING))
    months = [month]
    for _i in range(ahead):
        months.append(_next(months[-1]))
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        cursor.execute(f"SELECT DISTINCT date_trunc('month', at AT TIME ZONE 'Asia/Shanghai')::date FROM {DEFAULT}")
        months += [r[0] for r in cursor.fetchall()]
        return create_months(cursor, months)


def duplicate_seqs(using: str = DEFAULT_DB_ALIAS) -> list[tuple[int, int]]:
    """(case, seq) numbered twice: empty unless a writer went around the services."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT case_id, seq FROM {TABLE} GROUP BY case_id, seq HAVING COUNT(*) > 1 "
                       "ORDER BY case_id, seq")
        return [tuple(r) for r in cursor.fetchall()]
