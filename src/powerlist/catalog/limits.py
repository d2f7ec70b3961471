"""Time limits (法定时限, 承诺时限) as service catalogues write them, kept in the unit written.

Catalogues write `30(工作日)`, `30（工作日）`, `30个工作日`, `二十个工作日内`, `即办`/`当场办结`,
`20(自然日)`, `20个自然日`, `3个月` and `无`. A limit is stored as a number with its unit: a
calendar period stays a calendar period (the law that sets it counts that way), and is
converted to working days only where a count of working days is needed, saying how.

Bare days (`20`, `20日`, `20天`) count as working days: the columns are headed 法定时限（工作日）,
and 行政许可法 第八十二条 counts licensing periods in working days.
"""

import re

from django.utils.translation import gettext as _

from powerlist.catalog.models import LimitUnit
from powerlist.core.text import clean_cell, normalise
from powerlist.laws.numerals import NUMERAL, to_int

MAX_DAYS = 3650  # ten years of days: anything longer is a typing error
MAX_MONTHS = 120
MAX_BY_UNIT = {LimitUnit.WORKING_DAY.value: MAX_DAYS, LimitUnit.CALENDAR_DAY.value: MAX_DAYS,
               LimitUnit.MONTH.value: MAX_MONTHS}

# how many working days a calendar period holds on average: 《国务院关于职工工作时间的规定》
# (five working days a week) and 《全国年节及纪念日放假办法》 (13 public holidays a year since
# 2025) leave 365 - 104 - 13 = 248 working days a year
WORKING_DAYS_A_YEAR = 248

_UNIT_WORDS = [  # normalised spellings after the number, longest first
    ("个工作日", LimitUnit.WORKING_DAY), ("工作日", LimitUnit.WORKING_DAY),
    ("个自然日", LimitUnit.CALENDAR_DAY), ("自然日", LimitUnit.CALENDAR_DAY),
    ("个日历日", LimitUnit.CALENDAR_DAY), ("日历日", LimitUnit.CALENDAR_DAY),
    ("个月", LimitUnit.MONTH), ("月", LimitUnit.MONTH),
    ("日", LimitUnit.WORKING_DAY), ("天", LimitUnit.WORKING_DAY),
]
_UNIT_BY_WORD = {word: unit.value for word, unit in _UNIT_WORDS}
_UNIT_RE = "|".join(re.escape(w) for w, _u in _UNIT_WORDS)
# `30`, `30个工作日`, `30(工作日)`, `三十个工作日内`, `20(个自然日)`, `60日(自然日)`, `3个月以内`
_WHOLE = re.compile(rf"^({NUMERAL})(?:日|天)?\(?((?:{_UNIT_RE}))?\)?(?:内|以内)?$")
# a limit leading a longer text: `20个工作日（不含现场核查时间）`
_LEAD = re.compile(rf"^({NUMERAL})\(?({_UNIT_RE})\)?")
INSTANT_WORDS = frozenset({"即办", "即时办结", "当场办结", "立即办结", "即办件", "当场办理", "即时办理", "现场办结",
                           "当即办结", "即来即办"})
NONE_WORDS = frozenset({"无", "无时限", "无法定时限", "无承诺时限", "不适用", "无时间限制", "无期限"})
BLANK_WORDS = frozenset({"/", "-", "--", "—", "——", "无/"})  # a placeholder, not a statement


def parse_limit(value) -> tuple[int | None, str | None, str | None, bool]:
    """(number, unit, note, ok). The unit is None when the text gives none (a bare number);
    the note keeps a longer text as written (`20个工作日（不含公示时间）`); ok is False for a
    number out of range or a value of the wrong type."""
    if value is None or value == "":
        return None, None, None, True
    if isinstance(value, bool):
        return None, None, None, False
    if isinstance(value, (int, float)):
        if value < 0 or value > MAX_DAYS or (isinstance(value, float) and not value.is_integer()):
            return None, None, None, False
        return int(value), None, None, True
    text = normalise(str(value))
    if text in BLANK_WORDS:
        return None, None, None, True
    if text in INSTANT_WORDS or (text.startswith(("即办", "当场办结")) and len(text) <= 12):
        return 0, LimitUnit.INSTANT.value, None if text in INSTANT_WORDS else clean_cell(value), True
    if text in NONE_WORDS:
        return None, LimitUnit.NONE.value, None, True
    m = _WHOLE.match(text)
    if m:
        number, unit = to_int(m.group(1)), _UNIT_BY_WORD.get(m.group(2) or "")
        if number is None or number > MAX_BY_UNIT.get(unit, MAX_DAYS):
            return None, None, None, False
        return number, unit, None, True
    lead = _LEAD.match(text)
    if lead and (number := to_int(lead.group(1))) is not None and number <= MAX_BY_UNIT[_UNIT_BY_WORD[lead.group(2)]]:
        return number, _UNIT_BY_WORD[lead.group(2)], clean_cell(value), True
    return None, None, clean_cell(value), True


def format_limit(number: int | None, unit: str, bare_working_days: bool = True) -> str:
    """The limit as a catalogue writes it (and as the import reads it back): `20`, `20个自然日`,
    `3个月`, `即办`, `无`; blank when unknown. Working days are written as a bare number, under
    the column 法定时限（工作日）, or as `20个工作日` where no column says so."""
    if unit == LimitUnit.INSTANT:
        return "即办"
    if unit == LimitUnit.NONE:
        return "无"
    if number is None:
        return ""
    if unit == LimitUnit.CALENDAR_DAY:
        return f"{number}个自然日"
    if unit == LimitUnit.MONTH:
        return f"{number}个月"
    return str(number) if bare_working_days else f"{number}个工作日"


def working_days(number: int | None, unit: str) -> int | None:
    """The limit in working days: exact for working days and 即办, an average for calendar
    periods (see describe_limit), None when there is no limit."""
    if unit == LimitUnit.INSTANT:
        return 0
    if number is None or unit == LimitUnit.NONE:
        return None
    if unit == LimitUnit.CALENDAR_DAY:
        return round(number * WORKING_DAYS_A_YEAR / 365)
    if unit == LimitUnit.MONTH:
        return round(number * WORKING_DAYS_A_YEAR / 12)
    return number


def describe_limit(number: int | None, unit: str) -> str:
    """The limit for a reader: `30个工作日`, `即办`, `无`, and a calendar period as written with
    its working days and how they are counted:
    `20个自然日（约14个工作日：按每年248个工作日折算……）`."""
    if unit == LimitUnit.INSTANT:
        return _("immediately (即办)")
    if unit == LimitUnit.NONE:
        return _("no time limit")
    if number is None:
        return ""
    if unit == LimitUnit.WORKING_DAY:
        return _("%(n)d working days") % {"n": number}
    written = _("%(n)d calendar days") % {"n": number} if unit == LimitUnit.CALENDAR_DAY else \
        _("%(n)d months") % {"n": number}
    return _("%(written)s (about %(days)d working days, counted at 248 working days a year: five-day week under "
             "the State Council's Provisions on Working Hours of Employees, 13 public holidays under the Measures "
             "on National Holidays; the exact count depends on the start date)") % {
        "written": written, "days": working_days(number, unit)}
