"""Power items: read by anyone (published ones) or within the caller's scope; created and changed
with a token, through the catalog's services (role and scope checked, validated, one
transaction, ledger and audit chain)."""

import re
from functools import reduce
from operator import or_

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponse
from ninja import Path, Query, Router, Status

from powerlist.api.auth import OPTIONAL_TOKEN, token_auth, viewer
from powerlist.api.public import PageNo, PerPage
from powerlist.api.reading import for_viewer, item_detail, item_summary, load_item, page_meta, page_of, visible_items
from powerlist.api.schemas import (
    CODE_PATTERN, MAX_ID, CategoryCode, ChangeRequestOut, ErrorOut, ItemCreateIn, ItemOut, ItemPage, ItemPatchIn,
    StatusCode, StatusIn,
)
from powerlist.api.requests import request_detail
from powerlist.catalog import search as catalog_search
from powerlist.catalog import search_hints
from powerlist.catalog.models import Status as ItemStatus
from powerlist.catalog.services import requests as request_services
from powerlist.core.errors import Conflict, InvalidInput, NotFound, Problem
from powerlist.core.models import Jurisdiction, Organisation, short_code

router = Router(tags=["items"])

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}  # 400: not JSON
# a clerk's change to a published item is filed as a change request (动态调整申请): 202 with the request
PENDING = {202: ChangeRequestOut}
# If-Match with an ETag older than the item: 412, nothing changed
CONDITIONAL = {412: ErrorOut}
ItemId = Path(..., ge=1, le=MAX_ID)
CategoryFilter = Query(None, description="category code 01..10, 20, 99")
StatusFilter = Query(None, description="signed-in callers: any status in their scope; the public sees published "
                                       "items only")


@router.get("/items", response={200: ItemPage, **READ_ERRORS}, openapi_extra=OPTIONAL_TOKEN,
            summary="List and search power items")
def list_items(request,
               jurisdiction: str | None = Query(None, pattern=CODE_PATTERN, description="division code"),
               organisation: int | None = Query(None, ge=1, le=MAX_ID, description="organisation id"),
               category: CategoryCode | None = CategoryFilter,
               level: int | None = Query(None, ge=1, le=5, description="level of the jurisdiction"),
               status: StatusCode | None = StatusFilter,
               q: str = Query("", max_length=100, description="any part of a name (simplified or traditional), "
                                                               "a code, or words of the legal basis"),
               page: int = PageNo, per_page: int = PerPage):
    user = viewer(request)
    j = None
    if jurisdiction is not None:
        j = Jurisdiction.objects.filter(code=short_code(jurisdiction)).first()
        if j is None:
            raise NotFound(f"行政区划 {jurisdiction} 不存在")
    org = None
    if organisation is not None:
        org = Organisation.objects.filter(pk=organisation).first()
        if org is None:
            raise NotFound(f"部门 {organisation} 不存在")
    query = "".join(ch for ch in q if ch >= " ").strip()
    if user is None:
        if status not in (None, ItemStatus.PUBLISHED):
            return {**page_meta(0, page, per_page), "query": query, "results": []}
        result = catalog_search.search(query, jurisdiction=j, organisation=org, category=category, level=level,
                                       published_only=True, page=page, per_page=per_page)
        return {**page_meta(result.total, page, per_page), "query": query, "expanded": list(result.expanded),
                "results": _highlighted(for_viewer([item_summary(i) for i in result.items], user), result.phrases)}
    qs = catalog_search.filter_items(visible_items(user).select_related("organisation", "jurisdiction"),
                                     jurisdiction=j, organisation=org, category=category, level=level, status=status)
    phrases = catalog_search.phrases_of(query)
    key, expanded = phrases[0], list(phrases[1:])
    if key:
        # what was typed first (exact, prefix), then the phrases its synonyms gave, then the rest
        qs = qs.filter(catalog_search.text_condition(query)).annotate(rank=Case(
            When(name_key=key, then=Value(0)), When(name_key__startswith=key, then=Value(1)),
            *([When(name_key__in=expanded, then=Value(2)),
               When(reduce(or_, (Q(name_key__startswith=v) for v in expanded)), then=Value(3))] if expanded else []),
            default=Value(4),
            output_field=IntegerField())).order_by("rank", "code", "pk")
    else:
        qs = qs.order_by("jurisdiction__code", "code", "pk")
    meta, rows = page_of(qs, page, per_page)
    results = for_viewer([item_summary(i) for i in rows], user)  # masked per item, by the reader's scope
    return {**meta, "query": query, "expanded": expanded, "results": _highlighted(results, phrases if key else ())}


def _highlighted(results: list[dict], phrases) -> list[dict]:
    """Match ranges computed on the name as the caller receives it (masked or not)."""
    for r in results:
        r["highlight"] = search_hints.spans(r["name"], phrases) if phrases else []
    return results


def etag(item) -> str:
    """Strong validator of an item's state: its id and version (every change adds one)."""
    return f'"{item.pk}-{item.version}"'


_ETAG = re.compile(r'^\s*(?:W/)?"(\d+)-(\d+)"\s*$')


def expected_version(request, item) -> int | None:
    """The version an `If-Match` header names: None without the header (or `*`); a header that
    names another item or cannot be read matches nothing (412), as RFC 9110 asks."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    for tag in header.split(","):
        m = _ETAG.match(tag)
        if m and int(m.group(1)) == item.pk and not tag.strip().startswith("W/"):
            return int(m.group(2))
    raise Conflict(f"If-Match {header[:80]} 与事项 {item.pk} 的当前版本 {etag(item)} 不符：请重新读取后再修改",
                   current_version=item.version)


@router.get("/items/{item_id}", response={200: ItemOut, **READ_ERRORS}, openapi_extra=OPTIONAL_TOKEN,
            summary="One power item with every element (ETag: send it back in If-Match when you change it)")
def get_item(request, response: HttpResponse, item_id: int = ItemId):
    user = viewer(request)
    item = load_item(user, item_id)
    response["ETag"] = etag(item)
    return for_viewer(item_detail(item), user)


def _written(response: HttpResponse, user, outcome):
    if outcome.pending:
        response["Location"] = f"/api/change-requests/{outcome.request.pk}"
        return Status(202, request_detail(outcome.request))
    item = load_item(user, outcome.item.pk, for_write=True)
    response["ETag"] = etag(item)
    return item_detail(item)


# ---------------------------------------------------------------------------------------------
# writes

@router.post("/items", auth=token_auth, response={201: ItemOut, **PENDING, **WRITE_ERRORS},
             summary="Create a power item (a clerk's item for the published list becomes an add request: 202)")
def create_item(request, response: HttpResponse, payload: ItemCreateIn):
    jurisdiction = Jurisdiction.objects.filter(code=short_code(payload.jurisdiction)).first()
    if jurisdiction is None:
        raise InvalidInput([Problem("", None, "jurisdiction", payload.jurisdiction, "没有这个行政区划代码")])
    outcome = request_services.add_item(request.auth, jurisdiction, payload.changes(), reason=payload.reason,
                                        document=payload.document, via="api")
    result = _written(response, request.auth, outcome)
    return result if outcome.pending else Status(201, result)


@router.patch("/items/{item_id}", auth=token_auth, response={200: ItemOut, **PENDING, **CONDITIONAL, **WRITE_ERRORS},
              summary="Change some fields of a power item (lists replace the whole list). Send the ETag you read "
                      "in If-Match: a change made meanwhile gives 412 and nothing changes. A clerk's change to a "
                      "published item becomes a change request (202) that a reviewer approves.")
def update_item(request, response: HttpResponse, payload: ItemPatchIn, item_id: int = ItemId):
    item = load_item(request.auth, item_id, for_write=True)
    outcome = request_services.change_item(request.auth, item, payload.changes(), reason=payload.reason,
                                           document=payload.document, via="api",
                                           expected_version=expected_version(request, item))
    return _written(response, request.auth, outcome)


@router.post("/items/{item_id}/status", auth=token_auth,
             response={200: ItemOut, **PENDING, **CONDITIONAL, **WRITE_ERRORS},
             summary="Change the status of a power item, with the reason and approving document (a clerk's "
                     "cancellation of a published item becomes a cancel request: 202)")
def change_status(request, response: HttpResponse, payload: StatusIn, item_id: int = ItemId):
    item = load_item(request.auth, item_id, for_write=True)
    if not payload.reason.strip():
        raise InvalidInput([Problem("", None, "reason", "", "变更事项状态必须说明理由")])
    outcome = request_services.change_item(request.auth, item, {"status": payload.status}, reason=payload.reason,
                                           document=payload.document, via="api",
                                           expected_version=expected_version(request, item))
    return _written(response, request.auth, outcome)
