"""Properties of counting, for any acceptance day chinese-calendar knows: the due date is a working
day, counting back from it gives the days counted plus the days suspended, more days never come
sooner, and a suspension only ever pushes the due date later. The calendar is chinese-calendar's
alone (no loaded years), so these need no database."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.core.workdays import (CALENDAR_DAY, MONTH, Calendar, Suspension, add_calendar_period, add_months,
                                     add_working_days, working_days_between)

CAL = Calendar(loaded={})
starts = st.dates(dt.date(2004, 1, 1), dt.date(2026, 9, 30))  # + 40 working days stays within 2026
counts = st.integers(0, 40)


@st.composite
def suspensions(draw, start):
    out = []
    for _ in range(draw(st.integers(0, 3))):
        first = start + dt.timedelta(draw(st.integers(0, 30)))
        out.append(Suspension(first, first + dt.timedelta(draw(st.integers(0, 6))), draw(st.sampled_from(
            ["补正材料", "专家评审", "听证", "检验检测"]))))
    return out


@settings(max_examples=150, deadline=None)
@given(st.data(), starts, counts)
def test_counting_forward_then_back(data, start, n):
    stops = data.draw(suspensions(start))
    due = add_working_days(start, n, stops, calendar=CAL)
    if n:
        assert CAL.is_working_day(due.date) and due.date > start
        assert not any(s.first <= due.date <= s.last for s in stops)
    assert working_days_between(start, due.date, CAL) == n + sum(k for _s, k in due.suspended)
    plain = add_working_days(start, n, calendar=CAL)
    assert working_days_between(start, plain.date, CAL) == n
    assert due.date >= plain.date  # suspensions only push later
    assert due.explained.endswith(due.date.isoformat())


@settings(max_examples=100, deadline=None)
@given(starts, st.integers(0, 39))
def test_more_working_days_are_never_sooner(start, n):
    assert add_working_days(start, n, calendar=CAL).date < add_working_days(start, n + 1, calendar=CAL).date


@settings(max_examples=100, deadline=None)
@given(starts, st.integers(1, 60), st.sampled_from([CALENDAR_DAY, MONTH]))
def test_calendar_periods_move_only_past_rest_days(start, n, unit):
    n = n if unit == CALENDAR_DAY else n % 3 + 1
    last = start + dt.timedelta(n) if unit == CALENDAR_DAY else add_months(start, n)
    due = add_calendar_period(start, n, unit, calendar=CAL)
    assert CAL.is_working_day(due.date) and due.date >= last
    # 民法典 第二百零三条: the days between the period's last day and the due date are all rest days
    assert not any(CAL.is_working_day(last + dt.timedelta(k)) for k in range((due.date - last).days))


LOADED = Calendar(loaded={2099: ("a notice without holidays", {})})  # a loaded year: the five-day week alone


@settings(max_examples=100, deadline=None)
@given(st.dates(dt.date(2099, 1, 1), dt.date(2099, 10, 31)), st.integers(0, 8))
def test_in_a_loaded_year_without_holidays_five_working_days_are_a_week(start, weeks):
    if start.weekday() < 5:
        assert add_working_days(start, 5 * weeks, calendar=LOADED).date == start + dt.timedelta(7 * weeks)
    assert working_days_between(start, start + dt.timedelta(7 * weeks), LOADED) == 5 * weeks
