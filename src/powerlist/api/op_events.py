"""Case events pushed by a department's own case system (issue 10, integration): one event, or a
batch, each with the sender's idempotency key. Sent again, an event is not stored twice: the
stored one is answered with 200 instead of 201. Events that break the flowchart's order or name a
power not on the list are stored and flagged (`flags`), never dropped. A bad event refuses the
whole batch (422, each problem naming the event's index and field); an event outside the token
user's scope refuses it too (403)."""

from decimal import Decimal

from ninja import Field, Router, Schema, Status

from powerlist.api.auth import token_auth
from powerlist.api.schemas import ErrorOut
from powerlist.core.errors import InvalidInput, Problem
from powerlist.operation.models import CaseEvent
from powerlist.operation.services import ingest

router = Router(tags=["events"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut}
_TEXT = {"max_length": 1000}


class EventIn(Schema):
    case: str = Field(..., description="the case number in the sender's own system", **_TEXT)
    item_code: str = Field(..., description="the item's power code (职权编码)", **_TEXT)
    jurisdiction: str = Field(..., description="division code, e.g. 430304", **_TEXT)
    step: str = Field("", description="the flowchart task's name or id (required to complete or return)", **_TEXT)
    action: str = Field(..., description="accept, complete, return, suspend, resume, extend, close, or approve (another person's 复核 of a high-risk step, before its completion)", **_TEXT)
    actor: str = Field(..., description="who acted, in the sender's system", **_TEXT)
    at: str = Field(..., description="ISO 8601 with its offset, e.g. 2026-09-28T09:30:00+08:00", **_TEXT)
    amount: Decimal | str | None = Field(None, description="penalty or fee amount in yuan")
    penalty_type: str = Field("", description="e.g. 罚款, 警告; several joined by 、 (警告、罚款); a daily penalty as "
                                              "按日连续处罚N日 with the total amount", **_TEXT)
    discretion: str = Field("", description="the discretion grade (裁量等级) recorded", **_TEXT)
    idempotency_key: str = Field("", description="the sender's key for this event (or the Idempotency-Key header "
                                                 "for a single event)", **_TEXT)


class BatchIn(Schema):
    events: list[EventIn] = Field(..., min_length=1, max_length=ingest.MAX_BATCH)


class EventOut(Schema):
    case: str = Field(..., description="powerlist's number for the case: EXT-<division>-<sender's number>")
    sender_case: str
    seq: int
    step: str
    step_id: str
    action: str
    actor: str
    at: str
    amount: str | None
    penalty_type: str
    discretion: str
    flags: list[str] = Field(..., description="unlisted-power, out-of-order, unknown-step, no-branch, late")
    idempotency_key: str


class BatchItemOut(Schema):
    index: int
    outcome: str = Field(..., description="stored or duplicate")
    event: EventOut


class BatchOut(Schema):
    stored: int
    duplicates: int
    cases_opened: int
    flagged: dict[str, int]
    events: list[BatchItemOut]


def _out(event: CaseEvent) -> dict:
    number = event.case.number
    sender = number.split("-", 2)[2] if number.startswith(ingest.PREFIX) else number
    return {"case": number, "sender_case": sender, "seq": event.seq, "step": event.step, "step_id": event.step_id,
            "action": event.action, "actor": event.actor, "at": event.at.isoformat(),
            "amount": None if event.amount is None else f"{Decimal(event.amount):.2f}",
            "penalty_type": event.penalty_type, "discretion": event.discretion, "flags": list(event.flags),
            "idempotency_key": event.idempotency_key.split(":", 2)[2]}


def _row(event: EventIn) -> dict:
    row = event.dict()
    if isinstance(row["amount"], Decimal):
        row["amount"] = str(row["amount"])
    return row


@router.post("/events", auth=token_auth, response={200: EventOut, 201: EventOut, **ERRORS},
             summary="Push one case event from a department's own system (201 stored; 200 already stored "
                     "under this Idempotency-Key)")
def push_event(request, payload: EventIn):
    row = _row(payload)
    header = (request.headers.get("Idempotency-Key") or "").strip()
    if header and row["idempotency_key"].strip() and header != row["idempotency_key"].strip():
        raise InvalidInput([Problem("", 1, "idempotency_key", row["idempotency_key"][:100],
                                    "与 Idempotency-Key 请求头不一致")])
    row["idempotency_key"] = header or row["idempotency_key"]
    result = ingest.record_events(request.auth, [(1, row)], source="api", file="")
    _number, outcome, event = result.outcomes[0]
    return Status(201 if outcome == "stored" else 200, _out(event))


@router.post("/events/batch", auth=token_auth, response={200: BatchOut, 201: BatchOut, **ERRORS},
             summary=f"Push up to {ingest.MAX_BATCH} case events at once, each with its idempotency key "
                     "(201 when any was stored, 200 when all were stored before); all or nothing")
def push_events(request, payload: BatchIn):
    rows = [(i, _row(e)) for i, e in enumerate(payload.events)]
    result = ingest.record_events(request.auth, rows, source="api", file="events")
    body = {"stored": result.stored, "duplicates": result.duplicates, "cases_opened": result.cases_opened,
            "flagged": dict(result.flagged),
            "events": [{"index": n, "outcome": outcome, "event": _out(e)} for n, outcome, e in result.outcomes]}
    return Status(201 if result.stored else 200, body)
