"""What people type and what the lists say: 低保 is 最低生活保障, 社保 is 社会保险. The table is data
(SearchSynonym, edited by administrators through core.services.synonyms, seeded from
core/data/search_synonyms.txt); this module reads it and expands a search into the phrases
to look for.

The active entries are kept in memory per process. Every expansion first reads a stamp of the
table (row count and latest change, one small query), so a change made in the admin, in another
process, or rolled back, is used by the very next search."""

import threading
from dataclasses import dataclass
from importlib import resources

from django.db import connection

from powerlist.core.text import normalise

MAX_VARIANTS = 8  # phrases added to one search, besides what was typed
_lock = threading.Lock()
_cache: dict = {"stamp": None, "table": []}


@dataclass(frozen=True)
class Entry:
    term: str
    expansions: tuple[str, ...]
    note: str = ""


def shipped() -> list[Entry]:
    """The entries of the data file shipped in the package."""
    text = resources.files("powerlist.core").joinpath("data/search_synonyms.txt").read_text("utf-8")
    return parse(text)


def parse(text: str) -> list[Entry]:
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, expansions, *rest = line.split("\t") + [""]
        entries.append(Entry(term.strip(), tuple(split_expansions(expansions)), rest[0].strip() if rest else ""))
    return entries


def split_expansions(text: str) -> list[str]:
    """Expansions as people write them: one a line, or separated by / 、 ， , ；."""
    for sep in "/、，,；;｜|":
        text = text.replace(sep, "\n")
    seen, out = set(), []
    for part in text.splitlines():
        part = part.strip()
        if part and part not in seen:
            seen.add(part)
            out.append(part)
    return out


def _stamp():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MAX(updated_at) FROM core_searchsynonym")
        return tuple(cursor.fetchone())


def table() -> list[tuple[str, tuple[str, ...]]]:
    """(term key, expansion keys) of the active entries, longest term first."""
    stamp = _stamp()
    if _cache["stamp"] == stamp:
        return _cache["table"]
    from powerlist.core.models import SearchSynonym

    rows = []
    for term, expansions in SearchSynonym.objects.filter(active=True).values_list("term", "expansions"):
        key = normalise(term)
        keys = tuple(dict.fromkeys(k for k in (normalise(e) for e in expansions.splitlines()) if k and k != key))
        if key and keys:
            rows.append((key, keys))
    rows.sort(key=lambda r: (-len(r[0]), r[0]))
    with _lock:
        _cache.update(stamp=stamp, table=rows)
    return rows


def forget() -> None:
    """Drop this process's copy (the services call it after a change)."""
    with _lock:
        _cache.update(stamp=None, table=[])


def expand(key: str) -> list[str]:
    """The phrases a normalised query also stands for: each term found in it replaced by each of
    its expansions (longest terms first, never overlapping), at most MAX_VARIANTS, in the order of
    the table; the query itself is not among them."""
    found: list[tuple[int, str, tuple[str, ...]]] = []
    taken = [False] * len(key)
    for term, expansions in table():
        start = key.find(term)
        while start >= 0:
            if not any(taken[start:start + len(term)]):
                for i in range(start, start + len(term)):
                    taken[i] = True
                found.append((start, term, expansions))
            start = key.find(term, start + 1)
    if not found:
        return []
    found.sort()
    variants = [""]
    pos = 0
    for start, term, expansions in found:
        between = key[pos:start]
        # each term either kept as typed or replaced: every combination but all-kept
        variants = [v + between + w for v in variants for w in (term, *expansions)][:4 * MAX_VARIANTS]
        pos = start + len(term)
    variants = [v + key[pos:] for v in variants]
    return [v for v in dict.fromkeys(variants) if v != key][:MAX_VARIANTS]


def terms_in(key: str) -> list[tuple[str, tuple[str, ...]]]:
    """The entries whose term the query holds (to show which words were tried)."""
    return [(term, expansions) for term, expansions in table() if term in key]
