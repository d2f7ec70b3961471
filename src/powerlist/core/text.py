"""Text normalisation for matching keys (never for stored text, which stays as written).

Simplified and traditional characters, full-width and half-width forms, and stray spaces must
not make two names differ: `區教育局`, `区教育局` and ` 区 教育局` are the same department.
"""

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def normalise(text: str | None) -> str:
    """The matching key of a text: NFKC (full-width -> half-width), traditional -> simplified,
    no whitespace, lower case. Brackets become the half-width ones through NFKC."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = _SPACES.sub("", text)
    return to_simplified(text).lower()


def clean_cell(value) -> str:
    """A cell as stored: trimmed, Windows line ends unified, NBSP and full-width spaces at the
    edges removed; inner text untouched."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _CONTROL.search(text):  # NUL and other controls: PostgreSQL refuses NUL, nobody means them
        text = _CONTROL.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip(" \t\n\u3000\u00a0\ufeff")
