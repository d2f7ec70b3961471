"""The department head's page (/office/cases/department/): the on-time rate (closed on or before
the due date), the average working days from acceptance to close, open cases by step as a
server-drawn chart with its table, the overdue cases and the applicants' rating. A clerk sees
their own department; reviewers choose one of their jurisdiction; inspectors read."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import timezone

from powerlist.operation.services import cases, ratings, worklists

BEIJING = ZoneInfo("Asia/Shanghai")


def on(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=BEIJING)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def run(clerk, item):
    """Three closed cases (two on time, one late), one open at 决定, one overdue at 审查
    (opening a case accepts it: 受理 is done with the opening)."""
    # promised limit 10 working days: 2026-09-01 + 10 -> 09-15
    on_time = cases.open_case(clerk, item, at=on("2026-09-01"), phone="13812345678")
    for step in ("审查", "决定", "送达"):
        cases.act(clerk, on_time.number, "complete", step, at=on("2026-09-08"))
    early = cases.open_case(clerk, item, at=on("2026-09-01"))
    cases.act(clerk, early.number, "close", reason="申请人撤回", at=on("2026-09-02"))
    late = cases.open_case(clerk, item, at=on("2026-09-01"))
    cases.act(clerk, late.number, "close", reason="准予许可", at=on("2026-09-30"))
    waiting = cases.open_case(clerk, item)
    cases.act(clerk, waiting.number, "complete", "审查")
    overdue = cases.open_case(clerk, item, at=timezone.now() - dt.timedelta(days=40))
    return {"on_time": on_time, "early": early, "late": late, "waiting": waiting, "overdue": overdue}


def test_head_sees_on_time_rate_average_days_and_the_chart(licence, users):
    made = run(users["clerk"], licence)
    ratings.rate("127.0.0.1", made["on_time"].number, "5678", 4, "办事快")
    page = client_of(users["clerk"]).get("/office/cases/department/").content.decode()
    assert "岳塘区教育局" in page
    assert "66.7%" in page  # 2 of the 3 closed cases on or before their due date
    assert "2 of 3" in page or "3 件中 2 件" in page
    # working days: 09-01 -> 09-08 is 5, -> 09-02 is 1, -> 09-30 is 21: (5 + 1 + 21) / 3 = 9.0
    assert "9.0" in page
    assert '<svg' in page and 'class="chart"' in page and "在办件按环节分布" in page
    assert "<td>决定</td><td>1</td>" in page and "<td>审查</td><td>1</td>" in page
    overdue_part = page[page.index("overdue") if "overdue" in page else 0:]
    assert made["overdue"].number in overdue_part and "已超期" in page
    assert "4.0 ★" in page or "4 ★" in page


def test_figures_count_what_the_cases_say(licence, users):
    run(users["clerk"], licence)
    figures = worklists.figures(licence.organisation)
    assert (figures["closed"], figures["closed_with_due"], figures["on_time"]) == (3, 3, 2)
    assert figures["on_time_rate"] == 66.7 and figures["average_days"] == 9.0
    assert dict(figures["by_step"]) == {"决定": 1, "审查": 1}
    assert len(figures["overdue"]) == 1


def test_reviewer_chooses_a_department_and_inspector_reads(licence, users, departments):
    run(users["clerk"], licence)
    edu = departments["岳塘区教育局"]
    reviewer = client_of(users["reviewer"])
    assert "Choose a department" in reviewer.get("/office/cases/department/").content.decode() or \
        "请选择部门" in reviewer.get("/office/cases/department/").content.decode()
    chosen = reviewer.get(f"/office/cases/department/?organisation={edu.pk}").content.decode()
    assert "66.7%" in chosen
    assert "66.7%" in client_of(users["inspector"]).get(
        f"/office/cases/department/?organisation={edu.pk}").content.decode()
    market = client_of(users["market_clerk"]).get(
        f"/office/cases/department/?organisation={edu.pk}").content.decode()
    assert "66.7%" not in market and "岳塘区市场监督管理局" in market  # a clerk sees only their own
