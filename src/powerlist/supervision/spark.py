"""The Spark engine: the cases and events in scope (and the tables the rules join to) exported as
Parquet, events and cases partitioned by jurisdiction and month (Beijing), read back by PySpark
as views with the database's table names, and the same transpiled rule SQL run on them. Local
mode (`local[2]`) unless POWERLIST_SPARK_MASTER names a cluster (then POWERLIST_SPARK_PARQUET names
a folder its executors share); the results land in the same alerts table through engine.store."""

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db.models import F

from powerlist.core.errors import InvalidInput, Problem
from powerlist.operation.models import Case, CaseEvent
from powerlist.supervision import dialects, engine

_SESSION = None


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
                    .config("spark.sql.shuffle.partitions", os.environ.get("POWERLIST_SPARK_PARTITIONS", "2"))
                    .config("spark.default.parallelism", "2")
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


def _month(at: dt.datetime) -> str:
    return at.astimezone(BEIJING).strftime("%Y-%m")


def export(folder: Path, case_ids=None, jurisdictions=None) -> Path:
    """Write the Parquet files Spark reads; the folder."""
    from django.apps import apps

    spark = session()
    cases = Case.objects.all()
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    elif jurisdictions is not None:
        cases = cases.filter(jurisdiction_id__in=list(jurisdictions))
    case_rows = []
    for row in cases.annotate(jurisdiction_code=F("jurisdiction__code")).values_list(
            *[c for c in CASE_TYPES if c not in ("jurisdiction", "month")], "jurisdiction_code"):
        case_rows.append((*row, _month(row[CASE_TYPES_INDEX_ACCEPTED])))
    codes = {r[0]: r[-2] for r in case_rows}
    event_rows = []
    for row in CaseEvent.objects.filter(case__in=cases).values_list(
            *[c for c in EVENT_TYPES if c not in ("jurisdiction", "month")]).iterator(chunk_size=5000):
        row = list(row)
        row[8] = json.dumps(row[8] or [], ensure_ascii=False)
        event_rows.append((*row, codes[row[1]], _month(row[7])))
    if folder.exists():
        shutil.rmtree(folder)
    for table, rows, types in (("operation_case", case_rows, CASE_TYPES),
                               ("operation_caseevent", event_rows, EVENT_TYPES)):
        spark.createDataFrame(rows, _schema(types)).coalesce(1).write.partitionBy("jurisdiction", "month").parquet(
            str(folder / table))
    for table, types in TABLE_TYPES.items():
        model = next(m for m in apps.get_models() if m._meta.db_table == table)
        rows = list(model.objects.values_list(*types))
        spark.createDataFrame(rows, _schema(types)).coalesce(1).write.parquet(str(folder / table))
    return folder


CASE_TYPES_INDEX_ACCEPTED = list(CASE_TYPES).index("accepted_at")


def run(rule_list, where_sql: str, on: dt.date, jurisdictions=None, case_ids=None, progress=None) -> list[dict]:
    # on a cluster, a folder every executor reads (shared storage); locally under the data folder
    folder = Path(os.environ.get("POWERLIST_SPARK_PARQUET") or Path(settings.POWERLIST_DATA_DIR) / "supervision"
                  / "parquet")
    export(folder, case_ids=case_ids, jurisdictions=jurisdictions)
    spark = session()
    for table in ("operation_case", "operation_caseevent", *TABLE_TYPES):
        spark.read.parquet(str(folder / table)).createOrReplaceTempView(table)
    found = []
    for group, sql in engine.units(rule_list, on):
        rows = [tuple(r) for r in spark.sql(dialects.transpile(engine.scoped(sql, where_sql), "spark")).collect()]
        found.extend(engine.unit_findings(group, rows, naive_local=True))
        for rule in group:
            if progress:
                progress(rule)
    return found


def stop() -> None:
    global _SESSION
    if _SESSION is not None:
        _SESSION.stop()
        _SESSION = None
