"""The working-day calendar's loaded years: an administrator loads the State Council's notice for a
year (国务院办公厅关于XXXX年部分节假日安排的通知), validated as a whole, written in one transaction
with its audit entry. Loading a year again replaces it. The file format is in docs/calendar.md."""

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from powerlist.core import bounded, scope, workdays
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.models import CalendarDay, CalendarYear
from powerlist.core.services import audit
from powerlist.core.services.audit import actor_name

HOLIDAY_SHAPE, WORKDAY_SHAPE = '{"name", "first", "last"}', '{"date", "name"}'
MAX_PERIOD_DAYS = 15  # the longest holiday so far is ten days (春节 2020, extended); a longer one is a typo


def _date(value, where: str, problems: list[Problem], file: str, year: int | None) -> dt.date | None:
    date = workdays.parse_date(value)
    if date is None:
        problems.append(Problem(file, None, where, str(value), "应为日期，如 2027-01-01"))
    elif year is not None and date.year != year:
        problems.append(Problem(file, None, where, str(value), f"日期应在通知所属的{year}年内"))
        return None
    return date


def _name(value, where: str, problems: list[Problem], file: str) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name or len(name) > 40:
        problems.append(Problem(file, None, where, str(value or ""), "应填写节日名称（1至40个字），如 春节"))
    return name


def _objects(entries: list, kind: str, shape: str, problems: list[Problem], file: str):
    """(`holidays[2]`, entry) for each entry that is a JSON object; the others are problems."""
    for i, entry in enumerate(entries, 1):
        if isinstance(entry, dict):
            yield f"{kind}[{i}]", entry
        else:
            problems.append(Problem(file, None, f"{kind}[{i}]", str(entry)[:60], f"应为 {shape}"))


def parse_notice(data, file: str = "") -> tuple[int, str, list[tuple[dt.date, bool, str]]]:
    """(year, source, [(date, is_working_day, name)]) of a notice as docs/calendar.md writes it;
    every problem found is reported at once."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InvalidInput([Problem(file, None, "", type(data).__name__,
                                    "应为一个 JSON 对象：year, source, holidays, workdays")])
    unknown = set(data) - {"year", "source", "holidays", "workdays"}
    if unknown:
        problems.append(Problem(file, None, ", ".join(sorted(unknown)), "",
                                "不认识的字段：只有 year, source, holidays, workdays"))
    year = data.get("year")
    first, last = workdays.FIRST_YEAR, workdays.LAST_YEAR
    if isinstance(year, bool) or not isinstance(year, int) or not first <= year <= last:
        problems.append(Problem(file, None, "year", str(year), f"应为 {first} 至 {last} 的年份，如 2027"))
        year = None
    source = data.get("source")
    if not isinstance(source, str) or not source.strip() or len(source) > 200:
        problems.append(Problem(file, None, "source", str(source or ""),
                                "应写明通知的名称和文号（200字以内），如 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕…号）"))
        source = ""
    holidays, makeup = data.get("holidays"), data.get("workdays", [])
    if not isinstance(holidays, list) or not holidays:
        problems.append(Problem(file, None, "holidays", str(holidays or ""), f"应列出每个放假期间：[{HOLIDAY_SHAPE}]"))
        holidays = []
    if not isinstance(makeup, list):
        problems.append(Problem(file, None, "workdays", str(makeup), f"应列出每个调休上班日：[{WORKDAY_SHAPE}]"))
        makeup = []

    days: dict[dt.date, tuple[bool, str, str]] = {}  # date -> (working, name, where listed)
    for where, period in _objects(holidays, "holidays", HOLIDAY_SHAPE, problems, file):
        name = _name(period.get("name"), f"{where}.name", problems, file)
        first = _date(period.get("first"), f"{where}.first", problems, file, year)
        last = _date(period.get("last", period.get("first")), f"{where}.last", problems, file, year)
        if first and last and last < first:
            problems.append(Problem(file, None, f"{where}.last", str(last), f"结束日不能早于开始日 {first}"))
            continue
        if not (name and first and last):
            continue
        if (last - first).days + 1 > MAX_PERIOD_DAYS:
            problems.append(Problem(file, None, where, f"{first}…{last}", f"一次放假不超过{MAX_PERIOD_DAYS}天：请核对日期"))
            continue
        for k in range((last - first).days + 1):
            date = first + dt.timedelta(k)
            if date in days:
                problems.append(Problem(file, None, where, str(date),
                                        f"与 {days[date][2]}（{days[date][1]}）重叠：每一天只能列一次"))
            else:
                days[date] = (False, name, where)
    for where, entry in _objects(makeup, "workdays", WORKDAY_SHAPE, problems, file):
        name = _name(entry.get("name"), f"{where}.name", problems, file)
        date = _date(entry.get("date"), f"{where}.date", problems, file, year)
        if not (name and date):
            continue
        if date in days:
            problems.append(Problem(file, None, f"{where}.date", str(date),
                                    f"已列在 {days[date][2]}（{days[date][1]}）：同一天不能既放假又上班"))
        elif date.weekday() < 5:
            problems.append(Problem(file, None, f"{where}.date", str(date),
                                    "调休上班日应是星期六或星期日：工作日本来就上班"))
        else:
            days[date] = (True, name, where)
    if problems:
        raise InvalidInput(problems)
    return year, source.strip(), sorted((d, working, name) for d, (working, name, _w) in days.items())


def _summary(year: CalendarYear | None) -> dict | None:
    if year is None:
        return None
    days = list(year.days.order_by("date"))
    return {"source": year.source, "holidays": [f"{d.date} {d.name}" for d in days if not d.is_working_day],
            "workdays": [f"{d.date} {d.name}" for d in days if d.is_working_day]}


def load_notice(actor, data, file: str = "") -> CalendarYear:
    """Load (or replace) one year's notice: all or nothing, audited."""
    scope.require_admin(actor, "载入工作日历（节假日安排）")
    year, source, days = parse_notice(data, file)
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=year).first()
        before = _summary(existing)
        if existing is not None:
            existing.delete()
        loaded = CalendarYear.objects.create(year=year, source=source, loaded_by=actor_name(actor),
                                             loaded_at=timezone.now())
        CalendarDay.objects.bulk_create(CalendarDay(calendar_year=loaded, date=d, is_working_day=w, name=n)
                                        for d, w, n in days)
        after = _summary(loaded)
        audit.append(actor, "calendar.load", f"calendar:{year}", {"year": year, "before": before, "after": after})
    return loaded


def load_notice_file(actor, path: Path) -> CalendarYear:
    """A notice file (JSON, UTF-8) read within the JSON limits."""
    scope.require_admin(actor, "载入工作日历（节假日安排）")
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem(path.name, None, "", str(path), "找不到这个文件")])
    return load_notice(actor, bounded.load_json_file(path), path.name)
