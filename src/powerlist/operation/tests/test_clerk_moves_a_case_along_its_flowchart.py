"""按图行权: a case moves only along its flowchart. Four steps completed one by one, each an event
on the transparency log with its state saved; a step out of order is refused naming the ready
ones (and recorded); the last step closes the case; a parallel gateway carries parallel approval
(two steps ready at once, either order, joined before the decision)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerlist.core.models import AuditEntry
from powerlist.core.scope import SYSTEM
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import cases, flowcharts
from powerlist.operation.services.cases import Refused
from powerlist.operation.tests.conftest import diagram

STEPS = ["受理", "审查", "决定", "送达"]

PARALLEL = diagram("""
<bpmn:startEvent id="StartEvent_1" />
<bpmn:userTask id="Accept" name="统一受理" />
<bpmn:parallelGateway id="Fork" />
<bpmn:userTask id="Police" name="公安审查" />
<bpmn:userTask id="Tax" name="税务审查" />
<bpmn:parallelGateway id="Join" />
<bpmn:userTask id="Decide" name="集中回复" />
<bpmn:endEvent id="EndEvent_1" />
<bpmn:sequenceFlow id="f1" sourceRef="StartEvent_1" targetRef="Accept" />
<bpmn:sequenceFlow id="f2" sourceRef="Accept" targetRef="Fork" />
<bpmn:sequenceFlow id="f3" sourceRef="Fork" targetRef="Police" />
<bpmn:sequenceFlow id="f4" sourceRef="Fork" targetRef="Tax" />
<bpmn:sequenceFlow id="f5" sourceRef="Police" targetRef="Join" />
<bpmn:sequenceFlow id="f6" sourceRef="Tax" targetRef="Join" />
<bpmn:sequenceFlow id="f7" sourceRef="Join" targetRef="Decide" />
<bpmn:sequenceFlow id="f8" sourceRef="Decide" targetRef="EndEvent_1" />""")


def shown(case):
    return cases.describe(Case.objects.get(pk=case.pk))


def test_four_steps_completed_one_by_one_close_the_case(licence, users):
    clerk = users["clerk"]
    case = cases.open_case(clerk, licence.code, "430304")
    assert shown(case)["ready"] == ["审查"] and shown(case)["done"] == ["受理"]  # the opening accepted it
    states = {Case.objects.get(pk=case.pk).state}
    for i, step in enumerate(STEPS[1:], start=1):
        event = cases.act(clerk, case.number, "complete", step)
        assert (event.seq, event.step, event.action) == (i + 2, step, "complete") and event.step_id and event.task_id
        states.add(Case.objects.get(pk=case.pk).state)
        assert shown(case)["done"] == STEPS[:i + 1]
    assert len(states) == 4  # saved at every step
    after = shown(case)
    assert after["status"] == "closed" and after["ready"] == []
    assert [(e["step"], e["action"]) for e in after["events"]] == (
        [("", "accept")] + [(s, "complete") for s in STEPS] + [("", "close")])
    assert list(CaseEvent.objects.filter(case=case).values_list("seq", flat=True)) == list(range(1, 7))
    logged = AuditEntry.objects.filter(target=f"case:{case.number}").order_by("seq")
    assert [e.action for e in logged] == ["case.accept"] + ["case.complete"] * 4 + ["case.close"]
    with pytest.raises(Refused, match="已办结"):
        cases.act(clerk, case.number, "complete", "送达")


def test_a_step_out_of_order_is_refused_naming_the_ready_ones(licence, users):
    case = cases.open_case(users["clerk"], licence.code, "430304")
    with pytest.raises(Refused, match="当前可办理的环节：审查"):
        cases.act(users["clerk"], case.number, "complete", "决定")
    with pytest.raises(Refused, match="当前可办理的环节：审查"):
        cases.act(users["clerk"], case.number, "complete", "受理")  # done already
    refused = CaseEvent.objects.filter(case=case, refused=True).order_by("seq")
    assert [e.step for e in refused] == ["决定", "受理"]
    assert shown(case)["done"] == ["受理"] and shown(case)["ready"] == ["审查"]
    assert len(shown(case)["events"]) == 2  # the opening's two; refused attempts are recorded, not shown as progress
    with pytest.raises(Refused, match="无权办理"):
        cases.act(users["market_clerk"], case.number, "complete", "审查")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=st.lists(st.sampled_from(STEPS + ["调查", "Step_3"]), min_size=1, max_size=10))
def test_whatever_is_asked_the_case_only_follows_the_chart(licence, users, attempts):
    case = cases.open_case(users["clerk"], licence.code, "430304")
    done = ["受理"]  # the opening accepted it
    for step in attempts:
        ready = STEPS[len(done)] if len(done) < 4 else None
        allowed = step in (ready, f"Step_{len(done) + 1}") and ready is not None
        try:
            cases.act(users["clerk"], case.number, "complete", step)
            done.append(ready)
            assert allowed
        except Refused:
            assert not allowed
    assert shown(case)["done"] == done


def test_departments_approve_in_parallel(licence, users):
    flowcharts.import_flowchart(SYSTEM, licence, PARALLEL, filename="parallel.bpmn", reason="并联审批")
    clerk = users["clerk"]
    case = cases.open_case(clerk, licence.code, "430304")
    assert case.flowchart_version == 1
    assert shown(case)["done"] == ["统一受理"]  # the opening is the acceptance
    assert sorted(shown(case)["ready"]) == ["公安审查", "税务审查"]  # two at once
    with pytest.raises(Refused, match="公安审查"):
        cases.act(clerk, case.number, "complete", "集中回复")
    cases.act(clerk, case.number, "complete", "税务审查")
    assert shown(case)["ready"] == ["公安审查"]  # the join waits for both
    cases.act(clerk, case.number, "complete", "公安审查")
    assert shown(case)["ready"] == ["集中回复"]
    cases.act(clerk, case.number, "complete", "集中回复")
    assert shown(case)["status"] == "closed"
