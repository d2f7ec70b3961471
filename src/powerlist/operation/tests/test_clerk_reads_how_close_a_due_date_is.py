"""The workbench's colour of a due date counts WORKING days on the official calendar: as the days
pass, an open case only ever goes from 期限充裕 (more than 3 working days left) to 临近期限 (3 or
fewer) to 已超期, never back; a weekend or holiday between today and the due date does not count;
the words say the number the colour stands for."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerlist.core.workdays import Calendar, working_days_between
from powerlist.operation.models import Case
from powerlist.operation.services.worklists import urgency

ORDER = {"ok": 0, "soon": 1, "overdue": 2}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(due=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 10, 31)),
       before=st.integers(min_value=0, max_value=40))
def test_grading_only_moves_towards_overdue(db, due, before):
    cal = Calendar()
    case = Case(status="open", due=due)
    seen = []
    for k in range(before, -12, -1):
        today = due - dt.timedelta(days=k)
        u = urgency(case, today, cal)
        left = working_days_between(today, due, cal)
        assert u["level"] == ("overdue" if due < today else "soon" if left <= 3 else "ok")
        if u["level"] != "overdue":
            assert (f"剩 {left} 个工作日" in u["words"]) or (left == 0 and u["words"] == "今日到期")
        seen.append(ORDER[u["level"]])
    assert seen == sorted(seen)


def test_national_day_does_not_count(db):
    """2026-09-30: 10-01…10-07 rest, 10-10 (Saturday) is a make-up working day."""
    case = Case(status="open", due=dt.date(2026, 10, 9))
    assert urgency(case, dt.date(2026, 9, 30))["words"] == "剩 2 个工作日"  # 10-08 and 10-09 only
    assert urgency(case, dt.date(2026, 9, 30))["level"] == "soon"
    assert urgency(Case(status="suspended", due=dt.date(2026, 10, 9), suspension_reason="专家评审"),
                   dt.date(2026, 10, 20))["level"] == "paused"  # the clock is stopped: not overdue
