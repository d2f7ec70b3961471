"""Run the enabled rules over the cases of a jurisdiction, a set of cases or all of them, on the
database itself (SQLite or PostgreSQL, the rule SQL transpiled by sqlglot) or on Spark (see
`spark`), and upsert what they find into the alerts table by dedupe key: a sweep run twice, or a
sweep after live evaluation, stores each finding once."""

import datetime as dt
import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from decimal import Decimal

from django.db import connection, connections, transaction
from django.utils import timezone

from powerlist.core import workdays
from powerlist.core.errors import NotFound
from powerlist.core.models import Jurisdiction, short_code
from powerlist.operation.models import Case
from powerlist.supervision import builtin, dialects, rules, transitions
from powerlist.supervision.models import Alert, Rule

CASES = ("id", "number", "item_id", "item_code", "organisation_id", "jurisdiction_id", "flowchart_id", "status",
         "due", "closed_at")
EVENTS = ("id", "case_id", "seq", "step", "step_id", "action", "actor", "at", "flags", "amount", "penalty_type",
          "discretion", "refused")
# the tables a rule may read besides cases and events, and the columns the Spark export carries
TABLES = {
    "catalog_poweritem": ("id", "organisation_id", "status", "valid_from", "valid_to", "category"),
    "catalog_discretionbenchmark": ("id", "item_id", "grade", "min_fine", "max_fine"),
    "supervision_flowstep": ("id", "flowchart_id", "step_id", "name", "role"),
    "supervision_flowtransition": ("id", "flowchart_id", "kind", "source", "target", "gateway", "branch"),
    "supervision_quietdays": ("id", "jurisdiction_id", "first_day", "last_day"),
}


def jurisdiction_ids(code: str) -> list[int]:
    """The jurisdiction with this code and every one below it."""
    top = Jurisdiction.objects.filter(code=short_code(str(code).strip())).first()
    if top is None:
        raise NotFound(f"没有代码为 {code} 的行政区划")
    ids, frontier = [top.pk], [top.pk]
    while frontier:
        frontier = list(Jurisdiction.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def _date(value: dt.date) -> str:
    return f"CAST('{value.isoformat()}' AS DATE)"


def _names(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) or "''"


def params_of(rule: Rule) -> dict:
    """The rule's parameters over the built-in defaults."""
    return {**next((r["params"] for r in builtin.RULES if r["code"] == rule.code), {}), **(rule.params or {})}


def _values(rule: Rule, today: dt.date) -> dict:
    p = params_of(rule)
    values = {"today": _date(today)}
    for key, value in p.items():
        if isinstance(value, list):
            values[key] = _names(value)
        else:
            values[key] = str(int(value))
    if "working_days" in p:
        values["horizon"] = _date(workdays.due_date(today, int(p["working_days"]), workdays.WORKING_DAY, []).date)
    return values


def render(rule: Rule, today: dt.date) -> str:
    """The rule's Spark SQL with its parameters as literals (numbers checked, names quoted)."""
    return rules.SQL[rule.code].format(**_values(rule, today))


def units(rule_list: list[Rule], today: dt.date) -> list[tuple[list[Rule], str]]:
    """The queries to run for these rules: (rules, Spark SQL). A query for several rules (see
    `rules.TOGETHER`, used when all of them run) has the rule's code as its first column."""
    by_code = {r.code: r for r in rule_list}
    out, taken = [], set()
    for codes, sql in rules.TOGETHER.items():
        if all(c in by_code for c in codes):
            group = [by_code[c] for c in codes]
            values = {k: v for r in group for k, v in _values(r, today).items()}
            out.append((group, sql.format(**values)))
            taken.update(codes)
    out.extend(([r], render(r, today)) for r in rule_list if r.code not in taken)
    return out


def unit_findings(group: list[Rule], rows, naive_local: bool = False) -> list[dict]:
    """Rows of a unit's SQL as alert fields."""
    if len(group) == 1:
        return findings(group[0], rows, params_of(group[0]), naive_local)
    out = []
    for rule in group:
        mine = [row[1:] for row in rows if row[0] == rule.code]
        out.extend(findings(rule, mine, params_of(rule), naive_local))
    return out


SCOPE_MARKER = "__scope__ = 1"


def scoped(sql: str, where: str) -> str:
    """The rule behind the two views every rule reads: the cases in scope and their events."""
    # events: one table filtered, not a join, so the database can inline it wherever a rule reads it
    # (also on the right of a LEFT JOIN, where SQLite would otherwise copy every event in scope)
    views = (f"cases AS (SELECT {', '.join(CASES)} FROM operation_case WHERE {where}), "
             f"events AS (SELECT {', '.join('e.' + c for c in EVENTS)} FROM operation_caseevent AS e "
             f"WHERE NOT e.refused AND e.case_id IN (SELECT id FROM cases))")
    sql = sql.strip()
    if sql[:5].upper() == "WITH ":
        return f"WITH {views}, {sql[5:]}"
    return f"WITH {views} {sql}"


def where(case_ids=None, jurisdictions=None) -> str:
    if case_ids is not None:
        return f"id IN ({', '.join(str(int(i)) for i in case_ids) or 'NULL'})"
    if jurisdictions is not None:
        return f"jurisdiction_id IN ({', '.join(str(int(i)) for i in jurisdictions) or 'NULL'})"
    return "1 = 1"


def today() -> dt.date:
    return workdays.beijing_date(timezone.now())


def enabled_rules(codes=None) -> list[Rule]:
    found = Rule.objects.filter(enabled=True, code__in=list(rules.SQL)).order_by("code")
    return [r for r in found if codes is None or r.code in codes]


def _moment(value, naive_local: bool) -> dt.datetime | None:
    """An aware datetime: Django keeps UTC (naive on SQLite); PySpark hands back naive local time."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo:
        return value
    return value.astimezone(dt.UTC) if naive_local else value.replace(tzinfo=dt.UTC)


def _day(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (Decimal, float)):
        return str(Decimal(str(value)).normalize())
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def findings(rule: Rule, rows, params: dict, naive_local: bool = False) -> list[dict]:
    """Rows of a rule's SQL as alert fields."""
    out = []
    for case_id, seq, step, at, day, v1, v2 in rows:
        day, at = _day(day), _moment(at, naive_local)
        if at is None:
            at = timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_fixed_timezone(480))
        step = step or ""
        key = f"{rule.code}:{case_id}:{'' if seq is None else int(seq)}:{day.isoformat() if day else ''}"
        out.append({"case_id": int(case_id), "rule": rule.code, "rule_version": rule.version,
                    "severity": rule.severity, "step": step, "at": at, "dedupe_key": key,
                    "detail": builtin.detail(rule.code, params, step, day, _text(v1), _text(v2))})
    return out


def _template(sql: str, dialect: str) -> str:
    # transpiled with a marker for the scope, so sqlglot's work is cached per rule and day, not redone
    # for every case a live evaluation looks at
    template = dialects.transpile(scoped(sql, SCOPE_MARKER), dialect)
    # both views inlined, so the planner sees the tables' statistics and indexes (materialised, each
    # rule copied every event in scope into a temporary table and indexed it there: on PostgreSQL a
    # rule over a million cases ran for minutes instead of seconds, on SQLite the sweep took three
    # times as long)
    return template.replace("WITH cases AS (", "WITH cases AS NOT MATERIALIZED (", 1).replace(
        ", events AS (", ", events AS NOT MATERIALIZED (", 1)


def _run_unit(group: list[Rule], sql: str, where_sql: str, dialect: str) -> tuple[list[dict], float]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if dialect == "postgres":
            # PostgreSQL's JIT compiles a rule over a million cases for longer than it runs (a
            # 36 s control-flow query spent 26 s compiling): off for the rule, back after it
            cursor.execute("SET jit = off")
        try:
            cursor.execute(_template(sql, dialect).replace(SCOPE_MARKER, where_sql))
            rows = cursor.fetchall()
        finally:
            if dialect == "postgres":
                cursor.execute("RESET jit")
    return unit_findings(group, rows), time.perf_counter() - started


def _in_worker(*args):
    """A unit on a worker thread: its own database connection, closed when done."""
    try:
        return _run_unit(*args)
    finally:
        connections.close_all()


def workers(whole: bool) -> int:
    """How many connections a sweep reads with: the rules' queries are independent reads, so a sweep
    over a jurisdiction runs them side by side, one per core (at most 4; POWERLIST_SWEEP_WORKERS sets
    it, 1 for one at a time). One when evaluating a few cases (live), and inside a transaction, whose
    writes other connections cannot see."""
    if not whole or connection.in_atomic_block:
        return 1
    configured = os.environ.get("POWERLIST_SWEEP_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(os.cpu_count() or 1, 4))


def run_sql(rule_list: list[Rule], where_sql: str, on: dt.date, progress=None, whole: bool = False,
            timings: dict | None = None) -> list[dict]:
    """The rules' findings; `timings` (when given) gets each unit's seconds under its rules' codes."""
    dialect = dialects.VENDOR[connection.vendor]
    found = []

    def done(group, result):
        found.extend(result[0])
        for rule in group:
            if timings is not None:
                timings[rule.code] = result[1] if rule is group[0] else 0.0
            if progress:
                progress(rule)

    todo = units(rule_list, on)  # the dearest (the control flow, shared by two rules) first
    n = min(workers(whole), len(todo))
    if n <= 1:
        for group, sql in todo:
            done(group, _run_unit(group, sql, where_sql, dialect))
        return found
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="sweep") as pool:
        futures = {pool.submit(_in_worker, group, sql, where_sql, dialect): group for group, sql in todo}
        for future in as_completed(futures):
            done(futures[future], future.result())
    return found


STORE_BATCH = 1000  # findings per statement (10 parameters each: within SQLite's and PostgreSQL's limits)


def store(found: list[dict]) -> int:
    """Upsert by dedupe key, set-based: one INSERT … SELECT … ON CONFLICT per batch of findings, the
    case's jurisdiction read by the statement itself; a stored alert is rewritten only when something
    changed. The number of findings stored."""
    if not found:
        return 0
    ops = connection.ops
    table = connection.ops.quote_name(Alert._meta.db_table)
    changing = ("rule_version", "severity", "step", "at", "detail")
    upsert = (" ON CONFLICT (dedupe_key) DO UPDATE SET "
              + ", ".join(f"{c} = excluded.{c}" for c in changing) + ", withdrawn_at = NULL"  # found again: live
              + " WHERE " + " OR ".join(f"{table}.{c} <> excluded.{c}" for c in changing)
              + f" OR {table}.withdrawn_at IS NOT NULL")
    now = ops.adapt_datetimefield_value(timezone.now())
    # one row per key (PostgreSQL refuses to upsert a row twice in one statement), the last finding kept
    rows = list({f["dedupe_key"]: (f["case_id"], f["rule"], f["rule_version"], f["severity"], f["step"][:300],
                                   ops.adapt_datetimefield_value(f["at"]), f["detail"], f["dedupe_key"])
                 for f in found}.values())
    with transaction.atomic():
        with connection.cursor() as cursor:
            for start in range(0, len(rows), STORE_BATCH):
                batch = rows[start:start + STORE_BATCH]
                cursor.execute(
                    f"INSERT INTO {table} (case_id, rule, rule_version, severity, step, at, detail, dedupe_key, "
                    f"jurisdiction_id, created_at) "
                    f"SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8, "
                    f"c.jurisdiction_id, %s "
                    f"FROM (VALUES {', '.join(['(%s, %s, %s, %s, %s, %s, %s, %s)'] * len(batch))}) AS v "
                    f"JOIN operation_case AS c ON c.id = v.column1 WHERE 1 = 1" + upsert,
                    [now, *(value for row in batch for value in row)])
        # the one place alerts become cards (黄红牌): each yellow or red alert without one gets one
        from powerlist.supervision.services import cards

        cards.issue([row[7] for row in rows])
    return len(rows)


def statistics() -> None:
    """Before a sweep: the planner's statistics for the cases and events when the database has none
    (after a bulk load SQLite keeps none until ANALYZE runs, and without them joins a jurisdiction's
    events to themselves by scanning; PostgreSQL's autovacuum may not have come round yet)."""
    tables = ("operation_case", "operation_caseevent")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            known = set()
            if cursor.fetchone()[0]:
                cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
                known = {r[0] for r in cursor.fetchall()}
            for table in tables:
                if table not in known:
                    cursor.execute(f"ANALYZE {table}")
            cursor.execute("PRAGMA optimize")
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) AND last_analyze IS NULL "
                           "AND last_autoanalyze IS NULL", [list(tables)])
            for (table,) in cursor.fetchall():
                cursor.execute(f"ANALYZE {table}")


def evaluate(case_ids=None, jurisdictions=None, engine: str = "sql", codes=None, on: dt.date | None = None,
             progress=None, timings: dict | None = None) -> list[dict]:
    """Run the enabled rules (or those of `codes`) over the cases in scope, store the findings and
    return them. `progress(rule)` is called after each rule; `timings` (SQL engine) gets each rule's
    query seconds (rules sharing a query: the first carries it, the others 0)."""
    on = on or today()
    charts = Case.objects.filter(flowchart__isnull=False)
    if case_ids is not None:
        charts = charts.filter(pk__in=list(case_ids))
    elif jurisdictions is not None:
        charts = charts.filter(jurisdiction_id__in=list(jurisdictions))
    transitions.ensure(set(charts.values_list("flowchart_id", flat=True).distinct()))
    rule_list = enabled_rules(codes)
    if case_ids is None:
        statistics()
    if engine == "spark":
        from powerlist.supervision import spark

        found = spark.run(rule_list, where(case_ids, jurisdictions), on, jurisdictions, case_ids, progress=progress)
    else:
        found = run_sql(rule_list, where(case_ids, jurisdictions), on, progress=progress, whole=case_ids is None,
                        timings=timings)
    store(found)
    from powerlist.supervision import withdrawal

    withdrawal.withdraw(rule_list, found, case_ids=case_ids, jurisdictions=jurisdictions)
    return found


def shape(found: list[dict]) -> dict:
    """`{"alerts": [{"case", "rule", "severity", "step", "at", "detail"}]}` in a stable order."""
    numbers = dict(Case.objects.filter(pk__in={f["case_id"] for f in found}).values_list("pk", "number"))
    alerts = [{"case": numbers[f["case_id"]], "rule": f["rule"], "severity": f["severity"], "step": f["step"],
               "at": timezone.localtime(f["at"]).isoformat(), "detail": f["detail"]} for f in found]
    alerts.sort(key=lambda a: (a["at"], a["case"], a["rule"], a["step"], a["detail"]))
    return {"alerts": alerts}


def stored(jurisdictions=None, case_ids=None) -> dict:
    """The stored alerts in the same shape."""
    rows = Alert.objects.filter(withdrawn_at__isnull=True)  # 已解除 ones are shown on the dashboard only
    if jurisdictions is not None:
        rows = rows.filter(jurisdiction_id__in=list(jurisdictions))
    if case_ids is not None:
        rows = rows.filter(case_id__in=list(case_ids))
    return shape([{"case_id": a.case_id, "rule": a.rule, "severity": a.severity, "step": a.step, "at": a.at,
                   "detail": a.detail} for a in rows])
