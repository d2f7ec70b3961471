"""A flowchart's lanes say who completes each step: the department's own posts (业务科室) its clerks,
the experts' lane an expert reviewer, the service hall's lane a hall clerk. Anyone else is refused,
in Chinese naming the step and the role it needs, and the refusal is recorded."""

import pytest
from django.db import transaction

from powerlist.conftest import make_user
from powerlist.core.models import AuditEntry, Role
from powerlist.core.scope import SYSTEM
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import cases, flowcharts, step_roles, worklists
from powerlist.operation.services.cases import Refused
from powerlist.operation.tests.conftest import diagram, line

LANES = [("业务科室", "Task_1"), ("专家评审组", "Task_2"), ("政务服务大厅", "Task_3")]


def with_lanes() -> bytes:
    lanes = "".join(f'<bpmn:lane id="Lane_{i}" name="{name}"><bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef></bpmn:lane>'
                    for i, (name, ref) in enumerate(LANES))
    return diagram(f'<bpmn:laneSet id="LaneSet_1">{lanes}</bpmn:laneSet>\n' + line("审查", "专家论证", "送达"))


@pytest.fixture
def people(users, county):
    return {**users, "expert": make_user("expert1", Role.EXPERT, county), "hall": make_user("hall1", Role.HALL, county)}


@pytest.fixture
def case(licence, people):
    flowcharts.import_flowchart(SYSTEM, licence, with_lanes(), filename="lanes.bpmn")
    return cases.open_case(people["clerk"], licence.code, "430304")


def ready(case) -> list[str]:
    return cases.describe(Case.objects.get(pk=case.pk))["ready"]


def test_each_step_is_completed_by_the_role_its_lane_names(case, people):
    assert ready(case) == ["审查"]
    with pytest.raises(Refused, match="不能办理环节“审查”：该环节须由本部门经办人办理（流程图泳道“业务科室”）"):
        cases.act(people["expert"], case.number, "complete", "审查")
    cases.act(people["clerk"], case.number, "complete", "审查")
    with pytest.raises(Refused, match="环节“专家论证”：该环节须由专家评审人员办理（流程图泳道“专家评审组”）"):
        cases.act(people["clerk"], case.number, "complete", "专家论证")
    with pytest.raises(Refused, match="专家评审人员"):
        cases.act(people["hall"], case.number, "complete", "专家论证")
    cases.act(people["expert"], case.number, "complete", "专家论证")
    with pytest.raises(Refused, match="须由政务服务大厅窗口人员办理"):
        cases.act(people["expert"], case.number, "complete", "送达")
    cases.act(people["hall"], case.number, "complete", "送达")
    assert cases.describe(Case.objects.get(pk=case.pk))["status"] == "closed"


def test_a_refusal_for_the_wrong_role_is_recorded_and_changes_nothing(case, people):
    cases.act(people["clerk"], case.number, "complete", "审查")
    with pytest.raises(Refused):
        cases.act(people["clerk"], case.number, "complete", "专家论证")
    refused = CaseEvent.objects.get(case=case, refused=True)
    assert refused.step == "专家论证" and "专家评审人员" in refused.payload["refused"]
    assert AuditEntry.objects.filter(action="case.refused", target=f"case:{case.number}").count() == 1
    assert ready(case) == ["专家论证"]


def test_roles_outside_the_department_act_only_on_their_steps(case, people):
    """An expert may complete the experts' step, but not suspend or close the department's case."""
    with pytest.raises(Refused, match="无权办理"):
        cases.act(people["expert"], case.number, "close", reason="撤回")
    with pytest.raises(Refused, match="须由本部门经办人办理"):
        cases.act(people["legal"], case.number, "complete", "审查")


@pytest.mark.parametrize("lane, role", [
    ("", None), ("业务科室", "clerk"), ("综合窗口", "clerk"), ("受理员", "clerk"), ("审核员", "clerk"),
    ("法制审核机构", "clerk"), ("分管负责人", "clerk"), ("部门经办人", "clerk"), ("政务服务中心综合窗口", "hall"),
    ("专家", "expert"), ("expert", "expert"), ("区司法局", "legal"), ("法制审核人员", "legal"), ("hall", "hall")])
def test_a_lane_gives_its_steps_to_a_role(lane, role):
    assert step_roles.role_of(lane) == role


class _Undo(Exception):
    pass


def accepted(user, number: str, action: str, step: str | None = None) -> bool:
    """Whether the case service takes this action from `user` now (undone at once)."""
    reason = {"suspend": "补正材料：核对", "return": "补正", "close": "撤回", "extend": "需要现场核查"}.get(action, "")
    try:
        with transaction.atomic():
            cases.act(user, number, action, step, reason=reason)
            raise _Undo
    except _Undo:
        return True
    except Refused:
        return False


def offered(user, number: str) -> set:
    """The actions the case page offers `user`: per ready step, and on the case."""
    case = worklists.visible_cases(SYSTEM).get(number=number)
    allowed = worklists.actions(user, case)
    return {(a, s["name"]) for s in worklists.steps(case)["ready"] for a in allowed["steps"].get(s["id"], [])} | {
        (a, None) for a in allowed["case"]}


def test_the_workbench_offers_each_person_exactly_what_the_service_accepts(case, people):
    """A clerk sees no button on the experts' step, the expert one only there, a reviewer only
    extension: what is offered succeeds, what is not is refused."""
    steps_and_case = [("complete", s) for s in ("审查", "专家论证", "送达")] + [("return", s) for s in ("审查", "专家论证")]
    steps_and_case += [(a, None) for a in ("suspend", "close", "extend")]
    for moment in ("审查 ready", "专家论证 ready"):
        if moment == "专家论证 ready":
            cases.act(people["clerk"], case.number, "complete", "审查")
        for who in ("clerk", "expert", "hall", "reviewer", "legal", "market_clerk", "admin"):
            user = people[who]
            expected = {(a, s) for a, s in steps_and_case if accepted(user, case.number, a, s)}
            assert offered(user, case.number) == expected, (moment, who)
    assert ("complete", "专家论证") in offered(people["expert"], case.number)
    assert not {a for a, s in offered(people["clerk"], case.number) if s == "专家论证"}
    assert offered(people["reviewer"], case.number) == {("extend", None)}
