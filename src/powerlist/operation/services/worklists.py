"""What the workbenches read (办件工作台): the cases in a user's scope, the steps ready for them
with each step's post (承办岗位, the flowchart's lane) and the item's risk points attached to it
(廉政风险点), due dates graded by the working days left, the timeline of a case, the actions the
case service would accept now, and the notices (抄告) to a department. Nothing here writes:
every action goes through `services.cases` and `services.notices`."""

import datetime as dt
import hashlib

from django.db.models import Avg, F, Q
from django.utils import timezone

from powerlist.catalog.models import RISK_LEVEL_NAMES, RiskPoint
from powerlist.core import scope
from powerlist.core.errors import NotFound
from powerlist.core.models import Organisation, Role
from powerlist.core.services import audit
from powerlist.core.workdays import Calendar, UnknownYear, beijing_date, working_days_between
from powerlist.operation.bpmn import templates
from powerlist.operation.models import Case, CaseAction, CaseEvent, CaseStatus, Notice
from powerlist.operation.services import cases as case_service
from powerlist.operation.services import deadlines, step_roles
from powerlist.operation.services import workflow as wf

SOON = 3  # working days left at which a due date turns amber
STATUS_NAMES = {CaseStatus.OPEN: "办理中", CaseStatus.SUSPENDED: "已中止", CaseStatus.CLOSED: "已办结"}
ACTION_NAMES = {**case_service.ACTION_NAMES, "complete": "办理完成"}
URGENCY_NAMES = {"ok": "期限充裕", "soon": "临近期限", "overdue": "已超期", "paused": "已中止，期限顺延",
                 "closed": "已办结", "none": "无时限"}
_READY: dict[tuple, dict] = {}  # (chart, digest of the engine state, status) -> its steps


def visible_cases(user):
    """The cases `user` may read: a clerk their department's, reviewers their jurisdiction's and
    below, administrators and inspectors all (as the admin's list)."""
    q = scope.organisation_filter(user)
    qs = Case.objects.select_related("item", "organisation", "jurisdiction")
    return qs if q is None else qs.filter(q)


def visible_case(user, number: str) -> Case:
    case = visible_cases(user).filter(number=str(number).strip()).first()
    if case is None:
        raise NotFound(f"没有编号为 {number} 的办件，或不在您的查看范围内")
    return case


def actable_cases(user):
    """The open and suspended cases `user` may act on (the case service's rule): a clerk their
    department's, a reviewer their jurisdiction's, an administrator all; nobody else."""
    role = scope._role(user)
    qs = Case.objects.select_related("item", "organisation", "jurisdiction").exclude(status=CaseStatus.CLOSED)
    if role == Role.ADMIN:
        return qs
    if role == Role.CLERK and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    if role == Role.REVIEWER and user.jurisdiction_id:
        return qs.filter(jurisdiction__code__startswith=user.jurisdiction.code)
    return qs.none()


def may_act(user, case: Case) -> bool:
    return case_service.may_act(user, case.organisation_id, case.jurisdiction_id)


def may_extend(user, case: Case) -> bool:
    return scope.is_reviewer_or_admin(user) and scope.covers_jurisdiction(user, case.jurisdiction)


# --- steps ----------------------------------------------------------------------------------------

def _risks(case: Case) -> list[dict]:
    if case.item_id is None:
        return []
    return [{"step": p.step, "level": p.level, "level_name": RISK_LEVEL_NAMES.get(p.level, p.level),
             "description": p.description, "prevention": p.prevention}
            for p in RiskPoint.objects.filter(item_id=case.item_id).order_by("position", "pk")]


def steps(case: Case, risks: list[dict] | None = None) -> dict:
    """{"ready": [...], "done": [...]}: each step {id, name, role, risks}; the ready ones as the
    engine reports them (a closed case has none)."""
    if case.flowchart_id is None or not case.state:
        return {"ready": [], "done": []}
    # the state itself (its task ids are random) names the case's moment, whatever the row's id
    key = (case.flowchart_id, hashlib.blake2b(case.state.encode(), digest_size=16).digest(), case.status)
    if key in _READY:
        cached = _READY[key]
    else:
        workflow = wf.load(case.state, case_service.pinned(case.flowchart_id))
        ready = [] if case.status == CaseStatus.CLOSED else wf.ready(workflow)
        cached = {"ready": [_step(t) for t in ready], "done": [_step(t) for t in wf.completed(workflow)]}
        if len(_READY) > 20000:
            _READY.clear()
        _READY[key] = cached
    points = _risks(case) if risks is None else risks
    return {k: [{**s, "risks": [p for p in points if p["step"] and templates.matches(s["name"], p["step"])]}
                for s in v] for k, v in cached.items()}


def _step(task) -> dict:
    return {"id": task.task_spec.name, "name": wf.step_name(task), "role": getattr(task.task_spec, "lane", "") or ""}


# --- due dates ------------------------------------------------------------------------------------

def urgency(case: Case, today: dt.date | None = None, calendar: Calendar | None = None) -> dict:
    """{"level": ok|soon|overdue|paused|closed|none, "left": working days left (negative: overdue
    by), "words": what the colour means, in words}."""
    today = today or beijing_date(timezone.now())
    if case.status == CaseStatus.CLOSED:
        on_time = case.due is None or case.closed_at is None or beijing_date(case.closed_at) <= case.due
        return {"level": "closed", "left": None, "words": "已办结" + ("" if on_time else "（超期办结）")}
    if case.status == CaseStatus.SUSPENDED:
        return {"level": "paused", "left": None,
                "words": f"已中止（{case.suspension_reason or '中止'}），恢复后期限顺延"}
    if case.due is None:
        return {"level": "none", "left": None, "words": URGENCY_NAMES["none"]}
    try:
        left = working_days_between(today, case.due, calendar)
    except UnknownYear:
        left = (case.due - today).days
    if case.due < today:
        return {"level": "overdue", "left": left, "words": f"已超期 {-left} 个工作日" if left else "已超期"}
    if left <= SOON:
        return {"level": "soon", "left": left, "words": "今日到期" if left == 0 else f"剩 {left} 个工作日"}
    return {"level": "ok", "left": left, "words": f"剩 {left} 个工作日"}


def rows(cases, user, today=None, with_steps: bool = True) -> list[dict]:
    """One row per case for a list: the case, its status and due date in words, its ready steps."""
    cal = Calendar()
    out = []
    risks: dict[int, list[dict]] = {}
    for case in cases:
        row = {"case": case, "status_name": STATUS_NAMES.get(case.status, case.status),
               "urgency": urgency(case, today, cal), "item_name": case.item.name if case.item_id else case.item_code}
        if with_steps:
            if case.item_id not in risks:
                risks[case.item_id] = _risks(case)
            row["steps"] = steps(case, risks[case.item_id])["ready"]
        out.append(row)
    return out


def todo(user, limit: int = 200) -> list[dict]:
    """我的待办: the ready steps of the open and suspended cases the user may act on, the most
    urgent first (overdue, then by due date; cases without a limit last)."""
    qs = actable_cases(user).order_by(F("due").asc(nulls_last=True), "accepted_at", "pk")[:limit]
    return [r for r in rows(qs, user) if r["steps"]]


def department_cases(user, organisation_id: int | None = None, status: str = "", item_code: str = "",
                     number: str = "", mine: bool = False):
    """本部门办件, filtered: a clerk's department (or, for readers of wider scope, the one chosen);
    `mine`: the cases the user accepted or acted on (我经办的)."""
    qs = visible_cases(user)
    if mine:
        name = audit.actor_name(user)
        qs = qs.filter(Q(accepted_by=name) | Q(pk__in=CaseEvent.objects.filter(actor=name, refused=False)
                                                    .values("case_id")))
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    if item_code:
        qs = qs.filter(item_code=item_code)
    if number:
        qs = qs.filter(number__icontains=number.strip())
    return qs.order_by("-accepted_at", "-pk")


def organisations(user):
    """The departments whose figures `user` may read: a clerk's own; reviewers and legal reviewers
    their jurisdiction's and below; administrators and inspectors all."""
    role = scope._role(user)
    qs = Organisation.objects.select_related("jurisdiction").order_by("jurisdiction__code", "name")
    if role == Role.CLERK:
        return qs.filter(pk=user.organisation_id) if user.organisation_id else qs.none()
    q = scope.jurisdiction_filter(user)
    return qs if q is None else qs.filter(q)


def items_with_cases(user, organisation_id: int | None = None) -> list[tuple[str, str]]:
    qs = department_cases(user, organisation_id).exclude(item__isnull=True)
    return list(qs.values_list("item_code", "item__name").distinct().order_by("item_code"))


# --- one case -------------------------------------------------------------------------------------

def timeline(case: Case) -> list[dict]:
    """Every event, refused attempts included (marked), with Chinese action names."""
    out = []
    for e in CaseEvent.objects.filter(case=case).order_by("seq"):
        payload = e.payload or {}
        detail = payload.get("reason") or payload.get("result") or payload.get("refused") or ""
        if e.action == CaseAction.EXTEND and payload.get("days"):
            detail = f"延长 {payload['days']} 个工作日：{detail}"
        if e.action == CaseAction.RESUME and payload.get("from"):
            detail = f"{payload.get('suspension', '')} {payload['from']}…{payload.get('to', '')}".strip() + (
                f"；{payload['reason']}" if payload.get("reason") else "")
        out.append({"seq": e.seq, "step": e.step, "action": e.action,
                    "action_name": ACTION_NAMES.get(e.action, e.action), "actor": e.actor, "at": e.at,
                    "refused": e.refused, "detail": detail,
                    "requested": ACTION_NAMES.get(payload.get("requested"), "") if e.refused else ""})
    return out


def actions(user, case: Case, ready: list[dict] | None = None) -> dict:
    """What the case service would accept from `user` now, by its rules, as the page offers it:
    {"steps": {step id: [complete, return]}} for the ready steps (`steps(case)["ready"]`) whose
    lane `user` fills, {"case": [...]} suspend or resume, extend and close. A reviewer only
    extends; the hall, experts and legal reviewers act only on their lanes' steps; nothing on a
    closed case or one whose item is no longer in force."""
    none = {"steps": {}, "case": []}
    if case.status == CaseStatus.CLOSED or case.item_id is None \
            or case_service.in_force_problem(case.item, beijing_date(timezone.now())):
        return none
    role, inside = scope._role(user), may_act(user, case)
    case_actions = []
    if inside and role != Role.REVIEWER:
        case_actions.append(CaseAction.SUSPEND if case.status == CaseStatus.OPEN else CaseAction.RESUME)
    if inside and may_extend(user, case) and case.limit_days is not None:
        case_actions.append(CaseAction.EXTEND)
    if inside and role != Role.REVIEWER:
        case_actions.append(CaseAction.CLOSE)
    by_step = {}
    if case.status == CaseStatus.OPEN and role != Role.REVIEWER and (inside or role in step_roles.OUTSIDE):
        for s in steps(case)["ready"] if ready is None else ready:
            if step_roles.fills(user, step_roles.role_of(s["role"]), case):
                by_step[s["id"]] = [CaseAction.COMPLETE, CaseAction.RETURN]
    return {"steps": by_step, "case": case_actions}


SUSPENSION_REASONS = deadlines.SUSPENSION_REASONS


# --- notices --------------------------------------------------------------------------------------

def notices(user, unread_only: bool = False, limit: int = 100):
    """抄告: the notices to the departments in the user's scope, unread first."""
    q = scope.organisation_filter(user, "organisation", "organisation__jurisdiction")
    qs = Notice.objects.select_related("application", "case", "case__item", "organisation")
    if q is not None:
        qs = qs.filter(q)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return list(qs.order_by(F("read_at").desc(nulls_first=True), "-created_at", "-pk")[:limit])


# --- a department's figures -----------------------------------------------------------------------

def figures(organisation: Organisation, today: dt.date | None = None) -> dict:
    """The department head's figures (部门负责人): on-time rate (closed on or before the due date,
    of the closed cases that had one), average working days from acceptance to close, open cases
    by the step they wait at, the overdue open cases, the applicants' average rating."""
    from powerlist.operation.models import Rating

    today = today or beijing_date(timezone.now())
    cal = Calendar()
    cases = Case.objects.filter(organisation=organisation).select_related("item", "organisation", "jurisdiction")
    closed = list(Case.objects.filter(organisation=organisation, status=CaseStatus.CLOSED,
                                      closed_at__isnull=False).only("due", "accepted_at", "closed_at"))
    with_due = [c for c in closed if c.due is not None]
    on_time = sum(beijing_date(c.closed_at) <= c.due for c in with_due)
    spans = []
    for c in closed:
        try:
            spans.append(working_days_between(c.accepted_at, c.closed_at, cal))
        except UnknownYear:
            continue
    by_step: dict[str, int] = {}
    overdue = []
    open_cases = list(cases.exclude(status=CaseStatus.CLOSED).order_by("due", "accepted_at"))
    for case in open_cases:
        ready = steps(case, [])["ready"]
        if case.status == CaseStatus.SUSPENDED:
            label = f"已中止（{case.suspension_reason or '中止'}）"
            by_step[label] = by_step.get(label, 0) + 1
        else:
            for s in ready or [{"name": "（无就绪环节）"}]:
                by_step[s["name"]] = by_step.get(s["name"], 0) + 1
        if case.status == CaseStatus.OPEN and case.due is not None and case.due < today:
            overdue.append({"case": case, "urgency": urgency(case, today, cal),
                            "steps": [s["name"] for s in ready]})
    ratings = Rating.objects.filter(Q(case__organisation=organisation)
                                    | Q(application__cases__organisation=organisation))
    rated = ratings.distinct().aggregate(avg=Avg("stars"))["avg"]
    return {
        "organisation": organisation, "total": cases.count(), "open": len(open_cases), "closed": len(closed),
        "closed_with_due": len(with_due), "on_time": on_time,
        "on_time_rate": round(100 * on_time / len(with_due), 1) if with_due else None,
        "average_days": round(sum(spans) / len(spans), 1) if spans else None,
        "by_step": sorted(by_step.items(), key=lambda kv: (-kv[1], kv[0])),
        "overdue": overdue, "rating": round(rated, 2) if rated is not None else None,
        "ratings": ratings.distinct().count(),
    }


# --- a case's flowchart ---------------------------------------------------------------------------

_MODELS: dict[str, dict] = {}  # pinned engine XML sha256 -> its parsed model (immutable)


def _model(case: Case) -> dict | None:
    """The model of the chart the case runs: the imported version's as drawn (with its layout),
    else the pinned engine XML parsed (a chart built from steps: the computed layout)."""
    from powerlist.operation.bpmn.parse import parse
    from powerlist.operation.models import FlowchartVersion, PinnedFlowchart

    if case.flowchart_version is not None and case.item_id is not None:
        version = FlowchartVersion.objects.filter(item_id=case.item_id, number=case.flowchart_version).first()
        if version is not None:
            return version.parsed
    if case.flowchart_id is None:
        return None
    pinned = PinnedFlowchart.objects.filter(pk=case.flowchart_id).first()
    if pinned.sha256 not in _MODELS:
        try:
            _MODELS[pinned.sha256] = parse(pinned.engine_xml.encode("utf-8"), f"{case.item_code}.bpmn")
        except Exception:  # noqa: BLE001 - a chart the reader refuses is not drawn; the steps are listed anyway
            return None
    return _MODELS[pinned.sha256]


def chart(case: Case, case_steps: dict) -> str:
    """The SVG of the case's flowchart, its done steps green and its ready steps amber."""
    from powerlist.operation.bpmn import render

    model = _model(case)
    if model is None:
        return ""
    marks = {s["id"]: "done" for s in case_steps["done"]}
    marks.update({s["id"]: "ready" for s in case_steps["ready"]})
    return render.render(model, title=f"{case.item.name if case.item_id else case.item_code} 流程图", marks=marks)
