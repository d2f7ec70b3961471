"""Changes to an item's fields as people write them, shared by the workbench's forms, the decision
file's 调整字段 column and the department's reply: `字段：新值`, one per line (or separated by ；
before the next field's name), the field by its column header (承诺时限（工作日）), one of the
importer's aliases (承诺时限), its English name (promised_limit_days) or the label the ledger uses.
设定依据 and 实施依据 each give one basis (repeat the field for several); the other lists
(责任事项, 追责情形, …) are not changed here. Values are validated by the item's own rules
(`clean_document`) when the change is recorded."""

import re

from powerlist.catalog.documents import CHOICE_FIELDS, COLUMNS, DATE_FIELDS, INT_FIELDS, TEXT_FIELDS, field_label
from powerlist.core.text import normalise

CITATIONS = {"citations.setting": "setting", "citations.implementing": "implementing"}
CHANGEABLE = tuple(f for f in (*TEXT_FIELDS, *INT_FIELDS, *CHOICE_FIELDS, *DATE_FIELDS)
                   if f not in ("code", "organisation", "status")) + tuple(CITATIONS)
EXPECTED = "每行写一项修改：字段：新值（多项也可用；分隔），字段如 事项名称、事项类型、设定依据、承诺时限、收费标准，或其英文名 name、promised_limit_days"


def _names() -> dict[str, str]:
    names = {normalise(f): f for f in CHANGEABLE}
    for header, f, aliases in COLUMNS:
        if f in CHANGEABLE:
            for name in (header, *aliases):
                names.setdefault(normalise(name), f)
                names.setdefault(normalise(re.sub(r"（.*?）$", "", name)), f)
    for f in CHANGEABLE:
        names.setdefault(normalise(field_label(f)), f)
    names.setdefault(normalise("依据"), "citations.setting")
    return names


NAMES = _names()


def label(field: str) -> str:
    """The field as people read it (设定依据, 承诺时限（工作日）, …)."""
    for header, f, _aliases in COLUMNS:
        if f == field:
            return header
    return field_label(field)


def field_of(name: str) -> str | None:
    """The field a person's name for it means, or None."""
    return NAMES.get(normalise(str(name or "")))


def _entries(text: str) -> list[tuple[int, str]]:
    """(line number, `字段：新值`) pieces: lines, and within a line the pieces that a ；/; splits
    off only when what follows it starts with a field's name and a colon (values may hold ；)."""
    out = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        pieces: list[str] = []
        for part in re.split(r"[；;]", line):
            head = part.replace(":", "：", 1).partition("：")
            if pieces and not (head[1] and field_of(head[0])):
                pieces[-1] += "；" + part
            else:
                pieces.append(part)
        out += [(number, p.strip()) for p in pieces if p.strip()]
    return out


def parse(text: str) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The text -> ([(field, value)], [(line number, piece not understood)])."""
    pairs, bad = [], []
    for number, piece in _entries(text):
        head, sep, value = piece.replace(":", "：", 1).partition("：")
        target = field_of(head)
        if not sep or target is None:
            bad.append((number, piece))
            continue
        pairs.append((target, value.strip()))
    return pairs, bad


def as_changes(pairs, before: dict | None = None) -> dict:
    """[(field, value)] -> document changes for `clean_document(before | changes)`: 设定依据 and
    实施依据 replace the bases of their kind, keeping the other kind's as `before` has them."""
    changes: dict = {}
    given: dict[str, list[str]] = {}
    for f, value in pairs:
        if f in CITATIONS:
            given.setdefault(CITATIONS[f], [])
            if value:
                given[CITATIONS[f]].append(value)
        else:
            changes[f] = value
    if given:
        kept = [c for c in (before or {}).get("citations", []) if c.get("kind") not in given]
        changes["citations"] = kept + [{"kind": k, "text": t} for k, texts in given.items() for t in texts]
    return changes


def parse_changes_of(mapping: dict, before: dict | None = None) -> tuple[dict, list[str]]:
    """{name: value} with names as people write them (承诺时限, 设定依据) or document fields
    (promised_limit_days, citations) -> (document changes, names not understood)."""
    from powerlist.catalog.documents import DOCUMENT_FIELDS

    pairs, direct, unknown = [], {}, []
    for name, value in mapping.items():
        if name in DOCUMENT_FIELDS:
            direct[name] = value
        elif (f := field_of(name)) is not None:
            for v in (value if isinstance(value, list) and f in CITATIONS else [value]):
                pairs.append((f, "" if v is None else str(v) if not isinstance(v, int | float) else v))
        else:
            unknown.append(str(name))
    return as_changes(pairs, before) | direct, unknown


def as_text(changes: dict) -> str:
    """A recorded amendment ({field: {"before", "after"}}) written back as `字段：新值` lines that
    `parse` reads again: bases one per line, choices and time limits as people write them."""
    from powerlist.catalog.limits import format_limit
    from powerlist.catalog.services.requests import readable_value

    units = {"statutory_limit_unit": "statutory_limit_days", "promised_limit_unit": "promised_limit_days"}
    lines = []
    for f, change in changes.items():
        after = change.get("after")
        if f in units:
            continue  # written with its number (a unit changed alone is not written back)
        if f == "citations":
            kinds = {"setting": "citations.setting", "implementing": "citations.implementing"}
            for c in after or []:
                lines.append(f"{label(kinds.get(c.get('kind'), 'citations.setting'))}：{' '.join(c.get('text', '').split())}")
            if not after:
                lines.append(f"{label('citations.setting')}：")
        elif f in ("statutory_limit_days", "promised_limit_days"):
            unit_after = (changes.get(f.replace("_days", "_unit")) or {}).get("after", "working_day")
            lines.append(f"{label(f)}：{format_limit(after, unit_after, bare_working_days=False)}")
        elif f in CHANGEABLE:
            text = readable_value(f, after) if f in ("category", "list_kind", "power_source") else (
                "" if after is None else str(after))
            lines.append(f"{label(f)}：{' '.join(text.split())}")
    return "\n".join(lines)
