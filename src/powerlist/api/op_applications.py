"""One-window applications (一窗受理) over the API: the service hall opens one for a package of
items (token: hall clerks, reviewers, administrators of the jurisdiction), reads it within its
scope, and anyone looks up the progress by number and the last four digits of the applicant's
phone or ID number (public, throttled per address, the same neutral 404 for a wrong number or
wrong digits, nothing personal). Writes go through operation.services.applications."""

import datetime as dt

from ninja import Field, Query, Router, Schema, Status

from powerlist.api.auth import token_auth
from powerlist.api.schemas import CODE_PATTERN, ErrorOut
from powerlist.core.masking import mask_data
from powerlist.operation.services import applications as service
from powerlist.operation.services import progress

router = Router(tags=["applications"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ApplicationIn(Schema):
    jurisdiction: str = Field(..., pattern=CODE_PATTERN, description="division code")
    items: list[str] = Field(..., min_length=1, max_length=service.MAX_ITEMS,
                             description="the items' codes (职权编码), each of a department of the jurisdiction")
    applicant: str = Field(..., max_length=200, description="person or enterprise")
    phone: str = Field("", max_length=30)
    id_number: str = Field("", max_length=30, description="resident ID, credit code or other certificate number")
    title: str = Field("", max_length=300, description="the matter; the items' names when empty")
    window: str = Field("", max_length=100)


class CaseProgressOut(Schema):
    number: str
    item: str
    code: str
    department: str
    status: str
    status_name: str
    ready: list[str]
    done: list[str]
    accepted: dt.date
    due: dt.date | None
    due_explained: str
    result: str
    closed: dt.date | None


class NoticeOut(Schema):
    department: str
    sent_at: dt.datetime
    read_at: dt.datetime | None


class ApplicationOut(Schema):
    number: str
    jurisdiction: str
    title: str
    applicant: str
    phone: str
    id_number: str
    status: str
    status_name: str
    received_at: dt.datetime
    received_by: str
    window: str
    closed_at: dt.datetime | None
    reply: str
    cases: list[CaseProgressOut]
    notices: list[NoticeOut]


class PublicCaseOut(Schema):
    case: str
    item: str
    department: str
    status: str
    status_name: str
    steps: list[str]
    accepted: str
    due: str | None
    closed: str | None


class ProgressOut(Schema):
    number: str
    kind: str
    status: str
    status_name: str
    accepted: str
    due: str | None
    closed: str | None
    completed: bool
    rated: bool
    cases: list[PublicCaseOut]


def application_detail(application) -> dict:
    rows = service.progress_rows(application)
    return {
        "number": application.number, "jurisdiction": application.jurisdiction.code, "title": application.title,
        "applicant": application.applicant_name, "phone": application.applicant_phone,
        "id_number": application.applicant_id_number, "status": application.status,
        "status_name": service.STATUS_NAMES[application.status], "received_at": application.received_at,
        "received_by": application.received_by, "window": application.window, "closed_at": application.closed_at,
        "reply": application.reply,
        "cases": [{k: r[k] for k in CaseProgressOut.model_fields} for r in rows],
        "notices": [{"department": n.organisation.name, "sent_at": n.created_at, "read_at": n.read_at}
                    for n in application.notices.select_related("organisation").order_by("pk")],
    }


@router.post("/applications", auth=token_auth, response={201: ApplicationOut, **ERRORS},
             summary="Open a one-window application: one case per item, accepted on each department's behalf, "
                     "and a notice to each department; all or nothing (hall clerks, reviewers, administrators)")
def open_application(request, payload: ApplicationIn):
    application = service.open_application(
        request.auth, payload.jurisdiction, title=payload.title, item_codes=payload.items,
        applicant=payload.applicant, phone=payload.phone, id_number=payload.id_number, window=payload.window)
    return Status(201, application_detail(service.get(request.auth, application.number)))


@router.get("/applications/{number}", auth=token_auth, response={200: ApplicationOut, **ERRORS},
            summary="One application with each department's progress (within the caller's scope)")
def get_application(request, number: str):
    return application_detail(service.get(request.auth, number[:40]))


@router.get("/progress", response={200: ProgressOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
            summary="The applicant's look-up (public, throttled per address): an application's or a case's "
                    "items, departments, current steps, dates and status; nothing personal. A wrong number and "
                    "wrong digits give the same 404.")
def look_up_progress(request, number: str = Query(..., max_length=40, description="receipt or case number"),
             last4: str = Query(..., min_length=4, max_length=4,
                                description="last four digits of the applicant's phone or ID number")):
    try:
        shown = progress.lookup(request, number, last4)
    except progress.Throttled as exc:
        return Status(429, {"detail": str(exc), "problems": []})
    shown = mask_data({k: v for k, v in shown.items() if k != "rating"})
    return shown
