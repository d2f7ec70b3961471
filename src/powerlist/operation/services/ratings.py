"""好差评: after completion the applicant rates the service once, 1 to 5 stars and a comment.

The applicant proves who they are as for the progress look-up (receipt or case number and the
last four digits of their phone or ID number), with the same neutral answer when either is
wrong. Ratings are throttled per address; the address is kept only as its keyed hash. The comment
is stored as given (pages escape it when they show it)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from powerlist.core import throttle
from powerlist.core.errors import Conflict, InvalidInput, Problem
from powerlist.core.services import audit
from powerlist.operation.models import Application, ApplicationStatus, Case, CaseStatus, Rating
from powerlist.operation.services.progress import applicant_record

MAX_COMMENT = 1000


def _limit() -> tuple[int, int]:
    return getattr(settings, "POWERLIST_RATINGS_PER_ADDRESS", (5, 3600))  # ratings tried per address, seconds


def _clean(stars, comment) -> tuple[int, str]:
    problems = []
    try:
        value = int(str(stars).strip())
    except (TypeError, ValueError):
        value = 0
    if isinstance(stars, bool) or not 1 <= value <= 5:
        problems.append(Problem("", None, "stars", str(stars)[:20], "应为 1 至 5 星"))
    comment = (comment or "").strip() if isinstance(comment, str) or comment is None else str(comment)
    if len(comment) > MAX_COMMENT:
        problems.append(Problem("", None, "comment", comment[:60], f"评价内容不超过 {MAX_COMMENT} 个字符"))
    if "\x00" in comment:
        problems.append(Problem("", None, "comment", comment[:60].replace("\x00", ""), "评价内容不能含控制字符"))
    if problems:
        raise InvalidInput(problems)
    return value, comment


def rate(address, number: str, last4: str, stars, comment: str = "") -> Rating:
    """The applicant's one rating of a completed application or case."""
    value, comment = _clean(stars, comment)
    found = applicant_record(address, number, last4, "progress.rate", _limit(), "评价提交过于频繁，请稍后再试")
    is_application = isinstance(found, Application)
    if not is_application and found.application_id:
        found = found.application  # a case of a one-window application: the applicant rates the application
        is_application = True
    model, field = (Application, "application") if is_application else (Case, "case")
    try:
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=found.pk)
            done = ApplicationStatus.CLOSED if is_application else CaseStatus.CLOSED
            if locked.status != done:
                raise Conflict(f"{locked.number} 尚未办结：办结后才能评价")
            if Rating.objects.filter(**{field: locked}).exists():
                raise Conflict(f"{locked.number} 已评价过，每件只能评价一次")
            rating = Rating.objects.create(**{field: locked}, stars=value, comment=comment,
                                           created_at=timezone.now(), address_hash=throttle.address_hash(address))
            audit.append("applicant", "rating.add", f"{field}:{locked.number}",
                         {"stars": value, "comment_chars": len(comment)})
    except IntegrityError as exc:  # the same rating sent twice at once: the unique key settles it
        raise Conflict(f"{found.number} 已评价过，每件只能评价一次") from exc
    return rating
