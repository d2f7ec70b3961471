"""Verifying a parsed citation against the law corpus.

Results: `ok`; `law-not-found`; `not-in-corpus` (the cited law's level is not loaded, e.g. a
规范性文件); `repealed`; `article-missing`; `text-mismatch` (the quote differs from the article
beyond punctuation and spacing, with a character diff); `superseded` (the quote matches an older
version of the law, not the current one). Every verdict names the law version and article it
compared with.

The corpus is held in memory (26,196 articles are about 30 MB), rebuilt when laws are loaded
in this process and re-checked against the database every few seconds otherwise.
"""

import difflib
import json
import re
import threading
import time
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path

from powerlist.core.text import normalise, to_simplified
from powerlist.laws.models import Article, Law, LawStatus, LawVersion
from powerlist.laws.numerals import to_chinese
from powerlist.laws.parsing import ParsedCitation

RESULTS = ("ok", "law-not-found", "not-in-corpus", "repealed", "article-missing", "text-mismatch", "superseded")
RESULT_NAMES = {"ok": "核验通过", "law-not-found": "法律未找到", "not-in-corpus": "未收录该层级", "repealed": "已废止",
                "article-missing": "条款不存在", "text-mismatch": "引文不符", "superseded": "引用旧版本",
                "unparsed": "无法解析"}
PRC = "中华人民共和国"
_ITEM_LINE = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_ELLIPSIS = re.compile(r"…+|\.{3,}|⋯+|——+|等等")
# a quote that gives a lead-in, then one enumerated item (`应纳税所得额的计算：（三）经营所得，……`) skips the
# items between: an enumeration mark starts a new piece, as after an ellipsis
_ENUMERATION = re.compile(r"(?=[（(][一二三四五六七八九十]{1,3}[）)])")
PROVINCES = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
             "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "内蒙古",
             "广西", "西藏", "宁夏", "新疆")
# a local regulation's title starts with its place: 湖南省…条例, 湘潭市…条例 (but not 城市…条例)
LOCAL = re.compile(rf"^(?:{'|'.join(PROVINCES)}|(?!城市)[\u4e00-\u9fff]{{2,3}}(?:市|自治州|州|盟))")
_NOT_TEXT = re.compile(r"[^0-9a-z\u3400-\u9fff]")


@dataclass
class ArticleInfo:
    id: int
    number_text: str
    text: str
    key: str  # text without punctuation and spaces, simplified, lower case


@dataclass
class VersionInfo:
    id: int
    title: str
    status: str
    date: str
    is_current: bool
    articles: dict = field(default_factory=dict)  # (number, sub) -> ArticleInfo

    @property
    def label(self) -> str:
        return f"{self.title}（{self.date or '日期不详'}，{self.status}）"


@dataclass
class LawInfo:
    id: int
    title: str
    level: str
    versions: list  # newest first

    @property
    def current(self) -> VersionInfo | None:
        return next((v for v in self.versions if v.is_current), None)


@dataclass
class Verdict:
    result: str
    message: str
    law_id: int | None = None
    law_title: str = ""
    version_id: int | None = None
    version: str = ""
    article_id: int | None = None
    article: str = ""
    article_text: str = ""
    diff: str = ""
    # the cited title was a short title or a former name (data/aliases.json):
    # {"cited": title as cited, "law": title it stands for, "kind": "short" | "former"}
    alias: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


ALIASES_FILE = Path(__file__).with_name("data") / "aliases.json"


@cache
def aliases() -> dict[str, tuple[str, str]]:
    """Short titles and former names, kept as data: {key of the cited title: (kind, full title)}.
    Keys drop 中华人民共和国, so `中华人民共和国合同法` and `合同法` both find the 民法典."""
    data = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    return {_alias_key(cited): (kind, title) for kind in ("short", "former") for cited, title in data[kind].items()}


def _alias_key(title: str) -> str:
    key = normalise(title).replace("〈", "").replace("〉", "")
    return key.removeprefix(normalise(PRC))


def text_key(text: str) -> str:
    return _NOT_TEXT.sub("", to_simplified(unicodedata.normalize("NFKC", text or "")).lower())


class Corpus:
    def __init__(self):
        self.laws: dict[int, LawInfo] = {}
        self.by_key: dict[str, int] = {}
        self.levels: set[str] = set()
        self.signature = None

    @classmethod
    def build(cls) -> "Corpus":
        corpus = cls()
        corpus.signature = signature()
        versions: dict[int, VersionInfo] = {}
        law_versions: dict[int, list] = {}
        for v in LawVersion.objects.order_by("-version_date", "-published", "-id").values(
                "id", "law_id", "title", "status", "version_date", "published", "is_current", "level"):
            info = VersionInfo(v["id"], v["title"], v["status"], str(v["version_date"] or v["published"] or ""),
                               v["is_current"])
            versions[v["id"]] = info
            law_versions.setdefault(v["law_id"], []).append(info)
            corpus.levels.add(v["level"])
        for a in Article.objects.values_list("id", "version_id", "number", "sub_number", "number_text", "text").iterator(
                chunk_size=5000):
            art_id, version_id, number, sub, number_text, text = a
            if number:
                versions[version_id].articles.setdefault((number, sub), ArticleInfo(art_id, number_text, text,
                                                                                    text_key(text)))
        for law in Law.objects.values("id", "title", "title_key", "level", "aliases"):
            corpus.laws[law["id"]] = LawInfo(law["id"], law["title"], law["level"], law_versions.get(law["id"], []))
            for key in [law["title_key"], *(normalise(a) for a in law["aliases"] or [])]:
                corpus.by_key.setdefault(key, law["id"])
        return corpus

    def find(self, title: str) -> LawInfo | None:
        key = normalise(title).replace("〈", "").replace("〉", "")
        candidates = [key, normalise(PRC) + key, re.sub(r"\(.*?\)$", "", key)]
        for k in candidates:
            if k in self.by_key:
                return self.laws[self.by_key[k]]
        return None

    def find_alias(self, title: str) -> tuple[str, str, LawInfo | None] | None:
        """(kind, full title, the law if the corpus has it) for a short title or former name."""
        found = aliases().get(_alias_key(title))
        if found is None:
            return None
        kind, full = found
        return kind, full, self.find(full)


def signature():
    latest = LawVersion.objects.order_by("-changed_at").values_list("changed_at", flat=True).first()
    return LawVersion.objects.count(), latest


_lock = threading.Lock()
_state = {"corpus": None, "checked": 0.0}
RECHECK_SECONDS = 5.0


def corpus() -> Corpus:
    with _lock:
        current = _state["corpus"]
        now = time.monotonic()
        if current is not None and now - _state["checked"] < RECHECK_SECONDS:
            return current
        if current is None or signature() != current.signature:
            current = _state["corpus"] = Corpus.build()
        _state["checked"] = now
        return current


def corpus_changed() -> None:
    with _lock:
        _state["corpus"] = None


def infer_level(c: ParsedCitation) -> str:
    """The level a citation's document probably has, when the corpus does not know it."""
    if c.level:
        return c.level
    title, number = c.title, c.document_number
    if "宪法" in title:
        return "宪法"
    national = not LOCAL.match(title.removeprefix(PRC))
    if title.startswith(PRC) and title.endswith("法") or "主席令" in number:
        return "法律"
    if "国务院令" in number:
        return "行政法规"  # 国务院令第412号: published by the State Council as a 行政法规
    if title.endswith("条例"):
        # 《规章制定程序条例》第七条: a 规章 is never called 条例; a local one is a 地方性法规
        return "行政法规" if national else "地方性法规"
    if national and re.search(r"法实施(?:细则|办法)$", title) and "令" not in number:
        return "行政法规"  # 中华人民共和国税收征收管理法实施细则 (a ministry's 令 makes it a 规章)
    if "令" in number:
        return "规章"
    if number or re.search(r"(决定|通知|意见|批复|函|公告)$", title):
        return "规范性文件"
    if re.search(r"(办法|规定|细则|规则)$", title):
        # 湖南省实施《……》办法 are local regulations of the provincial people's congress
        return "地方性法规" if not national and "实施" in title else "规章"
    if title.endswith("法"):
        return "法律"
    return "规范性文件"


def _portion(article: ArticleInfo, paragraph: int | None, item: int | None) -> tuple[str | None, str]:
    """The text of the cited paragraph (款) and/or item (项) of an article, with a label."""
    if paragraph is None and item is None:
        return article.text, article.number_text
    paragraphs: list[list[str]] = []
    for line in (article.text or "").split("\n"):
        line = line.strip()
        if not line:
            continue
        if _ITEM_LINE.match(line) and paragraphs:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    label = article.number_text
    chosen = paragraphs
    if paragraph is not None:
        if paragraph > len(paragraphs) or paragraph < 1:
            return None, f"{label}第{to_chinese(paragraph)}款"
        chosen = [paragraphs[paragraph - 1]]
        label += f"第{to_chinese(paragraph)}款"
    if item is not None:
        items = [line for p in chosen for line in p[1:]] or [line for p in chosen for line in p
                                                            if _ITEM_LINE.match(line)]
        if item > len(items) or item < 1:
            return None, f"{label}第（{to_chinese(item)}）项"
        return items[item - 1], f"{label}第（{to_chinese(item)}）项"
    return "\n".join(line for p in chosen for line in p), label


def quote_pieces(quote: str) -> list[str]:
    """The pieces of a quote that must appear in the article in order: split at ellipses and
    before enumeration marks `（三）` (the items a quote skips between its lead-in and one item)."""
    return [k for k in (text_key(p) for part in _ELLIPSIS.split(quote) for p in _ENUMERATION.split(part)) if k]


def quote_matches(pieces: list[str], target_key: str) -> bool:
    """Every piece of the quote (split at ellipses, as keys: no punctuation, spaces, width or
    script differences) appears in the target, in order."""
    pos = 0
    for key in pieces:
        found = target_key.find(key, pos)
        if found < 0:
            return False
        pos = found + len(key)
    return True


def _key_of(article: ArticleInfo, portion: str) -> str:
    return article.key if portion is article.text else text_key(portion)


def char_diff(law_text: str, quote: str) -> str:
    """Where the quote departs from the law: [-in the law-]{+in the quote+}, on the stretch of
    the article the quote lines up with."""
    law, q = text_key(law_text), text_key(_ELLIPSIS.sub("", quote))
    matcher = difflib.SequenceMatcher(None, law, q, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return f"[-{law[:80]}-]{{+{q[:80]}+}}"
    start, end = blocks[0].a, blocks[-1].a + blocks[-1].size
    matcher = difflib.SequenceMatcher(None, law[start:end], q, autojunk=False)
    out = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        seg_law, seg_q = law[start:end][a0:a1], q[b0:b1]
        if op == "equal":
            out.append(seg_law if len(seg_law) <= 24 else seg_law[:10] + "…" + seg_law[-10:])
        else:
            if seg_law:
                out.append(f"[-{seg_law}-]")
            if seg_q:
                out.append(f"{{+{seg_q}+}}")
    return "".join(out)


def verify(c: ParsedCitation, data: Corpus | None = None) -> Verdict:
    data = data or corpus()
    law, alias = data.find(c.title), {}
    if law is None and (found := data.find_alias(c.title)):
        kind, full, law = found
        alias = {"cited": c.title, "law": law.title if law else full, "kind": kind}
        if kind == "former":
            return Verdict("repealed", f"《{c.title}》已废止，由《{alias['law']}》取代，请改引现行法律",
                           law_title=c.title, alias=alias)
    if law is None:
        level = infer_level(c if not alias else replace(c, title=alias["law"]))
        if level not in data.levels:
            return Verdict("not-in-corpus", f"《{c.title}》属于{level}，法规库未收录该层级，无法自动核验", alias=alias)
        return Verdict("law-not-found", f"法规库中没有《{c.title}》", alias=alias)
    verdict = _against(c, law)
    verdict.alias = alias
    return verdict


def _against(c: ParsedCitation, law: LawInfo) -> Verdict:
    """The verdict of a citation of a law the corpus holds."""
    base = dict(law_id=law.id, law_title=law.title)
    current = law.current
    if current is None:
        latest = law.versions[0] if law.versions else None
        if latest is None or latest.status == LawStatus.REPEALED or any(
                v.status == LawStatus.REPEALED for v in law.versions):
            return Verdict("repealed", f"《{law.title}》已废止", version_id=latest and latest.id,
                           version=latest.label if latest else "", **base)
        current = latest
    where = dict(version_id=current.id, version=current.label, **base)
    if c.article is None:
        return Verdict("ok", f"《{law.title}》现行有效（未引用具体条款）", **where)
    key = (c.article, c.sub_article or 0)
    article = current.articles.get(key)
    cited = c.article_text or f"第{to_chinese(c.article)}条"
    if article is None:
        older = _older_match(law, current, key, c, quote_pieces(c.quote) if c.quote else [])
        if older is not None:
            return older
        return Verdict("article-missing", f"现行《{law.title}》没有{cited}", **where)
    target, label = _portion(article, c.paragraph, c.item)
    where.update(article_id=article.id, article=label, article_text=article.text)
    if target is None:
        return Verdict("article-missing", f"现行《{law.title}》{article.number_text}没有{label[len(article.number_text):]}",
                       **where)
    pieces = quote_pieces(c.quote) if c.quote else []
    if not pieces or quote_matches(pieces, _key_of(article, target)):
        return Verdict("ok", f"与现行《{law.title}》{label}一致", **where)
    older = _older_match(law, current, key, c, pieces)
    if older is not None:
        return older
    moved = next((a for a in current.articles.values() if a is not article and quote_matches(pieces, a.key)), None)
    hint = f"；引文与现行{moved.number_text}一致，条号可能已变" if moved else ""
    return Verdict("text-mismatch", f"引文与现行《{law.title}》{label}不符{hint}", diff=char_diff(target, c.quote),
                   **where)


def _older_match(law: LawInfo, current: VersionInfo, key, c: ParsedCitation, pieces: list[str]) -> Verdict | None:
    """A quote that matches an older version's article: the list cites a superseded text."""
    if not pieces:
        return None
    for v in law.versions:
        if v is current:
            continue
        old = v.articles.get(key)
        if old is None:
            continue
        target, label = _portion(old, c.paragraph, c.item)
        if target is not None and quote_matches(pieces, _key_of(old, target)):
            now = current.articles.get(key)
            return Verdict("superseded", f"引文与《{law.title}》{v.date}版本{label}一致，现行版本已修改",
                           law_id=law.id, law_title=law.title, version_id=v.id, version=v.label, article_id=old.id,
                           article=label, article_text=old.text,
                           diff=char_diff(now.text, c.quote) if now else "")
    return None
