"""The Spark engine: the cases and events in scope (and the tables the rules join to) exported as
Parquet, events and cases partitioned by jurisdiction and month (Beijing), read back by PySpark
as views with the database's table names, and the same transpiled rule SQL run on them. The
database streams the rows out as CSV files (COPY on PostgreSQL, a cursor read in chunks on SQLite:
memory stays bounded whatever the log's size), Spark reads them with the schema and writes the
Parquet; the cases and events are read from Parquet once and kept cached while the rules' queries
run, a few at once. Local
mode (`local[2]`) unless POWERLIST_SPARK_MASTER names a cluster (then POWERLIST_SPARK_PARQUET names
a folder its executors share); the results land in the same alerts table through engine.store."""

import csv
import datetime as dt
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import connection

from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.models import Jurisdiction
from powerlist.supervision import dialects, engine, spark_steps

_SESSION = None
TIMINGS: dict = {}  # the last run's seconds: session, export (csv, parquet), cache, query, rules


def available() -> str:
    """"" when Spark can run here, else why not."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark 未安装：pip install 'powerlist[spark]'"
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        return "没有 Java：Spark 需要 Java 17 或更高版本（Debian: apt-get install default-jre-headless）"
    return ""


def session():
    global _SESSION
    if _SESSION is None:
        why = available()
        if why:
            raise InvalidInput([Problem("", None, "--engine", "spark", why)])
        from pyspark.sql import SparkSession

        _SESSION = (SparkSession.builder.master(os.environ.get("POWERLIST_SPARK_MASTER", "local[2]"))
                    .appName("powerlist-supervision")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", os.environ.get("POWERLIST_SPARK_PARTITIONS", "4"))
                    .config("spark.default.parallelism", "2")
                    # local mode runs in the driver: its heap holds the cached events and the joins
                    .config("spark.driver.memory", os.environ.get("POWERLIST_SPARK_MEMORY", "3g"))
                    # Parquet read in pieces of this size, so both cores share even one month's file
                    .config("spark.sql.files.maxPartitionBytes", "16m")
                    # on a loaded machine the heartbeat of local mode's one executor can lag: waited for
                    # longer than the 120 s default, not declared lost (re-registering it fails in local mode)
                    .config("spark.network.timeout", "600s")
                    .getOrCreate())
        _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


def _schema(kind: dict):
    from pyspark.sql import types as T

    names = {"int": T.LongType(), "str": T.StringType(), "ts": T.TimestampType(), "date": T.DateType(),
             "money": T.DecimalType(16, 2), "ratio": T.DecimalType(20, 6), "bool": T.BooleanType()}
    return T.StructType([T.StructField(name, names[t], True) for name, t in kind.items()])


CASE_TYPES = {"id": "int", "number": "str", "item_id": "int", "item_code": "str", "organisation_id": "int",
              "jurisdiction_id": "int", "flowchart_id": "int", "status": "str", "due": "date", "closed_at": "ts",
              "accepted_at": "ts", "jurisdiction": "str", "month": "str"}
EVENT_TYPES = {"id": "int", "case_id": "int", "seq": "int", "step": "str", "step_id": "str", "action": "str",
               "actor": "str", "at": "ts", "flags": "str", "amount": "money", "penalty_type": "str",
               "discretion": "str", "refused": "bool", "jurisdiction": "str", "month": "str"}
TABLE_TYPES = {
    "catalog_poweritem": {"id": "int", "organisation_id": "int", "status": "str", "valid_from": "date",
                          "valid_to": "date", "category": "str"},
    "catalog_discretionbenchmark": {"id": "int", "item_id": "int", "grade": "str", "min_fine": "money",
                                    "max_fine": "money"},
    "supervision_flowstep": {"id": "int", "flowchart_id": "int", "step_id": "str", "name": "str", "role": "str"},
    "supervision_flowtransition": {"id": "int", "flowchart_id": "int", "kind": "str", "source": "str",
                                   "target": "str", "gateway": "str", "branch": "str"},
    "supervision_quietdays": {"id": "int", "jurisdiction_id": "int", "first_day": "int", "last_day": "int"},
    # penalty-out-of-range and second-approval-missing (rules_discretion)
    "discretion_tableimport": {"id": "int", "imported_at": "ts"},
    "discretion_benchmark": {"id": "int", "source_id": "int", "item_id": "int", "grade": "str",
                             "circumstances": "str", "needs_person": "bool"},
    "discretion_allowance": {"id": "int", "benchmark_id": "int", "kind": "str", "minimum": "ratio",
                             "maximum": "ratio", "name": "str"},
    "discretion_decision": {"id": "int", "event_id": "int", "base": "money"},
    "catalog_riskpoint": {"id": "int", "item_id": "int", "level": "str", "step": "str", "second_approver": "bool"},
}
BEIJING = dt.timezone(dt.timedelta(hours=8))
# a NULL in the CSV the SQLite export writes (every field quoted there, so '' stays ''); PostgreSQL's
# COPY writes a NULL unquoted and empty and '' as "": Spark reads both marks as NULL and "" as ''
NULL_MARK = "\x1fN\x1f"
FILE_ROWS = 1_000_000  # rows a CSV file at most: Spark parses one file in one task (multiLine)
PART_CASES = 200_000
THREADS = int(os.environ.get("POWERLIST_SPARK_THREADS", "3"))  # rule queries submitted at once  # on PostgreSQL, one COPY (one file) per this many case ids


def _column(name: str, kind: str, alias: str) -> str:
    """A column as CSV text Spark parses with the schema: booleans true/false, timestamps naive UTC."""
    col = f"{alias}.{name}"
    if kind == "bool":
        col = f"CASE WHEN {col} THEN 'true' WHEN NOT {col} THEN 'false' END"
    elif connection.vendor == "postgresql":
        if kind == "ts":
            col = f"({col} AT TIME ZONE 'UTC')"
        elif name == "flags":
            col = f"{col}::text"
    elif kind in ("money", "ratio"):  # SQLite keeps a decimal as REAL: the column's places
        col = f"CASE WHEN {col} IS NOT NULL THEN printf('%.{2 if kind == 'money' else 6}f', {col}) END"
    if connection.vendor == "sqlite":
        col = f"COALESCE({col}, '{NULL_MARK}')"
    return col


def _scope(case_ids, jurisdictions) -> str:
    if case_ids is not None:
        return f"c.id IN ({', '.join(str(int(i)) for i in case_ids) or 'NULL'})"
    if jurisdictions is not None:
        return f"c.jurisdiction_id IN ({', '.join(str(int(i)) for i in jurisdictions) or 'NULL'})"
    return "1 = 1"


def _select(table: str, types: dict, scope: str) -> str:
    """The SELECT of a table's export, its columns in the order of `types` (cases and events carry
    their case's jurisdiction code in place of `jurisdiction`; the month is Spark's to compute)."""
    jurisdiction = Jurisdiction._meta.db_table
    if table == "operation_case":
        cols = [_column(n, types[n], "c") for n in types if n not in ("jurisdiction", "month")]
        return (f"SELECT {', '.join(cols)}, j.code FROM operation_case AS c "
                f"JOIN {jurisdiction} AS j ON j.id = c.jurisdiction_id WHERE {scope}")
    if table == "operation_caseevent":
        cols = [_column(n, types[n], "e") for n in types if n not in ("jurisdiction", "month")]
        return (f"SELECT {', '.join(cols)}, j.code FROM operation_caseevent AS e "
                f"JOIN operation_case AS c ON c.id = e.case_id "
                f"JOIN {jurisdiction} AS j ON j.id = c.jurisdiction_id WHERE {scope}")
    return f"SELECT {', '.join(_column(n, t, 't') for n, t in types.items())} FROM {table} AS t"


def _to_csv(sql: str, folder: Path, split: list[tuple[int, int]] | None = None, key: str = "c.id") -> None:
    """A SELECT's rows as CSV files in the folder, streamed: COPY on PostgreSQL (one file per case
    id range of `split`), a cursor read in chunks through the csv module elsewhere."""
    folder.mkdir(parents=True)
    if connection.vendor == "postgresql":
        ranges = split or [None]
        with connection.cursor() as cursor:
            for n, bounds in enumerate(ranges):
                query = sql if bounds is None else f"{sql} AND {key} BETWEEN {bounds[0]} AND {bounds[1]}"
                with (folder / f"part-{n:04d}.csv").open("wb") as out, \
                        cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
                    for block in copy:
                        out.write(block)
        return
    with connection.cursor() as cursor:
        cursor.execute(sql)
        n, written, out = 0, FILE_ROWS, None
        try:
            while rows := cursor.fetchmany(20_000):
                if written >= FILE_ROWS:
                    if out:
                        out.close()
                    out = (folder / f"part-{n:04d}.csv").open("w", newline="", encoding="utf-8")
                    writer, written, n = csv.writer(out, quoting=csv.QUOTE_ALL), 0, n + 1
                writer.writerows(rows)
                written += len(rows)
        finally:
            if out:
                out.close()
        if out is None:
            (folder / "part-0000.csv").touch()


def _read_csv(spark, folder: Path, types: dict):
    """The CSV files back with the schema (`jurisdiction` as the last column where there is one)."""
    from pyspark.sql import functions as fn

    raw = {n: t for n, t in types.items() if n not in ("jurisdiction", "month")}
    if "jurisdiction" in types:
        raw["jurisdiction"] = "str"
    frame = spark.read.csv(str(folder), schema=_schema(raw), header=False, nullValue=NULL_MARK, escape='"',
                           multiLine=True, mode="FAILFAST")
    if "month" in types:
        at = "accepted_at" if "accepted_at" in types else "at"
        frame = frame.withColumn("month", fn.date_format(fn.col(at) + fn.expr("INTERVAL 8 HOURS"), "yyyy-MM"))
    return frame.select(*types)


def _took(what: str, since: float) -> float:
    now = time.perf_counter()
    TIMINGS[what] = TIMINGS.get(what, 0.0) + now - since
    return now


def export(folder: Path, case_ids=None, jurisdictions=None) -> Path:
    """Write the Parquet files Spark reads (through CSV the database streams out); the folder."""
    spark = session()
    if folder.exists():
        shutil.rmtree(folder)
    scope = _scope(case_ids, jurisdictions)
    staging = folder / "_csv"
    split = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MIN(c.id), MAX(c.id) FROM operation_case AS c WHERE {scope}")
            low, high = cursor.fetchone()
        if low is not None:
            split = [(a, min(a + PART_CASES - 1, high)) for a in range(low, high + 1, PART_CASES)]
    for table, types, key in (("operation_case", CASE_TYPES, "c.id"),
                              ("operation_caseevent", EVENT_TYPES, "e.case_id")):
        t = time.perf_counter()
        _to_csv(_select(table, types, scope), staging / table, split, key)
        t = _took("csv", t)
        _read_csv(spark, staging / table, types).write.partitionBy("jurisdiction", "month").parquet(
            str(folder / table))
        _took("parquet", t)
    for table, types in TABLE_TYPES.items():
        t = time.perf_counter()
        _to_csv(_select(table, types, ""), staging / table)
        t = _took("csv", t)
        _read_csv(spark, staging / table, types).coalesce(1).write.parquet(str(folder / table))
        _took("parquet", t)
    shutil.rmtree(staging)
    return folder


def _unit(spark, group, sql: str, prefix: str):
    """One unit's rows: its expressions read more than once computed once each and kept while it
    runs (see `spark_steps`), then its query over them; `cases` and `events` are the run's views."""
    from pyspark import StorageLevel

    t = time.perf_counter()
    made, final = spark_steps.steps(dialects.transpile(sql, "spark"), prefix)
    kept = []
    try:
        for view, select in made:
            frame = spark.sql(select).persist(StorageLevel.MEMORY_AND_DISK)
            frame.count()  # made now, once, before anything reads it
            frame.createOrReplaceTempView(view)
            kept.append((view, frame))
        rows = [tuple(r) for r in spark.sql(final).collect()]
    finally:
        for view, frame in kept:
            spark.catalog.dropTempView(view)
            frame.unpersist()
    TIMINGS["rules"][",".join(r.code for r in group)] = time.perf_counter() - t
    return rows


def run(rule_list, where_sql: str, on: dt.date, jurisdictions=None, case_ids=None, progress=None) -> list[dict]:
    """The rules over the export; `TIMINGS` then says where the time went (seconds)."""
    # on a cluster, a folder every executor reads (shared storage); locally under the data folder
    folder = Path(os.environ.get("POWERLIST_SPARK_PARQUET") or Path(settings.POWERLIST_DATA_DIR) / "supervision"
                  / "parquet")
    TIMINGS.clear()
    TIMINGS.update(export=0.0, csv=0.0, parquet=0.0, cache=0.0, rules={})
    t = time.perf_counter()
    spark = session()
    TIMINGS["session"] = time.perf_counter() - t
    t = time.perf_counter()
    export(folder, case_ids=case_ids, jurisdictions=jurisdictions)
    TIMINGS["export"] = time.perf_counter() - t
    from pyspark import StorageLevel

    t, cached = time.perf_counter(), []
    for table in ("operation_case", "operation_caseevent", *TABLE_TYPES):
        spark.read.parquet(str(folder / table)).createOrReplaceTempView(table)
    # the two views every rule reads (the database's `engine.scoped` puts them in front of each rule):
    # made once from Parquet for the run, kept in memory (spilling to disk)
    for view, select in (("cases", f"SELECT {', '.join(engine.CASES)} FROM operation_case WHERE {where_sql}"),
                         ("events", f"SELECT {', '.join('e.' + c for c in engine.EVENTS)} FROM operation_caseevent "
                                    f"AS e WHERE NOT e.refused AND e.case_id IN (SELECT id FROM cases)")):
        frame = spark.sql(select).persist(StorageLevel.MEMORY_AND_DISK)
        frame.count()
        frame.createOrReplaceTempView(view)
        cached.append(frame)
    TIMINGS["cache"] = time.perf_counter() - t
    t = time.perf_counter()
    units = engine.units(rule_list, on)
    found = []
    try:
        # the jobs of several rules at once: a small rule's job leaves the cores idle while the
        # driver plans the next
        with ThreadPoolExecutor(THREADS) as pool:
            results = [pool.submit(_unit, spark, group, sql, f"u{i}") for i, (group, sql) in enumerate(units)]
            for (group, _sql), result in zip(units, results):
                found.extend(engine.unit_findings(group, result.result(), naive_local=True))
                for rule in group:
                    if progress:
                        progress(rule)
    finally:
        while cached:
            cached.pop().unpersist()
    TIMINGS["query"] = time.perf_counter() - t
    return found


def stop() -> None:
    global _SESSION
    if _SESSION is not None:
        _SESSION.stop()
        _SESSION = None
