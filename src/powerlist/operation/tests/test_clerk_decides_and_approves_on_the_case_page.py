"""On the workbench's case page: the high-risk 审查 shows its risk point, that it waits for another
person's approval (复核) and who approved; another clerk approves there; at 决定 the officer sees the
discretion table's rows (standard, range, legal basis), picks one and enters the fine; a fine
outside the range comes back as a Chinese message naming the range, one inside it is recorded."""

from decimal import Decimal

import pytest
from django.test import Client

from powerlist.discretion.models import Benchmark
from powerlist.operation.models import CaseEvent
from powerlist.operation.services import cases
from powerlist.operation.tests.penalty_scene import FINE, clerks, penalty_items

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db


def test_clerks_approve_a_high_risk_step_and_decide_the_fine_on_the_page(county, departments, users, tmp_path):
    item = penalty_items(county, departments, tmp_path)[FINE]
    first, second = clerks(county, departments, users)
    case = cases.open_case(first, item)
    for step in ("立案", "调查取证"):
        cases.act(first, case.number, "complete", step)
    mine, theirs = Client(), Client()
    mine.force_login(first)
    theirs.force_login(second)
    url, act = f"/office/cases/{case.number}/", f"/office/cases/{case.number}/act/"
    page = mine.get(url).content.decode()
    assert "降低处罚标准、以罚代刑" in page and "法制审核，集体讨论，另一名执法人员复核" in page
    assert "须复核" in page and "尚未复核" in page
    review = CaseEvent.objects.filter(case=case, step="调查取证").get().payload["ready"]
    assert review == ["审查"]
    step_id = next(s for s in cases.wf.ready(cases.wf.load(cases.get_case(case.number).state,
                                                          cases.pinned(case.flowchart_id)))).task_spec.name
    refused = mine.post(act, {"action": "complete", "step": step_id}, **HTMX).content.decode()
    assert "须经本部门另一名人员复核后才能办理" in refused
    approved = theirs.post(act, {"action": "approve", "step": step_id, "reason": "同意"}, **HTMX).content.decode()
    assert "复核：审查 已记录" in approved and "复核人：market_clerk2" in approved
    assert "已记录" in mine.post(act, {"action": "complete", "step": step_id}, **HTMX).content.decode()
    cases.act(first, case.number, "complete", "告知")
    page = mine.get(url).content.decode()
    assert "裁量基准：选择裁量情节" in page and "处五万元以上十万元以下罚款" in page
    assert "50000 元" not in page and "50,000.00 元至 100,000.00 元" in page
    assert "《中华人民共和国环境保护法》第六十三条" in page
    row = Benchmark.objects.get(item=item, grade="一般", in_force=True)
    decide = next(s for s in cases.wf.ready(cases.wf.load(cases.get_case(case.number).state,
                                                          cases.pinned(case.flowchart_id)))).task_spec.name
    far = mine.post(act, {"action": "complete", "step": decide, "benchmark": row.pk, "penalty_type": "罚款",
                          "amount": "120000", "reason": "逾期未改正"}, **HTMX).content.decode()
    assert "罚款 120,000.00 元超出裁量基准“一般”档的幅度（50,000.00 元至 100,000.00 元" in far
    done = mine.post(act, {"action": "complete", "step": decide, "benchmark": row.pk, "penalty_type": "罚款",
                           "amount": "70000", "reason": "逾期未改正"}, **HTMX).content.decode()
    assert "已记录" in done
    event = CaseEvent.objects.filter(case=case, step="决定", refused=False).get()
    assert (event.discretion, event.amount, event.penalty_type) == ("一般", Decimal("70000"), "罚款")
