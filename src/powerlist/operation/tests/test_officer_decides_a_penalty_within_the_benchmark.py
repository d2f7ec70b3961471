"""At a penalty's 决定 step the officer picks the facts from the imported discretion table, sees the
range and its basis, and records the amount, the penalty type and the reason; a value outside the
range is refused (and the attempt recorded). A high-risk 审查 is completed only after another clerk
of the department approved it (复核). The same through the console and the API."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerlist.api import services as token_services
from powerlist.core.errors import InvalidInput
from powerlist.core.scope import SYSTEM
from powerlist.discretion.models import Decision
from powerlist.operation.models import CaseEvent
from powerlist.operation.services import cases, decisions
from powerlist.operation.tests.penalty_scene import FINE, SHARE, clerks, penalty_items, to_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(county, departments, users, tmp_path):
    items = penalty_items(county, departments, tmp_path)
    first, second = clerks(county, departments, users)
    return {"items": items, "first": first, "second": second, "users": users}


def decide(who, case, **given):
    reason = given.pop("reason", "逾期未改正，违法情节一般")
    with decisions.given(**given):
        return cases.act(who, case.number, "complete", "决定", reason=reason)


def test_officer_picks_the_facts_and_records_an_amount_within_the_range(scene):
    first, second = scene["first"], scene["second"]
    case = to_decision(scene["items"][FINE], first, second)
    shown = {c["facts"]: c for c in decisions.page(case, "决定", "")["decision"]}
    assert list(shown) == ["轻微", "一般", "严重"]
    assert shown["一般"]["standard"] == "处五万元以上十万元以下罚款" and "第六十三条" in shown["一般"]["basis"]
    assert shown["严重"]["types"] == ["罚款", "责令停产整治"]
    with pytest.raises(InvalidInput, match="决定环节须选择裁量情节（档次）：轻微、一般、严重"):
        decide(first, case, amount="60000")
    with pytest.raises(cases.Refused, match=r"罚款 200,000.00 元超出裁量基准“一般”档的幅度（50,000.00 元至 100,000.00 元"):
        decide(first, case, discretion="一般", amount="200000")
    refused = CaseEvent.objects.filter(case=case, refused=True).latest("seq")
    assert "超出裁量基准" in refused.payload["refused"] and refused.amount is None
    with pytest.raises(InvalidInput, match="裁量理由"):
        decide(first, case, discretion="一般", amount="60000", reason="")
    event = decide(first, case, discretion="一般", amount="60000")
    assert (event.discretion, event.amount, event.penalty_type) == ("一般", Decimal("60000"), "罚款")
    assert event.payload["decision"]["reason"] == "逾期未改正，违法情节一般"
    assert event.payload["decision"]["law"] == "岳塘区环境行政处罚裁量基准"
    decision = Decision.objects.get(event_id=event.pk)
    assert decision.benchmark_id == event.payload["decision"]["benchmark"] and decision.base is None


def test_a_penalty_type_the_grade_does_not_allow_is_refused(scene):
    first, second = scene["first"], scene["second"]
    case = to_decision(scene["items"][FINE], first, second)
    with pytest.raises(cases.Refused, match="不允许处罚种类“责令停产整治”"):
        decide(first, case, discretion="一般", penalty_type="责令停产整治")
    event = decide(first, case, discretion="严重", penalty_type="责令停产整治")
    assert (event.discretion, event.amount, event.penalty_type) == ("严重", None, "责令停产整治")


def test_officer_imposes_a_fine_and_a_measure_together(scene):
    """严重: 罚款 and 责令停产整治 both allowed, so both at once; each type is checked, the fine's range too."""
    first, second = scene["first"], scene["second"]
    case = to_decision(scene["items"][FINE], first, second)
    with pytest.raises(cases.Refused, match="不允许处罚种类“吊销许可证件”"):
        decide(first, case, discretion="严重", amount="150000", penalty_type="罚款、吊销许可证件")
    with pytest.raises(InvalidInput, match="须填写罚款金额"):
        decide(first, case, discretion="严重", penalty_type="责令停产整治+罚款")
    event = decide(first, case, discretion="严重", amount="150000", penalty_type="罚款，责令停产整治")
    assert (event.discretion, event.amount, event.penalty_type) == ("严重", Decimal("150000"), "罚款、责令停产整治")
    from powerlist.supervision.services import sweeps

    assert not [f for f in sweeps.sweep(SYSTEM, case.jurisdiction.code) if f["rule"] == "penalty-out-of-range"
                and f["case_id"] == case.pk]


def test_a_share_of_the_investment_needs_the_base(scene):
    first, second = scene["first"], scene["second"]
    case = to_decision(scene["items"][SHARE], first, second)
    with pytest.raises(InvalidInput, match="请填写建设项目总投资额"):
        decide(first, case, discretion="一般", amount="20000")
    with pytest.raises(cases.Refused, match=r"（10,000.00 元至 30,000.00 元"):
        decide(first, case, discretion="一般", amount="40000", base="1000000")
    event = decide(first, case, discretion="一般", amount="30000", base="1000000")
    assert event.payload["decision"]["base"] == "1000000.00"
    assert event.payload["decision"]["base_name"] == "建设项目总投资额"
    assert Decision.objects.get(event_id=event.pk).base == Decimal("1000000")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.decimals(min_value=0, max_value=200000, places=2), base=st.decimals(min_value=1, max_value=10 ** 7,
                                                                                   places=2))
def test_the_service_refuses_exactly_what_the_benchmark_does_not_allow(scene, amount, base):
    """Whatever the amount and base, the service accepts exactly what 1%–3% of the base allows."""
    from powerlist.discretion.services.tables import cents

    low, high = cents(base / 100), cents(base * 3 / 100)
    with decisions.given(discretion="一般", amount=str(amount), base=str(base)):
        decided = None
        try:
            decided = decisions.decide(cases.get_case(_share_case(scene).number), "决定", "理由")
        except cases.Refused:
            pass
    assert (decided is not None) == (low <= amount <= high), (amount, base, low, high)


def _share_case(scene):
    if "share_case" not in scene:
        scene["share_case"] = cases.open_case(scene["first"], scene["items"][SHARE])
    return scene["share_case"]


def test_a_step_that_is_no_decision_takes_no_discretion(scene):
    case = cases.open_case(scene["first"], scene["items"][FINE])
    with pytest.raises(InvalidInput, match="不是决定环节"), decisions.given(discretion="一般", amount="60000"):
        cases.act(scene["first"], case.number, "complete", "立案")


def test_a_high_risk_step_waits_for_another_clerks_approval(scene, users):
    first, second = scene["first"], scene["second"]
    case = cases.open_case(first, scene["items"][FINE])
    for step in ("立案", "调查取证"):
        cases.act(first, case.number, "complete", step)
    with pytest.raises(cases.Refused, match="“审查”是高风险环节（降低处罚标准、以罚代刑），须经本部门另一名人员复核"):
        cases.act(first, case.number, "complete", "审查")
    with pytest.raises(cases.Refused, match="无权复核"):
        decisions.approve(users["clerk"], case.number, "审查")  # the education department's clerk
    with pytest.raises(cases.Refused, match="环节“立案”当前不能复核"):
        decisions.approve(second, case.number, "立案")
    approval = decisions.approve(second, case.number, "审查", "同意")
    assert (approval.action, approval.step, approval.actor) == ("approve", "审查", "market_clerk2")
    assert decisions.page(case, "审查", approval.step_id)["approved_by"] == ["market_clerk2"]
    with pytest.raises(cases.Refused, match="复核人（market_clerk2）不能同时办理"):
        cases.act(second, case.number, "complete", "审查")
    done = cases.act(first, case.number, "complete", "审查")
    assert done.step == "审查" and not done.refused
    with pytest.raises(InvalidInput, match="“告知”不是须复核的高风险环节"):
        decisions.approve(second, case.number, "告知")
    assert CaseEvent.objects.filter(case=case, refused=True, action="approve").count() == 2


def test_clerk_decides_and_approves_on_the_console(scene, capsys):
    first, second = scene["first"], scene["second"]
    case = cases.open_case(first, scene["items"][FINE])
    for step in ("立案", "调查取证"):
        cases.act(first, case.number, "complete", step)
    call_command("case", "act", case.number, "--step", "审查", "--action", "approve", "--reason", "同意",
                 "--as", "market_clerk2")
    call_command("case", "act", case.number, "--step", "审查", "--action", "complete", "--as", "market_clerk")
    call_command("case", "act", case.number, "--step", "告知", "--action", "complete", "--as", "market_clerk")
    capsys.readouterr()
    with pytest.raises(CommandError, match="超出裁量基准"):
        call_command("case", "act", case.number, "--step", "决定", "--action", "complete", "--discretion", "轻微",
                     "--amount", "60000", "--reason", "首次违法", "--as", "market_clerk")
    call_command("case", "act", case.number, "--step", "决定", "--action", "complete", "--discretion", "轻微",
                 "--amount", "30000", "--penalty-type", "罚款", "--reason", "首次违法，及时改正", "--as", "market_clerk")
    event = CaseEvent.objects.filter(case=case, step="决定", refused=False).get()
    assert (event.discretion, event.amount) == ("轻微", Decimal("30000"))


def test_department_system_decides_and_approves_over_the_api(scene):
    first, second = scene["first"], scene["second"]
    client = Client()

    def auth(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {token_services.create_token(SYSTEM, user, 'test')[1]}"}

    def post(number, body, who):
        return client.post(f"/api/cases/{number}/actions", json.dumps(body), content_type="application/json",
                           **auth(who))

    case = cases.open_case(first, scene["items"][FINE])
    for step in ("立案", "调查取证"):
        cases.act(first, case.number, "complete", step)
    assert post(case.number, {"action": "complete", "step": "审查"}, first).status_code == 403
    assert post(case.number, {"action": "approve", "step": "审查"}, second).status_code == 200
    assert post(case.number, {"action": "complete", "step": "审查"}, first).status_code == 200
    assert post(case.number, {"action": "complete", "step": "告知"}, first).status_code == 200
    far = post(case.number, {"action": "complete", "step": "决定", "discretion": "一般", "amount": "150000",
                             "reason": "逾期未改正"}, first)
    assert far.status_code == 403 and "超出裁量基准" in far.json()["detail"]
    ok = post(case.number, {"action": "complete", "step": "决定", "discretion": "一般", "amount": "80000",
                            "reason": "逾期未改正"}, first)
    assert ok.status_code == 200, ok.json()
    event = CaseEvent.objects.filter(case=case, step="决定", refused=False).get()
    assert (event.discretion, event.amount, event.penalty_type) == ("一般", Decimal("80000"), "罚款")
