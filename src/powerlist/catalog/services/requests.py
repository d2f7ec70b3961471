"""Change requests (动态调整申请): the only way a department changes the published list.

A clerk's change to an item that is published (or cancelled, delegated, transferred, merged),
and a clerk's new item meant for the published list, become a request to add, amend or cancel,
with a reason and its basis. Nothing changes until a reviewer of the jurisdiction approves it;
approval goes through the item service, so it is ledgered like any change and the next
published version carries it. `change_item` and `add_item` are the entry points every surface
(admin, API, import, CLI) calls: they apply a change directly when the actor may, and file a
request when review is needed.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from powerlist.catalog.cells import format_discretion, format_flowchart, format_risk_points
from powerlist.catalog.documents import UNIT_NAMES, clean_document, document_of, field_label
from powerlist.catalog.labels import field_name
from powerlist.catalog.models import (
    STATUS_NAMES, Category, ChangeRecord, ChangeRequest, ListKind, PowerItem, PowerSource, RequestKind,
    RequestStatus, Status,
)
from powerlist.catalog.services import items as item_services
from powerlist.core import scope
from powerlist.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.models import Jurisdiction
from powerlist.core.services import audit
from powerlist.core.services import organisations as org_services

KIND_NAMES = {"add": "新增", "amend": "变更", "cancel": "取消"}
REQUEST_STATUS_NAMES = {"pending": "待审核", "approved": "已批准", "rejected": "已驳回", "withdrawn": "已撤回"}


@dataclass
class Outcome:
    """What became of a change: the item changed now, or a request waiting for review."""

    item: PowerItem | None = None
    request: ChangeRequest | None = None

    @property
    def pending(self) -> bool:
        return self.request is not None


def load(request_id: int) -> ChangeRequest:
    req = ChangeRequest.objects.select_related("jurisdiction", "organisation", "item").filter(pk=request_id).first()
    if req is None:
        raise NotFound(f"动态调整申请 {request_id} 不存在")
    return req


# ---------------------------------------------------------------------------------------------
# entry points for every surface

def change_item(actor, item: PowerItem, changes: dict, *, reason: str = "", document: str = "",
                via: str = "service", expected_version: int | None = None) -> Outcome:
    """Change an item, or file the change as a request when the actor's role needs review."""
    current = item_services.load(item.pk)
    scope.require_organisation(actor, current.organisation)
    wanted = changes.get("status", current.status)
    if item_services.needs_review(actor, current.status) or item_services.needs_review(actor, wanted):
        if expected_version is not None and current.version != expected_version:
            raise Conflict(f"此事项在您打开后已被修改（您看到的是第{expected_version}版，现在是第{current.version}版）。"
                           f"请重新打开后再提交申请", current_version=current.version)
        if current.status in item_services.CLERK_STATUSES:
            kind = RequestKind.ADD if wanted == Status.PUBLISHED else RequestKind.CANCEL
        elif wanted == Status.CANCELLED and current.status == Status.PUBLISHED:
            kind = RequestKind.CANCEL
        else:
            kind = RequestKind.AMEND
        return Outcome(request=submit(actor, kind, item=current, changes=changes, reason=reason, basis=document,
                                      via=via))
    return Outcome(item=item_services.update_item(actor, current, changes, reason=reason, document=document, via=via,
                                                  expected_version=expected_version))


def add_item(actor, jurisdiction: Jurisdiction, raw: dict, *, reason: str = "", document: str = "",
             via: str = "service", create_organisation: bool = False) -> Outcome:
    """Create an item, or, when a clerk means it for the published list, file an add request."""
    doc, errors = clean_document(raw)
    if not errors and item_services.needs_review(actor, doc["status"]):
        return Outcome(request=submit(actor, RequestKind.ADD, jurisdiction=jurisdiction, changes=raw, reason=reason,
                                      basis=document, via=via))
    return Outcome(item=item_services.create_item(actor, jurisdiction, raw, reason=reason, document=document, via=via,
                                                  create_organisation=create_organisation))


# ---------------------------------------------------------------------------------------------
# the request's life: submit, approve, reject, withdraw

def _reason_problems(reason: str) -> list[Problem]:
    if not reason:
        return [Problem("", None, "reason", "", "动态调整申请必须说明理由（如法律法规修改、机构职能调整）")]
    if len(reason) > 5000:
        return [Problem("", None, "reason", reason[:60], "理由不能超过5000字")]
    return []


def submit(actor, kind: str, *, item: PowerItem | None = None, jurisdiction: Jurisdiction | None = None,
           changes: dict, reason: str, basis: str = "", via: str = "service") -> ChangeRequest:
    """File a request. Amend and cancel name an existing item; add names a new item's whole
    document (or a draft item to be published). The request is checked now as the item service
    would check the change, so a reviewer never approves something that cannot be applied."""
    reason = (reason or "").strip()
    basis = (basis or "").strip()[:300]
    if kind not in RequestKind.values:
        raise InvalidInput([Problem("", None, "kind", str(kind), "申请类型应为 add（新增）、amend（变更）或 cancel（取消）")])
    if item is not None:
        item = item_services.load(item.pk)
        jurisdiction = item.jurisdiction
        current = document_of(item)
    else:
        if kind != RequestKind.ADD:
            raise InvalidInput([Problem("", None, "item", "", "变更和取消申请须指明已有事项")])
        current = None
    if kind == RequestKind.CANCEL:
        changes = {**changes, "status": Status.CANCELLED.value}
    elif kind == RequestKind.ADD:
        changes = {**changes, "status": Status.PUBLISHED.value}
    doc, errors = clean_document((current or {}) | changes)
    problems = [Problem("", None, f, v, e) for f, v, e in errors] + _reason_problems(reason)
    if problems:
        raise InvalidInput(problems)
    org = org_services.find(jurisdiction, doc["organisation"])
    if org is None:
        raise InvalidInput([Problem("", None, "organisation", doc["organisation"], f"{jurisdiction.name}没有这个部门")])
    scope.require_organisation(actor, org, "申请调整")
    if item is not None:
        scope.require_organisation(actor, item.organisation, "申请调整")
        asked = {f: doc[f] for f in doc if doc[f] != current.get(f)}
        if not asked:
            raise InvalidInput([Problem("", None, "", "", "申请的内容与事项现状相同，无需调整")])
        before = {f: current.get(f) for f in asked}
    else:
        if PowerItem.objects.filter(jurisdiction=jurisdiction, code=doc["code"]).exists():
            raise InvalidInput([Problem("", None, "code", doc["code"], f"{jurisdiction.name}已有相同职权编码的事项")])
        asked, before = doc, None
    if ChangeRequest.objects.filter(jurisdiction=jurisdiction, code=doc["code"] if item is None else item.code,
                                    status=RequestStatus.PENDING, item=item).exists():
        raise InvalidInput([Problem("", None, "code", doc["code"],
                                    "该事项已有待审核的动态调整申请：请等待审核结果，或先撤回原申请")])
    with transaction.atomic():
        req = ChangeRequest.objects.create(
            jurisdiction=jurisdiction, organisation=org, item=item, kind=kind, code=doc["code"], name=doc["name"],
            changes=asked, before=before, base_version=item.version if item else None, reason=reason, basis=basis,
            via=via[:20], requested_by=_user(actor), requested_by_name=audit.actor_name(actor),
            requested_at=timezone.now())
        audit.append(actor, "change_request.submit", f"change_request:{req.pk}", {
            "kind": kind, "jurisdiction": jurisdiction.code, "code": req.code, "item": item.pk if item else None,
            "fields": sorted(asked), "reason": reason, "basis": basis, "via": via})
    return req


def _lock_pending(request_id: int) -> ChangeRequest:
    ChangeRequest.objects.select_for_update().filter(pk=request_id).values_list("pk").first()
    req = load(request_id)
    if req.status != RequestStatus.PENDING:
        raise InvalidInput([Problem("", None, "status", req.status,
                                    f"申请 #{req.pk} {REQUEST_STATUS_NAMES.get(req.status)}，不能再处理")])
    return req


def require_reviewer(actor, req: ChangeRequest) -> None:
    if not scope.is_reviewer_or_admin(actor):
        raise PermissionDenied("只有审核人员和管理员可以审核动态调整申请")
    scope.require_jurisdiction(actor, req.jurisdiction, "审核")


def approve(actor, request_id: int, *, note: str = "", via: str = "service") -> ChangeRequest:
    """Apply the request through the item service (ledger, audit, search index) and close it.
    Refused when the fields it changes were changed by someone else after it was filed."""
    with transaction.atomic():
        req = _lock_pending(request_id)
        require_reviewer(actor, req)
        reason = f"{req.reason}（动态调整申请 #{req.pk}，{req.requested_by_name}提出，{audit.actor_name(actor)}批准）"
        if req.item_id is None:
            item = item_services.create_item(actor, req.jurisdiction, req.changes, reason=reason, document=req.basis,
                                             via="request")
        else:
            current = document_of(item_services.load(req.item_id))
            moved = [f for f, old in (req.before or {}).items() if current.get(f) != old]
            if moved:
                raise Conflict(f"申请提出后，{'、'.join(field_label(f) for f in moved)}已被修改：请驳回此申请，"
                               f"由部门按现状重新提交")
            item = item_services.update_item(actor, PowerItem(pk=req.item_id), req.changes, reason=reason,
                                             document=req.basis, via="request")
        record = ChangeRecord.objects.filter(item=item).order_by("-at", "-id").first()
        ChangeRequest.objects.filter(pk=req.pk).update(
            status=RequestStatus.APPROVED, item=item, decided_by=_user(actor), decided_by_name=audit.actor_name(actor),
            decided_at=timezone.now(), decision_note=(note or "").strip(), change_record=record)
        audit.append(actor, "change_request.approve", f"change_request:{req.pk}", {
            "item": item.pk, "code": item.code, "change_record": record.pk if record else None,
            "note": (note or "").strip(), "via": via})
    return load(req.pk)


def reject(actor, request_id: int, *, note: str, via: str = "service") -> ChangeRequest:
    note = (note or "").strip()
    if not note:
        raise InvalidInput([Problem("", None, "note", "", "驳回申请必须说明理由，部门据此修改后可重新提交")])
    with transaction.atomic():
        req = _lock_pending(request_id)
        require_reviewer(actor, req)
        ChangeRequest.objects.filter(pk=req.pk).update(
            status=RequestStatus.REJECTED, decided_by=_user(actor), decided_by_name=audit.actor_name(actor),
            decided_at=timezone.now(), decision_note=note)
        audit.append(actor, "change_request.reject", f"change_request:{req.pk}",
                     {"code": req.code, "note": note, "via": via})
    return load(req.pk)


def withdraw(actor, request_id: int, *, via: str = "service") -> ChangeRequest:
    """The department takes back its own pending request."""
    with transaction.atomic():
        req = _lock_pending(request_id)
        scope.require_organisation(actor, req.organisation, "撤回申请")
        ChangeRequest.objects.filter(pk=req.pk).update(
            status=RequestStatus.WITHDRAWN, decided_by=_user(actor), decided_by_name=audit.actor_name(actor),
            decided_at=timezone.now())
        audit.append(actor, "change_request.withdraw", f"change_request:{req.pk}", {"code": req.code, "via": via})
    return load(req.pk)


def visible(actor):
    """The requests `actor` may see: a clerk their department's, reviewers their jurisdictions'."""
    q = scope.organisation_filter(actor)
    qs = ChangeRequest.objects.select_related("jurisdiction", "organisation", "item")
    return qs if q is None else qs.filter(q)


def describe(req: ChangeRequest, readable: bool = False) -> list[dict]:
    """The request field by field: label, before, requested (as stored, or as text people read, in
    the active language)."""
    before = req.before or {}
    show = readable_value if readable else (lambda _f, v: v)
    return [{"field": f, "label": field_name(f), "before": show(f, before.get(f)), "after": show(f, value)}
            for f, value in req.changes.items() if req.item_id is None or before.get(f) != value]


_CHOICES = {"status": Status, "category": Category, "list_kind": ListKind, "power_source": PowerSource}
_NAMES = {"statutory_limit_unit": UNIT_NAMES, "promised_limit_unit": UNIT_NAMES}


def readable_value(field: str, value) -> str:
    """A document value as a person reads it: names for codes, one line per entry for lists."""
    if value in (None, "", [], {}):
        return "—"
    if field in _CHOICES:
        try:
            return str(_CHOICES[field](value).label)
        except ValueError:
            return str(value)
    if field in _NAMES:
        return _NAMES[field].get(value, str(value))
    if field == "citations":
        return "\n".join(c.get("text", "") for c in value)
    if field == "responsibilities":
        return "\n".join(f"{r.get('stage', '')}：{r.get('content', '')}" for r in value)
    if field == "accountability":
        return "\n".join(str(v) for v in value)
    if field == "risk_points":
        return format_risk_points(value)
    if field == "discretion":
        return format_discretion(value)
    if field == "flowchart":
        return format_flowchart(value) if isinstance(value, dict) else str(value)
    return str(value)


def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None
