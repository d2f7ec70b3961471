"""A large event log with planted deviations of every enabled rule, at known rates, for the
supervision benchmark (bench/supervision_bench.py) and its correctness test on a small size.

Six realistic flowcharts, imported as BPMN with lanes through the flowchart service and pinned the
way the case service pins them (`flowcharts.runnable`, one PinnedFlowchart per engine XML, its
FlowSteps and FlowTransitions materialised by `supervision.transitions.ensure`):

- A 许可 line: 受理 → 审查 → 决定 → 送达;
- B an exclusive gateway: 受理 → 审查 → (现场核查 | 专家评审) → 决定 → 送达;
- C a parallel approval: 受理 → (会签一 ‖ 会签二) → 决定 → 送达;
- D a loop back for 补正: 受理 → 审查 → (补正 → 审查)* → 决定 → 送达;
- E a routine enterprise inspection (category 06): 抽取 → 检查 → 处理 → 公示;
- F a penalty (category 02) with a discretion benchmark: 立案 → 调查取证 → 审查 → 决定 → 送达.

The cases and events are then written straight into the tables in bulk (COPY on PostgreSQL,
executemany on SQLite, one transaction): the case service is bypassed for the generation only, so
no live evaluation runs. Each case carries at most one planted deviation; `expected` holds every
alert the rules must raise as (rule, case id, event seq or None)."""

import datetime as dt
import json
import random
from decimal import Decimal

BEIJING = dt.timezone(dt.timedelta(hours=8))
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions '
        'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_1" '
        'targetNamespace="http://bpmn.io/schema/bpmn">\n')
WINDOW, DESK, LEADER = "综合窗口", "业务科室", "分管负责人"


def _bpmn(pid: str, tasks: list[tuple[str, str, str]], gateways: list[tuple[str, str]],
          flows: list[tuple[str, str, str]]) -> bytes:
    """tasks (id, name, lane), gateways (id, kind), flows (source, target, condition)."""
    lanes: dict[str, list[str]] = {}
    for ident, _name, lane in tasks:
        lanes.setdefault(lane, []).append(ident)
    x = [HEAD, f'<bpmn:process id="{pid}" isExecutable="true">\n<bpmn:laneSet id="LaneSet_{pid}">\n']
    for i, (lane, ids) in enumerate(lanes.items()):
        refs = "".join(f"<bpmn:flowNodeRef>{r}</bpmn:flowNodeRef>" for r in ids)
        x.append(f'<bpmn:lane id="Lane_{pid}_{i}" name="{lane}">{refs}</bpmn:lane>\n')
    x.append('</bpmn:laneSet>\n<bpmn:startEvent id="StartEvent_1" />\n<bpmn:endEvent id="EndEvent_1" />\n')
    x += [f'<bpmn:userTask id="{i}" name="{n}" />\n' for i, n, _l in tasks]
    x += [f'<bpmn:{kind} id="{i}" />\n' for i, kind in gateways]
    for k, (a, b, cond) in enumerate(flows):
        body = f"<bpmn:conditionExpression>{cond}</bpmn:conditionExpression>" if cond else ""
        x.append(f'<bpmn:sequenceFlow id="Flow_{pid}_{k}" sourceRef="{a}" targetRef="{b}">{body}</bpmn:sequenceFlow>\n')
    x.append("</bpmn:process>\n</bpmn:definitions>\n")
    return "".join(x).encode()


def _line(pid, tasks):
    ids = ["StartEvent_1"] + [t[0] for t in tasks] + ["EndEvent_1"]
    return _bpmn(pid, tasks, [], [(a, b, "") for a, b in zip(ids, ids[1:])])


CHARTS = {
    "A": {"category": "01", "org": "edu", "name": "民办学校设立审批", "bpmn": _line("Process_A", [
        ("A1", "受理", WINDOW), ("A2", "审查", DESK), ("A3", "决定", LEADER), ("A4", "送达", WINDOW)])},
    "B": {"category": "01", "org": "edu", "name": "校外培训机构设立审批", "bpmn": _bpmn("Process_B", [
        ("B1", "受理", WINDOW), ("B2", "审查", DESK), ("B3", "现场核查", DESK), ("B4", "专家评审", "专家组"),
        ("B5", "决定", LEADER), ("B6", "送达", WINDOW)],
        [("BX", "exclusiveGateway"), ("BM", "exclusiveGateway")],
        [("StartEvent_1", "B1", ""), ("B1", "B2", ""), ("B2", "BX", ""), ("BX", "B3", "route == 0"),
         ("BX", "B4", "route == 1"), ("B3", "BM", ""), ("B4", "BM", ""), ("BM", "B5", ""), ("B5", "B6", ""),
         ("B6", "EndEvent_1", "")])},
    "C": {"category": "01", "org": "market", "name": "食品生产许可", "bpmn": _bpmn("Process_C", [
        ("C1", "受理", WINDOW), ("C2", "会签一", "食品生产科"), ("C3", "会签二", "法规科"), ("C4", "决定", LEADER),
        ("C5", "送达", WINDOW)],
        [("CP", "parallelGateway"), ("CJ", "parallelGateway")],
        [("StartEvent_1", "C1", ""), ("C1", "CP", ""), ("CP", "C2", ""), ("CP", "C3", ""), ("C2", "CJ", ""),
         ("C3", "CJ", ""), ("CJ", "C4", ""), ("C4", "C5", ""), ("C5", "EndEvent_1", "")])},
    "D": {"category": "01", "org": "market", "name": "食品经营许可", "bpmn": _bpmn("Process_D", [
        ("D1", "受理", WINDOW), ("D2", "审查", DESK), ("D3", "补正", WINDOW), ("D4", "决定", LEADER),
        ("D5", "送达", WINDOW)],
        [("DM", "exclusiveGateway"), ("DX", "exclusiveGateway")],
        [("StartEvent_1", "D1", ""), ("D1", "DM", ""), ("DM", "D2", ""), ("D2", "DX", ""), ("DX", "D3", "fix == 1"),
         ("D3", "DM", ""), ("DX", "D4", "fix == 0"), ("D4", "D5", ""), ("D5", "EndEvent_1", "")])},
    "E": {"category": "06", "org": "market", "name": "食品生产经营日常监督检查", "bpmn": _line("Process_E", [
        ("E1", "抽取", DESK), ("E2", "检查", "执法人员"), ("E3", "处理", DESK), ("E4", "公示", WINDOW)])},
    "F": {"category": "02", "org": "market", "name": "对生产经营不符合食品安全标准的食品的处罚", "bpmn": _line("Process_F", [
        ("F1", "立案", DESK), ("F2", "调查取证", "执法人员"), ("F3", "审查", "法规科"), ("F4", "决定", LEADER),
        ("F5", "送达", WINDOW)])},
}
CLEAN_WEIGHTS = {"A": 40, "B": 15, "C": 15, "D": 10, "E": 10, "F": 10}
# planted deviation: (rate among all cases, charts it is planted on)
PLANTS = {
    "skipped-step": (0.01, "ABC"), "out-of-order": (0.01, "AD"), "unlisted-power": (0.005, "-"),
    "overdue": (0.01, "AB"), "deadline-warning": (0.005, "A"), "suspension-too-long": (0.005, "AC"),
    "repeated-return": (0.005, "AD"), "same-person-accept-decide": (0.01, "ABCD"),
    "quiet-day-inspection": (0.01, "E"), "penalty-out-of-range": (0.01, "F"),
    "second-approval-missing": (0.005, "F"),
}
# F's 审查 is a high-risk step another person approves (复核) before it is completed
SECOND_APPROVAL = {"level": "high", "step": "审查环节", "description": "降低处罚标准", "prevention": "另一名人员复核",
                   "second_approver": True}
BENCHMARK = {"grade": "一般", "circumstance": "货值金额不足一万元", "penalty": "处五万元以上十万元以下罚款",
             "min_fine": Decimal("50000"), "max_fine": Decimal("100000")}


def prepare(actor, county, organisations: dict) -> dict:
    """Items with their flowcharts imported and pinned; {chart key: {item, org, flowchart_id, ids}}."""
    import hashlib

    from powerlist.catalog.services.items import create_item
    from powerlist.operation.models import PinnedFlowchart
    from powerlist.operation.services import flowcharts
    from powerlist.supervision import transitions

    out = {}
    for key, c in CHARTS.items():
        org = organisations[c["org"]]
        doc = {"code": f"{county.code}-BENCH-{key}", "name": c["name"], "category": c["category"],
               "organisation": org.name, "status": "published", "statutory_limit_days": 20,
               "promised_limit_days": 10}
        if key == "F":
            doc["discretion"] = [BENCHMARK]
            doc["risk_points"] = [SECOND_APPROVAL]
        item = create_item(actor, county, doc)
        flowcharts.import_flowchart(actor, item, c["bpmn"], filename=f"{key}.bpmn")
        item.refresh_from_db()
        pinned = flowcharts.runnable(item)
        assert hashlib.sha256(pinned["xml"].encode()).hexdigest() == pinned["sha256"]
        chart = PinnedFlowchart.objects.get_or_create(sha256=pinned["sha256"], defaults={
            "process_id": pinned["process_id"], "engine_xml": pinned["xml"]})[0]
        transitions.ensure([chart.pk])
        ids = {name: ident for ident, name, _l in _tasks(c["bpmn"])}
        out[key] = {"item": item, "org": org, "flowchart_id": chart.pk, "ids": ids, "version": pinned["version"]}
    return out


def _tasks(bpmn: bytes):
    import re

    return [(m[0], m[1], "") for m in re.findall(r'<bpmn:userTask id="(\w+)" name="([^"]+)"', bpmn.decode())]


class Trace:
    """The events of one case: (step, action, actor, at, amount, discretion, penalty type)."""

    def __init__(self, start: dt.datetime):
        self.at, self.rows = start, []

    def add(self, step: str, action: str = "complete", actor: str = "", days: int = 1, **money):
        self.rows.append((step, action, actor, self.at, money.get("amount"), money.get("discretion", ""),
                          money.get("penalty_type", "")))
        self.at += dt.timedelta(days=days)
        return len(self.rows)  # this event's seq


def _steps(key: str, rng: random.Random) -> list[str]:
    if key == "A":
        return ["受理", "审查", "决定", "送达"]
    if key == "B":
        return ["受理", "审查", rng.choice(["现场核查", "专家评审"]), "决定", "送达"]
    if key == "C":
        return ["受理", *rng.sample(["会签一", "会签二"], 2), "决定", "送达"]
    if key == "D":
        return ["受理", "审查", *(["补正", "审查"] * rng.choice([0, 0, 1, 2])), "决定", "送达"]
    if key == "E":
        return ["抽取", "检查", "处理", "公示"]
    return ["立案", "调查取证", "审查", "决定", "送达"]


def one_case(i: int, rng: random.Random, plant: str | None, key: str, today: dt.date):
    """(case fields, events, expected [(rule, seq or None)]) of case number i."""
    n = i % 997
    window, desk, leader = f"窗口{n % 40}", f"科员{n % 60}", f"负责人{n % 12}"
    actor = {"受理": window, "送达": window, "补正": window, "决定": leader}
    start = dt.datetime(2026, 1, 5, 10, tzinfo=BEIJING) + dt.timedelta(days=rng.randrange(250))
    if plant == "deadline-warning":
        start = dt.datetime.combine(today - dt.timedelta(days=8), dt.time(10), BEIJING)
    if key == "E":  # accepted on the 1st-18th; the inspection on the 26th-28th (after the quiet days)
        start = start.replace(day=1 + rng.randrange(18))
    t, expected = Trace(start), []
    t.add("", "accept", window, days=0)
    steps = _steps(key, rng) if key != "-" else ["受理", "审查", "决定"]
    if plant == "unlisted-power":
        expected.append((plant, 1))
    status, due = "closed", None
    if plant == "skipped-step":
        drop = {"A": "审查", "B": steps[2], "C": steps[1]}[key]
        steps.remove(drop)
        expected.append(("skipped-step", 1 + steps.index("决定") + 1))
    if plant == "out-of-order":
        steps.insert(steps.index("决定") + 1, "审查")
        expected.append(("out-of-order", 1 + steps.index("决定") + 2))
    if plant == "repeated-return":
        t.add("受理", "return", window)
        t.add("", "resume", window)
        expected.append(("repeated-return", t.add("受理", "return", window)))
        t.add("", "resume", window)
    if plant in ("overdue", "deadline-warning"):
        if plant == "deadline-warning" or rng.random() < 0.5:
            steps, status = steps[:1 if plant == "deadline-warning" else 2], "open"
    for k, step in enumerate(steps):
        who = actor.get(step, desk)
        if plant == "same-person-accept-decide" and step == "决定":
            who = window
        money = {}
        if key == "F" and step == "决定":
            amount = rng.randrange(50000, 100001, 500)
            if plant == "penalty-out-of-range":
                amount = rng.choice([rng.randrange(1000, 50000, 500), rng.randrange(100500, 200000, 500)])
            money = {"amount": Decimal(amount), "discretion": "一般", "penalty_type": "罚款"}
        if key == "E" and step == "检查":
            day = t.at.date()
            if plant == "quiet-day-inspection":
                t.at = t.at.replace(day=min(25, day.day + 1 + rng.randrange(5)))
            else:
                t.at = t.at.replace(day=26 + rng.randrange(3))
        if key == "F" and step == "审查" and plant != "second-approval-missing":
            t.add(step, "approve", f"科员{(n + 1) % 60}", days=0)
        seq = t.add(step, "complete", who, **money)
        if plant == "second-approval-missing" and step == "审查":
            expected.append((plant, seq))
        if plant == "same-person-accept-decide" and step == "决定":
            expected.append((plant, seq))
        if plant == "penalty-out-of-range" and step == "决定" or plant == "quiet-day-inspection" and step == "检查":
            expected.append((plant, seq))
        if plant == "suspension-too-long" and k == 0:
            expected.append((plant, t.add("", "suspend", window, days=31 + rng.randrange(30))))
            t.add("", "resume", window)
    last = t.rows[-1][3]
    accepted = t.rows[0][3]
    if plant == "overdue":
        due = (last.date() - dt.timedelta(days=3)) if status == "closed" else (today - dt.timedelta(days=5))
        expected.append(("overdue", None))
    elif plant == "deadline-warning":
        due = today + dt.timedelta(days=1)
        expected.append(("deadline-warning", None))
    else:
        due = last.date() + dt.timedelta(days=30)
    fields = {"status": status, "accepted_at": accepted, "closed_at": last if status == "closed" else None,
              "due": due, "accepted_by": window}
    return fields, t.rows, expected


def plan(n: int, seed: int = 11, boost: float = 1.0):
    """(plant or None, chart key) of each case, at the planted rates (times `boost`)."""
    rng = random.Random(seed)
    keys, weights = zip(*CLEAN_WEIGHTS.items())
    for _ in range(n):
        r, plant = rng.random(), None
        for rule, (rate, _charts) in PLANTS.items():
            if r < rate * boost:
                plant = rule
                break
            r -= rate * boost
        yield plant, (rng.choice(PLANTS[plant][1]) if plant else rng.choices(keys, weights)[0])


CASE_COLUMNS = ("id", "number", "item_id", "item_code", "source", "item_version", "flowchart_version",
                "flowchart_id", "organisation_id", "jurisdiction_id", "applicant_name", "applicant_phone", "status",
                "accepted_at", "accepted_by", "limit_kind", "limit_days", "limit_unit", "suspensions",
                "suspension_reason", "extensions", "due", "due_explained", "state", "result", "closed_at",
                "event_count")
EVENT_COLUMNS = ("case_id", "seq", "step", "step_id", "task_id", "action", "actor", "at", "payload", "refused",
                 "source", "flags", "amount", "penalty_type", "discretion")


def generate(n: int, charts: dict, county, unlisted_org, today: dt.date, first_id: int, seed: int = 11,
             chunk: int = 20000, boost: float = 1.0):
    """Chunks of (case rows, event rows, expected [(rule, case id, seq or None)]), Python values."""
    rng = random.Random(seed + 1)
    cases, events, expected = [], [], []
    for i, (plant, key) in enumerate(plan(n, seed, boost)):
        case_id = first_id + i
        fields, rows, found = one_case(i, rng, plant, key, today)
        chart = charts.get(key)
        item = chart["item"] if chart else None
        org = chart["org"] if chart else unlisted_org
        cases.append((case_id, f"{county.code}-B{i:08d}", item.pk if item else None,
                      item.code if item else f"{county.code}-JY-XX-999", "service" if item else "external",
                      item.version if item else 1, chart["version"] if chart else None,
                      chart["flowchart_id"] if chart else None, org.pk, county.pk, "", "", fields["status"],
                      fields["accepted_at"], fields["accepted_by"], "promised", 10, "working_days", "[]", "", "[]",
                      fields["due"], "", "", "", fields["closed_at"], len(rows)))
        ids = chart["ids"] if chart else {}
        for seq, (step, action, actor, at, amount, discretion, penalty_type) in enumerate(rows, 1):
            step_id = ids.get(step, "") if action in ("complete", "approve") else ""
            events.append((case_id, seq, step, step_id, "", action, actor, at, "{}", False, "service", "[]", amount,
                           penalty_type, discretion))
        expected.extend((rule, case_id, seq) for rule, seq in found)
        if len(cases) >= chunk:
            yield cases, events, expected
            cases, events, expected = [], [], []
    if cases:
        yield cases, events, expected


def _sqlite_value(v):
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, bool):
        return int(v)
    return v


def write(chunks, progress=None, analyze: bool = True) -> tuple[int, int, set]:
    """Write the chunks in one transaction (COPY on PostgreSQL, executemany on SQLite); (cases,
    events, expected alerts). `analyze`: then refresh the planner's statistics, as after any bulk
    load (SQLite keeps none until ANALYZE runs; without them it takes a jurisdiction's cases for a
    handful and joins the events to themselves by scanning)."""
    from django.db import connection, transaction

    n_cases = n_events = 0
    expected = set()
    with transaction.atomic():
        raw = connection.connection
        for cases, events, found in chunks:
            if connection.vendor == "postgresql":
                with raw.cursor() as cur:
                    with cur.copy(f"COPY operation_case ({', '.join(CASE_COLUMNS)}) FROM STDIN") as copy:
                        for row in cases:
                            copy.write_row(row)
                    with cur.copy(f"COPY operation_caseevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
                        for row in events:
                            copy.write_row(row)
            else:
                raw.executemany(f"INSERT INTO operation_case ({', '.join(CASE_COLUMNS)}) VALUES "
                                f"({', '.join('?' * len(CASE_COLUMNS))})",
                                [tuple(map(_sqlite_value, r)) for r in cases])
                raw.executemany(f"INSERT INTO operation_caseevent ({', '.join(EVENT_COLUMNS)}) VALUES "
                                f"({', '.join('?' * len(EVENT_COLUMNS))})",
                                [tuple(map(_sqlite_value, r)) for r in events])
            n_cases, n_events = n_cases + len(cases), n_events + len(events)
            expected.update(found)
            if progress:
                progress(len(cases))
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("SELECT setval(pg_get_serial_sequence('operation_case', 'id'), "
                            "(SELECT MAX(id) FROM operation_case))")
            if analyze:
                cur.execute("ANALYZE operation_case")
                cur.execute("ANALYZE operation_caseevent")
    return n_cases, n_events, expected


def found_keys(found: list[dict]) -> set:
    """The sweep's findings as (rule, case id, seq or None), like `expected`."""
    out = set()
    for f in found:
        seq = f["dedupe_key"].split(":")[2]
        out.add((f["rule"], f["case_id"], int(seq) if seq else None))
    return out


def scores(expected: set, found: set, rules) -> dict:
    """{rule: (planted, found, true positives, precision, recall, a missed example, a wrong example)}."""
    out = {}
    for rule in rules:
        e = {k for k in expected if k[0] == rule}
        f = {k for k in found if k[0] == rule}
        tp = len(e & f)
        out[rule] = (len(e), len(f), tp, tp / len(f) if f else (1.0 if not e else 0.0),
                     tp / len(e) if e else (1.0 if not f else 0.0), min(e - f, default=None), min(f - e, default=None))
    return out
