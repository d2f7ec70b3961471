"""What a results page shows besides the results: the matched characters of a name, and when
nothing was found, the nearest names.

Highlighting works on the text as shown (masked first, on public pages) and matches it as
search does (traditional/simplified, full/half width, case), character by character, so each
marked character is one the reader sees.

Suggestions: rapidfuzz (WRatio) between the query, or the phrases the synonyms expanded it to,
and the distinct normalised names of the published items of the jurisdiction (or of all),
at most MAX_NAMES of them, kept per process until the jurisdiction's published items change
(the names of all jurisdictions: for ALL_NAMES_SECONDS)."""

import threading
import time
from functools import lru_cache

from django.db.models import Count, Max
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import fuzz, process

from powerlist.catalog.models import PowerItem, Status
from powerlist.core.text import normalise

MAX_NAMES = 10_000  # names compared per suggestion (~30 ms each at this size)
MAX_PHRASES = 3  # the query and its first expansions
SCORE_CUTOFF = 60
ALL_NAMES_SECONDS = 600  # how long the names of all jurisdictions are kept
_lock = threading.Lock()
_pools: dict = {}


@lru_cache(maxsize=8192)
def _char_key(ch: str) -> str:
    return normalise(ch)


def spans(text: str, phrases) -> list[tuple[int, int]]:
    """[start, end) character ranges of `text` where any of the normalised `phrases` occurs."""
    if not text:
        return []
    norm, owner = [], []
    for i, ch in enumerate(text):
        for c in _char_key(ch):
            norm.append(c)
            owner.append(i)
    flat = "".join(norm)
    marked = [False] * len(text)
    for phrase in phrases:
        if not phrase:
            continue
        start = flat.find(phrase)
        while start >= 0:
            for j in range(start, start + len(phrase)):
                marked[owner[j]] = True
            start = flat.find(phrase, start + 1)
    out, start = [], None
    for i, m in enumerate(marked + [False]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            out.append((start, i))
            start = None
    return out


def highlight(text: str, phrases) -> SafeString:
    """`text` escaped, with <mark> around the characters that match."""
    parts, pos = [], 0
    for start, end in spans(text, phrases):
        parts += [escape(text[pos:start]), "<mark>", escape(text[start:end]), "</mark>"]
        pos = end
    parts.append(escape(text[pos:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text escaped above


def _names(jurisdiction) -> list[str]:
    published = PowerItem.objects.filter(status=Status.PUBLISHED)
    if jurisdiction is not None:
        published = published.filter(jurisdiction=jurisdiction)
        stamp = tuple(published.order_by().aggregate(n=Count("id"), at=Max("updated_at")).values())
    else:  # all jurisdictions: checking for changes would scan every item (0.6 s at 1M); renewed by time
        stamp = int(time.monotonic() // ALL_NAMES_SECONDS)
    key = jurisdiction.pk if jurisdiction is not None else None
    pool = _pools.get(key)
    if pool is not None and pool[0] == stamp:
        return pool[1]
    names = list(published.order_by().values_list("name", flat=True).distinct()[:MAX_NAMES])
    by_key = {}
    for name in names:
        by_key.setdefault(normalise(name), name)
    pool = (stamp, list(by_key.items()))
    with _lock:
        _pools[key] = pool
    return pool[1]


def suggestions(phrases, jurisdiction=None, limit: int = 5) -> list[str]:
    """Names of published items nearest to the query (or to a phrase it was expanded to), best
    first, none below SCORE_CUTOFF."""
    pool = _names(jurisdiction)
    if not pool:
        return []
    keys = [k for k, _ in pool]
    best: dict[int, float] = {}
    for phrase in [p for p in phrases if p][:MAX_PHRASES]:
        for _key, score, index in process.extract(phrase, keys, scorer=fuzz.WRatio, limit=limit,
                                                  score_cutoff=SCORE_CUTOFF):
            best[index] = max(best.get(index, 0), score)
    ranked = sorted(best, key=lambda i: (-best[i], len(keys[i]), keys[i]))
    return [pool[i][1] for i in ranked[:limit]]
