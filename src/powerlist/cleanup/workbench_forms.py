"""The workbench's forms read into what `decisions.decide` and `decisions.reply` take. Changes to an
item are written one per line, `字段：新值`, the field by its column header (承诺时限（工作日）),
one of the importer's aliases (承诺时限) or its name; lists (依据, 责任事项, …) are not changed here."""

from powerlist.catalog.documents import CHOICE_FIELDS, COLUMNS, INT_FIELDS, TEXT_FIELDS, field_label
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.text import normalise

CHANGEABLE = tuple(f for f in (*TEXT_FIELDS, *INT_FIELDS, *CHOICE_FIELDS)
                   if f not in ("code", "organisation", "status"))


def _names() -> dict[str, str]:
    names = {normalise(f): f for f in CHANGEABLE}
    for header, f, aliases in COLUMNS:
        if f in CHANGEABLE:
            for name in (header, *aliases):
                names.setdefault(normalise(name), f)
    for f in CHANGEABLE:
        names.setdefault(normalise(field_label(f)), f)
    return names


NAMES = _names()


def parse_changes(text: str, field: str = "changes") -> dict:
    """`字段：新值` lines -> {field: value}; InvalidInput naming each line it cannot read."""
    changes, problems = {}, []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        head, sep, value = line.replace(":", "：", 1).partition("：")
        target = NAMES.get(normalise(head))
        if not sep or target is None:
            problems.append(Problem("", number, field, line.strip(),
                                    "每行写一项修改：字段：新值，字段如 事项名称、承诺时限、申请条件"))
            continue
        changes[target] = value.strip()
    if problems:
        raise InvalidInput(problems)
    return changes


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
            "changes": parse_changes(post.get("changes", "")) if kind == "amend" else {},
            "comment": post.get("comment", "").strip()}


FORM_LABELS = {"changes": "修改内容", "reply": "答复", "reply_text": "异议理由", "campaign": "清理工作"}


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
