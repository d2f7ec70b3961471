"""What the case service asks before a step is completed, beyond the flowchart: the discretion
decision at a penalty's decision step (决定) and the second approval (复核) of a high-risk step.

**Decision (裁量).** At a step whose name contains 决定, of an item with an imported discretion table
in force (`powerlist discretion import`), the officer picks the facts (a row of the table: its
grade 类别, or grade and circumstances 裁量情节), is shown the range the row allows and its basis, and
records the penalty type, the amount (for a fine), the base (for a fine that is a percentage or
multiple of a named base, such as 建设项目总投资额 or 所收费用) and the reason. A value outside the
row's range is refused (a refused event on the case: the attempt stays on the record): the
benchmark is the limit the department set itself, so a case that deserves more or less is decided
under another grade, with its reason, or after the table is revised; there is no override. The
event carries the grade (`discretion`), `amount` and `penalty_type` in its columns, and the row,
base, law and reason in its payload; a `discretion.Decision` row keeps the base for supervision,
whose rule `penalty-out-of-range` recomputes the range from the row and the base.

**Second approval (复核).** A risk point of level 高 with `second_approver` set makes its step wait
for another person: a clerk of the case's department (or an administrator) approves the READY step
(`approve`, recorded as an event of the case with action `approve`), then someone else completes it.
The approver cannot complete the step they approved, and an approval counts only for the step's
next completion (a step that loops back needs a new one). The rule `second-approval-missing`
checks the same on every event, pushed ones included.

The inputs of a decision come in through `given(...)` around `cases.act` (console, API, the case
page), so the case service's signature stays as it is."""

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from powerlist.catalog.models import RiskLevel, RiskPoint
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, NotFound, Problem
from powerlist.core.models import Role
from powerlist.core.services import audit
from powerlist.discretion.parse import penalty_types_in
from powerlist.operation.bpmn import templates
from powerlist.operation.models import Case, CaseAction, CaseEvent, CaseStatus

APPROVE = "approve"  # the event's action (kept as text: not yet one of CaseAction's choices)
APPROVE_NAME = "复核"
FINE = "罚款"
DECISION_WORD = "决定"

FORM = ("discretion", "benchmark", "amount", "base", "penalty_type")  # given(...)'s inputs, as the case page names them
_GIVEN: ContextVar[dict | None] = ContextVar("decision_given", default=None)


@contextmanager
def given(*, discretion: str = "", amount=None, base=None, penalty_type: str = "", benchmark=None):
    """The decision's inputs for the `cases.act` called inside: the facts (a grade such as 一般, or
    `grade/circumstances`) or the benchmark row's id, the amount and base (yuan) and the penalty type."""
    token = _GIVEN.set({"discretion": (discretion or "").strip(), "amount": amount, "base": base,
                        "penalty_type": (penalty_type or "").strip(), "benchmark": benchmark})
    try:
        yield
    finally:
        _GIVEN.reset(token)


def _inputs() -> dict:
    got = _GIVEN.get() or {}
    for name, value in got.items():
        if isinstance(value, str) and any(ord(c) < 32 for c in value):
            raise InvalidInput([Problem("", None, name, value.encode("unicode_escape").decode()[:40],
                                        "不能含有控制字符")])
    return got if any(v not in (None, "") for v in got.values()) else {}


# --- decisions ------------------------------------------------------------------------------------

def tables_in_force_sql(qn, item_column: str) -> str:
    """A column for the case service's locked read: whether the item has a discretion table in
    force (read with the case, so a completion outside a table costs no query of its own)."""
    from powerlist.discretion.models import Benchmark

    b = qn("b")
    return (f"EXISTS (SELECT 1 FROM {qn(Benchmark._meta.db_table)} {b} WHERE {b}.{qn('item_id')} = {item_column}"
            f" AND {b}.{qn('in_force')})")


def _has_tables(case) -> bool:
    """False only when the case's locked read found no table in force (else: look)."""
    return getattr(getattr(case, "listed", None), "discretion", True)


def rows(item_id) -> list:
    """The rows of the item's discretion table in force (empty without an imported table)."""
    from powerlist.discretion.models import Benchmark

    if item_id is None:
        return []
    return list(Benchmark.objects.filter(item_id=item_id, in_force=True).order_by("pk"))


def is_decision_step(step_name: str) -> bool:
    return DECISION_WORD in (step_name or "")


def facts_of(row, table: list) -> str:
    """The words that name a row: its grade when the grade alone picks it (the first row of that
    grade), else `grade/circumstances` (what `discretion.services.tables.allowed_range` reads)."""
    grade, circumstances = row.grade.strip(), row.circumstances.strip()
    if grade and next(r for r in table if grade in (r.grade.strip(), r.circumstances.strip())).pk == row.pk:
        return grade
    if not grade:
        return circumstances
    return f"{grade}/{circumstances}" if circumstances else grade


def choices(case: Case) -> list[dict]:
    """The rows the officer picks from at the decision step, with what each allows in words."""
    table = rows(case.item_id)
    return [{"id": r.pk, "facts": facts_of(r, table), "grade": r.grade, "circumstances": r.circumstances,
             "standard": r.standard, "basis": r.basis, "law": r.sheet, "needs_person": r.needs_person,
             "bases": sorted({f["base"] or "基数" for f in r.parsed["fines"] if f["kind"] in ("percent", "multiple")}),
             "types": penalty_types(r), "range": "；".join(_range_words(f, None) for f in r.parsed["fines"])}
            for r in table]


def penalty_types(row) -> list[str]:
    return ([FINE] if row.parsed["fines"] else []) + list(row.parsed["measures"])


def _money(value, field: str, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount >= Decimal("1e14") \
            or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput([Problem("", None, field, str(value)[:40], f"{what}应为不小于 0 的金额（元），至多两位小数")])
    return amount.quantize(Decimal("0.01"))


def _pick(table: list, got: dict):
    if got.get("benchmark") not in (None, ""):
        found = next((r for r in table if str(r.pk) == str(got["benchmark"]).strip()), None)
        if found is not None:
            return found
    facts = got.get("discretion", "")
    for row in table:
        grade, circumstances = row.grade.strip(), row.circumstances.strip()
        if facts and facts in (grade, circumstances, f"{grade}/{circumstances}"):
            return row
    options = "、".join(dict.fromkeys(facts_of(r, table) for r in table))
    if not facts and got.get("benchmark") in (None, ""):
        raise InvalidInput([Problem("", None, "--discretion", "", f"决定环节须选择裁量情节（档次）：{options}")])
    raise InvalidInput([Problem("", None, "--discretion", facts or str(got.get("benchmark")),
                                f"裁量基准中没有这一档；可选：{options}")])


def _range_words(fine: dict, base: Decimal | None) -> str:
    from powerlist.discretion.services.tables import cents

    low, high = fine["min"], fine["max"]
    if fine["kind"] == "absolute":
        lo, hi = low, high
    else:
        if base is None:
            def show(v):
                return f"{Decimal(v) * 100:g}%" if fine["kind"] == "percent" else f"{Decimal(v):g}倍"
            return (f"{fine['base'] or '基数'}的{show(low) if low is not None else '0'}"
                    f"{'至' + show(high) if high is not None else '以上'}")
        lo = str(cents(Decimal(low) * base)) if low is not None else None
        hi = str(cents(Decimal(high) * base)) if high is not None else None
    if lo is not None and hi is not None:
        return f"{Decimal(lo):,.2f} 元至 {Decimal(hi):,.2f} 元"
    if hi is not None:
        return f"{Decimal(hi):,.2f} 元以下"
    return f"{Decimal(lo):,.2f} 元以上" if lo is not None else "不限"


def _fits(fine: dict, amount: Decimal, base: Decimal | None) -> bool | None:
    """Whether the amount lies in this fine's range (bounds in yuan to the cent, as the rule's SQL
    rounds them); None when the fine is a share of a base that was not given."""
    from powerlist.discretion.services.tables import cents

    scale = Decimal(1)
    if fine["kind"] in ("percent", "multiple"):
        if base is None:
            return None
        scale = base
    low = cents(Decimal(fine["min"]) * scale) if fine["min"] is not None else None
    high = cents(Decimal(fine["max"]) * scale) if fine["max"] is not None else None
    return (low is None or amount >= low) and (high is None or amount <= high)


def decide(case: Case, step: str, reason: str) -> dict | None:
    """The event's columns and payload for a decision at this step, or None when the step records
    none. Raises InvalidInput for what is missing and `cases.Refused` for a value outside the range."""
    from powerlist.operation.services.cases import Refused

    got = _inputs()
    table = rows(case.item_id) if is_decision_step(step) and _has_tables(case) else []
    if not table:
        if got:
            where = (f"环节“{step}”不是决定环节" if not is_decision_step(step)
                     else f"事项 {case.item_code} 没有导入在用的裁量基准（powerlist discretion import）")
            raise InvalidInput([Problem("", None, "--discretion", got.get("discretion", ""), f"{where}，不记录裁量")])
        return None
    row = _pick(table, got)
    facts = facts_of(row, table)
    if row.needs_person:
        raise InvalidInput([Problem("", None, "--discretion", facts,
                                    f"这一档的裁量标准“{row.standard}”还没有结构化，请先由法制审核人员整理裁量基准")])
    types = penalty_types(row)
    kinds = penalty_types_in(got.get("penalty_type", ""))
    if not kinds and (got.get("amount") not in (None, "") or types == [FINE]):
        kinds = [FINE]
    if not kinds:
        raise InvalidInput([Problem("", None, "--penalty-type", "", "请选择处罚种类：" + "、".join(types))])
    for kind in kinds:
        if kind not in types:
            raise Refused(f"“{facts}”档的裁量基准不允许处罚种类“{kind}”；允许：{'、'.join(types) or '（无）'}"
                          f"（裁量标准：{row.standard}）")
    kind = "、".join(kinds)
    amount = _money(got.get("amount"), "--amount", "罚款金额")
    base = _money(got.get("base"), "--base", "基数")
    fines = row.parsed["fines"]
    if FINE in kinds:
        if amount is None:
            raise InvalidInput([Problem("", None, "--amount", "", "处罚种类为罚款时须填写罚款金额（元）")])
        verdicts = [_fits(f, amount, base) for f in fines]
        if not any(verdicts):
            wanted = sorted({f["base"] or "基数" for f, v in zip(fines, verdicts) if v is None})
            if wanted and base is None:
                raise InvalidInput([Problem("", None, "--base", "",
                                            f"“{facts}”档的罚款按{'、'.join(wanted)}计算，请填写{'、'.join(wanted)}（元）")])
            allowed = "；".join(_range_words(f, base) for f in fines)
            raise Refused(f"罚款 {amount:,.2f} 元超出裁量基准“{facts}”档的幅度（{allowed}；裁量标准：{row.standard}"
                          f"{'；依据：' + row.basis if row.basis else ''}），不能作出决定")
    elif amount is not None:
        raise InvalidInput([Problem("", None, "--amount", str(amount), f"处罚种类“{kind}”不含罚款，不填罚款金额")])
    if not reason:
        raise InvalidInput([Problem("", None, "--reason", "", "决定须写明裁量理由（事实、情节与所选档次的理由）")])
    payload = {"benchmark": row.pk, "facts": facts, "law": row.sheet, "basis": row.basis,
               "standard": row.standard, "reason": reason[:500]}
    if base is not None:
        payload["base"] = str(base)
        payload["base_name"] = "、".join(sorted({f["base"] for f in fines if f["kind"] in ("percent", "multiple")}))
    return {"columns": {"discretion": facts[:200], "amount": amount, "penalty_type": kind},
            "payload": {"decision": payload}, "row": row, "base": base, "reason": reason[:500]}


def record(actor, event: CaseEvent, decided: dict | None) -> None:
    """The decision row beside its event (same transaction): what supervision reads the base from."""
    if not decided:
        return
    from powerlist.discretion.models import Decision

    Decision.objects.create(event_id=event.pk, item_id=decided["row"].item_id, benchmark=decided["row"],
                            facts=decided["columns"]["discretion"], base=decided["base"],
                            amount=decided["columns"]["amount"], penalty_type=decided["columns"]["penalty_type"],
                            reason=decided["reason"], decided_by=audit.actor_name(actor), decided_at=event.at)


# --- risk points and second approval ---------------------------------------------------------------

_POINTS: dict[tuple, tuple] = {}  # (item, version, updated_at) -> its risk points with a step


def _stamp(case) -> tuple | None:
    """The item as the case read it (its locked read's `listed`, or a loaded `case.item`): every
    change of an item's risk points is a new item version (catalog's update_item), and updated_at
    tells apart the items of a rolled-back transaction whose ids come back."""
    item = getattr(case, "listed", None)
    if item is None and isinstance(case, Case):
        item = case._state.fields_cache.get("item")
    version, updated = getattr(item, "version", None), getattr(item, "updated_at", None)
    return None if version is None or updated is None else (case.item_id, version, updated)


def _points(case) -> tuple:
    key = _stamp(case)
    if key is not None and key in _POINTS:
        return _POINTS[key]
    points = tuple(p for p in RiskPoint.objects.filter(item_id=case.item_id).order_by("position", "pk") if p.step)
    if key is not None:
        if len(_POINTS) > 5000:
            _POINTS.clear()
        _POINTS[key] = points
    return points


def risk_points(case: Case, step: str) -> list[RiskPoint]:
    """The item's risk points at this step, read once per item version and process."""
    if case.item_id is None:
        return []
    return [p for p in _points(case) if templates.matches(step, p.step)]


def second_approval_points(case: Case, step: str) -> list[RiskPoint]:
    return [p for p in risk_points(case, step) if p.level == RiskLevel.HIGH and p.second_approver]


def approvals(case: Case, step_id: str) -> list[CaseEvent]:
    """The approvals of a step since its last completion (each counts for the next one only)."""
    events = list(CaseEvent.objects.filter(case_id=case.pk, refused=False, step_id=step_id,
                                           action__in=[CaseAction.COMPLETE, APPROVE]).order_by("seq"))
    since = [e for e in events[::-1]]
    out = []
    for e in since:
        if e.action == CaseAction.COMPLETE:
            break
        out.append(e)
    return out[::-1]


def check_second_approval(actor, case: Case, task, step: str) -> None:
    """Refuses completing a step that waits for another person's approval."""
    from powerlist.operation.services.cases import Refused

    points = second_approval_points(case, step)
    if not points:
        return
    name = audit.actor_name(actor)
    given_by = [e.actor for e in approvals(case, task.task_spec.name)]
    others = [who for who in given_by if who != name]
    if others:
        return
    measures = "；".join(p.prevention for p in points if p.prevention)
    if given_by:
        raise Refused(f"“{step}”是高风险环节，复核人（{name}）不能同时办理：须由复核人以外的人员办理")
    raise Refused(f"“{step}”是高风险环节（{points[0].description}），须经本部门另一名人员复核后才能办理"
                  f"{'（防控措施：' + measures + '）' if measures else ''}")


def before_complete(actor, case: Case, task, reason: str) -> dict | None:
    """The hook the case service calls before completing a step (its lock held): the second
    approval, then the decision. Returns what the event carries, or None."""
    from powerlist.operation.services import workflow as wf

    step = wf.step_name(task)
    check_second_approval(actor, case, task, step)
    return decide(case, step, reason)


def may_approve(actor, case: Case) -> bool:
    role = scope._role(actor)
    if role == Role.ADMIN:
        return True
    return role == Role.CLERK and bool(actor.organisation_id) and actor.organisation_id == case.organisation_id


def approve(actor, number: str, step: str, reason: str = "", at: dt.datetime | None = None) -> CaseEvent:
    """复核: another person of the department approves a READY high-risk step before it is completed.
    A refusal is recorded (a refused event) and raised, as for the case service's actions."""
    from powerlist.operation.services import cases

    number, step, reason, at = str(number).strip(), (step or "").strip(), (reason or "").strip()[:500], at or timezone.now()
    try:
        with transaction.atomic(), cases._log_last():
            case = cases._locked_case(number)
            if case is None:
                raise NotFound(f"没有编号为 {number} 的办件")
            if not may_approve(actor, case):
                raise cases.Refused(f"{scope._name(actor)}无权复核{case.organisation.name}的办件 {case.number}："
                                    f"复核由本部门的其他经办人进行")
            if case.status != CaseStatus.OPEN:
                raise cases.Refused(f"办件 {case.number} {'已办结' if case.status == CaseStatus.CLOSED else '已中止'}，"
                                    f"不能复核")
            workflow = cases.wf.load(case.state, cases.pinned(case.flowchart_id), key=(case._state.db, case.pk))
            task = cases._match(case, cases.wf.ready(workflow), step, APPROVE)
            name = cases.wf.step_name(task)
            points = second_approval_points(case, name)
            if not points:
                raise InvalidInput([Problem("", None, "--step", name, f"“{name}”不是须复核的高风险环节，无需复核")])
            if any(e.actor == audit.actor_name(actor) for e in approvals(case, task.task_spec.name)):
                raise InvalidInput([Problem("", None, "--step", name, f"{scope._name(actor)}已复核“{name}”")])
            event = cases._event(actor, case, APPROVE, task=task, at=at, payload={
                "risk": [p.description for p in points], **({"reason": reason} if reason else {})})
            Case.objects.filter(pk=case.pk).update(event_count=case.event_count)
            return event
    except cases.Refused as exc:
        with transaction.atomic():
            locked = Case.objects.select_for_update(no_key=True).get(number=number)
            cases._event(actor, locked, APPROVE, step=step, at=at,
                         payload={"refused": str(exc), "requested": APPROVE}, refused=True)
            Case.objects.filter(pk=locked.pk).update(event_count=locked.event_count)
        raise


def page(case: Case, step: str, step_id: str) -> dict:
    """What the case page shows at a READY step: its risk points with who approved, and the decision
    form's rows (at a decision step of an item with a table in force)."""
    points = risk_points(case, step)
    needs = [p for p in points if p.level == RiskLevel.HIGH and p.second_approver]
    rows_shown = choices(case) if is_decision_step(step) else []
    return {"second_approval": bool(needs),
            "approved_by": [e.actor for e in approvals(case, step_id)] if needs else [],
            "decision": rows_shown, "decision_types": list(dict.fromkeys(t for r in rows_shown for t in r["types"]))}

