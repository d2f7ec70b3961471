"""Automatic checks of a list (五对照), as functions over items: they read, never write, and work
on a jurisdiction's items today and on a campaign's items once campaigns hold them.

(a) legal basis: the engine's verdicts (Citation.verification, CitationReference.result); an item
    with no basis, or whose every citation is invalid, suggests cancel (法无授权不可为);
(b) scope: internal-management matters that are not administrative powers (data/internal_terms.txt);
(c) duplicates within and across departments: similar names, overlapping basis, grouped;
(d) mandate: items matching none of their department's duties (三定, DepartmentResponsibility of
    kind duty), and duties no item carries.
Each finding carries its evidence and a suggestion; a person decides.
"""

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import jieba

from powerlist.catalog.models import Citation, CitationReference, DepartmentResponsibility, DutyKind
from powerlist.cleanup.matching import (DUPLICATE_THRESHOLD, DUPLICATE_WITH_BASIS_THRESHOLD, NameNormaliser,
                                        UnionFind, basis_overlap, candidate_pairs, cited_articles)
from powerlist.core.text import normalise

INVALID = ("law-not-found", "repealed", "article-missing")
TERMS_FILE = Path(__file__).with_name("data") / "internal_terms.txt"
# words every item name has: they say nothing about which duty an item belongs to
GENERIC_WORDS = frozenset("对 的 和 与 及 或 等 未 按 按规定 规定 违反 行为 违法 处罚 行政 许可 审批 审核 登记 备案 "
                          "管理 监督 检查 办理 从事 进行 有关 相关 其他 工作 负责 组织 实施 依法 承担 指导 "
                          "经营 取得 活动 申请 单位 企业 情况 事项".split())
MANDATE_COVERAGE = 0.5  # share of an item's meaningful words found in one duty's text


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


@lru_cache(maxsize=1)
def internal_terms() -> tuple[str, ...]:
    lines = TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(normalise(t) for t in (line.split("#", 1)[0].strip() for line in lines) if t)


def scope_findings(items) -> list[Finding]:
    """(b) Internal-management matters (内部管理, 考核本单位工作人员, …) flagged: not powers over
    citizens and organisations, so not on the list."""
    terms = internal_terms()
    found = []
    for code, name, department in items.order_by("organisation__name", "code").values_list(
            "code", "name", "organisation__name").iterator(chunk_size=5000):
        key = normalise(name)
        hits = [t for t in terms if t in key]
        if hits:
            found.append(Finding("scope", "internal-matter", "内部管理事项，不属于行政权力", "cancel",
                                 code, name, department, {"terms": hits}))
    return found


_BRACKETED = re.compile(r"[（(【\[]([^（()）【】\[\]]*)[）)】\]]")


def sub_item(name: str) -> frozenset[str]:
    """What a name's brackets say beyond its level: `客运车辆道路运输证办理（延期）` → {延期}. Two
    items whose brackets say different things are sub-items of one matter (子项: 延期 and 配发),
    not duplicates; a level (（市级）, （县级）) says nothing about which sub-item it is."""
    return frozenset(q for q in (normalise(m) for m in _BRACKETED.findall(name or "")) if q and "级" not in q)


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
        if subs[i] and subs[j] and subs[i] != subs[j]:
            continue  # two sub-items of one matter
        shared = basis(i) & basis(j)
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


def duplicate_findings(items) -> list[Finding]:
    found = []
    for group in find_duplicate_groups(items):
        message = ("跨部门重复：同一权力由多个部门行使，建议整合到一个部门" if group["across_departments"]
                   else "部门内重复：名称相同或相近、依据重叠，建议整合")
        first = group["items"][0]
        found.append(Finding("duplicate", "duplicate-group", message, "merge", first["code"], first["name"],
                             first["department"], {k: group[k] for k in ("codes", "items", "pairs", "departments")}))
    return found


@lru_cache(maxsize=50_000)
def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in jieba.cut_for_search(normalise(text)) if len(w) >= 2 and w not in GENERIC_WORDS)


def _coverage(item_words: frozenset, duty_words: frozenset) -> float:
    return len(item_words & duty_words) / len(item_words) if item_words else 0.0


class _Row(NamedTuple):
    code: str
    name: str
    organisation_id: int
    department: str


def mandate_findings(items) -> list[Finding]:
    """(d) Against the department's mandate (三定): an item whose meaningful words (jieba, generic
    words dropped) are mostly absent from every duty of its department, and a duty that no item of
    the department matches. Departments without recorded duties are skipped (nothing to compare)."""
    items = [_Row(*row) for row in items.order_by("organisation__name", "code").values_list(
        "code", "name", "organisation_id", "organisation__name").iterator(chunk_size=5000)]
    org_ids = {i.organisation_id for i in items}
    duties = defaultdict(list)
    for d in DepartmentResponsibility.objects.filter(organisation_id__in=org_ids, kind=DutyKind.DUTY).order_by(
            "organisation_id", "position", "pk"):
        duties[d.organisation_id].append((d, _words(f"{d.title} {d.content}")))
    found = []
    carried = defaultdict(set)
    normaliser = NameNormaliser()
    for item in items:
        own = duties.get(item.organisation_id)
        if not own:
            continue
        words = _words(normaliser.key(item.name))
        scored = [(_coverage(words, w), d) for d, w in own]
        best, duty = max(scored, key=lambda p: p[0])
        for s, d in scored:
            if s >= MANDATE_COVERAGE:
                carried[item.organisation_id].add(d.pk)
        if best < MANDATE_COVERAGE:
            found.append(Finding("mandate", "outside-mandate", "与本部门职责（三定）均不对应，请核实是否属于本部门",
                                 "review", item.code, item.name, item.department,
                                 {"best_duty": duty.title, "coverage": round(best, 2)}))
    departments = {i.organisation_id: i.department for i in items}
    for org_id, own in duties.items():
        for d, _w in own:
            if d.pk not in carried[org_id]:
                found.append(Finding("mandate", "duty-uncarried", "这项职责没有对应的权力事项：是否漏报", "review",
                                     "", d.title, departments[org_id], {"duty": d.title, "content": d.content[:200]}))
    return found


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
