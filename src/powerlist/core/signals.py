"""Account events Django and django-axes report, recorded in the audit log: sign-in, sign-out,
failed sign-in, lock-out and its lifting, and account changes made outside
powerlist.core.services.users (createsuperuser, changepassword, the self-service password
change). Never a password: only the username typed and the client's address."""

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from powerlist.core.models import User
from powerlist.core.services import audit, users

ANONYMOUS = "anonymous"


def _ip(request) -> str | None:
    return get_client_ip_address(request) if request is not None else None


def _beyond_limit(username: str, ip: str | None) -> bool:
    """Whether this user name at this address had already reached the failure limit before the
    attempt django-axes has just counted (its receivers run before ours: imported first)."""
    failures = (AccessAttempt.objects.filter(username=username, ip_address=ip)
                .values_list("failures_since_start", flat=True).first())
    return failures is not None and failures > settings.AXES_FAILURE_LIMIT


def _target(username: str) -> str:
    pk = User.objects.filter(username=username).values_list("pk", flat=True).first()
    return f"user:{pk}" if pk is not None else f"username:{username[:150]}"


@receiver(user_logged_in, dispatch_uid="powerlist.audit.login")
def logged_in(sender, request, user, **kwargs):
    audit.append(user, "account.login", f"user:{user.pk}", {"username": user.get_username(), "ip": _ip(request)})


@receiver(user_logged_out, dispatch_uid="powerlist.audit.logout")
def logged_out(sender, request, user, **kwargs):
    if user is not None:  # signing out when not signed in is not an event
        audit.append(user, "account.logout", f"user:{user.pk}",
                     {"username": user.get_username(), "ip": _ip(request)})


@receiver(user_login_failed, dispatch_uid="powerlist.audit.login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    if _beyond_limit(username, _ip(request)):
        return  # refused while locked out: the lock-out is on record, an attacker cannot flood the log
    audit.append(ANONYMOUS, "account.login_failed", _target(username), {"username": username, "ip": _ip(request)})


@receiver(user_locked_out, dispatch_uid="powerlist.audit.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    if _beyond_limit(username, ip_address):
        return  # axes says so again at every attempt during the lock-out; the event is the lock itself
    username = str(username or "")[:150]
    audit.append(ANONYMOUS, "account.locked_out", _target(username), {
        "username": username, "ip": ip_address, "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": settings.AXES_COOLOFF_TIME.total_seconds() // 60 if settings.AXES_COOLOFF_TIME else None})


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="powerlist.audit.unlock")
def lock_lifted(sender, instance, **kwargs):
    """Every path that forgets failed attempts deletes them: `powerlist accounts unlock`, axes'
    own axes_reset commands, the axes admin pages, the end of the cool-off. Only a lock-out
    being lifted is an event; forgetting a few failures after a good login is not."""
    if instance.failures_since_start >= settings.AXES_FAILURE_LIMIT:
        cool_off = settings.AXES_COOLOFF_TIME
        expired = bool(cool_off and instance.attempt_time + cool_off <= timezone.now())
        audit.append(users.current_actor(), "account.unlock", _target(instance.username or ""), {
            "username": instance.username, "ip": instance.ip_address, "failures": instance.failures_since_start,
            "cool_off_ended": expired})


@receiver(pre_save, sender=User, dispatch_uid="powerlist.audit.user_before")
def user_before(sender, instance, update_fields=None, **kwargs):
    if users.saving_here() or (update_fields is not None and set(update_fields) <= {"last_login"}):
        instance._audit_before = None
        return
    instance._audit_before = users.stored(instance)


@receiver(post_save, sender=User, dispatch_uid="powerlist.audit.user_after")
def user_after(sender, instance, created, **kwargs):
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if before is not None:
        users.record(users.current_actor(), instance, *before)
