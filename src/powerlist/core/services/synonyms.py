"""Search synonyms (同义词、简称): administrators add, change and switch off entries; each change
is validated, written in one transaction with its audit entry, and used by the next search."""

from django.db import transaction

from powerlist.core import scope, synonyms
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.models import SearchSynonym
from powerlist.core.services import audit
from powerlist.core.text import normalise

MAX_EXPANSIONS = 10


def _validate(term: str, expansions: list[str], exclude_pk=None) -> list[Problem]:
    problems = []
    key = normalise(term)
    if len(key) < 2:
        problems.append(Problem("", None, "term", term, "检索词至少两个字：一个字会改写几乎每一次检索"))
    elif len(key) > 30:
        problems.append(Problem("", None, "term", term, "检索词不能超过30个字"))
    elif SearchSynonym.objects.filter(term_key=key).exclude(pk=exclude_pk).exists():
        problems.append(Problem("", None, "term", term, f"“{term}”已有同义词条目：请修改那一条"))
    if not expansions:
        problems.append(Problem("", None, "expansions", "", "至少填写一个清单用语（每行一个）"))
    elif len(expansions) > MAX_EXPANSIONS:
        problems.append(Problem("", None, "expansions", " / ".join(expansions),
                                f"最多{MAX_EXPANSIONS}个清单用语"))
    for e in expansions:
        if len(normalise(e)) < 2 or len(e) > 60:
            problems.append(Problem("", None, "expansions", e, "每个清单用语应为2至60个字"))
    return problems


def _record(s: SearchSynonym) -> dict:
    return {"term": s.term, "expansions": s.expansion_list(), "note": s.note, "active": s.active}


def save_synonym(actor, term: str, expansions, note: str = "", active: bool = True,
                 synonym: SearchSynonym | None = None) -> SearchSynonym:
    """Add an entry, or (with `synonym`) change it. `expansions`: a list, or text with one a line
    (or separated by / 、 ，)."""
    scope.require_admin(actor, "修改检索同义词")
    term = (term or "").strip()
    if isinstance(expansions, str):
        expansions = synonyms.split_expansions(expansions)
    expansions = synonyms.split_expansions("\n".join(expansions))
    problems = _validate(term, expansions, exclude_pk=synonym.pk if synonym else None)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        if synonym is None:
            s = SearchSynonym(term=term)
            before = None
        else:
            s = SearchSynonym.objects.select_for_update().get(pk=synonym.pk)
            before = _record(s)
        s.term, s.term_key, s.expansions = term, normalise(term), "\n".join(expansions)
        s.note, s.active = (note or "").strip()[:200], bool(active)
        s.save()
        if before is None:
            audit.append(actor, "synonym.create", f"synonym:{s.pk}", _record(s))
        elif before != _record(s):
            audit.append(actor, "synonym.update", f"synonym:{s.pk}", {"before": before, "after": _record(s)})
    synonyms.forget()
    return s


def load_defaults(actor, entries=None) -> int:
    """Add the shipped entries (or `entries`) whose term is missing; entries already there, as an
    administrator may have changed or switched them off, stay as they are. Returns how many were
    added; idempotent."""
    scope.require_admin(actor, "载入检索同义词")
    entries = synonyms.shipped() if entries is None else entries
    existing = set(SearchSynonym.objects.values_list("term_key", flat=True))
    added = []
    with transaction.atomic():
        for e in entries:
            key = normalise(e.term)
            if key in existing:
                continue
            problems = _validate(e.term, list(e.expansions))
            if problems:
                raise InvalidInput(problems)
            added.append(SearchSynonym.objects.create(term=e.term, term_key=key, expansions="\n".join(e.expansions),
                                                      note=e.note[:200]))
            existing.add(key)
        if added:
            audit.append(actor, "synonym.load", "synonyms", {"added": [s.term for s in added]})
    synonyms.forget()
    return len(added)
