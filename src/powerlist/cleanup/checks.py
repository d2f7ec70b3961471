"""Automatic checks of a list (五对照), as functions over items: they read, never write, and work
on a jurisdiction's items today and on a campaign's items once campaigns hold them.

(a) legal basis: the engine's verdicts (Citation.verification, CitationReference.result); an item
    with no basis, or whose every citation is invalid, suggests cancel (法无授权不可为);
(b) scope: internal-management matters that are not administrative powers (scope.py: by pattern,
    本局/本单位/机关内部 + 工作人员/考核/财务/…, and the phrases of data/internal_terms.txt);
(c) duplicates within and across departments: similar names, overlapping basis, grouped;
(d) mandate: items matching none of their department's duties (三定, DepartmentResponsibility of
    kind duty) nor the field its name says, and duties no item carries (mandate.py).
Each finding carries its evidence and a suggestion; a person decides.
"""

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from powerlist.catalog.models import Citation, CitationReference, DepartmentResponsibility, DutyKind
from powerlist.cleanup import mandate, scope
from powerlist.cleanup.matching import (DUPLICATE_THRESHOLD, DUPLICATE_WITH_BASIS_THRESHOLD, NameNormaliser,
                                        UnionFind, basis_overlap, candidate_pairs, cited_articles)
from powerlist.core.models import Organisation
from powerlist.core.text import normalise

INVALID = ("law-not-found", "repealed", "article-missing")
STRONG_BASIS_OVERLAP = 0.5  # share of cited articles in common that makes a bare name and a bracketed one one matter


@dataclass
class Finding:
    check: str  # legal_basis | scope | duplicate | mandate
    problem: str  # machine-readable kind of finding
    message: str  # for the reviewer, in Chinese
    suggestion: str  # cancel | amend | merge | review
    code: str = ""
    name: str = ""
    department: str = ""
    evidence: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _citations_of(items) -> dict[int, list[dict]]:
    """item id -> its citations ({"id", "raw_text", "verification"}) in the item's order, read as
    plain rows in one query (no model instance per item, citation and reference)."""
    out = defaultdict(list)
    rows = (Citation.objects.filter(item__in=items.values("pk")).order_by("item_id", "position")
            .values("id", "item_id", "raw_text", "verification"))
    for row in rows.iterator(chunk_size=5000):
        out[row["item_id"]].append(row)
    return out


def legal_basis_findings(items) -> list[Finding]:
    """(a) Items without a legal basis, or with invalid citations, by the verdicts stored by
    `powerlist laws check` (an unchecked citation is reported as such, not judged)."""
    citations_of = _citations_of(items)
    references = defaultdict(list)
    for r in (CitationReference.objects.filter(citation__item__in=items.values("pk"), citation__verification__in=INVALID,
                                               result__in=INVALID)
              .order_by("citation_id", "position").values("citation_id", "title", "article_text", "result", "message")):
        references[r.pop("citation_id")].append({"law": r["title"], "article": r["article_text"],
                                                 "result": r["result"], "message": r["message"]})
    found = []
    for pk, code, name, department in items.order_by("organisation__name", "code").values_list(
            "pk", "code", "name", "organisation__name").iterator(chunk_size=5000):
        citations = citations_of.get(pk, [])
        where = {"code": code, "name": name, "department": department}
        if not citations:
            found.append(Finding("legal_basis", "no-basis", "没有设定依据或实施依据", "cancel", **where))
            continue
        unchecked = [c for c in citations if not c["verification"]]
        invalid = [{"citation": c["raw_text"][:200], "verdict": c["verification"], "references": references[c["id"]]}
                   for c in citations if c["verification"] in INVALID]
        if invalid:
            all_invalid = len(invalid) == len(citations)
            found.append(Finding(
                "legal_basis", "invalid-basis",
                "依据全部无效（法律未找到、已废止或条款不存在）" if all_invalid else "部分依据无效",
                "cancel" if all_invalid else "amend", evidence={"invalid": invalid}, **where))
        elif unchecked:
            found.append(Finding("legal_basis", "unchecked", "依据尚未核验：请先运行 powerlist laws check", "review",
                                 evidence={"unchecked": len(unchecked)}, **where))
    return found


def scope_findings(items) -> list[Finding]:
    """(b) Internal-management matters (对本局工作人员的年度考核, 内部审批, …; cleanup/scope.py) flagged:
    not powers over citizens and organisations, so not on the list."""
    found = []
    for code, name, department in items.order_by("organisation__name", "code").values_list(
            "code", "name", "organisation__name").iterator(chunk_size=5000):
        terms = scope.internal_terms_of(name)
        if terms:
            found.append(Finding("scope", "internal-matter", "内部管理事项，不属于行政权力", "cancel",
                                 code, name, department, {"terms": terms}))
    return found


_BRACKETED = re.compile(r"[（(【\[]([^（()）【】\[\]]*)[）)】\]]")


def sub_item(name: str) -> frozenset[str]:
    """What a name's brackets say beyond its level: `客运车辆道路运输证办理（延期）` → {延期}. Two
    items whose brackets say different things are sub-items of one matter (子项: 延期 and 配发),
    not duplicates; a level (（市级）, （县级）) says nothing about which sub-item it is."""
    return frozenset(q for q in (normalise(m) for m in _BRACKETED.findall(name or "")) if q and "级" not in q)


# the action words that name a stage of one matter (筹设 → 设立 → 变更 → 延续 → 注销): two items whose
# names say different stages are the stages of one matter, listed apart on purpose, not duplicates
STAGE_WORDS = ("筹设", "设立", "新设", "变更", "延续", "延期", "注销", "换证", "换发", "核发", "补证", "补发", "补办",
               "终止", "撤销", "迁移", "迁入", "迁出", "转入", "转出", "过户", "首次", "遗失")


def stages(name: str) -> frozenset[str]:
    """The stage words a name holds, brackets included: `危险化学品经营许可证换证审查` → {换证}."""
    key = normalise(name)
    return frozenset(w for w in STAGE_WORDS if w in key)


def distinct_matters(a: tuple, b: tuple, strong_basis: bool) -> bool:
    """Whether two similar names are different matters (sub-items or stages of one), given each as
    (name, department): both say a stage and not the same one (筹设审批 / 设立审批); their brackets
    say different sub-items (（延期）/（配发）); or, within one department, one is bracketed with a
    sub-item and the other is not (备案 / 备案（终止）, 变更（县级） / 变更（婚前医学检查）), unless they
    share most of their cited articles. Across departments a bare name and a bracketed one are the
    same matter held twice (建设项目古树名木保护方案备案 / …备案（住建行使）): that is what to merge."""
    sa, sb = stages(a[0]), stages(b[0])
    if sa and sb and sa != sb:
        return True
    ia, ib = sub_item(a[0]), sub_item(b[0])
    if ia and ib:
        return ia != ib
    if (ia or ib) and a[1] == b[1]:
        return not strong_basis
    return False


def find_duplicate_groups(items, threshold: float = DUPLICATE_THRESHOLD) -> list[dict]:
    """(c) Groups of items that look like one power: name scores at least `threshold`, or at least
    DUPLICATE_WITH_BASIS_THRESHOLD with a cited article in common. Pairs are joined into groups
    (union-find). Each group: {"codes", "items": [{"code", "name", "department"}], "departments",
    "across_departments", "pairs": [{"a", "b", "score", "shared_citations"}], "suggestion": "merge"}.
    `items` are PowerItems (a queryset or list) or item documents (dicts with code, name,
    organisation, citations)."""
    rows = []
    if hasattr(items, "values_list"):  # a queryset: plain rows, the citations in one query
        citations_of = _citations_of(items)
        rows = [(code, name, department, [c["raw_text"] for c in citations_of.get(pk, [])])
                for pk, code, name, department in items.values_list("pk", "code", "name", "organisation__name")]
        items = ()
    for item in items:
        if isinstance(item, dict):
            texts = [c.get("text", "") for c in item.get("citations") or [] if isinstance(c, dict)]
            rows.append((str(item.get("code") or ""), str(item.get("name") or ""), str(item.get("organisation") or ""),
                         texts))
        else:
            rows.append((item.code, item.name, item.organisation.name, [c.raw_text for c in item.citations.all()]))
    normaliser = NameNormaliser(departments=tuple({r[2] for r in rows if r[2]}))
    keys = [normaliser.key(r[1]) for r in rows]
    bases: dict[int, frozenset] = {}

    def basis(i):
        if i not in bases:
            bases[i] = cited_articles(rows[i][3])
        return bases[i]

    union = UnionFind(len(rows))
    pairs = []
    subs = [sub_item(r[1]) for r in rows]
    for i, j, s in candidate_pairs(keys, None, min(threshold, DUPLICATE_WITH_BASIS_THRESHOLD)):
        shared = basis(i) & basis(j)
        if (subs[i] != subs[j] or stages(rows[i][1]) != stages(rows[j][1])) and distinct_matters(
                (rows[i][1], rows[i][2]), (rows[j][1], rows[j][2]),
                basis_overlap(basis(i), basis(j)) >= STRONG_BASIS_OVERLAP):
            continue  # two sub-items or two stages of one matter
        if s >= threshold or (shared and basis_overlap(basis(i), basis(j)) > 0):
            union.union(i, j)
            pairs.append((i, j, s, shared))
    members = defaultdict(list)
    for i, j, _s, _shared in pairs:
        members[union.find(i)].extend((i, j))
    groups = []
    for root, ids in members.items():
        ids = sorted(set(ids), key=lambda n: rows[n][0])
        departments = sorted({rows[n][2] for n in ids})
        groups.append({
            "codes": [rows[n][0] for n in ids],
            "items": [{"code": rows[n][0], "name": rows[n][1], "department": rows[n][2]} for n in ids],
            "departments": departments,
            "across_departments": len(departments) > 1,
            "pairs": [{"a": rows[i][0], "b": rows[j][0], "score": round(s, 4),
                       "shared_citations": [f"《{t}》" + (f"第{a}条" if a else "") for t, a in sorted(shared, key=str)]}
                      for i, j, s, shared in pairs if union.find(i) == root],
            "suggestion": "merge",
        })
    return sorted(groups, key=lambda g: g["codes"])


def duplicate_message(group: dict) -> str:
    """What the group's evidence actually is: the names alike (identical or close), and the basis
    shared only when some pair shares a cited article."""
    scores = [p["score"] for p in group["pairs"]]
    names = "名称相同" if scores and min(scores) >= 1.0 else "名称相同或相近"
    evidence = names + ("、依据重叠" if any(p["shared_citations"] for p in group["pairs"]) else "（依据未见重叠）")
    if group["across_departments"]:
        return f"跨部门重复：{evidence}，同一权力由多个部门行使，建议整合到一个部门"
    return f"部门内重复：{evidence}，建议整合"


def duplicate_findings(items) -> list[Finding]:
    found = []
    for group in find_duplicate_groups(items):
        message = duplicate_message(group)
        first = group["items"][0]
        found.append(Finding("duplicate", "duplicate-group", message, "merge", first["code"], first["name"],
                             first["department"], {k: group[k] for k in ("codes", "items", "pairs", "departments")}))
    return found


def mandate_findings(items) -> list[Finding]:
    """(d) Against the department's mandate (三定; cleanup/mandate.py): an item whose matter is hardly
    found in its department's duties taken together, its name and its field, or is found clearly
    better in another department's; and a duty that no item of the department carries. Departments
    without recorded duties are not judged (nothing to compare); the other departments of the same
    jurisdictions are compared with, so one item alone is judged as in its whole list."""
    rows = list(items.order_by("organisation__name", "code").values_list(
        "code", "name", "category", "organisation__name", "organisation_id", "organisation__jurisdiction_id")
        .iterator(chunk_size=5000))
    jurisdictions = {r[5] for r in rows}
    names = dict(Organisation.objects.filter(jurisdiction_id__in=jurisdictions).values_list("pk", "name"))
    duties = defaultdict(list)
    for d in DepartmentResponsibility.objects.filter(organisation_id__in=names, kind=DutyKind.DUTY).order_by(
            "organisation_id", "position", "pk").values("pk", "organisation_id", "title", "content"):
        duties[names[d["organisation_id"]]].append(mandate.Duty(d["pk"], d["title"], d["content"]))
    for name in names.values():
        duties.setdefault(name, [])  # compared with, by its name, when it has no duties
    result = mandate.assess(rows, duties)
    found = []
    for (code, name, _category, department, *_rest), v, profile in result.outside:
        duty = profile.duties[v.best] if v.best is not None else None
        evidence = {"best_duty": duty.title if duty else "", "coverage": round(v.score, 2),
                    "found": v.found, "missing": v.missing, "terms": v.found,
                    "duty_coverage": round(v.by_duty.get(v.best, 0.0), 2) if duty else 0.0,
                    "via_name": v.via_name, "category": v.category, "partial_ratio": v.partial}
        if v.closer:
            evidence |= {"closer_department": v.closer, "closer_coverage": v.closer_score}
        message = "与本部门职责（三定）均不对应，请核实是否属于本部门"
        if v.missing:
            message += f"：职责中找不到“{'、'.join(v.missing[:4])}”"
        if v.closer:
            message += f"；更接近{v.closer}的职责（{v.closer_score:.2f}）"
        found.append(Finding("mandate", "outside-mandate", message, "review", code, name, department, evidence))
    for department, duty, closest, score in result.uncarried:
        found.append(Finding("mandate", "duty-uncarried", "这项职责没有对应的权力事项：是否漏报", "review",
                             "", duty.title, department,
                             {"duty": duty.title, "content": duty.content[:200], "closest_item": closest or "",
                              "coverage": score}))
    return found


def departments_without_duties(items) -> list[str]:
    """The departments holding some of `items` that have no recorded duty (三定): check (d) does not
    compare their items with anything, and a summary must say so by name, not only count 0."""
    held = items.values("organisation_id")
    with_duties = DepartmentResponsibility.objects.filter(organisation_id__in=held, kind=DutyKind.DUTY).values(
        "organisation_id")
    return sorted(Organisation.objects.filter(pk__in=held).exclude(pk__in=with_duties).values_list("name", flat=True))


CHECKS = {"legal_basis": legal_basis_findings, "scope": scope_findings, "duplicate": duplicate_findings,
          "mandate": mandate_findings}


def run_checks(items, checks=tuple(CHECKS)) -> list[Finding]:
    """Every finding of the chosen checks over `items` (a PowerItem queryset)."""
    return [f for name in checks for f in CHECKS[name](items)]


def findings_by_item(findings: list[Finding]) -> dict[str, list[Finding]]:
    """Findings beside each item (a duplicate group's finding appears beside each of its items)."""
    by_code = defaultdict(list)
    for f in findings:
        for code in f.evidence.get("codes") or [f.code]:
            if code:
                by_code[code].append(f)
    return dict(by_code)
