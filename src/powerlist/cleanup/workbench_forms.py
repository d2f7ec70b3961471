"""The workbench's forms read into what `decisions.decide` and `decisions.reply` take. A reviewer's
amendment is written one change per line, `字段：新值` (`field_changes`: the field by its column
header, an importer's alias or its English name; 设定依据 and 实施依据 included). A department
revises its item field by field: each field under its Chinese label with its current value, and
what it changed is what it sends."""

from powerlist.catalog.documents import field_label
from powerlist.catalog.limits import format_limit
from powerlist.catalog.models import CATEGORY_NAMES, LIST_KIND_NAMES, POWER_SOURCE_NAMES
from powerlist.cleanup import field_changes
from powerlist.core.errors import InvalidInput, Problem

NAMES = field_changes.NAMES


def parse_changes(text: str, field: str = "changes") -> dict:
    """`字段：新值` lines -> {field: value} (设定依据/实施依据 as `citations.setting`/`.implementing`);
    InvalidInput naming each line it cannot read."""
    pairs, unread = field_changes.parse(text)
    if unread:
        raise InvalidInput([Problem("", number, field, piece, field_changes.EXPECTED) for number, piece in unread])
    return dict(pairs)


# the fields a department revises in its reply, in the list's order: (field, widget)
REVISABLE = (("name", "text"), ("plain_name", "text"), ("main_item", "text"), ("category", "choice"),
             ("list_kind", "choice"), ("handling_office", "text"), ("exercise_levels", "text"),
             ("power_source", "choice"), ("citations.setting", "lines"), ("citations.implementing", "lines"),
             ("statutory_limit_days", "limit"), ("promised_limit_days", "limit"), ("limit_note", "text"),
             ("fee_basis", "area"), ("fee_standard", "text"), ("conditions", "area"), ("materials", "area"),
             ("result_documents", "text"), ("service_recipients", "text"))
_OPTIONS = {"category": CATEGORY_NAMES, "list_kind": LIST_KIND_NAMES, "power_source": POWER_SOURCE_NAMES}
_UNIT = {"statutory_limit_days": "statutory_limit_unit", "promised_limit_days": "promised_limit_unit"}


def _current(doc: dict, f: str) -> str:
    if f in field_changes.CITATIONS:
        kind = field_changes.CITATIONS[f]
        return "\n".join(" ".join(c["text"].split()) for c in doc.get("citations", []) if c.get("kind") == kind)
    if f in _UNIT:
        return format_limit(doc.get(f), doc.get(_UNIT[f]), bare_working_days=False)
    value = doc.get(f)
    return "" if value is None else str(value)


def revision_rows(doc: dict, post=None) -> list[dict]:
    """The revision form: each field with its label, widget, current value and (after a refused
    reply) the value the person had written."""
    rows = []
    for f, widget in REVISABLE:
        current = _current(doc, f)
        value = post.get("f_" + f, current) if post is not None else current
        row = {"name": "f_" + f, "label": field_changes.label(f), "widget": widget, "value": value,
               "current": current}
        if widget == "choice":
            row["options"] = list(_OPTIONS[f].items())
        rows.append(row)
    return rows


def revision_changes(post, doc: dict) -> dict:
    """What the department changed in the revision form, as document changes (only the fields
    whose text differs from the item's current text)."""
    pairs = []
    for f, widget in REVISABLE:
        key = "f_" + f
        if key not in post:
            continue
        given, current = post.get(key, "").replace("\r\n", "\n").strip(), _current(doc, f)
        if given == current.strip():
            continue
        if widget == "lines":
            texts = [line.strip() for line in given.splitlines() if line.strip()]
            pairs += [(f, t) for t in texts] or [(f, "")]
        else:
            pairs.append((f, given))
    return field_changes.as_changes(pairs, doc)


def _checked(text: str) -> str:
    parse_changes(text)  # the lines it cannot read are refused here, by line
    return text


def decision_fields(post) -> dict:
    """The decision form (one item or every selected one) without the code."""
    kind = post.get("kind", "").strip()
    receiver = post.get("receiver", "").strip()
    if kind == "delegate":
        receiver = post.get("level", "").strip() or receiver
    elif kind == "transfer":
        receiver = post.get("body", "").strip() or receiver
    return {"kind": kind, "cancel_reason": post.get("cancel_reason", "").strip() if kind == "cancel" else "",
            "reason": post.get("reason", "").strip(), "receiver": receiver,
            "merge_into": post.get("merge_into", "").strip() if kind == "merge" else "",
            "changes": _checked(post.get("changes", "")) if kind == "amend" else "",
            "comment": post.get("comment", "").strip()}


FORM_LABELS = {"changes": "修改内容", "调整字段": "修改内容", "reply": "答复", "reply_text": "异议理由", "campaign": "清理工作"}


def message_of(exc: InvalidInput) -> list[str]:
    """A refused form's problems as a person reads them, each once."""
    out = []
    for p in exc.problems:
        where = f"第{p.row}行 " if p.row is not None and p.field == "changes" else ""
        value = f"“{p.value}”" if p.value else ""
        label = FORM_LABELS.get(p.field) or field_label(p.field)
        line = f"{where}{label}{value}：{p.expected}" if p.field else p.expected
        if line not in out:
            out.append(line)
    return out
