"""Differences between two published versions of a jurisdiction's list."""

from dataclasses import dataclass, field

from powerlist.catalog.documents import DOCUMENT_FIELDS, with_added_fields
from powerlist.catalog.models import ListVersion, ListVersionEntry


@dataclass
class VersionDiff:
    older: ListVersion
    newer: ListVersion
    added: list[dict] = field(default_factory=list)  # documents
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)  # {"code", "name", "fields": [{"field", "before", "after"}]}

    def as_dict(self) -> dict:
        return {"older": self.older.number, "newer": self.newer.number,
                "added": [{"code": d["code"], "name": d["name"]} for d in self.added],
                "removed": [{"code": d["code"], "name": d["name"]} for d in self.removed],
                "changed": self.changed}


def diff_versions(older: ListVersion, newer: ListVersion) -> VersionDiff:
    """Items added, removed and changed (field by field) from `older` to `newer`. Entries with
    the same hash are skipped without loading their documents."""
    result = VersionDiff(older, newer)
    old_hashes = dict(ListVersionEntry.objects.filter(version=older).values_list("code", "sha256"))
    new_hashes = dict(ListVersionEntry.objects.filter(version=newer).values_list("code", "sha256"))
    added = sorted(set(new_hashes) - set(old_hashes))
    removed = sorted(set(old_hashes) - set(new_hashes))
    changed = sorted(c for c in set(old_hashes) & set(new_hashes) if old_hashes[c] != new_hashes[c])

    def docs(version, codes):
        out = {}
        for start in range(0, len(codes), 1000):
            out.update(ListVersionEntry.objects.filter(version=version, code__in=codes[start:start + 1000])
                       .values_list("code", "data"))
        return out

    result.added = [d for _c, d in sorted(docs(newer, added).items())]
    result.removed = [d for _c, d in sorted(docs(older, removed).items())]
    before, after = docs(older, changed), docs(newer, changed)
    for code in changed:
        a, b = with_added_fields(before[code]), with_added_fields(after[code])
        fields = [{"field": f, "before": a.get(f), "after": b.get(f)} for f in DOCUMENT_FIELDS if a.get(f) != b.get(f)]
        if fields:  # else only fields added since the older version was published, at their defaults
            result.changed.append({"code": code, "name": b["name"], "fields": fields})
    return result
