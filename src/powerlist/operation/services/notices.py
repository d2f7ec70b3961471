"""抄告相关: a department marks a notice of a one-window application as read. The notice is made
by the hall's application service; here it is only read, by the department it was sent to (its
clerks) or a reviewer or administrator over that department's jurisdiction, and the reading is on
the transparency log."""

from django.db import transaction
from django.utils import timezone

from powerlist.core import scope
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.models import Role
from powerlist.core.services import audit
from powerlist.operation.models import Notice


def may_read(actor, notice: Notice) -> bool:
    """Whether `actor` may sign for the notice (its department's clerks; reviewers and
    administrators over its jurisdiction)."""
    role = scope._role(actor)
    if role == Role.CLERK:
        return bool(actor.organisation_id) and actor.organisation_id == notice.organisation_id
    return scope.covers_jurisdiction(actor, notice.organisation.jurisdiction)


def read_notice(actor, notice_id) -> Notice:
    """Mark a notice read (idempotent: a notice already read keeps its first reader and time)."""
    if isinstance(notice_id, bool) or not str(notice_id).isdigit() or len(str(notice_id)) > 18:
        raise InvalidInput([Problem("", None, "notice", str(notice_id)[:40], "应为抄告通知的编号（正整数）")])
    visible = Notice.objects.select_related("organisation__jurisdiction", "application")
    q = scope.organisation_filter(actor, "organisation", "organisation__jurisdiction")
    notice = (visible if q is None else visible.filter(q)).filter(pk=int(notice_id)).first()
    if notice is None:
        raise NotFound(f"没有编号为 {notice_id} 的抄告通知，或不在您的查看范围内")
    if not may_read(actor, notice):
        raise PermissionDenied(f"{scope._name(actor)}无权签收抄告给{notice.organisation.name}的通知：只有该部门的经办人"
                               f"或本辖区审核人员、管理员可以")
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.read_at is not None:
            return locked
        locked.read_at, locked.read_by = timezone.now(), audit.actor_name(actor)
        locked.save(update_fields=["read_at", "read_by"])
        audit.append(actor, "notice.read", f"notice:{locked.pk}",
                     {"application": notice.application.number, "case": locked.case_id,
                      "organisation": notice.organisation.name})
    return locked
