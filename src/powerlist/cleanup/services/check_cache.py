"""The automatic checks of a campaign as the workbench reads them: each check is run over the whole
campaign (duplicates are found across departments) when a page first needs it, then kept in memory
while the campaign's items, their citations' verdicts and its reference list stay as they were
(at most CACHE_SECONDS). The quick checks (legal basis, scope: which items they flag, read in SQL
and over the names; their findings on the item's page) run for every list; the slow ones
(duplicates, mandate, the comparison with the reference list: a minute on 13,000 items on a busy
machine) only when a person filters by them; until then an item's page works out that one item's
duplicates, mandate and counterpart by itself."""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Max

from powerlist.catalog.models import PowerItem
from powerlist.cleanup import checks, compare, scope
from powerlist.cleanup.matching import (DUPLICATE_THRESHOLD, DUPLICATE_WITH_BASIS_THRESHOLD, NameNormaliser,
                                        candidate_pairs)
from powerlist.cleanup.models import Campaign, Entry
from powerlist.core.errors import DomainError

CACHE_SECONDS = 600  # recomputed at least this often, for what the fingerprint does not see (duties)
CACHE_CAMPAIGNS = 4
QUICK = ("legal_basis", "scope")
SLOW = ("duplicate", "mandate", "compare")

# the filters by check result: name -> label; and the check each one needs
CHECK_FILTERS = {
    "no_basis": "无设定依据",
    "invalid_basis": "依据无效",
    "scope": "内部管理事项",
    "duplicate": "疑似重复",
    "mandate": "与三定职责不对应",
    "only_ours": "上级清单中没有",
}
CHECK_OF_FILTER = {"no_basis": "legal_basis", "invalid_basis": "legal_basis", "scope": "scope",
                   "duplicate": "duplicate", "mandate": "mandate", "only_ours": "compare"}
SUGGESTION_NAMES = {"cancel": "建议取消", "amend": "建议调整", "merge": "建议整合", "review": "请核实"}
CHECK_NAMES = {"legal_basis": "法律依据", "scope": "职权范围", "duplicate": "重复事项", "mandate": "三定职责",
               "compare": "对照上级清单"}


@dataclass
class Part:
    """One check's result over the campaign."""

    findings: list = field(default_factory=list)
    codes: dict[str, set] = field(default_factory=dict)  # filter name -> codes it flags
    extra: dict = field(default_factory=dict)  # duplicate groups, duties no item carries, the comparison


@dataclass
class CampaignChecks:
    campaign: Campaign
    parts: dict[str, Part]

    def has(self, check: str) -> bool:
        return check in self.parts

    def codes(self, name: str) -> set | None:
        """The codes a filter selects, None while its check has not run."""
        part = self.parts.get(CHECK_OF_FILTER[name])
        return None if part is None else part.codes.get(name, set())

    @property
    def reference(self) -> str:
        return self.parts["compare"].extra.get("label", "") if "compare" in self.parts else ""

    @property
    def reference_error(self) -> str:
        return self.parts["compare"].extra.get("error", "") if "compare" in self.parts else ""

    def labels(self, code: str) -> list[str]:
        return [label for name, label in CHECK_FILTERS.items() if code in (self.codes(name) or ())]

    def by_code(self, code: str) -> list:
        found = []
        for name in ("legal_basis", "scope", "duplicate", "mandate"):
            part = self.parts.get(name)
            if part is not None:
                found += part.extra["by_code"].get(code, [])
        return found


def _items(campaign: Campaign):
    return PowerItem.objects.filter(campaign_entries__campaign=campaign)


def _fingerprint(campaign: Campaign) -> tuple:
    agg = Entry.objects.filter(campaign=campaign).aggregate(
        n=Count("id", distinct=True), updated=Max("item__updated_at"), checked=Max("item__citations__checked_at"))
    return (campaign.opened_at, campaign.reference_id, agg["n"], agg["updated"], agg["checked"])


def _part(findings: list, codes: dict[str, set], **extra) -> Part:
    return Part(findings, codes, {"by_code": checks.findings_by_item(findings), **extra})


def _run(campaign: Campaign, check: str) -> Part:
    items = _items(campaign)
    if check == "legal_basis":  # the codes in SQL; the findings themselves on the item's page
        invalid = items.filter(citations__verification__in=checks.INVALID).values_list("code", flat=True)
        return Part([], {"no_basis": set(items.filter(citations__isnull=True).values_list("code", flat=True)),
                         "invalid_basis": set(invalid.distinct())}, {"by_code": {}})
    if check == "scope":
        flagged = {code for code, name in items.values_list("code", "name").iterator(chunk_size=5000)
                   if scope.is_internal_matter(name)}
        return Part([], {"scope": flagged}, {"by_code": {}})
    if check == "duplicate":
        found = checks.duplicate_findings(items)
        return _part(found, {"duplicate": {c for f in found for c in f.evidence.get("codes") or []}}, groups=len(found))
    if check == "mandate":
        found = checks.mandate_findings(items)
        outside = [f for f in found if f.problem == "outside-mandate"]
        return _part(outside, {"mandate": {f.code for f in outside}}, uncarried=len(found) - len(outside),
                     duties=[f for f in found if f.problem == "duty-uncarried"],
                     not_compared=checks.departments_without_duties(items))
    return _compare(campaign, items)


def _reference_list(campaign: Campaign):
    return compare.jurisdiction_list(campaign.reference.code)


def _compare(campaign: Campaign, items, only=None) -> Part:
    """Check (e) against the campaign's reference list (the upper level's), if it has one."""
    if not campaign.reference_id:
        return Part(extra={"matched": {}})
    try:
        theirs = _reference_list(campaign)
    except DomainError as exc:
        return Part(extra={"matched": {}, "error": str(exc)})
    rows = items.select_related("organisation").prefetch_related("citations").order_by("code")
    if only is not None:
        rows = rows.filter(code=only)
    ours = [compare.ListEntry(i.code, i.name, i.organisation.name, tuple(c.raw_text for c in i.citations.all()))
            for i in rows]
    names = {e.id: e.name for e in theirs.entries}
    result = compare.compare_entries(
        ours, theirs.entries, places=compare._places_of(campaign.jurisdiction) | theirs.places,
        departments={e.organisation for e in ours} | theirs.departments)
    matched = {m["ours"]: {"theirs": m["theirs"], "name": names.get(m["theirs"], ""), "score": m["score"]}
               for m in result.matched}
    return Part([], {"only_ours": set(result.only_ours)}, {"matched": matched, "label": theirs.label})


_cache: OrderedDict = OrderedDict()  # campaign id -> (fingerprint, started, {check: Part})
_lock = threading.Lock()


def campaign_checks(campaign: Campaign, need=QUICK) -> CampaignChecks:
    """The checks in `need` (run now if not kept) and whichever others are kept."""
    key, now = _fingerprint(campaign), time.monotonic()
    with _lock:
        hit = _cache.get(campaign.pk)
        parts = dict(hit[2]) if hit and hit[0] == key and now - hit[1] < CACHE_SECONDS else {}
        started = hit[1] if parts else now
    missing = [c for c in need if c not in parts]
    for check in missing:
        parts[check] = _run(campaign, check)
    if missing or not hit:
        with _lock:
            _cache[campaign.pk] = (key, started, parts)
            _cache.move_to_end(campaign.pk)
            while len(_cache) > CACHE_CAMPAIGNS:
                _cache.popitem(last=False)
    return CampaignChecks(campaign, parts)


def for_one_item(result: CampaignChecks, code: str) -> CampaignChecks:
    """The slow checks not kept for the campaign, worked out for one item: its near names among the
    campaign's items grouped as the duplicate check groups them, its department's duties, its
    counterpart in the reference list."""
    campaign, parts = result.campaign, dict(result.parts)
    items = _items(campaign)
    one = items.filter(code=code)
    parts["legal_basis"] = _part(checks.legal_basis_findings(one), {})
    parts["scope"] = _part(checks.scope_findings(one), {})
    if "duplicate" not in parts:
        rows = list(items.values_list("code", "name", "organisation__name"))
        normaliser = NameNormaliser(departments=tuple({r[2] for r in rows}))
        keys = [normaliser.key(r[1]) for r in rows]
        mine = [i for i, r in enumerate(rows) if r[0] == code]
        near = {rows[j][0] for _i, j, _s in candidate_pairs(
            [keys[i] for i in mine], keys, min(DUPLICATE_THRESHOLD, DUPLICATE_WITH_BASIS_THRESHOLD))}
        found = [f for f in checks.duplicate_findings(items.filter(code__in=near | {code}))
                 if code in f.evidence.get("codes", [])] if len(near - {code}) else []
        parts["duplicate"] = _part(found, {"duplicate": {c for f in found for c in f.evidence["codes"]}})
    if "mandate" not in parts:
        found = [f for f in checks.mandate_findings(one) if f.problem == "outside-mandate"]
        parts["mandate"] = _part(found, {"mandate": {f.code for f in found}})
    if "compare" not in parts:
        parts["compare"] = _compare(campaign, items, only=code)
    return CampaignChecks(campaign, parts)


def findings_for(result: CampaignChecks, code: str, own_codes=None) -> list[dict]:
    """The findings beside one item as a person may read them: a clerk (own_codes: their
    department's codes) sees another department's duplicate only as "另一部门的事项"."""
    out = []
    for f in result.by_code(code):
        d = {"check": f.check, "check_name": CHECK_NAMES[f.check], "problem": f.problem, "message": f.message,
             "suggestion": f.suggestion, "suggestion_name": SUGGESTION_NAMES.get(f.suggestion, f.suggestion),
             "evidence": f.evidence, "others": [], "pairs": []}
        if f.check == "duplicate":
            for member in f.evidence.get("items", []):
                if member["code"] == code:
                    continue
                if own_codes is None or member["code"] in own_codes:
                    d["others"].append(member)
                else:
                    d["others"].append({"code": "", "name": "另一部门的事项", "department": ""})
            d["pairs"] = [p for p in f.evidence.get("pairs", []) if code in (p["a"], p["b"])]
            if own_codes is not None:
                d["pairs"] = [{**p, "a": p["a"] if p["a"] in own_codes else "—",
                               "b": p["b"] if p["b"] in own_codes else "—"} for p in d["pairs"]]
        out.append(d)
    compared = result.parts.get("compare")
    if compared is not None and result.reference:
        m = compared.extra["matched"].get(code)
        if m:
            message = f"与上级清单事项 {m['theirs']} {m['name']} 对应（相似度 {m['score']:.2f}）"
            out.append({"check": "compare", "check_name": CHECK_NAMES["compare"], "problem": "matched",
                        "suggestion": "", "suggestion_name": "", "message": message, "evidence": {}, "others": []})
        else:
            out.append({"check": "compare", "check_name": CHECK_NAMES["compare"], "problem": "only-ours",
                        "suggestion": "review", "suggestion_name": SUGGESTION_NAMES["review"],
                        "message": f"{result.reference}中没有对应事项", "evidence": {}, "others": []})
    return out
