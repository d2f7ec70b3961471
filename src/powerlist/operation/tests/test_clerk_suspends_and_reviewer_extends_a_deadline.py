"""Working-day deadlines of a case accepted before 国庆 2026: the due date is counted on the
official calendar from the item's limit (promised, else statutory) and explains itself; 退回补正
and a suspension stop the clock until resumed; an extension needs a reviewer's approval and a
reason, and the explanation names both."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.errors import InvalidInput
from powerlist.core.scope import SYSTEM
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import cases
from powerlist.operation.services.cases import Refused

BEIJING = ZoneInfo("Asia/Shanghai")


def on(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=BEIJING)


@pytest.fixture
def statutory(county, departments):
    """Only a statutory limit: 20 working days (行政许可法 第四十二条)."""
    return create_item(SYSTEM, county, item_document(code="430304-JY-XK-020", status="published",
                                                     promised_limit_days=None, statutory_limit_days=20))


def fresh(case):
    return Case.objects.get(pk=case.pk)


def test_due_date_counts_working_days_past_national_day(statutory, users):
    case = cases.open_case(users["clerk"], statutory, at=on("2026-09-28"))
    assert case.number.startswith("430304-20260928-")
    assert case.due == dt.date(2026, 10, 30)
    assert case.due_explained == ("法定时限 20个工作日：受理 2026-09-28 + 20 个工作日；国庆节 10-01…10-07 不计，"
                                  "10-10 调休上班 → 2026-10-30")


def test_promised_limit_is_used_when_there_is_one(licence, users):
    case = cases.open_case(users["clerk"], licence, at=on("2026-09-28"))
    assert case.limit_kind == "promised" and case.due_explained.startswith("承诺时限 10个工作日：受理 2026-09-28 + 10")


def test_return_for_correction_stops_the_clock_until_resumed(statutory, users):
    clerk = users["clerk"]
    case = cases.open_case(clerk, statutory, at=on("2026-09-28"))
    cases.act(clerk, case.number, "return", "审查", reason="缺少场地证明", at=on("2026-10-14"))
    assert fresh(case).status == "suspended"
    assert "补正材料自 2026-10-14 起中止，恢复后顺延" in fresh(case).due_explained
    with pytest.raises(Refused, match="已中止"):
        cases.act(clerk, case.number, "complete", "审查", at=on("2026-10-15"))
    cases.act(clerk, case.number, "resume", reason="材料已补齐", at=on("2026-10-19"))
    after = fresh(case)
    assert after.status == "open" and after.due == dt.date(2026, 11, 4)
    assert after.due_explained.endswith("中止 3 个工作日（补正材料 10-14…10-18）→ 2026-11-04")
    shown = cases.describe(after)
    assert shown["due"] == "2026-11-04" and shown["ready"] == ["审查"]
    assert [e["action"] for e in shown["events"]] == ["accept", "complete", "return", "resume"]


def test_suspension_needs_one_of_the_lawful_reasons(statutory, users):
    case = cases.open_case(users["clerk"], statutory, at=on("2026-09-28"))
    with pytest.raises(InvalidInput, match="补正材料、专家评审、听证、检验检测"):
        cases.act(users["clerk"], case.number, "suspend", reason="领导出差", at=on("2026-10-12"))
    cases.act(users["clerk"], case.number, "suspend", reason="专家评审：消防设施", at=on("2026-10-12"))
    cases.act(users["clerk"], case.number, "resume", at=on("2026-10-14"))
    assert fresh(case).due_explained.endswith("中止 2 个工作日（专家评审 10-12…10-13）→ 2026-11-03")


def test_extension_needs_a_reviewers_approval_and_a_reason(statutory, users):
    case = cases.open_case(users["clerk"], statutory, at=on("2026-09-28"))
    with pytest.raises(Refused, match="批准"):
        cases.act(users["clerk"], case.number, "extend", reason="情况复杂", at=on("2026-10-20"))
    assert CaseEvent.objects.filter(case=case, refused=True, action="extend").count() == 1
    with pytest.raises(InvalidInput, match="原因"):
        cases.act(users["reviewer"], case.number, "extend", at=on("2026-10-20"))
    cases.act(users["reviewer"], case.number, "extend", reason="需现场核查", at=on("2026-10-20"))
    after = fresh(case)
    assert after.due == dt.date(2026, 11, 13)
    assert after.due_explained.startswith("法定时限 20个工作日，延长 10个工作日（需现场核查，reviewer1 批准）：")
    assert after.due_explained.endswith("→ 2026-11-13")


def test_a_reviewer_approves_extensions_but_does_not_handle_the_departments_steps(statutory, users):
    case = cases.open_case(users["clerk"], statutory, at=on("2026-09-28"))
    ready = cases.describe(fresh(case))["ready"]
    with pytest.raises(Refused, match="审核人员只批准延长期限"):
        cases.act(users["reviewer"], case.number, "complete", ready[0], at=on("2026-09-29"))
    assert CaseEvent.objects.filter(case=case, refused=True, action="complete").count() == 1
    assert cases.describe(fresh(case))["ready"] == ready
