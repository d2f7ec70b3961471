"""One item as the workbench shows it beside the checks: its fields as a person reads them, and its
legal basis citation by citation with the engine's verdicts."""

from powerlist.catalog.documents import field_label
from powerlist.catalog.services.requests import readable_value
from powerlist.laws.labels import result_label

SHOWN = ("name", "plain_name", "main_item", "category", "list_kind", "organisation", "handling_office",
         "exercise_levels", "power_source", "statutory_limit_days", "promised_limit_days", "limit_note",
         "fee_basis", "fee_standard", "conditions", "materials", "result_documents", "responsibilities",
         "accountability", "risk_points", "discretion", "service_recipients", "valid_from", "valid_to")


def item_fields(doc: dict) -> list[tuple[str, str]]:
    """(label, text) for every field the department filled in, in the list's order."""
    return [(field_label(f), readable_value(f, doc.get(f))) for f in SHOWN if doc.get(f) not in (None, "", [], {})]


def citations_with_verdicts(item) -> list[dict]:
    """Each citation with its verdict and, per law cited, what the engine found (prefetched by
    `items.load`: citations; references read here in one query)."""
    from powerlist.catalog.models import CitationReference

    citations = list(item.citations.all())
    refs: dict[int, list] = {}
    for r in CitationReference.objects.filter(citation__in=citations).order_by("citation_id", "position"):
        refs.setdefault(r.citation_id, []).append(r)
    return [{"kind": c.get_kind_display(), "text": c.raw_text,
             "verdict": result_label(c.verification) if c.verification else "", "code": c.verification or "unchecked",
             "references": [{"title": r.title, "article": r.article_text, "verdict": result_label(r.result),
                             "code": r.result, "message": r.message} for r in refs.get(c.pk, [])]}
            for c in citations]
