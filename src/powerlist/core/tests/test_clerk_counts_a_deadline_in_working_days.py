"""A clerk accepts an application and the system tells when it is due: in working days on the
official calendar (weekends, public holidays and 调休 as chinese-calendar encodes the State
Council's notices for 2024-2026), counting from the day after acceptance, with suspensions that
stop the clock, and an explanation a person can check by hand. Calendar periods (自然日, 个月)
count as the Civil Code says. The expected dates were worked out by hand from the notices."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from powerlist.core import workdays
from powerlist.core.errors import InvalidInput
from powerlist.core.workdays import (CALENDAR_DAY, INSTANT, MONTH, NONE, WORKING_DAY, UnknownYear, add_calendar_period,
                                     add_working_days, due_date, is_working_day, working_days_between)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize("start,n,due", [
    # 2024 春节: 02-10…02-17 off, 02-04 (Sun) and 02-18 (Sun) worked
    (D(2024, 2, 1), 5, D(2024, 2, 7)),
    (D(2024, 2, 8), 5, D(2024, 2, 21)),
    # 2024 国庆: 10-01…10-07 off, 09-29 (Sun) worked
    (D(2024, 9, 27), 3, D(2024, 10, 8)),
    # 2025 春节: 01-28…02-04 off, 01-26 (Sun) and 02-08 (Sat) worked
    (D(2025, 1, 24), 10, D(2025, 2, 13)),
    # 2025 国庆 and 中秋: 10-01…10-08 off, 09-28 (Sun) and 10-11 (Sat) worked
    (D(2025, 9, 26), 20, D(2025, 10, 30)),
    # 2026 国庆: 10-01…10-07 off, 10-10 (Sat) worked
    (D(2026, 9, 28), 20, D(2026, 10, 30)),
    # across the new year: 2026 元旦 01-01…01-03 off, 01-04 (Sun) worked
    (D(2025, 12, 30), 3, D(2026, 1, 5)),
])
def test_known_deadlines_across_spring_festival_national_day_and_makeup_days(start, n, due):
    result = add_working_days(start, n)
    assert result.date == due
    assert working_days_between(start, due) == n


def test_counting_starts_the_day_after_acceptance():
    assert add_working_days(D(2026, 3, 2), 1).date == D(2026, 3, 3)  # accepted Monday: due Tuesday
    assert add_working_days(D(2026, 3, 7), 1).date == D(2026, 3, 9)  # accepted on a Saturday: due Monday
    assert add_working_days(D(2026, 10, 3), 1).date == D(2026, 10, 8)  # accepted during 国庆
    assert add_working_days(D(2026, 3, 2), 0).date == D(2026, 3, 2)  # 即办


def test_the_due_date_explains_itself():
    due = add_working_days(D(2026, 9, 28), 20, [(D(2026, 10, 14), D(2026, 10, 16), "补正材料")])
    assert due.date == D(2026, 11, 4)
    assert due.explained == ("受理 2026-09-28 + 20 个工作日；国庆节 10-01…10-07 不计，10-10 调休上班；"
                             "中止 3 个工作日（补正材料 10-14…10-16）→ 2026-11-04")
    assert due.as_dict() == {"start": "2026-09-28", "days": 20, "unit": "working_day", "due": "2026-11-04",
                             "explained": due.explained}


def test_every_holiday_and_makeup_day_in_the_span_is_named_once():
    due = add_working_days(D(2025, 9, 26), 20)
    assert due.explained == "受理 2025-09-26 + 20 个工作日；国庆节、中秋节 10-01…10-08 不计，09-28、10-11 调休上班 → 2025-10-30"
    assert due.holidays == [("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8))]
    across = add_working_days(D(2025, 12, 30), 3)
    assert across.explained == "受理 2025-12-30 + 3 个工作日；元旦 2026-01-01…2026-01-03 不计，2026-01-04 调休上班 → 2026-01-05"
    plain = add_working_days(D(2026, 3, 2), 5)
    assert plain.explained == "受理 2026-03-02 + 5 个工作日 → 2026-03-09"


def test_suspensions_stop_the_clock_only_on_working_days_inside_them():
    plain = add_working_days(D(2026, 3, 2), 10).date
    # 专家评审 over a weekend and two working days, 听证 after the due date
    due = add_working_days(D(2026, 3, 2), 10, [(D(2026, 3, 7), D(2026, 3, 10), "专家评审"),
                                               (D(2026, 6, 1), D(2026, 6, 5), "听证")])
    assert due.date == plain + dt.timedelta(2) and due.date == D(2026, 3, 18)
    assert "中止 2 个工作日（专家评审 03-07…03-10）" in due.explained
    assert "中止（听证 06-01…06-05）不在期间内，不影响" in due.explained
    with pytest.raises(InvalidInput, match="结束日不能早于开始日"):
        add_working_days(D(2026, 3, 2), 10, [(D(2026, 3, 10), D(2026, 3, 7), "检验检测")])
    with pytest.raises(InvalidInput, match="中止应为"):
        add_working_days(D(2026, 3, 2), 10, [(D(2026, 3, 10), "检验检测")])


def test_a_datetime_is_taken_as_its_beijing_date():
    late_utc = dt.datetime(2026, 9, 27, 18, 30, tzinfo=dt.UTC)  # 2026-09-28 02:30 in Beijing
    assert add_working_days(late_utc, 20).start == D(2026, 9, 28)
    assert add_working_days(dt.datetime(2026, 9, 28, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai")), 1).date == D(2026, 9, 29)
    assert add_working_days("2026-09-28", 20).date == D(2026, 10, 30)


def test_is_working_day_knows_makeup_saturdays_and_holiday_mondays():
    assert is_working_day(D(2026, 10, 10))  # Saturday, 调休上班
    assert not is_working_day(D(2026, 10, 5))  # Monday, 国庆节
    assert not is_working_day(D(2026, 10, 17))  # an ordinary Saturday
    assert working_days_between(D(2026, 10, 30), D(2026, 9, 28)) == -20


def test_calendar_periods_count_every_day_and_end_on_a_working_day():
    # 民法典 第二百零一条: 20 calendar days from 09-10 end 09-30, a working day
    assert add_calendar_period(D(2026, 9, 10), 20).date == D(2026, 9, 30)
    # ... from 09-14 they end 10-04, in 国庆: moved to the first working day after it (第二百零三条)
    moved = add_calendar_period(D(2026, 9, 14), 20)
    assert moved.date == D(2026, 10, 8)
    assert moved.explained == ("起算 2026-09-14 + 20 个自然日（《民法典》第二百零一条：当日不计入）；期间最后一日 10-04 为休息日，"
                               "顺延至其后第一个工作日（《民法典》第二百零三条）→ 2026-10-08")
    # 第二百零二条: one month from 01-31 ends on February's last day, 02-28, a 调休 Saturday: worked, so it stays
    assert add_calendar_period(D(2026, 1, 31), 1, MONTH).date == D(2026, 2, 28)
    assert add_calendar_period(D(2026, 7, 1), 3, MONTH).date == D(2026, 10, 8)
    # suspended days are added back
    assert add_calendar_period(D(2026, 9, 10), 20, CALENDAR_DAY, [(D(2026, 9, 15), D(2026, 9, 17), "检验检测")]).date \
        == D(2026, 10, 8)


def test_limits_as_the_catalogue_keeps_them():
    start = D(2026, 9, 28)
    assert due_date(start, 20, WORKING_DAY).date == D(2026, 10, 30)
    assert due_date(start, 20, None).date == D(2026, 10, 30)  # a bare number: 法定时限（工作日）
    assert due_date(start, 0, INSTANT).date == start
    assert due_date(start, None, NONE).date is None and "无法定时限" in due_date(start, None, NONE).explained
    assert due_date(start, 1, MONTH).date == D(2026, 10, 28)
    with pytest.raises(InvalidInput):
        due_date(start, 3, "fortnight")
    with pytest.raises(InvalidInput, match="0 至 3650"):
        add_working_days(start, -1)


def test_a_year_nobody_knows_is_refused_naming_it_and_how_to_load_it():
    with pytest.raises(UnknownYear) as refused:
        add_working_days(D(2098, 12, 20), 20)
    assert "2098年的工作日历尚未载入" in str(refused.value) and "powerlist calendar load" in str(refused.value)
    with pytest.raises(UnknownYear, match="2003"):
        is_working_day(D(2003, 6, 2))
    assert workdays.PACKAGE_YEARS[0] == 2004


def test_the_end_of_the_calendar_is_refused_not_overflowed():
    for count in (lambda: add_working_days(D(9999, 12, 31), 1), lambda: add_calendar_period(D(9999, 12, 20), 30),
                  lambda: add_calendar_period(D(9999, 12, 20), 3, MONTH)):
        with pytest.raises(UnknownYear, match="9999"):
            count()
