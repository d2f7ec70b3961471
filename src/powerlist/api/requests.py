"""Change requests (动态调整申请) over the API: a department lists and withdraws its own; reviewers
of the jurisdiction approve or reject them. Every decision goes through the catalog's request
service, the same one the back office and the console use."""

from ninja import Path, Query, Router

from powerlist.api.auth import token_auth
from powerlist.api.public import PageNo, PerPage
from powerlist.api.reading import page_of
from powerlist.api.schemas import MAX_ID, ChangeRequestOut, ChangeRequestPage, DecisionIn, ErrorOut
from powerlist.catalog.models import ChangeRequest, RequestStatus
from powerlist.catalog.services import requests as request_services
from powerlist.core.errors import NotFound
from powerlist.core.models import short_code

router = Router(tags=["change requests"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
RequestId = Path(..., ge=1, le=MAX_ID)


def request_detail(req: ChangeRequest) -> dict:
    return {
        "id": req.pk, "kind": req.kind, "kind_name": request_services.KIND_NAMES[req.kind], "status": req.status,
        "status_name": request_services.REQUEST_STATUS_NAMES[req.status],
        "jurisdiction": {"code": req.jurisdiction.code, "name": req.jurisdiction.name},
        "organisation": req.organisation.name, "item_id": req.item_id, "code": req.code, "name": req.name,
        "changes": request_services.describe(req), "reason": req.reason, "basis": req.basis,
        "requested_by": req.requested_by_name, "requested_at": req.requested_at, "decided_by": req.decided_by_name,
        "decided_at": req.decided_at, "decision_note": req.decision_note,
    }


def _visible(user, request_id: int) -> ChangeRequest:
    req = request_services.visible(user).filter(pk=request_id).first()
    if req is None:
        raise NotFound(f"动态调整申请 {request_id} 不存在")
    return req


@router.get("/change-requests", auth=token_auth, response={200: ChangeRequestPage, **ERRORS},
            summary="Change requests in the caller's scope, newest first")
def list_requests(request, status: RequestStatus | None = Query(None, description="pending, approved, rejected, "
                                                                                  "withdrawn"),
                  jurisdiction: str | None = Query(None, pattern=r"^[0-9]{2,12}$", description="division code"),
                  page: int = PageNo, per_page: int = PerPage):
    qs = request_services.visible(request.auth)
    if status:
        qs = qs.filter(status=status)
    if jurisdiction:
        qs = qs.filter(jurisdiction__code=short_code(jurisdiction))
    meta, rows = page_of(qs.order_by("-requested_at", "-id"), page, per_page)
    return {**meta, "results": [request_detail(r) for r in rows]}


@router.get("/change-requests/{request_id}", auth=token_auth, response={200: ChangeRequestOut, **ERRORS},
            summary="One change request with each requested field, before and after")
def get_request(request, request_id: int = RequestId):
    return request_detail(_visible(request.auth, request_id))


@router.post("/change-requests/{request_id}/approve", auth=token_auth, response={200: ChangeRequestOut, **ERRORS},
             summary="Approve: the change is applied to the item, ledgered, and carried by the next published "
                     "version (reviewers of the jurisdiction)")
def approve(request, payload: DecisionIn, request_id: int = RequestId):
    req = _visible(request.auth, request_id)
    return request_detail(request_services.approve(request.auth, req.pk, note=payload.note, via="api"))


@router.post("/change-requests/{request_id}/reject", auth=token_auth, response={200: ChangeRequestOut, **ERRORS},
             summary="Reject with a note (reviewers of the jurisdiction)")
def reject(request, payload: DecisionIn, request_id: int = RequestId):
    req = _visible(request.auth, request_id)
    return request_detail(request_services.reject(request.auth, req.pk, note=payload.note, via="api"))


@router.post("/change-requests/{request_id}/withdraw", auth=token_auth, response={200: ChangeRequestOut, **ERRORS},
             summary="Withdraw a pending request (its department)")
def withdraw(request, request_id: int = RequestId):
    req = _visible(request.auth, request_id)
    return request_detail(request_services.withdraw(request.auth, req.pk, via="api"))
