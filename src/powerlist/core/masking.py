"""Personal data never public: one masking policy for every public surface (portal pages,
search results, open data in every format, the public API).

Masked, in any text: resident identity numbers (公民身份号码, GB 11643-1999: 18 characters, and the
old 15-digit ones) and mobile numbers (11 digits 1[3-9]…, with +86 / 0086 / 86 before them),
written with or without spaces or dashes between their groups, in half- or full-width digits.
The shape stays recognisable: 139****5678, 4303**********1234, 4303********123.

Kept: office landlines and hotlines (0731-58550000, (0731)5855000, 12345, 12315, 400-/800-
numbers): 政府信息公开条例 and the lists' own rules require a published supervision phone. Codes,
dates and amounts are kept too: an ID must have a real province code and a plausible birth
date, and an 18-digit string that is a valid 统一社会信用代码 but not a valid ID is a code.

Stored data keeps the real values (published snapshots included); masking happens only when
data leaves. POLICY names this version of the rules: files made under an older policy (cached
open data) are not served again."""

import re

from stdnum.cn import uscc

POLICY = "mask1"

# identifiers published on purpose that must stay comparable: never masked in structured data
IDENTIFIER_KEYS = frozenset({"code", "uscc", "sha256", "jurisdiction", "kind", "category", "status", "phase",
                             "level", "list_kind", "power_source", "result"})

_DIGIT = "[0-9０-９]"
_SPACE = "[ \u00a0\u3000]"
# between two groups of digits: nothing, one space, or a dash with optional spaces around it
_SEP = f"(?:{_SPACE}?[-－‐‑–—]{_SPACE}?|{_SPACE})?"
_LEFT = "(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ])"
_RIGHT = "(?![0-9０-９A-Za-zＡ-Ｚａ-ｚ])"

# an ID may be written in any grouping (6-8-4, 6-4-4-4, 4-4-4-4-2, ...): a separator may stand
# between any two of its digits; what is not a plausible ID is left alone and the search goes on
_ID18 = re.compile(f"{_LEFT}{_DIGIT}(?:{_SEP}{_DIGIT}){{16}}{_SEP}[0-9０-９XxＸｘ]{_RIGHT}")
_ID15 = re.compile(f"{_LEFT}{_DIGIT}(?:{_SEP}{_DIGIT}){{14}}{_RIGHT}")
_MOBILE = re.compile(
    f"{_LEFT}(?P<prefix>(?:[+＋]|00|００)?[8８][6６]{_SEP}|[(（][+＋]?[8８][6６][)）]{_SPACE}?)?"
    f"(?P<a>[1１][3-9３-９]{_DIGIT}){_SEP}(?P<b>{_DIGIT}{{4}}){_SEP}(?P<d>{_DIGIT}{{4}}){_RIGHT}")
# the only stretches of a text worth a closer look: eleven or more characters that can make up
# a number (digits, separators, X, a + or brackets of a prefix), starting with a digit or prefix
_CANDIDATE = re.compile("[0-9０-９+＋(（][0-9０-９XxＸｘ \u00a0\u3000\\-－‐‑–—+＋()（）]{10,}")

# GB/T 2260: the first two digits of a division code
_PROVINCES = frozenset({"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
                        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
                        "65", "71", "81", "82", "83", "91"})
_HALF = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]


def _half(text: str) -> str:
    return text.translate(_HALF)


def _plausible_date(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _id_check_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def _looks_like_id18(number: str) -> bool:
    if number[:2] not in _PROVINCES or number[6:8] not in ("18", "19", "20"):
        return False
    if not _plausible_date(number[10:12], number[12:14]):
        return False
    # a valid 统一社会信用代码 of digits only is a code, unless it is a valid ID number as well
    return _id_check_ok(number) or uscc.calc_check_digit(number[:17]) != number[17].upper()


_GROUP = re.compile("[0-9０-９XxＸｘ]+")


def _digits(text: str) -> str | None:
    """The half-width digits of a found number, or None when it is a run of one-digit numbers
    (1 2 3 4 ...) rather than one number written in groups."""
    groups = _GROUP.findall(text)
    if len(groups) > 1 and min(len(g) for g in groups) < 2:
        return None
    return _half("".join(groups))


def _mask_id18(found: str) -> str | None:
    number = _digits(found)
    return number[:4] + "*" * 10 + number[-4:] if number and _looks_like_id18(number) else None


def _mask_id15(found: str) -> str | None:
    number = _digits(found)
    if number and number[:2] in _PROVINCES and _plausible_date(number[8:10], number[10:12]):
        return number[:4] + "*" * 8 + number[-3:]
    return None


def _replace(pattern: re.Pattern, text: str, mask) -> str:
    """Like pattern.sub, but where `mask` declines a match the search resumes one character
    later, so an ID standing right after some other number is still found."""
    out, pos, done = [], 0, 0
    while (m := pattern.search(text, pos)) is not None:
        masked = mask(m[0])
        if masked is None:
            pos = m.start() + 1
            continue
        out += [text[done:m.start()], masked]
        pos = done = m.end()
    return "".join(out) + text[done:] if out else text


def _mask_mobile(m: re.Match) -> str:
    return (m["prefix"] or "") + _half(m["a"]) + "****" + _half(m["d"])


def _mask_numbers(text: str) -> str:
    text = _replace(_ID18, text, _mask_id18)
    text = _replace(_ID15, text, _mask_id15)
    return _MOBILE.sub(_mask_mobile, text)


def _mask_candidate(m: re.Match) -> str:
    # the characters either side of the stretch are kept as context for the edge checks; they
    # cannot be part of a number, so they come back unchanged and are cut off again
    start, end = m.span()
    before, after = min(start, 1), min(len(m.string) - end, 1)
    masked = _mask_numbers(m.string[start - before:end + after])
    return masked[before:len(masked) - after]


def mask_text(text):
    """A text with every resident ID and mobile number masked; anything else unchanged."""
    if not isinstance(text, str):
        return text
    return _CANDIDATE.sub(_mask_candidate, text)


def mask_name(name) -> str:
    """A person's name on a public page (a commenter's, an applicant's): the first character
    and a star for each other one (张**, J***); a one-character name is a star. Whatever else
    the field holds (a phone number typed into it) goes with the rest."""
    name = (name or "").strip() if isinstance(name, str) else ""
    if len(name) <= 1:
        return "*" if name else ""
    return name[0] + "*" * min(len(name) - 1, 8)


def mask_data(value, keep=IDENTIFIER_KEYS):
    """Every string in a JSON-like value masked, except under the identifier keys."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: v if k in keep else mask_data(v, keep) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(v, keep) for v in value]
    return value



MASKED_TYPES = ("text/html", "text/plain", "text/csv", "application/json", "application/ld+json")


def mask_response(response):
    """An HTTP response for the public, its text masked in place (streamed files excepted: open
    data is masked when the file is made). Marked, so it is never masked twice."""
    if getattr(response, "personal_data_masked", False) or response.streaming:
        return response
    media = response.get("Content-Type", "").split(";")[0].strip()
    if media in MASKED_TYPES:
        charset = response.charset or "utf-8"
        response.content = mask_text(response.content.decode(charset)).encode(charset)
    response.personal_data_masked = True
    return response
