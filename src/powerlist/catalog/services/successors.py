"""Replacing a citation of a repealed or changed article with its successor article (承接条款),
in one click from the item page or the impact page.

The change goes through `requests.change_item`: a reviewer's change is applied at once (a
published item with the reason in the ledger), a department clerk's change to a published item
becomes a change request a reviewer approves. Only an article the ranking offered can be chosen.
"""

import re

from powerlist.catalog.models import CitationReference
from powerlist.catalog.services import requests as request_services
from powerlist.core.errors import InvalidInput, NotFound, Problem
from powerlist.laws import successors as laws_successors
from powerlist.laws import verify as laws_verify
from powerlist.laws.numerals import NUMERAL

_TAIL = re.compile(rf"^\s*(?:第\s*{NUMERAL}\s*款)?\s*(?:第?\s*[（(]\s*{NUMERAL}\s*[）)]\s*项?|第\s*{NUMERAL}\s*项)?")


def successors_of(ref: CitationReference, corpus=None, changed: bool | None = None) -> list:
    """Successor articles of a stored cited article: in the law that replaced it when the law is
    repealed (or was cited by a former name), else in the current version of its own law when the
    cited text is no longer the law's (a mismatch, an older version, an article since changed).
    `changed`: the caller knows the law changed since the check (the impact page); otherwise a
    citation verified `ok` is looked at only if its article's text differs from the snapshot, so
    an item page of sound citations never loads the corpus."""
    if ref.result not in laws_successors.NEEDS_SUCCESSOR and not changed:
        if changed is None and ref.article_snapshot and ref.law_id:
            article = ref.law_article
            changed = article is None or laws_verify.text_key(article.text) != laws_verify.text_key(
                ref.article_snapshot)
        if not changed:
            return []
    corpus = corpus or laws_verify.corpus()
    law = corpus.laws.get(ref.law_id) if ref.law_id else None
    if ref.result == "repealed" or (ref.law_id and (law is None or law.current is None)):
        return laws_successors.rank(title=ref.title, result="repealed", article=ref.article,
                                    sub_article=ref.sub_article, paragraph=ref.paragraph, item=ref.item_no,
                                    quote=ref.quote, law_id=ref.law_id, corpus=corpus)
    return laws_successors.rank(title=ref.title, result="text-mismatch", article=ref.article,
                                sub_article=ref.sub_article, paragraph=ref.paragraph, item=ref.item_no,
                                quote=ref.quote or ref.article_snapshot, law_id=ref.law_id, corpus=corpus)


def replaced_text(raw: str, ref: CitationReference, new: str, single: bool) -> str:
    """The citation text with this reference's law and article replaced by `new`. A cell citing one
    law becomes just the new citation (its old quote is the repealed law's text, not the code's);
    in a cell citing several, the title-and-article span of this one is replaced in place."""
    if single:
        return new
    title = re.escape(ref.title)
    article = re.escape(ref.article_text) if ref.article_text else ""
    pattern = re.compile(rf"《?{title}》?(?:[^《》\n]{{0,80}}?{article})?")
    match = pattern.search(raw)
    if match is None:
        raise InvalidInput([Problem("", None, "citations", raw[:60],
                                    f"在依据文本中找不到《{ref.title}》{ref.article_text}，请在事项页面手工修改")])
    end = match.end()
    if article:
        end += _TAIL.match(raw[end:]).end()
    return raw[:match.start()] + new + raw[end:]


def replace_with_successor(actor, reference_id: int, article: int, *, via: str = "admin"):
    """Make the citation cite successor `article` instead of the repealed or changed one; returns
    requests.Outcome (the item changed, or the change request filed for a clerk)."""
    ref = CitationReference.objects.select_related("citation__item").filter(pk=reference_id).first()
    if ref is None:
        raise NotFound("找不到该引用（核验结果可能已更新），请刷新页面后重试")
    offered = successors_of(ref, changed=True) if ref.law_id or ref.result == "repealed" else []
    chosen = next((s for s in offered if s.article == article), None)
    if chosen is None:
        names = "、".join(s.citation_text for s in offered) or "无"
        raise InvalidInput([Problem("", None, "article", str(article),
                                    f"该条不是《{ref.title}》{ref.article_text}的承接条款（可选：{names}）")])
    citation, item = ref.citation, ref.citation.item
    single = citation.references.count() == 1
    cells = [{"kind": c.kind, "text": c.raw_text} for c in item.citations.all()]
    position = [c.pk for c in item.citations.all()].index(citation.pk)
    cells[position]["text"] = replaced_text(citation.raw_text, ref, chosen.citation_text, single)
    old = f"《{ref.title}》{ref.article_text}"
    if ref.result == "repealed":
        why = f"依据法律修改：{old}已废止，由{chosen.citation_text}承接"
    else:
        why = f"依据法律修改：{old}已修改，由{chosen.citation_text}承接"
    return request_services.change_item(actor, item, {"citations": cells}, reason=why, via=via)
