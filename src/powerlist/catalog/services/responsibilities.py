"""The department-level responsibility list (责任清单): duties, supervision rules, boundaries
with other departments, public services."""

from django.db import transaction
from django.db.models import Max

from powerlist.catalog.models import DepartmentResponsibility, DutyKind, Status
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.services import audit

FIELDS = ("kind", "title", "content", "basis", "status", "position")


def _validate(data: dict, related) -> list[Problem]:
    problems = []
    if data.get("kind") not in DutyKind.values:
        problems.append(Problem("", None, "kind", str(data.get("kind")), "应为 " + "/".join(DutyKind.values)))
    if not (data.get("title") or "").strip():
        problems.append(Problem("", None, "title", "", "标题不能为空"))
    if data.get("status") and data["status"] not in Status.values:
        problems.append(Problem("", None, "status", data["status"], "状态无效"))
    if data.get("kind") == DutyKind.BOUNDARY and not related:
        problems.append(Problem("", None, "related_organisations", "", "职责边界必须写明相关部门"))
    return problems


def save_responsibility(actor, organisation, data: dict, related=(), entry: DepartmentResponsibility | None = None,
                        ) -> DepartmentResponsibility:
    """Create (entry None) or change one entry of a department's responsibility list."""
    target_org = entry.organisation if entry is not None else organisation
    scope.require_organisation(actor, target_org)
    if entry is not None and organisation is not None and organisation.pk != entry.organisation_id:
        scope.require_organisation(actor, organisation)
    data = {k: v for k, v in data.items() if k in FIELDS}
    related = list(related)
    problems = _validate(data, related)
    if any(r.jurisdiction_id != organisation.jurisdiction_id for r in related):
        problems.append(Problem("", None, "related_organisations", "", "相关部门必须属于同一行政区划"))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        if entry is None:
            entry = DepartmentResponsibility(organisation=organisation, jurisdiction_id=organisation.jurisdiction_id)
            if "position" not in data:
                data["position"] = (DepartmentResponsibility.objects.filter(organisation=organisation, kind=data["kind"])
                                    .aggregate(m=Max("position"))["m"] or 0) + 1
            action = "responsibility.create"
        else:
            action = "responsibility.update"
            entry.organisation = organisation
            entry.jurisdiction_id = organisation.jurisdiction_id
        for k, v in data.items():
            setattr(entry, k, v)
        entry.save()
        entry.related_organisations.set(related)
        audit.append(actor, action, f"responsibility:{entry.pk}", {
            "organisation": organisation.name, "kind": entry.kind, "title": entry.title,
            "related": [r.name for r in related]})
    return entry
