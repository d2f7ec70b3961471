"""Cases (办件) over the API, with a token: list and read the cases in the caller's scope (a
clerk their department's, reviewers their jurisdiction's, inspectors and administrators all),
open one for a published, in-force item of the caller's department (受理), and act on it along
its flowchart (complete, return, suspend, resume, extend, close). Every write goes through
operation.services.cases, the same service as the workbench and `powerlist case`; a refusal is
a 403 (and on the record), a step that is not ready too, bad input a 422 naming the field."""

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from powerlist.api.auth import token_auth
from powerlist.api.public import PageNo, PerPage
from powerlist.api.reading import page_of
from powerlist.api.schemas import CODE_PATTERN, MAX_ID, ErrorOut, InputSchema, PageMeta
from powerlist.core.models import short_code
from powerlist.operation.models import CaseAction, CaseStatus
from powerlist.operation.services import cases as service
from powerlist.operation.services import decisions
from powerlist.operation.services import worklists

router = Router(tags=["cases"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
CaseNumber = Path(..., max_length=40, pattern=r"^[0-9A-Za-z-]+$", description="the case number, e.g. "
                                                                                 "430304-20260928-0001")
ACTIONS = (*(a for a in CaseAction.values if a != CaseAction.ACCEPT), decisions.APPROVE)


class CaseEventOut(Schema):
    seq: int
    step: str
    action: str
    action_name: str
    actor: str
    at: dt.datetime


class CaseOut(Schema):
    case: str = Field(..., description="the case number")
    item: str = Field(..., description="the item's code (职权编码)")
    item_name: str
    jurisdiction: str
    organisation: str
    status: str = Field(..., description="open, suspended or closed")
    status_name: str
    ready: list[str] = Field(..., description="the steps that may be completed now")
    done: list[str]
    accepted_at: dt.datetime
    due: dt.date | None
    due_explained: str
    result: str
    applicant: str = Field(..., description="personal data: shown to callers whose scope holds the case")
    phone: str
    events: list[CaseEventOut]


class CaseSummary(Schema):
    case: str
    item: str
    item_name: str
    organisation: str
    status: str
    status_name: str
    accepted_at: dt.datetime
    due: dt.date | None
    urgency: str = Field(..., description="ok (more than 3 working days left), soon, overdue, paused, closed, none")


class CasePage(PageMeta):
    results: list[CaseSummary]


class CaseOpenIn(InputSchema):
    item: str = Field(..., min_length=1, max_length=100, description="the item's code (职权编码)")
    jurisdiction: str = Field(..., pattern=CODE_PATTERN, description="division code of the item's jurisdiction")
    applicant: str = Field("", max_length=200)
    phone: str = Field("", max_length=30)


class CaseActionIn(InputSchema):
    action: Literal[ACTIONS] = Field(..., description="complete, return, suspend, resume, extend, close, or approve "
                                     "(复核: another person of the department approves a ready high-risk step)")
    step: str = Field("", max_length=300, description="the step's name or id (complete and return need one)")
    reason: str = Field("", max_length=500, description="required to return, suspend (补正材料, 专家评审, 听证 or "
                                                        "检验检测 first), extend and close (the result)")
    days: int | None = Field(None, ge=1, le=365, description="working days to extend by (default 10)")
    data: dict[str, bool | int | float | str] = Field(
        default_factory=dict, max_length=50, description="complete: the case fields the conditions of the gateway "
        "after the step read, e.g. {\"materials_complete\": true} (是/否, numbers and text are converted to the kind "
        "the conditions compare them with); a missing one is refused (403) naming it, a bad one is a 422")
    discretion: str = Field("", max_length=200, description="complete a decision step (决定) of an item with a "
                            "discretion table: the facts, a grade (类别, e.g. 一般) or grade/circumstances")
    amount: str | None = Field(None, max_length=20, description="the fine decided, yuan (e.g. \"60000\")")
    base: str | None = Field(None, max_length=20, description="the base a fine is a percentage or multiple of, yuan")
    penalty_type: str = Field("", max_length=100, description="罚款 (default with an amount), 警告, 没收违法所得 …; several joined by 、 (罚款、没收违法所得)")


def case_detail(case) -> dict:
    steps = worklists.steps(case, [])  # as describe() gives them, and for a case reported without a chart too
    events = worklists.timeline(case)
    return {
        "case": case.number, "item": case.item_code, "item_name": case.item.name if case.item_id else "",
        "jurisdiction": case.jurisdiction.code, "organisation": case.organisation.name, "status": case.status,
        "status_name": worklists.STATUS_NAMES.get(case.status, case.status),
        "ready": [x["name"] for x in steps["ready"]], "done": [x["name"] for x in steps["done"]],
        "accepted_at": timezone.localtime(case.accepted_at), "due": case.due,
        "due_explained": case.due_explained, "result": case.result, "applicant": case.applicant_name,
        "phone": case.applicant_phone,
        "events": [{"seq": e["seq"], "step": e["step"], "action": e["action"], "action_name": e["action_name"],
                    "actor": e["actor"], "at": timezone.localtime(e["at"])} for e in events if not e["refused"]],
    }


@router.get("/cases", auth=token_auth, response={200: CasePage, **ERRORS},
            summary="Cases in the caller's scope, newest first")
def list_cases(request,
               status: Literal[tuple(CaseStatus.values)] | None = Query(None, description="open, suspended, closed"),
               jurisdiction: str | None = Query(None, pattern=CODE_PATTERN, description="division code"),
               organisation: int | None = Query(None, ge=1, le=MAX_ID, description="organisation id"),
               item: str | None = Query(None, max_length=100, description="the item's code"),
               page: int = PageNo, per_page: int = PerPage):
    qs = worklists.visible_cases(request.auth)
    if status:
        qs = qs.filter(status=status)
    if jurisdiction:
        qs = qs.filter(jurisdiction__code=short_code(jurisdiction))
    if organisation:
        qs = qs.filter(organisation_id=organisation)
    if item:
        qs = qs.filter(item_code=item)
    meta, rows = page_of(qs.order_by("-accepted_at", "-pk"), page, per_page)
    return {**meta, "results": [
        {"case": c.number, "item": c.item_code, "item_name": c.item.name if c.item_id else "",
         "organisation": c.organisation.name, "status": c.status,
         "status_name": worklists.STATUS_NAMES.get(c.status, c.status),
         "accepted_at": timezone.localtime(c.accepted_at), "due": c.due,
         "urgency": worklists.urgency(c)["level"]} for c in rows]}


@router.get("/cases/{number}", auth=token_auth, response={200: CaseOut, **ERRORS},
            summary="One case as `powerlist case show --json` prints it, with its department and applicant")
def get_case(request, number: str = CaseNumber):
    return case_detail(worklists.visible_case(request.auth, number))


@router.post("/cases", auth=token_auth, response={201: CaseOut, **ERRORS},
             summary="Open a case (受理) for a published, in-force item of the caller's department")
def open_case(request, payload: CaseOpenIn):
    case = service.open_case(request.auth, payload.item.strip(), payload.jurisdiction, applicant=payload.applicant,
                             phone=payload.phone)
    return Status(201, case_detail(worklists.visible_case(request.auth, case.number)))


@router.post("/cases/{number}/actions", auth=token_auth, response={200: CaseOut, **ERRORS},
             summary="Act on a case along its flowchart: only a ready step may be completed or returned; "
                     "extending needs a reviewer or administrator of the jurisdiction")
def act(request, payload: CaseActionIn, number: str = CaseNumber):
    case = worklists.visible_case(request.auth, number)
    if payload.action == decisions.APPROVE:
        decisions.approve(request.auth, case.number, payload.step, payload.reason)
    else:
        with decisions.given(discretion=payload.discretion, amount=payload.amount, base=payload.base,
                             penalty_type=payload.penalty_type):
            service.act(request.auth, case.number, payload.action, payload.step or None, reason=payload.reason,
                        days=payload.days, data=payload.data or None)
    return case_detail(worklists.visible_case(request.auth, case.number))
