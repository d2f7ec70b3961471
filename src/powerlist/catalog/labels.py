"""Names people read for the catalog's codes, in the active language: the channel a change came
through (ChangeRecord.via, ChangeRequest.via) and the fields of an item document. Chinese field
names are the column headers of the lists (documents.FIELD_LABELS); in English, the model's
verbose names."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import get_language, pgettext_lazy

from powerlist.catalog.documents import field_label as chinese_field_label
from powerlist.catalog.models import PowerItem

VIA_LABELS = {
    "admin": pgettext_lazy("channel", "back office"),
    "import": pgettext_lazy("channel", "import"),
    "api": pgettext_lazy("channel", "API"),
    "request": pgettext_lazy("channel", "change request"),
    "cli": pgettext_lazy("channel", "command line"),
    "office": pgettext_lazy("channel", "review page"),
    "demo": pgettext_lazy("channel", "demo"),
    "laws": pgettext_lazy("channel", "change of law"),
    "service": pgettext_lazy("channel", "system"),
}
# what happened to an article an item cites (catalog.services.citations.impact)
IMPACT_LABELS = {
    "repealed": pgettext_lazy("law change", "law repealed"),
    "article-removed": pgettext_lazy("law change", "article removed"),
    "article-changed": pgettext_lazy("law change", "article text changed"),
}
_ENGLISH_EXTRA = {"citations": "legal basis", "responsibilities": "responsibility items",
                  "accountability": "accountability situations", "risk_points": "integrity risk points",
                  "discretion": "discretion benchmarks", "organisation": "implementing body"}


def impact_label(change: str) -> str:
    return str(IMPACT_LABELS.get(change, change))


def via_label(via: str) -> str:
    return str(VIA_LABELS.get(via, via))


def field_name(field: str) -> str:
    """`promised_limit_days` → 承诺时限（工作日） (or its English name when the user switched)."""
    field = field.strip()
    if not (get_language() or "").startswith("en"):
        return chinese_field_label(field)
    if field in _ENGLISH_EXTRA:
        return _ENGLISH_EXTRA[field]
    try:
        return str(PowerItem._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def field_names(fields: str | list) -> str:
    """A comma-separated list of field names (ChangeRecord.changed_fields) as people read it."""
    parts = [f for f in (fields.split(",") if isinstance(fields, str) else fields) if f.strip()]
    sep = ", " if (get_language() or "").startswith("en") else "、"
    return sep.join(field_name(f) for f in parts) if parts else "—"
