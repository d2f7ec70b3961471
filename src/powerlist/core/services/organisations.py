"""Organisations (部门/单位): creation and changes, each checked and audited. Users: services.users."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from powerlist.core import scope
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.identifiers import InvalidIdentifier, validate_uscc
from powerlist.core.models import Jurisdiction, Organisation, OrganisationKind
from powerlist.core.services import audit
from powerlist.core.services.users import save_user  # noqa: F401 - accounts live in services.users now
from powerlist.core.text import normalise

ORG_FIELDS = ("name", "short_name", "kind", "uscc", "code", "parent", "phone", "valid_from", "valid_to", "source")


def current(jurisdiction: Jurisdiction, on=None):
    """Organisations of a jurisdiction valid on a day (default today)."""
    on = on or timezone.localdate()
    return Organisation.objects.filter(jurisdiction=jurisdiction).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def find(jurisdiction: Jurisdiction, name: str) -> Organisation | None:
    """The organisation now valid in `jurisdiction` whose name matches `name`, ignoring
    traditional/simplified, full/half width and spaces; also matches its short name."""
    key = normalise(name)
    if not key:
        return None
    org = current(jurisdiction).filter(name_key=key).first()
    if org is None:
        for candidate in current(jurisdiction).exclude(short_name=""):
            if normalise(candidate.short_name) == key:
                return candidate
    return org


def _validate(data: dict, jurisdiction: Jurisdiction, exclude_pk=None) -> list[Problem]:
    problems = []
    name = (data.get("name") or "").strip()
    if not name:
        problems.append(Problem("", None, "name", name, "部门名称不能为空"))
    if data.get("kind") and data["kind"] not in OrganisationKind.values:
        problems.append(Problem("", None, "kind", data["kind"], "应为 " + "/".join(OrganisationKind.values)))
    if data.get("uscc"):
        try:
            data["uscc"] = validate_uscc(data["uscc"])
        except InvalidIdentifier as exc:
            problems.append(Problem("", None, "uscc", data["uscc"], str(exc)))
    if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
        problems.append(Problem("", None, "valid_to", str(data["valid_to"]), "失效日期不能早于生效日期"))
    if name:
        clash = current(jurisdiction).filter(name_key=normalise(name))
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists() and not data.get("valid_to"):
            problems.append(Problem("", None, "name", name, f"{jurisdiction.name}已有同名的现行部门"))
    return problems


def create_organisation(actor, jurisdiction: Jurisdiction, **data) -> Organisation:
    scope.require_jurisdiction(actor, jurisdiction, "添加部门到")
    data = {k: v for k, v in data.items() if k in ORG_FIELDS}
    problems = _validate(data, jurisdiction)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        org = Organisation.objects.create(jurisdiction=jurisdiction, **data)
        audit.append(actor, "organisation.create", f"organisation:{org.pk}",
                     {"jurisdiction": jurisdiction.code, "name": org.name, "uscc": org.uscc, "kind": org.kind})
    return org


def update_organisation(actor, org: Organisation, **changes) -> Organisation:
    scope.require_jurisdiction(actor, org.jurisdiction, "修改部门")
    changes = {k: v for k, v in changes.items() if k in ORG_FIELDS}
    merged = {f: getattr(org, f) for f in ORG_FIELDS} | changes
    problems = _validate(merged, org.jurisdiction, exclude_pk=org.pk)
    if problems:
        raise InvalidInput(problems)
    before = {f: str(getattr(org, f) or "") for f in changes}
    with transaction.atomic():
        for f, v in changes.items():
            setattr(org, f, merged[f] if f == "uscc" else v)
        org.save()
        audit.append(actor, "organisation.update", f"organisation:{org.pk}",
                     {"before": before, "after": {f: str(getattr(org, f) or "") for f in changes}})
    return org

