"""Jurisdictions, organisations with their responsibility lists, published versions and
statistics: public, no login needed."""

from django.db.models import Q
from django.utils import timezone
from ninja import Path, Query, Router

from powerlist.api.auth import OPTIONAL_TOKEN, viewer
from powerlist.api.reading import (
    MAX_PAGE, MAX_PER_PAGE, for_viewer, jurisdiction_or_404, page_meta, page_of, visible,
)
from powerlist.api.schemas import (
    CODE_PATTERN, MAX_ID, ErrorOut, JurisdictionDetail, JurisdictionPage, OrganisationDetail, OrganisationPage,
    StatsOut, VersionDetail, VersionDiffOut, VersionPage,
)
from powerlist.catalog.diff import diff_versions
from powerlist.catalog.models import DepartmentResponsibility, DutyKind, ListVersion, ListVersionEntry, PowerItem, Status
from powerlist.catalog.stats import jurisdiction_stats
from powerlist.core.errors import NotFound
from powerlist.core.models import Jurisdiction, Organisation, short_code
from powerlist.core.text import normalise, to_simplified

router = Router(tags=["public"])

ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
Code = Path(..., pattern=CODE_PATTERN, description="division code (统计用区划代码), e.g. 430304")
PageNo = Query(1, ge=1, le=MAX_PAGE)
PerPage = Query(20, ge=1, le=MAX_PER_PAGE)
VersionNo = Path(..., ge=1, le=2**31 - 1)


def _clean_query(q: str) -> str:
    return "".join(ch for ch in q if ch >= " " or ch in "\t\n").strip()


def jurisdiction_out(j: Jurisdiction) -> dict:
    return {"code": j.code, "name": j.name, "full_name": j.full_name(), "level": j.level,
            "parent": j.parent.code if j.parent_id else None}


@router.get("/jurisdictions", response={200: JurisdictionPage, **ERRORS}, openapi_extra=OPTIONAL_TOKEN,
            summary="List jurisdictions (行政区划)")
def list_jurisdictions(request, level: int | None = Query(None, ge=1, le=5, description="1 province .. 5 community"),
                       parent: str | None = Query(None, pattern=CODE_PATTERN, description="code of the parent"),
                       q: str = Query("", max_length=100, description="part of the name, or a code prefix"),
                       page: int = PageNo, per_page: int = PerPage):
    viewer(request)
    qs = Jurisdiction.objects.select_related("parent__parent__parent__parent").order_by("code")
    if level is not None:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=jurisdiction_or_404(parent))
    q = _clean_query(q)
    if q:
        condition = Q(name__contains=to_simplified(q)) | Q(name__contains=q)
        if q.isdigit():  # a prefix, or any official form of a code (440700 for 4407)
            condition |= Q(code__startswith=q) | Q(code=short_code(q))
        qs = qs.filter(condition)
    meta, rows = page_of(qs, page, per_page)
    return {**meta, "results": [jurisdiction_out(j) for j in rows]}


@router.get("/jurisdictions/{code}", response={200: JurisdictionDetail, **ERRORS}, openapi_extra=OPTIONAL_TOKEN,
            summary="One jurisdiction")
def get_jurisdiction(request, code: str = Code):
    viewer(request)
    j = jurisdiction_or_404(code)
    ancestors = []
    node = j.parent
    while node is not None and len(ancestors) < 6:
        ancestors.insert(0, {"code": node.code, "name": node.name})
        node = node.parent
    return {**jurisdiction_out(j), "ancestors": ancestors, "children": j.children.count(),
            "organisations": Organisation.objects.filter(jurisdiction=j).count(),
            "published_items": PowerItem.objects.filter(jurisdiction=j, status=Status.PUBLISHED).count()}


def organisation_out(org: Organisation) -> dict:
    return {"id": org.pk, "name": org.name, "short_name": org.short_name, "kind": org.kind,
            "jurisdiction": org.jurisdiction.code, "uscc": org.uscc, "code": org.code, "parent_id": org.parent_id,
            "phone": org.phone, "valid_from": org.valid_from, "valid_to": org.valid_to}


@router.get("/organisations", response={200: OrganisationPage, **ERRORS}, openapi_extra=OPTIONAL_TOKEN,
            summary="List organisations (部门/单位)")
def list_organisations(request, jurisdiction: str | None = Query(None, pattern=CODE_PATTERN),
                       q: str = Query("", max_length=100, description="part of the name"),
                       page: int = PageNo, per_page: int = PerPage):
    user = viewer(request)
    qs = Organisation.objects.select_related("jurisdiction").order_by("jurisdiction__code", "name", "pk")
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction=jurisdiction_or_404(jurisdiction))
    key = normalise(_clean_query(q))
    if key:
        qs = qs.filter(name_key__contains=key)
    meta, rows = page_of(qs, page, per_page)
    return {**meta, "results": [for_viewer(organisation_out(o), user, o) for o in rows]}


@router.get("/organisations/{org_id}", response={200: OrganisationDetail, **ERRORS}, openapi_extra=OPTIONAL_TOKEN,
            summary="One organisation with its responsibility list (责任清单)")
def get_organisation(request, org_id: int = Path(..., ge=1, le=MAX_ID)):
    user = viewer(request)
    org = Organisation.objects.select_related("jurisdiction").filter(pk=org_id).first()
    if org is None:
        raise NotFound(f"部门 {org_id} 不存在")
    entries = visible(user, DepartmentResponsibility.objects.filter(organisation=org)).prefetch_related(
        "related_organisations").order_by("kind", "position", "pk")
    grouped: dict[str, list] = {kind: [] for kind in DutyKind.values}
    for e in entries:
        grouped[e.kind].append({
            "id": e.pk, "kind": e.kind, "position": e.position, "title": e.title, "content": e.content,
            "basis": e.basis, "status": e.status,
            "related_organisations": [{"id": r.pk, "name": r.name} for r in e.related_organisations.all()]})
    return for_viewer({**organisation_out(org), "responsibilities": grouped}, user, org)


# ---------------------------------------------------------------------------------------------
# published versions

def version_out(v: ListVersion) -> dict:
    # Beijing time, as pages and files show it: the date part is the date of publication there
    return {"number": v.number, "title": v.title, "document": v.document,
            "published_at": timezone.localtime(v.published_at),
            "published_by": v.published_by, "item_count": v.item_count, "sha256": v.sha256}


def _version(jurisdiction: Jurisdiction, number: int) -> ListVersion:
    version = ListVersion.objects.filter(jurisdiction=jurisdiction, number=number).first()
    if version is None:
        raise NotFound(f"{jurisdiction.name}没有第{number}版清单")
    return version


@router.get("/jurisdictions/{code}/versions", response={200: VersionPage, **ERRORS}, openapi_extra=OPTIONAL_TOKEN,
            summary="Published versions of a jurisdiction's list, newest first")
def list_versions(request, code: str = Code, page: int = PageNo, per_page: int = PerPage):
    user = viewer(request)
    j = jurisdiction_or_404(code)
    meta, rows = page_of(ListVersion.objects.filter(jurisdiction=j).order_by("-number"), page, per_page)
    return {**meta, "results": for_viewer([version_out(v) | {"jurisdiction": j.code} for v in rows], user)}


@router.get("/jurisdictions/{code}/versions/{number}", response={200: VersionDetail, **ERRORS},
            openapi_extra=OPTIONAL_TOKEN, summary="A published version: metadata and a page of its entries")
def get_version(request, code: str = Code, number: int = VersionNo, page: int = PageNo,
                per_page: int = PerPage):
    user = viewer(request)
    j = jurisdiction_or_404(code)
    version = _version(j, number)
    entries = ListVersionEntry.objects.filter(version=version).order_by("code")
    total = version.item_count
    start = (page - 1) * per_page
    rows = entries.values("code", "sha256", "data")[start:start + per_page] if start < total else []
    return for_viewer({**version_out(version), "jurisdiction": {"code": j.code, "name": j.name},
                       "entries": page_meta(total, page, per_page), "results": [dict(r) for r in rows]}, user)


@router.get("/jurisdictions/{code}/versions/{a}/diff/{b}", response={200: VersionDiffOut, **ERRORS},
            openapi_extra=OPTIONAL_TOKEN, summary="Items added, removed and changed from version a to version b")
def diff(request, code: str = Code, a: int = VersionNo, b: int = VersionNo):
    user = viewer(request)
    j = jurisdiction_or_404(code)
    return for_viewer(diff_versions(_version(j, a), _version(j, b)).as_dict(), user)


@router.get("/jurisdictions/{code}/stats", response={200: StatsOut, **ERRORS}, openapi_extra=OPTIONAL_TOKEN,
            summary="Counts of a jurisdiction's list by category, status and department")
def stats(request, code: str = Code):
    # the public sees counts of the published list; signed-in readers the counts of every status
    return jurisdiction_stats(jurisdiction_or_404(code), published_only=viewer(request) is None)

