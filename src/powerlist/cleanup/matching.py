"""Matching power-item names across lists and within one list.

Two lists name one power differently: `區市場監管局對無證經營的處罰（縣級）`, `对无证经营行为的处罚`
and `无证经营的处罚` are the same item. Raw similarity misleads (DESIGN.md: normalise first), so a
name is reduced to its matching key before scoring:

1. `core.text.normalise`: traditional -> simplified, full width -> half width, no spaces;
2. brackets and what they hold are dropped: (市级/县级), (含…), 【…】, 〔…〕, […]; but a sub-item's
   action stays as a word ((注销), (换发): real lists tell sub-items apart only so);
3. generic levels (省级, 市级, 县级, 区级, 本级) and jurisdiction prefixes (known places: the 31
   provinces and the places the caller names, e.g. 湖南省湘潭市岳塘区) are dropped, and so is a
   department prefix (区市场监管局, 岳塘区教育局: a known department, or a place or level followed by
   a name ending in 局/委员会/委/办公室/厅, or such a name before a separator);
4. the penalty phrasings 对……的处罚 / ……的处罚 / 对……行为的处罚 / 对……违法行为的处罚 / 对……的行政处罚
   become one canonical form, `对……的处罚`;
5. punctuation goes.

Scores are 0-1: rapidfuzz's ratio on the keys, or token_sort_ratio on jieba's tokens of them when
that is higher (a word moved inside the name). The legal basis is evidence beside the name: the
share of cited (law, article) pairs two items have in common (`basis_overlap`).
"""

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
import numpy as np
from rapidfuzz import fuzz, process

from powerlist.core.text import normalise
from powerlist.laws.parsing import parse

jieba.setLogLevel(logging.WARNING)

# the threshold of a match between two lists (compare) and of a duplicate within one, on 0-1 scores;
# chosen on the generated benchmark (BENCHMARKS.md): below 0.85 near-namesakes such as
# 食品生产许可 / 食品经营许可 start to pair
MATCH_THRESHOLD = 0.85
# within one list neighbours are one word apart (探矿权人/采矿权人名称变更登记: 0.90 on 广安区's list), so a
# duplicate by name alone must be nearly the same name; with a cited article in common, 0.85 is enough
DUPLICATE_THRESHOLD = 0.95
DUPLICATE_WITH_BASIS_THRESHOLD = 0.85
_CANDIDATES = 5  # best candidates per name rescored with the token scorer
_BLOCK_CELLS = 4_000_000  # ratios computed at a time (32 MB of float64)

# the sub-items real lists tell apart only in brackets (广安区: 运输证办理（换发）/（补办）/（过户）/（转入）)
SUB_ITEM_WORDS = frozenset("新增 新办 变更 注销 延续 换发 换证 补办 补发 过户 转入 转出 迁入 迁出 校验 核发 撤销 遗失 "
                           "增项 减项 年审 年检 备案 设立 首次 初次".split())
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|<[^<>]*>|《(?:县级|市级|省级)》")
_LEVELS = re.compile(r"^(?:(?:省|市|州|县|区|旗|乡|镇|本)级)+")
_SUFFIX_LEVELS = re.compile(r"(?:(?:省|市|州|县|区|旗|乡|镇|本)级)+$")
# the 31 provincial-level names as lists write them (laws.verify has the short ones, but importing it
# needs the models; matching stays pure)
_PROVINCE = re.compile(r"^(?:北京市?|天津市?|上海市?|重庆市?|(?:河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南"
                       r"|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾)省?|内蒙古(?:自治区)?|广西(?:壮族自治区)?"
                       r"|西藏(?:自治区)?|宁夏(?:回族自治区)?|新疆(?:维吾尔自治区)?)")
_DEPARTMENT_WORD = r"(?:局|委员会|委|办公室|厅)"
# a level letter or a place-like name, then a department (`区市场监管局`, `某某县农业农村局`)
_DEPARTMENT = re.compile(rf"^(?:[省市州县区旗]|[\u4e00-\u9fff]{{2,4}}[省市县区旗])[\u4e00-\u9fff]{{1,12}}?{_DEPARTMENT_WORD}"
                         rf"(?=[\u4e00-\u9fff]{{3,}})")
_BARE_DEPARTMENT = re.compile(rf"^[\u4e00-\u9fff]{{1,12}}?{_DEPARTMENT_WORD}(?=[\u4e00-\u9fff]{{3,}})")
_DEPARTMENT_SEPARATED = re.compile(rf"^[\u4e00-\u9fff]{{2,14}}?{_DEPARTMENT_WORD}[:\-_—|/]+")
_NOT_TEXT = re.compile(r"[^0-9a-z\u3400-\u9fff]")
_PENALTY = re.compile(r"^对?(?P<core>.+?)(?:的)?(?:行政)?处罚$")
_ACT_TAIL = re.compile(r"(?:的)?(?:违法)?(?:行为)?(?:的)?$")


def _compile_places(places: Iterable[str]) -> re.Pattern | None:
    keys = sorted({normalise(p) for p in places if p and len(normalise(p)) >= 2}, key=len, reverse=True)
    return re.compile(f"^(?:{'|'.join(map(re.escape, keys))})+") if keys else None


@dataclass
class NameNormaliser:
    """The matching key of names, knowing the places and departments of the lists at hand."""

    places: Iterable[str] = ()
    departments: Iterable[str] = ()
    _places: re.Pattern | None = field(init=False, default=None)
    _departments: re.Pattern | None = field(init=False, default=None)

    def __post_init__(self):
        self._places = _compile_places(self.places)
        departments = set()
        for name in self.departments:
            key = _strip_brackets(normalise(name))
            departments.add(key)
            if self._places is not None:
                departments.add(self._places.sub("", key))  # 岳塘区教育局 is also written 教育局
        self._departments = _compile_places(d for d in departments if len(d) >= 3)

    def key(self, name: str | None) -> str:
        return _key(name or "", self._places, self._departments)


def _strip_brackets(text: str) -> str:
    previous = None
    while previous != text:  # nested brackets: the inner pair goes first
        previous, text = text, _BRACKETS.sub(_bracket_kept, text)
    return text


def _bracket_kept(m: re.Match) -> str:
    """A sub-item's action in brackets (道路旅客运输经营许可（注销）/（新增）: two items of a real list)
    stays as a word; levels, (含…) and other notes go."""
    inner = m.group()[1:-1]
    return inner if inner in SUB_ITEM_WORDS else ""


def _strip_prefixes(text: str, places: re.Pattern | None, departments: re.Pattern | None) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _LEVELS.sub("", text, count=1) if len(_LEVELS.sub("", text, count=1)) >= 3 else text
        before_places = text
        for pattern in (_PROVINCE, places):
            stripped = pattern.sub("", text, count=1) if pattern is not None else text
            text = stripped if len(stripped) >= 3 else text
        after_place = text != before_places
        if departments is not None:
            stripped = departments.sub("", text, count=1)
            text = stripped if len(stripped) >= 2 else text
        # after a place, a department needs no level letter: 岳塘区 | 教育局 | 民办学校设立审批
        patterns = (_DEPARTMENT_SEPARATED, _DEPARTMENT) + ((_BARE_DEPARTMENT,) if after_place else ())
        for pattern in patterns:
            stripped = pattern.sub("", text, count=1)
            text = stripped if len(stripped) >= 3 else text
    return text


def _canonical_penalty(text: str) -> str:
    m = _PENALTY.match(text)
    if m is None:
        return text
    core = m.group("core")
    previous = None
    while previous != core:
        previous, core = core, _ACT_TAIL.sub("", core)
    return f"对{core}的处罚" if core else text


@lru_cache(maxsize=100_000)
def _key(name: str, places: re.Pattern | None, departments: re.Pattern | None) -> str:
    text = _strip_brackets(normalise(name))
    text = _NOT_TEXT.sub(lambda m: m.group() if m.group() in ":-_—|/" else "", text)
    text = _strip_prefixes(text, places, departments)
    text = _NOT_TEXT.sub("", text)
    text = _SUFFIX_LEVELS.sub("", text)
    return _canonical_penalty(text)


def name_key(name: str | None, places: Iterable[str] = (), departments: Iterable[str] = ()) -> str:
    """The matching key of one name (see the module's description)."""
    return NameNormaliser(tuple(places), tuple(departments)).key(name)


@lru_cache(maxsize=100_000)
def tokens(key: str) -> str:
    """jieba's words of a key, sorted and joined by spaces (for token_sort_ratio)."""
    return " ".join(sorted(w for w in jieba.lcut(key) if w.strip()))


def score(key_a: str, key_b: str) -> float:
    """Similarity of two matching keys, 0-1."""
    if not key_a or not key_b:
        return 0.0
    if key_a == key_b:
        return 1.0
    return max(fuzz.ratio(key_a, key_b), fuzz.token_sort_ratio(tokens(key_a), tokens(key_b))) / 100


def cited_articles(texts: Iterable[str]) -> frozenset[tuple[str, int | None]]:
    """(law title key, article) pairs cited in legal-basis texts, by the citation parser."""
    found = set()
    for text in texts:
        for c in parse(text).citations:
            title = normalise(c.title).removeprefix("中华人民共和国")
            found.add((title, c.article))
    return frozenset(found)


def basis_overlap(a: frozenset, b: frozenset) -> float:
    """Share of cited (law, article) pairs in common (Jaccard), 0-1; 0 when either cites nothing."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def candidate_pairs(keys_a: list[str], keys_b: list[str] | None, cutoff: float) -> list[tuple[int, int, float]]:
    """(index in a, index in b, score) of every pair scoring at least `cutoff`, the best few per name
    of `a`. With keys_b None the pairs are within keys_a (each pair once, i < j)."""
    within = keys_b is None
    if not within:
        # a key found once on each side is that pair at 1.0: the usual case once names are
        # normalised; only the others are searched (their candidates never include those taken)
        count_a, count_b = Counter(keys_a), Counter(keys_b)
        index_b = {k: j for j, k in enumerate(keys_b)}
        exact = {i: index_b[k] for i, k in enumerate(keys_a) if k and count_a[k] == 1 and count_b.get(k) == 1}
        pairs = [(i, j, 1.0) for i, j in exact.items()]
        taken = set(exact.values())
        rest = [j for j in range(len(keys_b)) if j not in taken]
        return pairs + [(i, rest[j], s) for i, j, s in _search(
            [k if i not in exact else "" for i, k in enumerate(keys_a)], [keys_b[j] for j in rest], False, cutoff)]
    return _search(keys_a, keys_a, True, cutoff)


def _search(keys_a: list[str], choices: list[str], within: bool, cutoff: float) -> list[tuple[int, int, float]]:
    """For each non-empty key of `keys_a` in order: its best few choices by ratio (ties by position,
    as `process.extract` ranks them), rescored with `score`; pairs at least `cutoff` kept. The ratio
    matrix is computed by `process.cdist` a block of rows at a time, on every core: the same scores
    as one `extract` per key, without converting the choices again for each key."""
    limit = _CANDIDATES + (1 if within else 0)
    # ratio first, in C over all choices; the token scorer only rescores the few best
    rough_cutoff = max(0.0, cutoff - 0.15) * 100
    pairs = []
    queries = [i for i, key in enumerate(keys_a) if key]
    if not choices or not queries:
        return pairs
    block = max(1, _BLOCK_CELLS // len(choices))
    for start in range(0, len(queries), block):
        rows = queries[start:start + block]
        ratios = process.cdist([keys_a[i] for i in rows], choices, scorer=fuzz.ratio, score_cutoff=rough_cutoff,
                               dtype=np.float64, workers=-1)
        row, col = np.nonzero(ratios >= rough_cutoff)  # below the cutoff cdist gives 0
        order = np.lexsort((col, -ratios[row, col], row))  # by row, best first, ties by position
        row, col = row[order], col[order]
        rank = np.arange(len(row)) - np.searchsorted(row, row, side="left")
        for r, j in zip(row[rank < limit].tolist(), col[rank < limit].tolist(), strict=True):
            i = rows[r]
            if within and j <= i:
                continue
            s = score(keys_a[i], choices[j])
            if s >= cutoff:
                pairs.append((i, j, s))
        del ratios
    return pairs


def assign_one_to_one(pairs: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one assignment: the best-scoring pair first, each side used once (ties by
    position, so the result is deterministic)."""
    used_a, used_b, chosen = set(), set(), []
    for i, j, s in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        chosen.append((i, j, s))
    return chosen


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
