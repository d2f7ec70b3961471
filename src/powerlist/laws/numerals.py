"""Chinese numerals as laws write them: 第一百二十二条, 第二十六条第一款, 第（三）项, 第55条."""

import re

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = r"[零〇○一二两三四五六七八九十百千\d]+"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def to_int(text: str) -> int | None:
    """`一百二十二` -> 122, `十` -> 10, `二十` -> 20, `一千零五十` -> 1050, `55` -> 55."""
    text = (text or "").translate(_FULLWIDTH).strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def to_chinese(n: int) -> str:
    """122 -> 一百二十二, 10 -> 十, 1050 -> 一千零五十 (the way article numbers are written)."""
    if n == 0:
        return "零"
    names = "零一二三四五六七八九"
    out, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out.append("零")
            out.append(("" if (unit == "十" and d == 1 and not out) else names[d]) + unit)
            zero = False
        elif out:
            zero = True
    return "".join(out)


ARTICLE = re.compile(rf"第\s*({NUMERAL})\s*条(?:\s*之\s*({NUMERAL}))?")
