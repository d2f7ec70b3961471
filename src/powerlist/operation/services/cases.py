"""Cases (办件) along the published flowchart (按单用权、按图行权).

A clerk opens a case only for a published, in-force item of their own department; the case pins
the item version, the flowchart version and the engine XML it runs (by sha256). Steps advance
only along the flowchart: the state is restored with the cached spec and only a task the engine
reports READY is completed; the state is saved at every step. Every action is a CaseEvent and an
entry on the transparency log in the same transaction. A refused attempt (a power not listed, not
in force, cancelled, delegated away, another department's; a step not ready) is recorded too: an
audit entry, and a refused event when the case exists, committed although the action is not."""

import datetime as dt
import hashlib
import weakref
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from powerlist.catalog.models import STATUS_NAMES, PowerItem, Status
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.models import Jurisdiction, Role
from powerlist.core.services import audit
from powerlist.core.workdays import beijing_date
from powerlist.operation.bpmn import engine
from powerlist.operation.models import (
    Attachment, Case, CaseAction, CaseEvent, CaseStatus, FlowchartStatus, FlowchartVersion, PinnedFlowchart,
)
from powerlist.operation.services import deadlines, decisions, fields, flowcharts, step_roles
from powerlist.operation.services import workflow as wf

ACTION_NAMES = {"accept": "受理", "complete": "办理", "return": "退回补正", "suspend": "中止", "resume": "恢复",
                "extend": "延长", "close": "办结", "approve": "复核"}
_SPECS: dict[str, dict] = {}  # pinned engine XML sha256 -> {"spec", "subprocesses"}, parsed once per process
_SHA_OF: dict[int, str] = {}  # PinnedFlowchart id -> sha256: committed rows are immutable and never deleted
_RUNNABLE: dict[tuple, dict] = {}  # (item, item version, its flowchart versions) -> flowcharts.runnable(item)


class Refused(PermissionDenied):
    """An attempt the rules do not allow; recorded on the log although nothing changes."""


def pinned(flowchart_id: int) -> dict:
    """The parsed spec of a pinned flowchart, read and parsed once per process."""
    sha = _SHA_OF.get(flowchart_id)
    if sha is None or sha not in _SPECS:
        if len(_SPECS) > 1000:
            _SPECS.clear()
        row = PinnedFlowchart.objects.get(pk=flowchart_id)
        if row.sha256 not in _SPECS:
            spec, subprocesses = engine.spec(row.engine_xml, row.process_id)
            _SPECS[row.sha256] = {"spec": spec, "subprocesses": subprocesses}
        sha = row.sha256
        # remembered once the row is surely committed (a rolled-back id may be reused)
        transaction.on_commit(lambda: _SHA_OF.__setitem__(flowchart_id, sha))
    return _SPECS[sha]


def _runnable(item: PowerItem) -> dict:
    """flowcharts.runnable(item), remembered while the item's version and flowchart versions stay
    as they are (building a chart from the item's steps parses BPMN: ~8 ms)."""
    versions = tuple(tuple(row) for row in _rows("flowchart_versions", lambda qn: (
        f"SELECT {qn('number')}, {qn('status')} FROM {qn(FlowchartVersion._meta.db_table)} "
        f"WHERE {qn('item_id')} = %s ORDER BY {qn('number')}"), [item.pk]))
    if any(status == FlowchartStatus.PENDING for _n, status in versions):
        return flowcharts.runnable(item)  # a decision may be waiting to be settled
    key = (item.pk, item.version, item.updated_at, versions)  # updated_at: ids of rolled-back items come back
    if key not in _RUNNABLE:
        if len(_RUNNABLE) > 5000:
            _RUNNABLE.clear()
        _RUNNABLE[key] = flowcharts.runnable(item)
    return _RUNNABLE[key]


def _now(at) -> dt.datetime:
    return at or timezone.now()


# The few statements every opening and action runs, in plain SQL built once per database (the ORM
# spent longer building them than SQLite took to run them), with the values converted as the ORM
# converts them (get_db_prep_save on the way in, the backend's and the field's converters on the
# way out) and the signals the ORM sends (supervision listens for saved events).
_SQL: dict[tuple, object] = {}
_CONVERTERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection -> {(table, field): [...]}


def _sql(name: str, build, connection=None):
    connection = connection or transaction.get_connection()
    key = (connection.alias, name)
    built = _SQL.get(key)
    if built is None:
        built = _SQL[key] = build(connection.ops.quote_name)
    return built


def _rows(name: str, build, params: list) -> list:
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(_sql(name, build, connection), params)
        return cursor.fetchall()


def _from_db(connection, fields, values) -> list:
    """Values of `fields` as the database gave them, converted as the ORM converts them."""
    known = _CONVERTERS.get(connection)
    if known is None:
        known = _CONVERTERS[connection] = {}
    out = []
    for field, value in zip(fields, values):
        key = (field.model._meta.db_table, field.attname)
        converters = known.get(key)
        if converters is None:
            col = field.get_col(field.model._meta.db_table)
            converters = known[key] = (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        col, funcs = converters
        for func in funcs:
            value = func(value, col, connection)
        out.append(value)
    return out


def _prepared(fields, obj, add: bool, connection) -> list:
    """The values the ORM would send for `fields` of `obj` (pre_save, then get_db_prep_save). A
    plain text or boolean field holding a str or bool (or None) sends it as it is, which is what
    get_db_prep_save returns for it; every other value goes the ORM's way."""
    out = []
    for field, plain in fields:
        value = field.pre_save(obj, add)
        out.append(value if value is None and plain or type(value) is plain
                   else field.get_db_prep_save(value, connection))
    return out


def _plain(field) -> type | None:
    """The one Python type a field sends to the database unchanged (str for plain text, bool for
    booleans), or None."""
    return {models.CharField: str, models.TextField: str, models.BooleanField: bool}.get(type(field))


def _insert(obj) -> None:
    """Model.save(force_insert=True) of a new row: the same column values, pre_save and post_save
    sent; the statement built once per database."""
    model, connection = type(obj), transaction.get_connection()
    meta = model._meta
    if meta.auto_field is None:  # not expected for these models: the ORM's way
        obj.save(force_insert=True)
        return

    def build(qn):
        fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
        returning = connection.features.can_return_columns_from_insert
        sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))})"
               + (f" RETURNING {qn(meta.auto_field.column)}" if returning else ""))
        return sql, [(f, _plain(f)) for f in fields], returning

    sql, fields, returning = _sql(f"insert:{meta.label}", build, connection)
    if pre_save.has_listeners(model):
        pre_save.send(sender=model, instance=obj, raw=False, using=connection.alias, update_fields=None)
    params = _prepared(fields, obj, True, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0] if returning else connection.ops.last_insert_id(
            cursor, meta.db_table, meta.auto_field.column)
    setattr(obj, meta.auto_field.attname, pk)
    obj._state.adding, obj._state.db = False, connection.alias
    if post_save.has_listeners(model):
        post_save.send(sender=model, instance=obj, created=True, update_fields=None, raw=False,
                       using=connection.alias)


def _update(obj, names: list[str]) -> None:
    """Model.save(update_fields=names) of a row this transaction holds: the same values, the same
    signals, an error when no row was there."""
    model, connection = type(obj), transaction.get_connection()
    meta = model._meta

    def build(qn):
        fields = [meta.get_field(n) for n in names]
        return (f"UPDATE {qn(meta.db_table)} SET {', '.join(f'{qn(f.column)} = %s' for f in fields)} "
                f"WHERE {qn(meta.pk.column)} = %s", [(f, _plain(f)) for f in fields])

    sql, fields = _sql(f"update:{meta.label}:{','.join(names)}", build, connection)
    if pre_save.has_listeners(model):
        pre_save.send(sender=model, instance=obj, raw=False, using=connection.alias, update_fields=frozenset(names))
    params = _prepared(fields, obj, False, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, meta.pk.get_db_prep_value(obj.pk, connection)])
        if cursor.rowcount != 1:
            raise DatabaseError(f"{meta.label} {obj.pk}: no row was updated")
    if post_save.has_listeners(model):
        post_save.send(sender=model, instance=obj, created=False, update_fields=frozenset(names), raw=False,
                       using=connection.alias)


_IN_FORCE = ("code", "name", "status", "valid_from", "valid_to", "version", "updated_at")  # + what decisions caches by
_ACTIONS = frozenset(CaseAction.values)


def in_force_problem(item: PowerItem, on: dt.date) -> str:
    """Why a case may not run on this item today ("" when it may)."""
    if item.status != Status.PUBLISHED:
        why = {Status.DELEGATED: "已下放", Status.CANCELLED: "已取消", Status.TRANSFERRED: "已转移",
               Status.MERGED: "已整合"}.get(item.status)
        state = why or f"未列入已公布的权力清单（{STATUS_NAMES.get(item.status, item.status)}）"
        return f"事项 {item.code} {item.name}{state}，不能据此办件"
    if item.valid_from and item.valid_from > on:
        return f"事项 {item.code} 自 {item.valid_from.isoformat()} 起施行，{on.isoformat()} 尚未生效"
    if item.valid_to and item.valid_to < on:
        return f"事项 {item.code} 已于 {item.valid_to.isoformat()} 失效"
    return ""


def may_act(actor, organisation_id: int, jurisdiction_id: int) -> bool:
    """Clerks for their own department's items; reviewers and administrators in their jurisdiction."""
    role = scope._role(actor)
    if role == Role.CLERK:
        return bool(actor.organisation_id) and actor.organisation_id == organisation_id
    if role == Role.ADMIN:
        return True
    return role == Role.REVIEWER and scope.covers_jurisdiction(actor, Jurisdiction.objects.get(pk=jurisdiction_id))


def _refuse_opening(actor, target: str, payload: dict, message: str):
    with transaction.atomic():
        audit.append(actor, "case.refused", target, {**payload, "action": "accept", "reason": message})
    raise Refused(message)


def find_item(jurisdiction_code: str, code: str) -> PowerItem:
    jurisdiction = Jurisdiction.objects.filter(code=_short(jurisdiction_code)).first()
    if jurisdiction is None:
        raise NotFound(f"没有代码为 {jurisdiction_code} 的行政区划")
    item = PowerItem.objects.select_related("organisation", "jurisdiction").filter(
        jurisdiction=jurisdiction, code=code).first()
    return item if item is not None else jurisdiction


def _applications():
    from powerlist.operation.services import applications  # it opens cases: imported when used

    return applications


def _short(code: str) -> str:
    from powerlist.core.models import short_code

    return short_code(code)


def open_case(actor, item_or_code, jurisdiction_code: str | None = None, *, applicant: str = "", phone: str = "",
              at: dt.datetime | None = None, application=None) -> Case:
    """受理: open a case for a published, in-force item of the actor's own department (inside a
    one-window `application`, the service hall accepts on the department's behalf)."""
    at = _now(at)
    if isinstance(item_or_code, PowerItem):
        item = item_or_code
    else:
        found = find_item(jurisdiction_code or "", item_or_code)
        if not isinstance(found, PowerItem):
            _refuse_opening(actor, f"jurisdiction:{found.pk}", {"code": item_or_code},
                            f"{found.name}的权力清单中没有职权编码为 {item_or_code} 的事项，不能办件")
        item = found
    target = f"item:{item.pk}"
    payload = {"code": item.code, "item_version": item.version}
    if not may_act(actor, item.organisation_id, item.jurisdiction_id) and not (
            application is not None and _applications().may_accept(actor, application, item)):
        _refuse_opening(actor, target, payload, f"{scope._name(actor)}无权办理{item.organisation.name}的事项"
                                                f"“{item.name}”：经办人只能办理本部门的事项")
    problem = in_force_problem(item, beijing_date(at))
    if problem:
        _refuse_opening(actor, target, payload, problem)
    applicant, phone = (applicant or "").strip()[:200], (phone or "").strip()[:30]
    if phone and not all(c.isdigit() or c in "-+ " for c in phone):
        raise InvalidInput([Problem("", None, "phone", phone, "应为电话号码")])
    chart = _runnable(item)
    try:
        with transaction.atomic():
            fresh = _held_item(item)
            problem = in_force_problem(fresh, beijing_date(at))
            if problem:  # changed while the flowchart was read
                raise Refused(problem)
            if fresh.version != item.version:
                chart = _runnable(fresh)
            return _create(actor, fresh, chart, applicant, phone, at, application)
    except Refused as exc:
        _refuse_opening(actor, target, payload, str(exc))


# what an opening reads of its item: when the row still holds these values, the item in hand is it
_OPENING = ("version", "updated_at", "status", "valid_from", "valid_to", "code", "name", "organisation_id",
            "jurisdiction_id", "promised_limit_days", "promised_limit_unit", "statutory_limit_days",
            "statutory_limit_unit")


def _held_item(item: PowerItem) -> PowerItem:
    """The item's row re-read inside the opening's transaction and held in share mode until it
    commits (PostgreSQL: FOR SHARE; openings of one item go side by side, while a change of the
    item, cancelled, delegated, a new version, waits for them and they for it; on SQLite the
    IMMEDIATE transaction already keeps every other writer out). The item in hand when the row
    still holds what the opening reads of it (one short statement), else the row read again whole."""
    fields = [PowerItem._meta.get_field(f) for f in _OPENING]
    connection = transaction.get_connection()

    def build(qn):
        lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
        return (f"SELECT {', '.join(qn(f.column) for f in fields)} FROM {qn(PowerItem._meta.db_table)} "
                f"WHERE {qn('id')} = %s{lock}")

    with connection.cursor() as cursor:
        cursor.execute(_sql("held_item", build, connection), [item.pk])
        row = cursor.fetchone()
    if row is not None and _from_db(connection, fields, row) == [getattr(item, f.attname) for f in fields]:
        return item
    return PowerItem.objects.select_related("organisation", "jurisdiction").get(pk=item.pk)


def _create(actor, item: PowerItem, chart: dict, applicant: str, phone: str, at: dt.datetime,
            application=None) -> Case:
    found = _rows("pinned_by_sha", lambda qn: f"SELECT {qn('id')} FROM {qn(PinnedFlowchart._meta.db_table)} "
                                               f"WHERE {qn('sha256')} = %s", [chart["sha256"]])
    flowchart_id = found[0][0] if found else None
    if flowchart_id is None:  # the first case on this engine XML (the unique sha256 settles a race)
        flowchart_id = PinnedFlowchart.objects.get_or_create(
            sha256=chart["sha256"], defaults={"process_id": chart["process_id"], "engine_xml": chart["xml"]})[0].pk
    _SPECS.setdefault(chart["sha256"], {"spec": chart["spec"], "subprocesses": chart["subprocesses"]})
    workflow = wf.start(pinned(flowchart_id), accepts=lambda task: _opener_accepts(actor, item, task))
    opened = wf.opening_tasks(workflow)  # 申请 and 受理 at the head: the opening completes them
    kind, number, unit = deadlines.pin_limit(item)
    case = Case(item=item, item_code=item.code, item_version=item.version, flowchart_version=chart["version"],
                flowchart_id=flowchart_id, organisation_id=item.organisation_id, jurisdiction_id=item.jurisdiction_id,
                applicant_name=applicant, applicant_phone=phone, application=application, accepted_at=at,
                accepted_by=audit.actor_name(actor), limit_kind=kind, limit_days=number, limit_unit=unit,
                state=wf.dump(workflow))
    for name in ("organisation", "jurisdiction"):  # those the item in hand has read already
        if PowerItem._meta.get_field(name).is_cached(item):
            setattr(case, name, getattr(item, name))
    case.due, case.due_explained = deadlines.compute(case)
    case.number = _next_number(item.jurisdiction_id, at)
    case.event_count = 1 + len(opened)
    _insert(case)
    wf.remember((case._state.db, case.pk), case.state, workflow)
    case.event_count = 0  # saved as written below: the acceptance is event 1, the steps it completed follow
    _events(actor, case, [{"action": CaseAction.ACCEPT, "payload": {
        "item": item.code, "item_version": item.version, "flowchart_version": chart["version"],
        "flowchart_sha256": chart["sha256"], "due": case.due.isoformat() if case.due else None,
        "due_explained": case.due_explained, "ready": [wf.step_name(t) for t in wf.ready(workflow)]}},
        *({"action": CaseAction.COMPLETE, "task": t, "payload": {"by": "opening"}} for t in opened)], at=at)
    return case


def _opener_accepts(actor, item: PowerItem, task) -> bool:
    """Whether the person opening the case completes the flowchart's 受理 step with the opening: yes,
    unless its lane names a role from outside the department they do not hold, or it is a high-risk
    step that waits for another person's approval (复核) first."""
    role = step_roles.role_of(step_roles.lane(task))
    if role not in (None, Role.CLERK) and not step_roles.fills(actor, role, item):
        return False
    return not decisions.second_approval_points(SimpleNamespace(item_id=item.pk, listed=item), wf.step_name(task))


def _next_number(jurisdiction_id: int, at: dt.datetime) -> str:
    """`430304-20260928-0001`: the jurisdiction, the Beijing date of acceptance, a daily sequence
    (the jurisdiction row is locked while it is taken). Cases are never deleted, so the day's count
    is the last number; a range on the unique index, not LIKE (which SQLite cannot index). On
    PostgreSQL the lock is FOR NO KEY UPDATE: it queues openings of the jurisdiction behind each
    other but not the rows that only refer to it (a case, an alert: their foreign key checks take
    KEY SHARE, which FOR UPDATE blocked: an alert written while an opening held the number
    deadlocked with it once)."""
    connection = transaction.get_connection()

    def build(qn):
        lock = (" FOR NO KEY UPDATE" if connection.vendor == "postgresql"
                else " FOR UPDATE" if connection.features.has_select_for_update else "")
        return (f"SELECT {qn('code')} FROM {qn(Jurisdiction._meta.db_table)} WHERE {qn('id')} = %s{lock}",
                f"SELECT COUNT(*) FROM {qn(Case._meta.db_table)} WHERE {qn('number')} >= %s AND {qn('number')} < %s")

    lock, count = _sql("next_number", build, connection)
    with connection.cursor() as cursor:  # plain SQL: two statements on every opening
        cursor.execute(lock, [jurisdiction_id])
        prefix = f"{cursor.fetchone()[0]}-{beijing_date(at).strftime('%Y%m%d')}-"
        cursor.execute(count, [prefix, prefix[:-1] + "."])  # "." follows "-"
        taken = cursor.fetchone()[0]
    return f"{prefix}{taken + 1:04d}"


def _event(actor, case: Case, action: str, *, task=None, step: str = "", at=None, payload=None,
           refused: bool = False) -> CaseEvent:
    """One event and its audit entry. The caller holds the case row (or has just made it) and saves
    its `event_count` (the last event's number) after the event."""
    return _events(actor, case, [{"action": action, "task": task, "step": step, "payload": payload}], at=at,
                   refused=refused)[0]


def _events(actor, case: Case, events: list[dict], *, at=None, refused: bool = False) -> list[CaseEvent]:
    """Events (action, task, step, payload) one action writes, numbered in order, with their audit
    entries appended together (one head update on the transparency log)."""
    rows, name, at = [], audit.actor_name(actor), _now(at)
    for spec in events:
        task = spec.get("task")
        case.event_count += 1
        rows.append(CaseEvent(
            case=case, seq=case.event_count,
            step=(wf.step_name(task) if task is not None else spec.get("step") or "")[:300],
            step_id=task.task_spec.name[:255] if task is not None else "",
            task_id=str(task.id) if task is not None else "",
            action=spec["action"], actor=name, at=at, payload=spec.get("payload") or {}, refused=refused,
            **(spec.get("columns") or {})))
    for row in rows:
        _insert(row)  # one by one: whoever listens for saved events hears each
    entries = [("case.refused" if refused else f"case.{e.action}", f"case:{case.number}",
                {"seq": e.seq, "step": e.step, "step_id": e.step_id, "task": e.task_id, "action": e.action,
                 **({"payload": spec["payload"]} if spec.get("payload") else {})}) for e, spec in zip(rows, events)]
    pending = _LOG_LAST.get()
    if pending is None:
        audit.append_many(actor, entries)
    else:
        pending.append((actor, entries))
    return rows


_LOG_LAST: ContextVar[list | None] = ContextVar("case_log_last", default=None)


@contextmanager
def _log_last():
    """Inside it, the events' entries go to the transparency log when it ends, in their order, as
    the transaction's last statements: the log's head (one row every writer locks) is then held for
    the commit only, not while the state is saved. Use it inside the transaction; if the block
    fails, the transaction rolls back with the events and nothing is appended."""
    pending: list = []
    token = _LOG_LAST.set(pending)
    try:
        yield
    finally:
        _LOG_LAST.reset(token)
    for actor, entries in pending:
        audit.append_many(actor, entries)


def get_case(number: str) -> Case:
    case = Case.objects.select_related("item").filter(number=str(number).strip()).first()
    if case is None:
        raise NotFound(f"没有编号为 {number} 的办件")
    return case


def act(actor, number: str, action: str, step: str | None = None, *, reason: str = "", days: int | None = None,
        data: dict | None = None, at: dt.datetime | None = None) -> CaseEvent:
    """Complete a READY step, return it for correction (退回补正), suspend, resume, extend or close
    the case. A refusal is recorded (a refused event and an audit entry) and raised."""
    number = str(number).strip()
    try:
        with transaction.atomic(), _log_last():
            return _act(actor, number, action, (step or "").strip(), (reason or "").strip(), days, data, _now(at))
    except Refused as exc:
        with transaction.atomic():
            locked = Case.objects.select_for_update(no_key=True).get(number=number)
            _event(actor, locked, action if action in CaseAction.values else CaseAction.COMPLETE, step=step or "",
                   at=at, payload={"refused": str(exc), "requested": action, **({"reason": reason} if reason else {}),
                            **({"engine": exc.detail} if getattr(exc, "detail", "") else {})},
                   refused=True)
            Case.objects.filter(pk=locked.pk).update(event_count=locked.event_count)
        raise


def _act(actor, number: str, action: str, step: str, reason: str, days, data, at) -> CaseEvent:
    # the case row only (never the item's: cases of one item run side by side)
    case = _locked_case(number)
    if case is None:
        raise NotFound(f"没有编号为 {number} 的办件")
    if action not in _ACTIONS or action == CaseAction.ACCEPT:
        raise InvalidInput([Problem("", None, "--action", action, "应为 complete、return、suspend、resume、"
                                                                  "extend 或 close（受理用 case open）")])
    outside = scope._role(actor) in step_roles.OUTSIDE  # the hall, experts, legal reviewers: their lanes' steps
    if not may_act(actor, case.organisation_id, case.jurisdiction_id) and not (
            outside and action in (CaseAction.COMPLETE, CaseAction.RETURN)):
        raise Refused(f"{scope._name(actor)}无权办理{case.organisation.name}的办件 {case.number}")
    if action != CaseAction.EXTEND and scope._role(actor) == Role.REVIEWER:
        raise Refused(f"{scope._name(actor)}不能{ACTION_NAMES[action]}{case.organisation.name}的办件 {case.number}："
                      f"审核人员只批准延长期限，各环节由本部门经办人办理")
    problem = in_force_problem(case.listed, beijing_date(at))
    if problem:
        raise Refused(problem)
    if case.status == CaseStatus.CLOSED:
        raise Refused(f"办件 {case.number} 已办结，不能再{ACTION_NAMES[action]}")
    workflow = wf.load(case.state, pinned(case.flowchart_id), key=(case._state.db, case.pk))
    ready = wf.ready(workflow)
    task = None
    if step or action in (CaseAction.COMPLETE, CaseAction.RETURN):
        task = _match(case, ready, step, action)
    if action in (CaseAction.COMPLETE, CaseAction.RETURN):  # the step's lane names who completes it
        role = step_roles.role_of(step_roles.lane(task))
        if not step_roles.fills(actor, role, case):
            raise Refused(step_roles.refusal(actor, wf.step_name(task), step_roles.lane(task), role))
    handler = {CaseAction.COMPLETE: _complete, CaseAction.RETURN: _return, CaseAction.SUSPEND: _suspend,
               CaseAction.RESUME: _resume, CaseAction.EXTEND: _extend, CaseAction.CLOSE: _close}[action]
    return handler(actor, case, workflow, task, reason=reason, days=days, data=data, at=at)


def _locked_case(number: str) -> Case | None:
    """The case row, locked (only it, never the item's: cases of one item run side by side), with
    the item's listing (`case.listed`) read in the same statement. Plain SQL: the ORM spent three
    times as long building this one query as the database took to run it."""
    connection = transaction.get_connection()
    case_fields = list(Case._meta.concrete_fields)
    listed = [PowerItem._meta.get_field(f) for f in _IN_FORCE]

    def build(qn):
        # NO KEY UPDATE on PostgreSQL: rows inserted meanwhile that point at the case (alerts, cards)
        # take KEY SHARE for their foreign keys, which FOR UPDATE blocks and deadlocks with
        lock = "" if not connection.features.has_select_for_update_of else \
            f" FOR NO KEY UPDATE OF {qn('c')}" if connection.features.has_select_for_no_key_update else \
            f" FOR UPDATE OF {qn('c')}"
        return ("SELECT " + ", ".join([f"{qn('c')}.{qn(f.column)}" for f in case_fields]
                                      + [f"{qn('i')}.{qn(f.column)}" for f in listed]
                                      + [decisions.tables_in_force_sql(qn, f"{qn('c')}.{qn('item_id')}")])
                + f" FROM {qn(Case._meta.db_table)} {qn('c')} JOIN {qn(PowerItem._meta.db_table)} {qn('i')}"
                f" ON {qn('i')}.{qn('id')} = {qn('c')}.{qn('item_id')} WHERE {qn('c')}.{qn('number')} = %s{lock}")

    with connection.cursor() as cursor:
        cursor.execute(_sql("locked_case", build, connection), [number])
        row = cursor.fetchone()
    if row is None:
        return None
    values = _from_db(connection, case_fields + listed, row[:-1])
    case = Case.from_db(connection.alias, [f.attname for f in case_fields], values[:len(case_fields)])
    case.listed = SimpleNamespace(**{f.name: v for f, v in zip(listed, values[len(case_fields):])},
                                  discretion=bool(row[-1]))
    return case


def _match(case: Case, ready: list, step: str, action: str):
    names = "、".join(wf.step_name(t) for t in ready) or "无"
    if not step:
        raise InvalidInput([Problem("", None, "--step", "", f"请指明环节；当前可办理的环节：{names}")])
    for task in ready:
        if step in (wf.step_name(task), task.task_spec.name, str(task.id)):
            return task
    raise Refused(f"环节“{step}”当前不能{ACTION_NAMES.get(action, action)}：办件 {case.number} 只能沿流程图办理，"
                  f"当前可办理的环节：{names}")


def _save(case: Case, workflow, **fields) -> None:
    case.state = wf.dump(workflow, key=(case._state.db, case.pk))
    for key, value in fields.items():
        setattr(case, key, value)
    _update(case, ["state", "event_count", *fields])


def _complete(actor, case, workflow, task, *, reason, days, data, at) -> CaseEvent:
    if case.status == CaseStatus.SUSPENDED:
        raise Refused(f"办件 {case.number} 已中止（{case.suspension_reason}），恢复后才能继续办理")
    if data is not None and not isinstance(data, dict):
        raise InvalidInput([Problem("", None, "data", str(data)[:60], "应为字段与值的对象")])
    spec = pinned(case.flowchart_id)
    try:  # the fields the following gateway reads, asked for before the engine evaluates it
        data, missing, after = fields.prepare(spec, case.flowchart_id, task, data)
    except fields.NoWayOut as exc:
        raise Refused(f"“{exc}”没有满足条件的出口：请核对填写的字段") from None
    if missing:
        raise Refused(fields.prompt(after, missing))
    decided = decisions.before_complete(actor, case, task, reason)  # 复核 of a high-risk step; 裁量 at 决定
    try:
        wf.complete(workflow, task, data)
    except InvalidInput as exc:  # the engine's own words stay on the refused event, not before people
        if not any(p.field == "flowchart" for p in exc.problems):
            raise
        refused = Refused(f"环节“{wf.step_name(task)}”办理后流程无法继续：流程图的判断条件与填写的字段不符，"
                          f"请核对后重试，或请管理员检查流程图")
        refused.detail = "; ".join(p.expected for p in exc.problems)[:500]
        raise refused from None
    done = [{"action": CaseAction.COMPLETE, "task": task, "payload": {
        **({"reason": reason} if reason else {}), **({"data": data} if data else {}),
        "ready": [wf.step_name(t) for t in wf.ready(workflow)], **(decided["payload"] if decided else {})},
        "columns": decided["columns"] if decided else None}]
    finished = wf.finished(workflow)
    if finished:  # the last step closes the case: both events written together
        result = reason or "办结"
        done.append({"action": CaseAction.CLOSE, "payload": {"result": result, "by": "flowchart"}})
    event = _events(actor, case, done, at=at)[0]
    decisions.record(actor, event, decided)
    if finished:
        _save(case, workflow, status=CaseStatus.CLOSED, closed_at=at, result=result)
        if case.application_id:
            _applications().case_closed(actor, case, at)
    else:
        _save(case, workflow)
    return event


def _reason(reason: str, what: str) -> str:
    if not reason:
        raise InvalidInput([Problem("", None, "--reason", "", f"{what}须写明原因")])
    return reason[:500]


def _stop_clock(case: Case, reason: str, at) -> None:
    case.status, case.suspended_since, case.suspension_reason = CaseStatus.SUSPENDED, beijing_date(at), reason


def _return(actor, case, workflow, task, *, reason, days, data, at) -> CaseEvent:
    """退回补正: the step stays where it is and the clock stops until the materials come back."""
    if case.status == CaseStatus.SUSPENDED:
        raise Refused(f"办件 {case.number} 已中止（{case.suspension_reason}）")
    reason = _reason(reason, "退回补正")
    _stop_clock(case, "补正材料", at)
    case.due, case.due_explained = deadlines.compute(case)
    event = _event(actor, case, CaseAction.RETURN, task=task, at=at, payload={"reason": reason,
                                                                               "suspension": "补正材料"})
    _save(case, workflow, status=case.status, suspended_since=case.suspended_since,
          suspension_reason=case.suspension_reason, due=case.due, due_explained=case.due_explained)
    return event


def _suspend(actor, case, workflow, task, *, reason, days, data, at) -> CaseEvent:
    if case.status == CaseStatus.SUSPENDED:
        raise Refused(f"办件 {case.number} 已中止（{case.suspension_reason}）")
    reason = _reason(reason, "中止")
    kind = next((k for k in deadlines.SUSPENSION_REASONS if reason.startswith(k)), None)
    if kind is None:
        raise InvalidInput([Problem("", None, "--reason", reason[:60],
                                    "中止的原因应为 " + "、".join(deadlines.SUSPENSION_REASONS) + "之一（可在其后说明）")])
    _stop_clock(case, kind, at)
    case.due, case.due_explained = deadlines.compute(case)
    event = _event(actor, case, CaseAction.SUSPEND, task=task, at=at, payload={"reason": reason, "suspension": kind})
    _save(case, workflow, status=case.status, suspended_since=case.suspended_since,
          suspension_reason=case.suspension_reason, due=case.due, due_explained=case.due_explained)
    return event


def _resume(actor, case, workflow, task, *, reason, days, data, at) -> CaseEvent:
    """The clock restarts on the day of resumption: the days from suspension to the day before
    are not counted (行政许可法 第四十五条: 所需时间不计算在期限内)."""
    if case.status != CaseStatus.SUSPENDED:
        raise Refused(f"办件 {case.number} 未中止，无需恢复")
    first, last = case.suspended_since, beijing_date(at) - dt.timedelta(days=1)
    suspensions = list(case.suspensions)
    if last >= first:
        suspensions.append([first.isoformat(), last.isoformat(), case.suspension_reason])
    kind = case.suspension_reason
    case.status, case.suspensions, case.suspended_since, case.suspension_reason = CaseStatus.OPEN, suspensions, None, ""
    case.due, case.due_explained = deadlines.compute(case)
    event = _event(actor, case, CaseAction.RESUME, task=task, at=at,
                   payload={"suspension": kind, "from": first.isoformat(), "to": last.isoformat(),
                            "due": case.due.isoformat() if case.due else None,
                            **({"reason": reason} if reason else {})})
    _save(case, workflow, status=case.status, suspensions=suspensions, suspended_since=None, suspension_reason="",
          due=case.due, due_explained=case.due_explained)
    return event


def _extend(actor, case, workflow, task, *, reason, days, data, at) -> CaseEvent:
    """延长: approved by a reviewer or administrator (the department head's approval, 行政许可法
    第四十二条), with a reason; the explanation names both."""
    if not scope.is_reviewer_or_admin(actor) or not scope.covers_jurisdiction(actor, case.jurisdiction):
        raise Refused(f"{scope._name(actor)}无权批准延长办件 {case.number} 的期限：需要本辖区审核人员或管理员"
                      f"（负责人）批准")
    reason = _reason(reason, "延长期限")
    days = deadlines.DEFAULT_EXTENSION_DAYS if days is None else days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        raise InvalidInput([Problem("", None, "--days", str(days), "延长的天数应为 1 至 365 的整数")])
    if case.limit_days is None:
        raise InvalidInput([Problem("", None, "--action", "extend", "此事项无时限，无需延长")])
    extensions = [*case.extensions, {"days": days, "reason": reason, "approved_by": audit.actor_name(actor)}]
    case.extensions = extensions
    case.due, case.due_explained = deadlines.compute(case)
    event = _event(actor, case, CaseAction.EXTEND, task=task, at=at,
                   payload={"days": days, "reason": reason, "due": case.due.isoformat()})
    _save(case, workflow, extensions=extensions, due=case.due, due_explained=case.due_explained)
    return event


def _close(actor, case, workflow, task, *, reason, days, data, at) -> CaseEvent:
    """Close before the flowchart's end (不予受理, 撤回, 终止) with the result as the reason."""
    result = _reason(reason, "办结")
    event = _event(actor, case, CaseAction.CLOSE, task=task, at=at, payload={"result": result, "by": "actor"})
    _save(case, workflow, status=CaseStatus.CLOSED, closed_at=at, result=result, suspended_since=None)
    if case.application_id:
        _applications().case_closed(actor, case, at)  # 集中回复 when it was the application's last
    return event


def describe(case: Case) -> dict:
    """What `powerlist case show --json` prints: nothing personal. A case a department's system
    reported for a power that is not listed has no flowchart: its steps are its events'."""
    events = CaseEvent.objects.filter(case=case, refused=False).order_by("seq")
    if case.flowchart_id and case.state:
        workflow = wf.load(case.state, pinned(case.flowchart_id))
        ready = [] if case.status == CaseStatus.CLOSED else [wf.step_name(t) for t in wf.ready(workflow)]
        done = [wf.step_name(t) for t in wf.completed(workflow)]
    else:
        ready, done = [], list(dict.fromkeys(e.step for e in events if e.action == CaseAction.COMPLETE and e.step))
    return {"case": case.number, "item": case.item_code or (case.item.code if case.item_id else ""),
            "status": case.status, "ready": ready, "done": done,
            "due": case.due.isoformat() if case.due else None, "due_explained": case.due_explained,
            "events": [{"step": e.step, "action": e.action, "actor": e.actor,
                        "at": timezone.localtime(e.at).isoformat()} for e in events]}


def attach(actor, number: str, filename: str, data: bytes, step: str = "") -> Attachment:
    """Store a file of the case under POWERLIST_DATA_DIR/cases/<sha256> (content-addressed, never
    overwritten) and record it as an event's attachment."""
    case = get_case(number)
    if not may_act(actor, case.organisation_id, case.jurisdiction_id):
        raise PermissionDenied(f"{scope._name(actor)}无权为办件 {case.number} 添加材料")
    digest = hashlib.sha256(data).hexdigest()
    folder = Path(settings.POWERLIST_DATA_DIR) / "cases"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / digest
    if not path.exists():
        tmp = folder / f".{digest}.tmp"
        tmp.write_bytes(data)
        tmp.replace(path)
    with transaction.atomic():
        locked = Case.objects.select_for_update(no_key=True).get(pk=case.pk)
        attachment = Attachment.objects.create(case=locked, filename=Path(filename).name[:255] or "file",
                                               sha256=digest, size=len(data), path=f"cases/{digest}",
                                               added_at=timezone.now(), added_by=audit.actor_name(actor))
        audit.append(actor, "case.attach", f"case:{case.number}",
                     {"file": attachment.filename, "sha256": digest, "size": len(data), "step": step})
    return attachment
