"""What the read endpoints share: who sees which items, masking for the public, pages, and the
item document as the API returns it."""

from django.db.models import Q, QuerySet

from powerlist.catalog.documents import PREFETCH, document_of
from powerlist.catalog.models import PowerItem, Status
from powerlist.catalog.services.successors import successors_of
from powerlist.core.errors import NotFound
from powerlist.core.masking import mask_data
from powerlist.core.models import Jurisdiction, short_code
from powerlist.core.scope import organisation_filter, reads_records_of
from powerlist.laws.successors import NEEDS_SUCCESSOR

MAX_PAGE = 100_000
MAX_PER_PAGE = 100


def for_viewer(value, user, organisation=None):
    """A response as `user` may read it: personal data masked (powerlist.core.masking) unless
    the record is in the reader's scope: the organisation given, or else the organisation_id
    and jurisdiction the record itself carries. Lists are judged record by record."""
    if user is None:
        return mask_data(value)
    if isinstance(value, list):
        return [for_viewer(v, user, organisation) for v in value]
    if organisation is not None:
        org_id, code = organisation.pk, organisation.jurisdiction.code
    elif isinstance(value, dict):
        j = value.get("jurisdiction")
        org_id, code = value.get("organisation_id"), j.get("code") if isinstance(j, dict) else j
    else:
        org_id = code = None
    return value if reads_records_of(user, org_id, code) else mask_data(value)


def visible(user, queryset, org_field: str = "organisation", jurisdiction_field: str = "jurisdiction"):
    """Published records for everyone; the rest within the reader's scope."""
    if user is None:
        return queryset.filter(status=Status.PUBLISHED)
    q = organisation_filter(user, org_field, jurisdiction_field)
    return queryset if q is None else queryset.filter(Q(status=Status.PUBLISHED) | q)


def visible_items(user):
    return visible(user, PowerItem.objects.all())


def jurisdiction_or_404(code: str) -> Jurisdiction:
    jurisdiction = Jurisdiction.objects.filter(code=short_code(code)).select_related(
        "parent__parent__parent__parent").first()
    if jurisdiction is None:
        raise NotFound(f"行政区划 {code} 不存在")
    return jurisdiction


def page_of(rows, page: int, per_page: int) -> tuple[dict, list]:
    """(page metadata, the page's rows) of a queryset or list. A page past the last is 404."""
    total = rows.count() if isinstance(rows, QuerySet) else len(rows)
    meta = page_meta(total, page, per_page)
    start = (page - 1) * per_page
    return meta, list(rows[start:start + per_page]) if start < total else []


def page_meta(total: int, page: int, per_page: int) -> dict:
    """Page 1 always exists (empty when nothing matches); a page past the last is NotFound (404),
    as on the portal."""
    pages = max(1, -(-total // per_page))
    if page > pages:
        raise NotFound(f"第{page}页不存在：共{pages}页（每页{per_page}条）")
    return {"count": total, "page": page, "per_page": per_page, "pages": pages}


def item_summary(item) -> dict:
    return {"id": item.pk, "code": item.code, "name": item.name, "plain_name": item.plain_name,
            "category": item.category, "list_kind": item.list_kind, "status": item.status,
            "organisation": item.organisation.name, "organisation_id": item.organisation_id,
            "jurisdiction": item.jurisdiction.code, "version": item.version, "updated_at": item.updated_at}


def load_item(user, item_id: int, *, for_write: bool = False) -> PowerItem:
    qs = PowerItem.objects.all() if for_write else visible_items(user)
    item = (qs.select_related("organisation", "jurisdiction")
            .prefetch_related(*PREFETCH, "citations__references").filter(pk=item_id).first())
    if item is None:
        raise NotFound(f"权力事项 {item_id} 不存在")
    return item


def _successors(ref) -> list[dict]:
    """Where a repealed or changed article's rule is now (laws.successors; memoised, so cheap)."""
    if ref.result not in NEEDS_SUCCESSOR:
        return []
    return [s.as_dict() for s in successors_of(ref)]


def item_detail(item) -> dict:
    """The full document, with id, jurisdiction, version, times, and for each citation the
    laws and articles it was checked against."""
    doc = document_of(item)
    doc["citations"] = [
        {"kind": c.kind, "text": c.raw_text, "verification": c.verification, "checked_at": c.checked_at,
         "references": [{"title": r.title, "article": r.article, "article_text": r.article_text,
                         "result": r.result, "message": r.message, "successors": _successors(r)}
                        for r in c.references.all()]}
        for c in item.citations.all()]
    return {"id": item.pk, "jurisdiction": {"code": item.jurisdiction.code, "name": item.jurisdiction.name},
            "organisation_id": item.organisation_id, "version": item.version, "created_at": item.created_at,
            "updated_at": item.updated_at, **doc}
