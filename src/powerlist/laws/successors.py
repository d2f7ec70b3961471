"""Successor articles (承接条款): where a cited article of a repealed law, or an article whose text
has changed, now lives.

The law that replaced a repealed one comes from a table kept as data (`data/successors.json`,
seeded by `propose()` and confirmed by a person: `powerlist laws successors --propose`); a law
whose text changed is its own successor (its current version). Within the successor the articles
are ranked by how much of the cited text they carry: the quote if the citation has one, else the
old article's text from the corpus. Both sides are segmented with jieba; each word weighs by its
rarity among the successor's articles (a TF-IDF cosine over an inverted index, so only articles
sharing a word are scored), and rapidfuzz's token-set ratio over the same words re-ranks the
best few. Articles in the part of the successor the old law maps to (its `articles` ranges) are
preferred, not required: a penalty article of an old law often lands in the code's 法律责任 part.

Rankings are memoised per (successor version, cited text), since a county cites the same
articles many times.
"""

import heapq
import json
import logging
import math
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import jieba
from rapidfuzz import fuzz

from powerlist.core.text import normalise, to_simplified
from powerlist.laws.numerals import to_chinese

SUCCESSORS_FILE = Path(__file__).with_name("data") / "successors.json"
# verdicts whose citation needs a successor: the law is gone, or the cited text is no longer the law's
NEEDS_SUCCESSOR = ("repealed", "text-mismatch", "superseded", "article-missing")
TOP = 3
RERANK = 12  # candidates re-scored with rapidfuzz
COMMON = 0.05  # a word in more than this share of a law's articles does not make an article a candidate
OUT_OF_SCOPE = 0.85  # weight of an article outside the part the old law maps to
OTHER_KIND = 0.85  # weight of a rule of the other kind: a penalty's successor is a penalty, a duty's a duty
_PENALTY = re.compile(r"罚款|处罚|拘留|责令停业|追究刑事责任|没收违法所得")
PRC = "中华人民共和国"
# words that carry no rule: numbering, cross-references, the boilerplate of every article
# and amounts: a code often changed the fines (十万元, 二十万元) while keeping the rule
_NUMBERISH = re.compile(r"^[第0-9一二三四五六七八九十百千万零两]+(?:[条款项章节编日倍年次]|万元|元|个月)?$")
_STOP = frozenset("""本法 规定 或者 以及 应当 有关 依照 按照 其他 并且 可以 不得 的 和 等 及 由 对 在 为 与 或 将 其 经 未
                  之 上 下 以上 以下 所 者 于 该 本 中 其中 前款 前 款 项 条 依法 国家 违反 责令 改正""".split())

jieba.setLogLevel(logging.WARNING)


@dataclass
class Successor:
    law: str
    article: int
    number_text: str
    score: float
    matched: list
    text: str = ""

    @property
    def citation_text(self) -> str:
        """How a list cites it: 《中华人民共和国生态环境法典》第一千一百一十八条."""
        return f"《{self.law}》{self.number_text}"

    def as_dict(self) -> dict:
        return {"law": self.law, "article": self.article, "score": self.score, "matched": self.matched}


@cache
def table() -> dict[str, dict]:
    """The confirmed successor table: {key of a repealed title: entry}; an entry has `repealed`,
    `by` (the replacing titles), `date`, `note` and optional `articles` ("187-265,1113-1134")."""
    data = json.loads(SUCCESSORS_FILE.read_text(encoding="utf-8"))
    return {_key(e["repealed"]): e for e in data["successors"]}


def _key(title: str) -> str:
    return normalise(title).replace("〈", "").replace("〉", "").removeprefix(normalise(PRC))


def _ranges(spec: str) -> list[tuple[int, int]]:
    out = []
    for part in (spec or "").replace("，", ",").split(","):
        if part.strip():
            low, _, high = part.strip().partition("-")
            out.append((int(low), int(high or low)))
    return out


def words(text: str) -> list[str]:
    """The words of a text that can carry a rule: jieba's segmentation of the simplified text,
    without punctuation, single characters, numbers and boilerplate."""
    return [w for w in jieba.lcut(to_simplified(text or ""), HMM=False)
            if len(w) > 1 and w not in _STOP and not _NUMBERISH.match(w) and not w.isspace()
            and any("\u3400" <= ch <= "\u9fff" for ch in w)]


class LawIndex:
    """The articles of one law version, indexed by word (sublinear TF-IDF, unit length)."""

    def __init__(self, title: str, articles: dict):
        self.title = title
        self.articles = sorted(((n, a) for (n, sub), a in articles.items() if sub == 0), key=lambda x: x[0])
        self.words = [words(a.text) for _, a in self.articles]
        df = Counter(w for ws in self.words for w in set(ws))
        total = len(self.articles) or 1
        self.idf = {w: math.log((1 + total) / (1 + n)) + 1 for w, n in df.items()}
        # candidates come from the words few articles share; the cosine itself counts every word
        common = max(3, COMMON * total)
        self.vectors = [self._vector(Counter(ws)) for ws in self.words]
        self.postings: dict[str, list] = defaultdict(list)
        self.common_postings: dict[str, list] = defaultdict(list)  # when a text has no rarer word
        for i, vec in enumerate(self.vectors):
            for w, weight in vec.items():
                (self.postings if df[w] <= common else self.common_postings)[w].append((i, weight))
        self.joined = [" ".join(sorted(set(ws))) for ws in self.words]
        self.penalty = [bool(_PENALTY.search(a.text or "")) for _, a in self.articles]

    def _vector(self, counts: Counter) -> dict[str, float]:
        vec = {w: (1 + math.log(n)) * self.idf.get(w, 0.0) for w, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items() if v}

    def rank(self, text: str, scope: list[tuple[int, int]] = (), limit: int = TOP) -> list[Successor]:
        query = words(text)
        if not query:
            return []
        qvec = self._vector(Counter(query))
        scores: dict[int, float] = defaultdict(float)
        for postings in (self.postings, self.common_postings):
            for w, qw in qvec.items():
                for i, aw in postings.get(w, ()):
                    scores[i] += qw * aw
            if scores:
                break
        if not scores:
            return []
        best = [(i, sum(qw * self.vectors[i].get(w, 0.0) for w, qw in qvec.items()))
                for i in heapq.nlargest(RERANK * 2, scores, key=scores.__getitem__)]
        qset = set(query)
        penalty = bool(_PENALTY.search(text))
        qjoined = " ".join(sorted(qset))
        ranked = []
        for i, cosine in best:
            number, article = self.articles[i]
            score = 0.6 * cosine + 0.4 * fuzz.token_set_ratio(qjoined, self.joined[i]) / 100
            if scope and not any(low <= number <= high for low, high in scope):
                score *= OUT_OF_SCOPE
            if self.penalty[i] != penalty:
                score *= OTHER_KIND
            ranked.append((score, i))
        ranked.sort(key=lambda x: -x[0])
        out = []
        for score, i in ranked[:limit]:
            number, article = self.articles[i]
            matched = sorted(qset & set(self.words[i]), key=lambda w: -self.idf.get(w, 0))[:8]
            out.append(Successor(self.title, number, article.number_text or f"第{to_chinese(number)}条",
                                 round(min(score, 1.0), 3), matched, article.text))
        return out


_lock = threading.Lock()
_indexes: dict[int, LawIndex] = {}


def index_of(version) -> LawIndex:
    """The index of a law version of the in-memory corpus (a `verify.VersionInfo`), built once."""
    with _lock:
        found = _indexes.get(version.id)
        if found is None or found.size != len(version.articles):
            found = _indexes[version.id] = LawIndex(version.title, version.articles)
            found.size = len(version.articles)
            _ranked.cache_clear()  # rankings made against an index since replaced
        return found


@lru_cache(maxsize=20000)
def _ranked(version_id: int, text: str, scope: tuple) -> tuple:
    return tuple(_indexes[version_id].rank(text, list(scope)))


def successor_laws(title: str, corpus) -> list[tuple]:
    """[(LawInfo, scope ranges)] that replaced a repealed law, following the table (a successor
    itself repealed leads to its own successors), and the law itself when it is in force."""
    out, seen, todo = [], set(), [(title, ())]
    while todo:
        cited, scope = todo.pop(0)
        key = _key(cited)
        if key in seen or len(seen) > 5:
            continue
        seen.add(key)
        law = corpus.find(cited)
        if law is not None and law.current is not None:
            out.append((law, scope))
            continue
        entry = table().get(key)
        if entry is None and law is None and (alias := corpus.find_alias(cited)):
            todo.append((alias[1], scope))  # a former name: its replacement, then that one's successor
            continue
        if entry is not None:
            ranges = tuple(_ranges(entry.get("articles", ""))) or scope
            todo.extend((by, ranges) for by in entry["by"])
    return out


def old_text(law_info, article: int | None, sub: int = 0, paragraph: int | None = None,
             item: int | None = None) -> str:
    """The cited article's text (its cited paragraph or item when the citation names one: an old
    article's items often went to different articles of a code) in the newest version of the
    (repealed or changed) law that has it."""
    from powerlist.laws.verify import _portion

    if law_info is None or article is None:
        return ""
    for version in law_info.versions:
        found = version.articles.get((article, sub or 0))
        if found is not None:
            portion, _ = _portion(found, paragraph, item)
            if portion and item is not None and portion != found.text:
                # an item alone (`（二）超过排放标准排放的`) does not say it is a penalty: keep the lead-in
                # of its paragraph (`违反本法规定，有下列行为之一的，……处……罚款：`)
                lead = next((line for line in found.text.split("\n") if line.strip()), "")
                portion = f"{lead}\n{portion}\n{portion}" if lead != portion else portion  # the item weighs more
            return portion or found.text
    return ""


def rank(*, title: str, result: str, article: int | None, sub_article: int = 0, paragraph: int | None = None,
         item: int | None = None, quote: str = "", law_id: int | None = None, corpus=None) -> list[Successor]:
    """Up to three successor articles for one cited article, best first; [] when the verdict
    needs none or nothing can be ranked (no text to compare: neither a quote nor the old article)."""
    if result not in NEEDS_SUCCESSOR:
        return []
    if corpus is None:
        from powerlist.laws.verify import corpus as current_corpus

        corpus = current_corpus()
    law = corpus.laws.get(law_id) if law_id else corpus.find(title)
    text = quote or old_text(law, article, sub_article, paragraph, item)
    if not text:
        return []
    if result == "repealed":
        laws = successor_laws(law.title if law else title, corpus)
    else:  # the law is in force but the cited text is not its text: look in its current version
        laws = [(law, ())] if law is not None and law.current is not None else []
    found = []
    for successor, scope in laws:
        version = successor.current
        index_of(version)
        found.extend(_ranked(version.id, text, tuple(scope)))
    found.sort(key=lambda s: -s.score)
    return found[:TOP]


def for_citation(parsed, verdict, corpus=None) -> list[dict]:
    """The `successors` of a parsed citation and its verdict, as the JSON outputs give them."""
    return [s.as_dict() for s in rank(title=parsed.title, result=verdict.result, article=parsed.article,
                                      sub_article=parsed.sub_article, paragraph=parsed.paragraph, item=parsed.item,
                                      quote=parsed.quote, law_id=verdict.law_id,
                                      corpus=corpus)]


def for_reference(ref, corpus=None) -> list[Successor]:
    """The same for a stored CitationReference of the catalog."""
    return rank(title=ref.title, result=ref.result, article=ref.article, sub_article=ref.sub_article,
                paragraph=ref.paragraph, item=ref.item_no, quote=ref.quote, law_id=ref.law_id, corpus=corpus)
