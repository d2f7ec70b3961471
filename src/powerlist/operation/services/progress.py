"""The applicant's side of one window (一窗受理): the public look-up by receipt or case number plus
the last four digits of the applicant's phone or ID number. It answers with what the applicant
needs (item names, departments, current steps, dates, status) and nothing personal; a wrong number
and wrong digits get the same neutral answer (no oracle), and the attempts are throttled per
address (powerlist.core.throttle: counted in the database, so every worker sees them)."""

import hmac

from django.conf import settings

from powerlist.core import throttle
from powerlist.core.errors import DomainError, NotFound
from powerlist.core.text import clean_cell
from powerlist.core.workdays import beijing_date
from powerlist.operation.models import Application, Case, CaseStatus, Rating
from powerlist.operation.services import cases
from powerlist.operation.services.applications import STATUS_NAMES


class Throttled(DomainError):
    """Too many attempts from one address: try again later."""


def _lookup_limit() -> tuple[int, int]:
    return getattr(settings, "POWERLIST_PROGRESS_LOOKUPS", (10, 600))  # look-ups per address, seconds


NEUTRAL = "未找到：请核对受理编号（或办件编号）和申请人电话或证件号码的后四位"


def _last4(value: str) -> str:
    chars = [c for c in (value or "").upper() if c.isalnum()]
    return "".join(chars[-4:]) if len(chars) >= 4 else ""


def _matches(last4: str, *values: str) -> bool:
    given = (last4 or "").strip().upper()
    if len(given) != 4:
        return False
    ok = False
    for value in values:
        tail = _last4(value)
        ok |= bool(tail) and hmac.compare_digest(tail.encode(), given.encode())  # no early exit
    return ok


def find_for_applicant(number: str, last4: str):
    """The application or case the number and digits name, or None: a wrong number and wrong
    digits are indistinguishable."""
    number = clean_cell(str(number or "")).upper()[:40]  # clean_cell: PostgreSQL refuses NUL
    if not number:
        return None
    application = Application.objects.filter(number=number).first()
    if application is not None:
        return application if _matches(last4, application.applicant_phone, application.applicant_id_number) else None
    case = Case.objects.select_related("application").filter(number=number).first()
    if case is None:
        return None
    if case.application_id:
        a = case.application
        return case if _matches(last4, a.applicant_phone, a.applicant_id_number) else None
    return case if _matches(last4, case.applicant_phone) else None


def applicant_record(address, number: str, last4: str, scope: str, limit: tuple[int, int], busy: str):
    """The applicant's application or case, the attempt counted against the address: Throttled
    (`busy`) past `limit` (attempts, seconds), NotFound with always the same words otherwise."""
    if not throttle.allow(address, scope, *limit):
        raise Throttled(busy)
    found = find_for_applicant(number, last4)
    if found is None:
        raise NotFound(NEUTRAL)
    return found


def lookup(address, number: str, last4: str) -> dict:
    """What the public look-up shows: item names, departments, current steps, dates and status;
    nothing personal."""
    return public_view(applicant_record(address, number, last4, "progress.lookup", _lookup_limit(),
                                        "查询过于频繁，请稍后再试"))


def public_view(found) -> dict:
    """`found` as the applicant sees it. A case of an application is shown alone, but completion
    and the rating are the application's (the applicant rates the one window)."""
    if isinstance(found, Application):
        kind, status, accepted = "application", found.status, beijing_date(found.received_at)
        case_list = list(found.cases.select_related("item", "organisation").order_by("pk"))
    else:
        kind, status, accepted = "case", found.status, beijing_date(found.accepted_at)
        case_list = [found]
    closed = beijing_date(found.closed_at) if found.closed_at else None
    rated = found.application if isinstance(found, Case) and found.application_id else found
    rating = _rating_of(rated)
    rows = []
    for case in case_list:
        shown = cases.describe(case)
        rows.append({"case": case.number, "item": case.item.name if case.item_id else case.item_code,
                     "department": case.organisation.name, "status": case.status,
                     "status_name": STATUS_NAMES[case.status], "steps": shown["ready"],
                     "accepted": beijing_date(case.accepted_at).isoformat(),
                     "due": case.due.isoformat() if case.due else None,
                     "closed": beijing_date(case.closed_at).isoformat() if case.closed_at else None})
    return {"number": found.number, "kind": kind, "status": status, "status_name": STATUS_NAMES[status],
            "accepted": accepted.isoformat(), "closed": closed.isoformat() if closed else None,
            "due": max((r["due"] for r in rows if r["due"]), default=None), "cases": rows,
            "completed": rated.status == CaseStatus.CLOSED, "rated": rating is not None,
            "rating": {"stars": rating.stars, "comment": rating.comment} if rating is not None else None}


def _rating_of(found) -> Rating | None:
    field = "application" if isinstance(found, Application) else "case"
    return Rating.objects.filter(**{field: found}).first()
