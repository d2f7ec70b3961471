"""The official working-day calendar (工作日) of the People's Republic of China, and deadlines
counted on it that explain themselves.

A day is a working day by, in order of precedence:
1. a year loaded by an administrator from the State Council's notice (CalendarYear, through
   core.services.calendar): its holidays rest, its make-up days (调休上班) work, other days by the
   five-day week. For that year the notice replaces chinese-calendar's data;
2. chinese-calendar (the notices as the package encodes them, with 调休);
3. nothing else: a year neither knows is refused (UnknownYear), never guessed as plain weekdays.

Counting follows the law that sets each limit:
- working days (行政许可法 第八十二条: 期限以工作日计算，不含法定节假日): counting starts the day after
  acceptance (受理), and working days inside a suspension (中止: 补正材料, 专家评审, 听证, 检验检测)
  are not counted;
- calendar days and months (民法典 第二百零一条: 开始的当日不计入，自下一日开始计算; 第二百零二条: a
  period in months ends on the corresponding day of the last month, or its last day; 第二百零三条:
  a period whose last day is a 法定休假日 ends on the day after the holiday, i.e. the next working day);
  suspended days are added back.
All dates are Beijing dates (settings.TIME_ZONE): a datetime is converted first.
"""

import calendar as _monthcal
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar
from django.utils import timezone

from powerlist.core.errors import InvalidInput, NotFound, Problem

# units as catalog.limits writes them (LimitUnit)
WORKING_DAY, CALENDAR_DAY, MONTH, INSTANT, NONE = "working_day", "calendar_day", "month", "instant", "none"
UNITS = (WORKING_DAY, CALENDAR_DAY, MONTH, INSTANT, NONE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a notice may be loaded for
MAX_DAYS, MAX_MONTHS = 3650, 120  # as catalog.limits: anything longer is a typing error
UNIT_WORDS = {WORKING_DAY: "个工作日", CALENDAR_DAY: "个自然日", MONTH: "个月"}

PACKAGE = f"chinese-calendar {getattr(chinese_calendar, '__version__', '')}".strip()
PACKAGE_YEARS = (min(chinese_calendar.constants.holidays).year, max(chinese_calendar.constants.holidays).year)
# the package's English names, as the notices name the holidays
HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class UnknownYear(NotFound):
    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的工作日历尚未载入：{PACKAGE} 只含 {PACKAGE_YEARS[0]}–{PACKAGE_YEARS[1]} 年，管理员也未载入"
            f"{year}年的节假日安排。请管理员载入国务院办公厅关于{year}年部分节假日安排的通知："
            f"powerlist calendar load FILE（格式见 docs/calendar.md），或在后台“工作日历”页载入")


@dataclass(frozen=True)
class Day:
    date: dt.date
    working: bool
    name: str = ""  # the holiday a rest day or make-up working day belongs to; "" for ordinary days
    source: str = ""


@dataclass
class Suspension:
    """中止: the clock stops from `first` to `last` (both included)."""

    first: dt.date
    last: dt.date
    reason: str

    @classmethod
    def of(cls, value) -> "Suspension":
        if isinstance(value, Suspension):
            return value
        if not isinstance(value, (tuple, list)) or len(value) != 3:
            raise InvalidInput([Problem("", None, "suspension", str(value)[:60], "中止应为（开始日, 结束日, 原因）")])
        first, last, reason = value
        return cls(beijing_date(first), beijing_date(last), str(reason or "中止"))


@dataclass
class Due:
    """A due date and how it was reached, in words a person reads."""

    start: dt.date
    days: int | None
    unit: str
    date: dt.date | None
    explained: str
    holidays: list[tuple[str, dt.date, dt.date]] = field(default_factory=list)
    makeup_days: list[tuple[str, dt.date]] = field(default_factory=list)
    suspended: list[tuple[Suspension, int]] = field(default_factory=list)  # each with the days it stopped

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "days": self.days, "unit": self.unit,
                "due": self.date.isoformat() if self.date else None, "explained": self.explained}


def beijing_date(value) -> dt.date:
    """The Beijing date of a date, an aware datetime (converted to settings.TIME_ZONE) or a naive
    datetime (taken as Beijing time), or of `YYYY-MM-DD` text."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (date := parse_date(value)) is not None:
        return date
    raise InvalidInput([Problem("", None, "date", str(value)[:60], "应为日期，如 2026-09-28")])


def parse_date(text: str) -> dt.date | None:
    """`YYYY-MM-DD` and nothing looser (fromisoformat also takes `20260928` and week dates)."""
    text = text.strip() if isinstance(text, str) else ""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


# The loaded years as last read, by database, with the stamp they were read under and the days
# looked up since: kept for the process while the stamp stays (see Calendar._current).
_READ: dict[str, tuple[tuple, dict, dict]] = {}
_MEMO_MAX = 50_000  # days remembered per calendar (137 years): a bound, never reached by deadlines


class Calendar:
    """The calendar as it stands: chinese-calendar plus the years loaded into the database. Read
    from the database once per process while no year is loaded (or replaced) since, which one small
    statement checks on every new instance; reuse one instance to count many deadlines."""

    def __init__(self, loaded: dict[int, tuple[str, dict[dt.date, Day]]] | None = None):
        if loaded is None:
            loaded, self._days = self._current()
        else:
            self._days = {}
        self.loaded = loaded

    @staticmethod
    def _current() -> tuple[dict, dict]:
        """(loaded years, days memo) as the database stands now. The stamp (how many years are
        loaded, the sum of their ids, the latest loading time) changes whenever an administrator
        loads or replaces a year (core.services.calendar writes a year and its days together, as a
        new row) and when such a transaction rolls back, in this process or any other: one indexed
        statement instead of reading every loaded day again."""
        from django.db import connections, router

        from powerlist.core.models import CalendarYear

        connection = connections[router.db_for_read(CalendarYear)]
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*), SUM({qn('id')}), MAX({qn('loaded_at')}) "
                           f"FROM {qn(CalendarYear._meta.db_table)}")
            stamp = tuple(cursor.fetchone())
        kept = _READ.get(connection.alias)
        if kept is None or kept[0] != stamp:
            kept = _READ[connection.alias] = (stamp, Calendar._read(), {})
        return kept[1], kept[2]

    @staticmethod
    def _read():
        from powerlist.core.models import CalendarDay, CalendarYear

        loaded = {y.year: (y.source, {}) for y in CalendarYear.objects.all()}
        for d in CalendarDay.objects.select_related("calendar_year"):
            source, days = loaded[d.calendar_year.year]
            days[d.date] = Day(d.date, d.is_working_day, d.name, source)
        return loaded

    def knows(self, year: int) -> bool:
        return year in self.loaded or PACKAGE_YEARS[0] <= year <= PACKAGE_YEARS[1]

    def source(self, year: int) -> str:
        if year in self.loaded:
            return self.loaded[year][0]
        if self.knows(year):
            return PACKAGE
        raise UnknownYear(year)

    def day(self, date: dt.date) -> Day:
        day = self._days.get(date)
        if day is None:
            if len(self._days) >= _MEMO_MAX:
                self._days.clear()
            day = self._days[date] = self._day(date)
        return day

    def _day(self, date: dt.date) -> Day:
        if date.year in self.loaded:
            source, days = self.loaded[date.year]
            return days.get(date) or Day(date, date.weekday() < 5, "", source)
        if not self.knows(date.year):
            raise UnknownYear(date.year)
        rest, name = chinese_calendar.get_holiday_detail(date)  # name None: an ordinary weekday or weekend
        return Day(date, not rest, HOLIDAY_NAMES.get(name, name) if name else "", PACKAGE)

    def is_working_day(self, date) -> bool:
        return self.day(beijing_date(date)).working

    def year(self, year: int) -> tuple[str, list[tuple[str, dt.date, dt.date]], list[tuple[str, dt.date]]]:
        """(source, holiday periods, make-up working days) of one year."""
        source = self.source(year)
        days = [self.day(dt.date(year, 1, 1) + dt.timedelta(i))
                for i in range((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)]
        return source, _periods(days), [(d.name, d.date) for d in days if d.working and d.name]

    def next_working_day(self, date: dt.date) -> dt.date:
        while not self.day(date).working:
            date += dt.timedelta(1)
        return date


def _periods(days: Iterable[Day]) -> list[tuple[str, dt.date, dt.date]]:
    """Consecutive rest days of named holidays as periods: ('国庆节、中秋节', first, last)."""
    periods: list[list] = []
    for d in days:
        if d.working or not d.name:
            continue
        if periods and periods[-1][2] + dt.timedelta(1) == d.date:
            periods[-1][2] = d.date
            if d.name not in periods[-1][0]:
                periods[-1][0].append(d.name)
        else:
            periods.append([[d.name], d.date, d.date])
    return [("、".join(names), first, last) for names, first, last in periods]


def _check_count(n, limit: int, unit: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0 or n > limit:
        raise InvalidInput([Problem("", None, "days", str(n), f"应为 0 至 {limit} 的整数（{UNIT_WORDS.get(unit, '')}）")])
    return n


def _suspensions(values) -> list[Suspension]:
    out = [Suspension.of(v) for v in values or ()]
    for s in out:
        if s.last < s.first:
            raise InvalidInput([Problem("", None, "suspension", f"{s.first}:{s.last}:{s.reason}",
                                        "中止的结束日不能早于开始日")])
    return out


def _suspended(date: dt.date, suspensions: list[Suspension]) -> Suspension | None:
    return next((s for s in suspensions if s.first <= date <= s.last), None)


def _short(date: dt.date, start: dt.date) -> str:
    return date.strftime("%m-%d") if date.year == start.year else date.isoformat()


def _span(first: dt.date, last: dt.date, start: dt.date) -> str:
    return _short(first, start) if first == last else f"{_short(first, start)}…{_short(last, start)}"


def _explain(due: Due, cal: Calendar, lead: str, tail: str = "") -> str:
    """`受理 2026-09-28 + 20 个工作日；国庆节 10-01…10-07 不计，10-10 调休上班；中止 3 个工作日（补正材料
    10-14…10-16）→ 2026-11-04`: every holiday and make-up day in the span named once."""
    if due.unit == WORKING_DAY:  # calendar periods count holidays like any other day: nothing to name
        days = [cal.day(due.start + dt.timedelta(i)) for i in range(1, (due.date - due.start).days + 1)]
        due.holidays = _periods(days)
        due.makeup_days = [(d.name, d.date) for d in days if d.working and d.name]
    parts = [lead]
    calendar_words = []
    if due.holidays:
        calendar_words.append("，".join(f"{name} {_span(a, b, due.start)}" for name, a, b in due.holidays) + " 不计")
    if due.makeup_days:
        calendar_words.append("、".join(_short(d, due.start) for _n, d in due.makeup_days) + " 调休上班")
    if calendar_words:
        parts.append("，".join(calendar_words))
    unit_word = "个工作日" if due.unit == WORKING_DAY else "天"
    for s, n in due.suspended:
        where = f"{s.reason} {_span(s.first, s.last, due.start)}"
        parts.append(f"中止 {n} {unit_word}（{where}）" if n else f"中止（{where}）不在期间内，不影响")
    text = "；".join(parts) + tail
    return f"{text}{'' if text.endswith('）') else ' '}→ {due.date.isoformat()}"


def add_working_days(start, n: int, suspensions=(), calendar: Calendar | None = None) -> Due:
    """The date `n` working days after `start` (受理): counting starts the next day; working days
    inside a suspension are not counted. n = 0 is 即办: the day of acceptance."""
    start = beijing_date(start)
    n = _check_count(n, MAX_DAYS, WORKING_DAY)
    if start.year > LAST_YEAR:
        raise UnknownYear(start.year)
    suspensions = _suspensions(suspensions)
    cal = calendar or Calendar()
    stopped = {id(s): 0 for s in suspensions}
    date, counted = start, 0
    while counted < n:
        date += dt.timedelta(1)
        if not cal.day(date).working:
            continue
        s = _suspended(date, suspensions)
        if s is not None:
            stopped[id(s)] += 1
        else:
            counted += 1
    due = Due(start, n, WORKING_DAY, date, "", suspended=[(s, stopped[id(s)]) for s in suspensions])
    due.explained = _explain(due, cal, f"受理 {start.isoformat()} + {n} 个工作日")
    return due


def working_days_between(a, b, calendar: Calendar | None = None) -> int:
    """Working days elapsed from `a` to `b`: those after `a` up to and including `b` (negative
    when `b` is before `a`). working_days_between(d, add_working_days(d, n).date) == n."""
    a, b = beijing_date(a), beijing_date(b)
    if b < a:
        return -working_days_between(b, a, calendar)
    cal = calendar or Calendar()
    return sum(cal.day(a + dt.timedelta(i)).working for i in range(1, (b - a).days + 1))


def is_working_day(date, calendar: Calendar | None = None) -> bool:
    return (calendar or Calendar()).is_working_day(date)


def add_months(date: dt.date, months: int) -> dt.date:
    """民法典 第二百零二条: the corresponding day of the last month, or that month's last day."""
    month0 = date.month - 1 + months
    year, month = date.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(date.day, _monthcal.monthrange(year, month)[1]))


def add_calendar_period(start, n: int, unit: str = CALENDAR_DAY, suspensions=(),
                        calendar: Calendar | None = None) -> Due:
    """A period of `n` calendar days or months after `start` (民法典 第二百零一条 to 第二百零三条):
    the start day is not counted, suspended days are added back, and a last day that is not a
    working day moves to the next working day."""
    start = beijing_date(start)
    n = _check_count(n, MAX_MONTHS if unit == MONTH else MAX_DAYS, unit)
    if start.year > LAST_YEAR:  # no calendar reaches there, and counting would run off the end of dates
        raise UnknownYear(start.year)
    suspensions = _suspensions(suspensions)
    cal = calendar or Calendar()
    length = (add_months(start, n) - start).days if unit == MONTH else n
    stopped = {id(s): 0 for s in suspensions}
    date, counted = start, 0
    while counted < length:
        date += dt.timedelta(1)
        s = _suspended(date, suspensions)
        if s is not None:
            stopped[id(s)] += 1
        else:
            counted += 1
    last = date
    date = cal.next_working_day(last) if n else last
    due = Due(start, n, unit, date, "", suspended=[(s, stopped[id(s)]) for s in suspensions])
    tail = ""
    if date != last:
        tail = f"；期间最后一日 {_short(last, start)} 为休息日，顺延至其后第一个工作日（《民法典》第二百零三条）"
    due.explained = _explain(due, cal, f"起算 {start.isoformat()} + {n} {UNIT_WORDS[unit]}（《民法典》第二百零一条"
                                       f"{'、第二百零二条' if unit == MONTH else ''}：当日不计入）", tail)
    return due


def due_date(start, number: int | None, unit: str | None, suspensions=(), calendar: Calendar | None = None) -> Due:
    """The due date of a time limit kept as catalog.limits keeps it (number and unit); a bare
    number counts working days, as the lists' 法定时限（工作日） columns do."""
    start = beijing_date(start)
    unit = unit or WORKING_DAY
    if unit not in UNITS:
        raise InvalidInput([Problem("", None, "unit", str(unit), "应为 " + " / ".join(UNITS))])
    if unit == NONE or number is None:
        return Due(start, None, NONE, None, f"受理 {start.isoformat()}；无法定时限")
    if unit == INSTANT or number == 0:
        return Due(start, 0, INSTANT, start, f"受理 {start.isoformat()}；即办 → {start.isoformat()}")
    if unit == WORKING_DAY:
        return add_working_days(start, number, suspensions, calendar)
    return add_calendar_period(start, number, unit, suspensions, calendar)
