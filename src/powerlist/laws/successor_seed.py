"""Seeding the successor table (`data/successors.json`) from the corpus: a proposal a person
confirms, never written by itself.

    powerlist laws successors --propose [--json]

For every law with no version in force, the laws in force of the same level, dated later, whose
title or chapter/section names carry the old law's subject (大气污染防治法 → 大气; 环境影响评价法 →
环境影响评价; 水污染防治法 → 水污染) are proposed as its successors, with the article ranges of those
chapters and sections (the part of a code the old law went into). A person reads the proposal,
keeps the true pairs, writes a note and puts them into the data file; the shipped file is the
confirmed table.
"""

import re
from collections import defaultdict

from powerlist.laws.models import Article, LawStatus, LawVersion

PRC = "中华人民共和国"
_GENERIC = re.compile(r"(?:污染环境防治|污染防治|环境保护|保护|防治|促进|管理)$")


def subject(title: str) -> str:
    """The subject of a law's title: 中华人民共和国大气污染防治法 → 大气; 水污染防治法 → 水污染."""
    core = title.removeprefix(PRC)
    core = re.sub(r"(?:法|条例|法典)$", "", core)
    stripped = _GENERIC.sub("", core)
    if not stripped:
        return core  # 环境保护法: its subject is the whole 环境保护
    return stripped + "污染" if len(stripped) == 1 else stripped


def _runs(numbers: list[int]) -> str:
    """[187, 188, 189, 1113] → "187-189,1113"."""
    out, start, prev = [], None, None
    for n in sorted(numbers):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if prev != start else str(start))
    return ",".join(out)


def propose() -> list[dict]:
    """Proposed entries of the successor table, in its format, with the evidence (`why`)."""
    versions = list(LawVersion.objects.select_related("law").order_by("law_id", "-version_date"))
    by_law = defaultdict(list)
    for v in versions:
        by_law[v.law_id].append(v)
    current = [v for v in versions if v.is_current and v.status == LawStatus.CURRENT]
    proposals = []
    for law_id, vs in by_law.items():
        if any(v.is_current for v in vs) or not any(v.status == LawStatus.REPEALED for v in vs):
            continue
        old = vs[0]
        topic = subject(old.law.title)
        old_date = old.version_date or old.published
        for new in current:
            new_date = new.version_date or new.published
            if new.level != old.level or (old_date and new_date and new_date <= old_date):
                continue
            in_title = topic in new.title
            numbers = list(Article.objects.filter(version=new).filter(
                chapter__contains=topic).values_list("number", flat=True)) + list(
                Article.objects.filter(version=new, section__contains=topic).values_list("number", flat=True))
            if not in_title and len(set(numbers)) < 3:
                continue
            proposals.append({
                "repealed": old.law.title, "by": [new.title], "date": str(new.effective or new_date or ""),
                "note": "", "articles": "" if in_title else _runs(list(set(numbers))),
                "why": f"主题“{topic}”见于" + ("标题" if in_title else f"{len(set(numbers))}条所在的章节名称")
                       + f"；{new.title}（{new_date}，{new.status}）晚于{old.title}（{old_date}，{old.status}）"})
    return proposals
