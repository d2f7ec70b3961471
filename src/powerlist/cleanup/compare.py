"""Check (e): comparing our list with another (a peer county's, or the upper level's): matched
items with their score, items only we have, items only they have (五对照: 对照其他地区清单).

A list is a jurisdiction's published list (its latest ListVersion, else its items in status
published) or a file in the importer's formats, read with the importer's header recognition and
limits; nothing is written. Entries are named by their code, or by their row number (an int) in a
file without codes.

Matching is one-to-one: every pair of names scoring at least MATCH_THRESHOLD (0.85, matching.py)
is a candidate, the best pair is taken first and each item is used once (greedy assignment).
Shared cited articles add up to 0.1 to a pair's score (evidence beside the name: a pair just
under the threshold with the same legal basis is the same power).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from powerlist.catalog import readers
from powerlist.catalog.models import ListVersion, ListVersionEntry, PowerItem, Status
from powerlist.cleanup.matching import (MATCH_THRESHOLD, NameNormaliser, assign_one_to_one, basis_overlap,
                                        cited_articles, candidate_pairs)
from powerlist.core.errors import DomainError
from powerlist.core.text import normalise
from powerlist.core.models import Jurisdiction, short_code

BASIS_BONUS = 0.1


@dataclass
class ListEntry:
    id: str | int  # the code, or the row number in a file without codes
    name: str
    organisation: str = ""
    citations: tuple[str, ...] = ()


@dataclass
class LoadedList:
    label: str
    entries: list[ListEntry]
    places: set[str] = field(default_factory=set)

    @property
    def departments(self) -> set[str]:
        return {e.organisation for e in self.entries if e.organisation}


@dataclass
class Comparison:
    matched: list[dict]
    only_ours: list
    only_theirs: list

    def as_dict(self) -> dict:
        return {"matched": self.matched, "only_ours": self.only_ours, "only_theirs": self.only_theirs}


def _places_of(jurisdiction: Jurisdiction) -> set[str]:
    names, node, seen = set(), jurisdiction, 0
    while node is not None and seen < 6:
        names.add(node.name)
        node, seen = node.parent, seen + 1
    return names


def entry_of_document(key, doc: dict) -> ListEntry:
    citations = tuple(c.get("text", "") for c in doc.get("citations") or [] if isinstance(c, dict))
    return ListEntry(key, str(doc.get("name") or ""), str(doc.get("organisation") or ""), citations)


def jurisdiction_list(code: str) -> LoadedList:
    jurisdiction = Jurisdiction.objects.filter(code=short_code(code)).first()
    if jurisdiction is None:
        raise DomainError(f"没有代码为 {code} 的行政区划")
    label = f"{jurisdiction.full_name()}（{jurisdiction.code}）"
    version = ListVersion.objects.filter(jurisdiction=jurisdiction).order_by("-number").first()
    if version is not None:
        rows = ListVersionEntry.objects.filter(version=version).order_by("code").values_list("code", "data")
        entries = [entry_of_document(code, data) for code, data in rows.iterator(chunk_size=2000)]
    else:
        items = (PowerItem.objects.filter(jurisdiction=jurisdiction, status=Status.PUBLISHED)
                 .select_related("organisation").prefetch_related("citations").order_by("code"))
        entries = [ListEntry(i.code, i.name, i.organisation.name, tuple(c.raw_text for c in i.citations.all()))
                   for i in items.iterator(chunk_size=2000)]
    if not entries:
        raise DomainError(f"{label} 还没有已公布的清单")
    return LoadedList(label, entries, _places_of(jurisdiction))


_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:自治州|自治县|自治旗|地区|省|市|州|盟|县|区|旗)")


def places_named_in(names) -> set[str]:
    """The places a list's names begin with (`湘潭市教师资格认定`, `湖南省湘潭市…`) that are known
    jurisdictions: a file says nothing of where it comes from, so its prefixes are looked up."""
    candidates = set()
    for name in names:
        text = normalise(name)
        for _level in range(3):  # province, city, county
            m = _PLACE_PREFIX.match(text)
            if not m:
                break
            candidates.add(m.group())
            text = text[m.end():]
    if not candidates:
        return set()
    return set(Jurisdiction.objects.filter(name__in=candidates).values_list("name", flat=True))


def file_list(path: str | Path, mapping: dict[str, str] | None = None) -> LoadedList:
    """A list file read as the importer reads it (header recognition, --map, limits), names only
    required; rows without a name are skipped."""
    source = readers.open_source(path, mapping, required=("name",))
    entries = []
    for number, cells in source.rows:
        if "__invalid__" in cells:
            continue
        name = str(cells.get("name") or "").strip()
        if not name:
            continue
        code = str(cells.get("code") or "").strip()
        if isinstance(cells.get("citations"), list):  # our own nested JSON document
            texts = tuple(c.get("text", "") for c in cells["citations"] if isinstance(c, dict))
        else:
            texts = tuple(str(v) for f, v in cells.items() if f.startswith("citations.") and v)
        entries.append(ListEntry(code or number, name, str(cells.get("organisation") or "").strip(), texts))
    if not entries:
        raise DomainError(f"{Path(path).name} 中没有事项")
    return LoadedList(Path(path).name, entries, places_named_in(e.name for e in entries))


def load_list(spec: str, mapping: dict[str, str] | None = None) -> LoadedList:
    """A jurisdiction code or a file path."""
    path = Path(spec)
    if path.exists() or path.suffix.lower() in (".csv", ".xlsx", ".json", ".tsv", ".txt"):
        return file_list(path, mapping)
    if spec.strip().isdigit():
        return jurisdiction_list(spec.strip())
    raise DomainError(f"“{spec}”既不是行政区划代码，也不是存在的文件")


def compare_entries(ours: list[ListEntry], theirs: list[ListEntry], *, places=(), departments=(),
                    threshold: float = MATCH_THRESHOLD) -> Comparison:
    normaliser = NameNormaliser(tuple(places), tuple(departments))
    keys_ours = [normaliser.key(e.name) for e in ours]
    keys_theirs = [normaliser.key(e.name) for e in theirs]
    with_basis = any(e.citations for e in ours) and any(e.citations for e in theirs)
    cutoff = threshold - BASIS_BONUS if with_basis else threshold
    pairs = candidate_pairs(keys_ours, keys_theirs, cutoff)
    if with_basis:
        basis_ours, basis_theirs = {}, {}
        scored = []
        for i, j, s in pairs:
            a = basis_ours.setdefault(i, cited_articles(ours[i].citations))
            b = basis_theirs.setdefault(j, cited_articles(theirs[j].citations))
            s = min(1.0, s + BASIS_BONUS * basis_overlap(a, b))
            if s >= threshold:
                scored.append((i, j, s))
        pairs = scored
    chosen = assign_one_to_one(pairs)
    matched_ours = {i for i, _j, _s in chosen}
    matched_theirs = {j for _i, j, _s in chosen}
    return Comparison(
        matched=[{"ours": ours[i].id, "theirs": theirs[j].id, "score": round(s, 4)}
                 for i, j, s in sorted(chosen, key=lambda p: p[0])],
        only_ours=[e.id for n, e in enumerate(ours) if n not in matched_ours],
        only_theirs=[e.id for n, e in enumerate(theirs) if n not in matched_theirs])


def compare_lists(ours: LoadedList, theirs: LoadedList, threshold: float = MATCH_THRESHOLD) -> Comparison:
    return compare_entries(ours.entries, theirs.entries, places=ours.places | theirs.places,
                           departments=ours.departments | theirs.departments, threshold=threshold)
