"""User accounts (账号) and the record every account event leaves in the audit log: who acted,
on whom, what changed (before and after), never a password or its hash.

The admin and the commands change accounts here. Paths Django owns (createsuperuser,
changepassword, the self-service password change, any other user.save()) and the sign-in
events are caught by the receivers in powerlist.core.signals and recorded by `record` the
same way (等保2.0 安全审计: identity and access events are audited)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from powerlist.core import scope
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.models import Role, User
from powerlist.core.services import audit

# the account fields whose changes are recorded (values before and after)
TRACKED = ("username", "role", "jurisdiction", "organisation", "is_active", "is_superuser", "is_staff",
           "first_name", "last_name", "email", "phone")

_saving_here = ContextVar("powerlist_users_saving", default=False)
_actor = ContextVar("powerlist_users_actor", default=None)


@contextmanager
def acting(actor):
    """Within this block, account events Django reports (signals) are recorded as done by
    `actor`: the signed-in user of a request (core.middleware), or whoever ran a command."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    actor = _actor.get()
    if actor is not None and getattr(actor, "is_authenticated", True):
        return actor
    return scope.SYSTEM


def saving_here() -> bool:
    """True while save_user saves: the catch-all receivers leave the record to it."""
    return _saving_here.get()


def snapshot(user: User) -> dict:
    values = {f: getattr(user, f) for f in TRACKED if f not in ("jurisdiction", "organisation")}
    values["jurisdiction"] = user.jurisdiction.code if user.jurisdiction_id else None
    values["organisation"] = user.organisation.name if user.organisation_id else None
    return values


def stored(user: User) -> tuple[dict | None, str | None]:
    """The account as the database holds it now (before a save), and its password hash (only
    compared, never recorded)."""
    if user.pk is None:
        return None, None
    old = User.objects.select_related("jurisdiction", "organisation").filter(pk=user.pk).first()
    return (snapshot(old), old.password) if old is not None else (None, None)


def record(actor, user: User, before: dict | None, old_password: str | None) -> None:
    """Audit entries for one save of an account: created, changed (field: [before, after]),
    password changed."""
    after, target = snapshot(user), f"user:{user.pk}"
    if before is None:
        audit.append(actor, "user.create", target, {"username": user.username, "values": after,
                                                    "password_set": user.has_usable_password()})
        return
    changes = {f: [before[f], after[f]] for f in TRACKED if before[f] != after[f]}
    if changes:
        audit.append(actor, "user.update", target, {"username": user.username, "changes": changes})
    if old_password is not None and old_password != user.password:
        audit.append(actor, "user.password_change", target, {"username": user.username})


def save_user(actor, user: User, password: str | None = None, changed: list[str] | None = None) -> User:
    """Create or change a user account. Only administrators manage accounts; a clerk must belong
    to an organisation and reviewers/legal reviewers to a jurisdiction. `changed` (the fields a
    form says it changed) is not needed: the record compares with the stored account."""
    scope.require_admin(actor, "管理用户")
    problems = []
    if user.role == Role.CLERK and not user.is_superuser and not user.organisation_id:
        problems.append(Problem("", None, "organisation", "", "部门经办人必须属于一个部门"))
    if user.role in (Role.REVIEWER, Role.LEGAL) and not user.jurisdiction_id:
        problems.append(Problem("", None, "jurisdiction", "", "审核人员必须属于一个行政区划"))
    if user.organisation_id and not user.jurisdiction_id:
        user.jurisdiction_id = user.organisation.jurisdiction_id
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        before, old_password = stored(user)
        if password:
            user.set_password(password)
        user.is_staff = True if user.is_active else user.is_staff
        token = _saving_here.set(True)
        try:
            user.save()
        finally:
            _saving_here.reset(token)
        record(actor, user, before, old_password)
    return user


def unlock(actor, username: str) -> int:
    """Lift a login lock-out (django-axes) of an account: its failed attempts are forgotten.
    Each lock-out lifted is recorded by the receiver of the attempts' deletion, as done by
    `actor`. Returns the number of attempt records removed."""
    from axes.utils import reset

    scope.require_admin(actor, "解除账号锁定")
    with transaction.atomic(), acting(actor):
        return reset(username=username)


def locked_out() -> list[tuple[str, str, int]]:
    """(user name, address, failures) of every lock-out in force now."""
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return list(attempts.order_by("username").values_list("username", "ip_address", "failures_since_start"))
