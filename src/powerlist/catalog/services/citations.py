"""Checking the legal basis of items against the law corpus (法无授权不可为), and finding the
items a change of law affects. The laws app parses and judges; this module stores the verdicts
on the catalog's citations and groups them by department."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from powerlist.catalog.models import Citation, CitationReference, PowerItem, Status
from powerlist.catalog.services import items as item_services
from powerlist.core import progress, scope
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.services import audit
from powerlist.laws import verify as laws_verify
from powerlist.laws.verify import RESULT_NAMES  # noqa: F401 - re-exported for the back office
from powerlist.laws.models import Article, LawVersion
from powerlist.laws.parsing import parse

# the verdict a citation cell shows: its worst reference
SEVERITY = ["repealed", "law-not-found", "article-missing", "superseded", "text-mismatch", "not-in-corpus",
            "unparsed", "ok"]


def check_text(text: str, corpus=None) -> list[tuple]:
    """[(parsed citation, verdict)] for one legal-basis text; empty when nothing parses."""
    corpus = corpus or laws_verify.corpus()
    return [(c, laws_verify.verify(c, corpus)) for c in parse(text).citations]


@dataclass
class CheckReport:
    jurisdiction: str
    citations: int = 0
    references: int = 0
    by_result: Counter = field(default_factory=Counter)
    by_department: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"jurisdiction": self.jurisdiction, "citations": self.citations, "references": self.references,
                "by_result": dict(self.by_result), "by_department": self.by_department}


def check_jurisdiction(actor, jurisdiction, chunk: int = 2000) -> CheckReport:
    """Parse and verify every citation of a jurisdiction's items; store the references."""
    scope.require_legal_check(actor, jurisdiction=jurisdiction)
    return _check(actor, Citation.objects.filter(item__jurisdiction=jurisdiction), jurisdiction.code, chunk)


def check_items(actor, items) -> CheckReport:
    """The same for chosen items (the back office's action), each within the actor's scope."""
    items = list(items.select_related("organisation__jurisdiction"))
    for item in items:
        scope.require_legal_check(actor, item.organisation)
    return _check(actor, Citation.objects.filter(item__in=items), f"{len(items)} items", 2000)


def _check(actor, citations, label: str, chunk: int) -> CheckReport:
    corpus = laws_verify.corpus()
    now = timezone.now()
    report = CheckReport(jurisdiction=label)
    citations = citations.select_related("item__organisation")
    with transaction.atomic(), progress.bar(total=citations.count(), desc=f"核查依据 {label}") as shown:
        CitationReference.objects.filter(citation__in=citations).delete()
        last = 0
        while True:
            batch = list(citations.filter(pk__gt=last).order_by("pk")[:chunk])
            if not batch:
                break
            last = batch[-1].pk
            refs, updates = [], []
            for citation in batch:
                department = citation.item.organisation.name
                counts = report.by_department.setdefault(department, Counter())
                results = []
                for position, (parsed, verdict) in enumerate(check_text(citation.raw_text, corpus)):
                    refs.append(_reference(citation, position, parsed, verdict, now))
                    results.append(verdict.result)
                results = results or ["unparsed"]
                for r in results:
                    report.by_result[r] += 1
                    counts[r] += 1
                citation.verification = min(results, key=SEVERITY.index)
                citation.checked_at = now
                updates.append(citation)
            CitationReference.objects.bulk_create(refs, batch_size=2000)
            Citation.objects.bulk_update(updates, ["verification", "checked_at"], batch_size=2000)
            report.citations += len(batch)
            report.references += len(refs)
            shown.update(len(batch))
        report.by_department = {d: dict(c) for d, c in sorted(report.by_department.items())}
        audit.append(actor, "citations.check", label, report.as_dict())
    return report


def _reference(citation, position, parsed, verdict, now) -> CitationReference:
    return CitationReference(
        citation=citation, position=position, title=parsed.title[:300], level=parsed.level,
        edition=parsed.edition[:300], document_number=parsed.document_number[:100], article=parsed.article,
        article_text=parsed.article_text[:40], sub_article=parsed.sub_article, paragraph=parsed.paragraph,
        item_no=parsed.item, quote=parsed.quote, result=verdict.result, message=verdict.message[:500],
        diff=verdict.diff, law_id=verdict.law_id, law_version_id=verdict.version_id, law_article_id=verdict.article_id,
        article_snapshot=verdict.article_text, checked_at=now)


@dataclass
class Impact:
    item_id: int
    code: str
    name: str
    department: str
    status: str
    law: str
    article: str
    change: str  # repealed / article-removed / article-changed
    detail: str
    reference_id: int = 0
    # where the rule lives now (laws.successors): [{"law", "article", "score", "matched", "cites"}]
    successors: list = field(default_factory=list)


def impact(since=None, jurisdiction=None) -> list[Impact]:
    """Items whose citations point at an article that has since been removed or changed, or at
    a law since repealed, compared with the text each citation was verified against; and every
    citation of a repealed law (also one cited by a former name), each with its successor articles.
    `since` limits it to law versions loaded or changed from that day on."""
    refs = CitationReference.objects.filter(Q(law__isnull=False, article__isnull=False) | Q(result="repealed")
                                            ).select_related("citation__item__organisation", "law")
    if jurisdiction is not None:
        refs = refs.filter(citation__item__jurisdiction=jurisdiction)
    changed = LawVersion.objects.all()
    if since is not None:
        changed = changed.filter(Q(changed_at__date__gte=since) | Q(loaded_at__date__gte=since))
    changed_laws = set(changed.values_list("law_id", flat=True))
    refs = refs.filter(Q(law_id__in=changed_laws) | Q(law__isnull=True) if since is None else Q(law_id__in=changed_laws))
    corpus = laws_verify.corpus()
    current = {v.law_id: v for v in LawVersion.objects.filter(law_id__in=changed_laws, is_current=True)}
    out = []
    for ref in refs.iterator(chunk_size=2000):
        item = ref.citation.item
        version = current.get(ref.law_id)
        title = ref.law.title if ref.law else ref.title
        base = dict(item_id=item.pk, code=item.code, name=item.name, department=item.organisation.name,
                    status=item.status, law=title, reference_id=ref.pk,
                    article=ref.article_text or (f"第{ref.article}条" if ref.article else ""))
        if version is None:
            detail = ref.message if ref.law is None else f"《{title}》已废止"
            out.append(Impact(**base, change="repealed", detail=detail,
                              successors=_successors(ref, corpus)))
            continue
        now = Article.objects.filter(version=version, number=ref.article, sub_number=ref.sub_article).first()
        if now is None:
            out.append(Impact(**base, change="article-removed",
                              detail=f"现行版本（{version.version_date or version.published}）已无此条",
                              successors=_successors(ref, corpus)))
        elif ref.article_snapshot and laws_verify.text_key(now.text) != laws_verify.text_key(ref.article_snapshot):
            out.append(Impact(**base, change="article-changed",
                              detail=laws_verify.char_diff(now.text, ref.article_snapshot)[:300],
                              successors=_successors(ref, corpus)))
    out.sort(key=lambda i: (i.department, i.code))
    return out


def _successors(ref, corpus) -> list[dict]:
    from powerlist.catalog.services.successors import successors_of

    return [s.as_dict() | {"cites": s.citation_text} for s in successors_of(ref, corpus, changed=True)]


def flag_for_review(actor, item_ids: list[int], reason: str) -> int:
    """Put items affected by a change of law back into review, with the reason in the ledger."""
    if not reason.strip():
        raise InvalidInput([Problem("", None, "reason", "", "请说明标记复核的理由")])
    flagged = 0
    for item in PowerItem.objects.filter(pk__in=item_ids).exclude(status=Status.IN_REVIEW):
        item_services.update_item(actor, item, {"status": Status.IN_REVIEW}, reason=reason, via="laws")
        flagged += 1
    return flagged
