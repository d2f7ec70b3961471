"""Who may see and change what. One place for the rules, used by services (to refuse) and by
the admin (to filter lists).

- administrators: everything;
- reviewers (编办/审改办): their jurisdiction and the jurisdictions below it;
- legal reviewers: read their jurisdiction and below;
- department clerks: read and edit only their own organisation's records;
- inspectors (纪委监察): read everything, change nothing in the catalog.
"""

from django.db.models import Q

from powerlist.core.errors import PermissionDenied
from powerlist.core.models import Role


class SystemActor:
    """The operator at the machine's console (CLI commands, the demo builder): trusted like an
    administrator and recorded in the audit chain under its own name."""

    is_authenticated = True
    is_superuser = True
    pk = None
    role = Role.ADMIN

    def __init__(self, name: str = "system"):
        self.name = name

    def get_username(self) -> str:
        return self.name


SYSTEM = SystemActor()


def _role(user) -> str | None:
    if isinstance(user, SystemActor):
        return Role.ADMIN
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Role.ADMIN if user.is_superuser else user.role


def jurisdiction_filter(user, field: str = "jurisdiction") -> Q | None:
    """A Q limiting records with a jurisdiction to what `user` may read; None means no limit."""
    role = _role(user)
    if role in (Role.ADMIN, Role.INSPECTOR):
        return None
    if role in (Role.REVIEWER, Role.LEGAL) and user.jurisdiction_id:
        return Q(**{f"{field}__code__startswith": user.jurisdiction.code})
    return Q(pk__in=[])


def organisation_filter(user, org_field: str = "organisation", jurisdiction_field: str = "jurisdiction") -> Q | None:
    """A Q limiting department-owned records to what `user` may read; None means no limit."""
    role = _role(user)
    if role == Role.CLERK:
        return Q(**{f"{org_field}_id": user.organisation_id}) if user.organisation_id else Q(pk__in=[])
    return jurisdiction_filter(user, jurisdiction_field)


def reads_records_of(user, organisation_id: int | None, jurisdiction_code: str | None) -> bool:
    """Whether a department's records are in `user`'s reading scope (as organisation_filter):
    there the back office and the API with a token show personal data unmasked."""
    role = _role(user)
    if role in (Role.ADMIN, Role.INSPECTOR):
        return True
    if role == Role.CLERK:
        return bool(user.organisation_id) and user.organisation_id == organisation_id
    return bool(role in (Role.REVIEWER, Role.LEGAL) and user.jurisdiction_id and jurisdiction_code
                and jurisdiction_code.startswith(user.jurisdiction.code))


def covers_jurisdiction(user, jurisdiction) -> bool:
    role = _role(user)
    if role == Role.ADMIN:
        return True
    return bool(role == Role.REVIEWER and user.jurisdiction_id
                and jurisdiction.code.startswith(user.jurisdiction.code))


def require_jurisdiction(user, jurisdiction, what: str = "修改") -> None:
    if not covers_jurisdiction(user, jurisdiction):
        raise PermissionDenied(f"{_name(user)}无权{what}{jurisdiction.name}的清单：只有管理员和本级审核人员可以")


def can_edit_organisation_records(user, organisation) -> bool:
    role = _role(user)
    if role == Role.CLERK:
        return organisation is not None and user.organisation_id == organisation.pk
    return covers_jurisdiction(user, organisation.jurisdiction)


def require_organisation(user, organisation, what: str = "修改") -> None:
    if not can_edit_organisation_records(user, organisation):
        raise PermissionDenied(f"{_name(user)}无权{what}{organisation.name}的事项：经办人只能修改本部门事项，"
                               f"审核人员只能修改本辖区事项")


def can_check_legal_basis(user, organisation) -> bool:
    """Verifying citations against the law writes only verdicts: administrators, reviewers and
    legal reviewers (法制审核, within their jurisdiction: it is their job) and a department's own
    clerk may run it; inspectors read the verdicts."""
    role = _role(user)
    if role == Role.LEGAL:
        return _legal_covers(user, organisation.jurisdiction)
    return role != Role.INSPECTOR and can_edit_organisation_records(user, organisation)


def _legal_covers(user, jurisdiction) -> bool:
    return bool(user.jurisdiction_id and jurisdiction.code.startswith(user.jurisdiction.code))


def require_legal_check(user, organisation=None, jurisdiction=None) -> None:
    """For one organisation's items, or (with `jurisdiction`) for a whole jurisdiction's list."""
    if jurisdiction is not None:
        if covers_jurisdiction(user, jurisdiction) or (_role(user) == Role.LEGAL and _legal_covers(user, jurisdiction)):
            return
        raise PermissionDenied(f"{_name(user)}无权核验{jurisdiction.name}清单的法律依据：只有管理员、本级审核人员和"
                               f"本辖区的法制审核人员可以")
    if not can_check_legal_basis(user, organisation):
        raise PermissionDenied(f"{_name(user)}无权核验{organisation.name}事项的法律依据：核验由管理员、审核人员、"
                               f"本辖区的法制审核人员和本部门经办人进行；纪检监察人员可查看核验结果")


def signs_off(user, jurisdiction, role: str) -> bool:
    """A clean-up campaign's review stages (合法性审查 by legal reviewers, 专家论证 by expert
    reviewers): administrators, and users of that role whose jurisdiction is the campaign's or
    above it."""
    actual = _role(user)
    if actual == Role.ADMIN:
        return True
    return actual == role and _legal_covers(user, jurisdiction)


def reads_review_stages(user, jurisdiction) -> bool:
    """Who reads a campaign's sign-offs: those who sign them, its reviewers and inspectors."""
    actual = _role(user)
    return (actual == Role.INSPECTOR or covers_jurisdiction(user, jurisdiction)
            or (actual in (Role.LEGAL, Role.EXPERT) and _legal_covers(user, jurisdiction)))


def require_admin(user, what: str) -> None:
    if _role(user) != Role.ADMIN:
        raise PermissionDenied(f"{_name(user)}无权{what}：需要管理员")


def is_reviewer_or_admin(user) -> bool:
    return _role(user) in (Role.ADMIN, Role.REVIEWER)


def _name(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "未登录用户"
    return f"用户 {user.get_username()}（{Role(_role(user)).label}）"
