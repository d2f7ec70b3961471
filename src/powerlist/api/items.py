"""Power items: read by anyone (published ones) or within the caller's scope; created and changed
with a token, through the catalog's services (role and scope checked, validated, one
transaction, ledger and audit chain)."""

from django.db.models import Case, IntegerField, Value, When
from ninja import Path, Query, Router, Status

from powerlist.api.auth import OPTIONAL_TOKEN, token_auth, viewer
from powerlist.api.public import PageNo, PerPage
from powerlist.api.reading import for_viewer, item_detail, item_summary, load_item, page_meta, page_of, visible_items
from powerlist.api.schemas import (
    CODE_PATTERN, MAX_ID, CategoryCode, ErrorOut, ItemCreateIn, ItemOut, ItemPage, ItemPatchIn, StatusCode, StatusIn,
)
from powerlist.catalog import search as catalog_search
from powerlist.catalog.models import Status as ItemStatus
from powerlist.catalog.services import items as item_services
from powerlist.core.errors import InvalidInput, NotFound, Problem
from powerlist.core.models import Jurisdiction, Organisation, short_code
from powerlist.core.text import normalise

router = Router(tags=["items"])

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}  # 400: not JSON
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
        return {**page_meta(result.total, page, per_page), "query": query,
                "results": for_viewer([item_summary(i) for i in result.items], user)}
    qs = catalog_search.filter_items(visible_items(user).select_related("organisation", "jurisdiction"),
                                     jurisdiction=j, organisation=org, category=category, level=level, status=status)
    key = normalise(query)[:60]
    if key:
        qs = qs.filter(catalog_search.text_condition(query)).annotate(rank=Case(
            When(name_key=key, then=Value(0)), When(name_key__startswith=key, then=Value(1)), default=Value(2),
            output_field=IntegerField())).order_by("rank", "code", "pk")
    else:
        qs = qs.order_by("jurisdiction__code", "code", "pk")
    meta, rows = page_of(qs, page, per_page)
    return {**meta, "query": query, "results": [item_summary(i) for i in rows]}


@router.get("/items/{item_id}", response={200: ItemOut, **READ_ERRORS}, openapi_extra=OPTIONAL_TOKEN,
            summary="One power item with every element")
def get_item(request, item_id: int = ItemId):
    user = viewer(request)
    return for_viewer(item_detail(load_item(user, item_id)), user)


# ---------------------------------------------------------------------------------------------
# writes

@router.post("/items", auth=token_auth, response={201: ItemOut, **WRITE_ERRORS}, summary="Create a power item")
def create_item(request, payload: ItemCreateIn):
    jurisdiction = Jurisdiction.objects.filter(code=short_code(payload.jurisdiction)).first()
    if jurisdiction is None:
        raise InvalidInput([Problem("", None, "jurisdiction", payload.jurisdiction, "没有这个行政区划代码")])
    item = item_services.create_item(request.auth, jurisdiction, payload.changes(), reason=payload.reason,
                                     document=payload.document, via="api")
    return Status(201, item_detail(load_item(request.auth, item.pk, for_write=True)))


@router.patch("/items/{item_id}", auth=token_auth, response={200: ItemOut, **WRITE_ERRORS},
              summary="Change some fields of a power item (lists replace the whole list)")
def update_item(request, payload: ItemPatchIn, item_id: int = ItemId):
    item = load_item(request.auth, item_id, for_write=True)
    item_services.update_item(request.auth, item, payload.changes(), reason=payload.reason,
                              document=payload.document, via="api")
    return item_detail(load_item(request.auth, item_id, for_write=True))


@router.post("/items/{item_id}/status", auth=token_auth, response={200: ItemOut, **WRITE_ERRORS},
             summary="Change the status of a power item, with the reason and approving document")
def change_status(request, payload: StatusIn, item_id: int = ItemId):
    item = load_item(request.auth, item_id, for_write=True)
    item_services.change_status(request.auth, item, payload.status, reason=payload.reason,
                                document=payload.document, via="api")
    return item_detail(load_item(request.auth, item_id, for_write=True))
