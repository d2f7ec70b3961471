"""Hypothesis strategies for personal numbers written the many ways clerks write them, and the
office numbers that must stay public; shared by the masking tests of every surface."""

import datetime
import unicodedata

from hypothesis import strategies as st

PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
             "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]
SEPARATORS = [" ", "-", " - ", "\u3000", "－", "\u00a0"]
MOBILE_PREFIXES = ["", "", "+86", "+86 ", "+86-", "0086", "0086 ", "86", "(+86)", "（+86）", "＋８６ "]
# must stay visible: supervision phones and hotlines, and codes, dates, amounts that are not personal
PUBLIC_NUMBERS = ["0731-58550000", "(0731)5855000", "（0731）58550000", "0731 5855 0000", "12345", "12315",
                  "400-123-4567", "800-820-8820", "4008123123", "20240101", "2024-01-01", "13000元",
                  "91430300MA4L12345X", "430304-JY-XK-001", "第135条", "罚款50000元以上100000元以下"]
_FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]

digits = st.text("0123456789", min_size=1, max_size=1)


@st.composite
def mobiles(draw) -> str:
    return "1" + draw(st.sampled_from("3456789")) + "".join(draw(digits) for _ in range(9))


@st.composite
def resident_ids(draw) -> str:
    region = draw(st.sampled_from(PROVINCES)) + "".join(draw(digits) for _ in range(4))
    born = draw(st.dates(datetime.date(1900, 1, 1), datetime.date(2024, 12, 31)))
    if draw(st.booleans()):
        body = region + born.strftime("%Y%m%d") + "".join(draw(digits) for _ in range(3))
        total = sum(int(d) * w for d, w in zip(body, _WEIGHTS))
        return body + "10X98765432"[total % 11]
    return region + born.strftime("%y%m%d") + "".join(draw(digits) for _ in range(3))  # the old 15 digits


def _grouped(number: str, groups: list[int], sep: str) -> str:
    parts, start = [], 0
    for size in groups:
        parts.append(number[start:start + size])
        start += size
    return sep.join(p for p in parts if p)


@st.composite
def written(draw, number: str) -> str:
    """`number` as a clerk might type it: grouped with spaces or dashes, half- or full-width,
    a mobile with a country prefix."""
    if len(number) == 11:
        groups = draw(st.sampled_from([[11], [3, 4, 4]]))
    elif len(number) == 18:
        groups = draw(st.sampled_from([[18], [6, 8, 4], [6, 4, 4, 4], [4, 4, 4, 4, 2], [3, 3, 4, 4, 4]]))
    else:
        groups = draw(st.sampled_from([[15], [6, 6, 3], [6, 9]]))
    text = _grouped(number, groups, draw(st.sampled_from(SEPARATORS)))
    if draw(st.booleans()):
        text = text.translate(_FULL)
    if len(number) == 11:
        text = draw(st.sampled_from(MOBILE_PREFIXES)) + text
    return text


chinese = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=6)
# between a number and what follows there is always some word or punctuation: two numbers with
# only a space between them cannot be told apart reliably, by a person or a program
glue = st.sampled_from(["：", "，", "（", "）", "电话", "身份证号", "；联系人", " 或 "])


@st.composite
def personal_texts(draw, count: int = 3) -> tuple[str, list[str]]:
    """Chinese text with `count` personal numbers in it and one public number; returns the text
    and the bare numbers that must not appear."""
    numbers, pieces = [], [draw(chinese)]
    for _ in range(count):
        number = draw(st.one_of(mobiles(), resident_ids()))
        numbers.append(number)
        pieces += [draw(glue), draw(written(number)), draw(glue), draw(chinese)]
    pieces += ["，监督电话", draw(st.sampled_from(PUBLIC_NUMBERS)), "。"]
    return "".join(pieces), numbers


def leaked(numbers: list[str], text: str) -> list[str]:
    """The numbers that can still be read in `text`, whatever width or separators they carry."""
    flat = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit() or ch in "Xx*")
    return [n for n in numbers if n in flat or n.upper() in flat.upper()]
