"""Live evaluation: every event stored (by the case service, or pushed by a department's system)
queues its case, and the live evaluator's drain runs the case's rules, so the inspector sees its
alert; the alerts found live are the alerts a sweep finds, and what `supervise alerts` prints.
(Here the drain runs in the test's own transaction; test_live_evaluator_drains_the_queue runs the
evaluator beside the writers, as `powerlist serve` does.)"""

from powerlist.core.scope import SYSTEM
from powerlist.operation.services import cases
from powerlist.supervision import engine, live
from powerlist.supervision.models import Alert, LiveQueue
from powerlist.supervision.services import sweeps
from powerlist.supervision.tests.scene import build, items, named


def test_an_alert_is_stored_when_the_clerk_decides_a_case_they_accepted(county, departments, users):
    clerk = users["clerk"]
    licence = items(county, departments)["licence"]
    case = cases.open_case(clerk, licence)
    for step in ("受理", "审查"):
        if step not in cases.describe(case)["done"]:  # opening may stand for 受理
            cases.act(clerk, case.number, "complete", step)
    assert live.drain()
    assert not Alert.objects.filter(case=case).exists()
    cases.act(clerk, case.number, "complete", "决定")
    assert not Alert.objects.filter(case=case).exists()  # the writer does not evaluate: the evaluator does
    assert len(live.drain()) == 1  # one queue row: the case of the one transaction
    alert = Alert.objects.get(case=case)
    assert (alert.rule, alert.severity, alert.step, alert.rule_version) == ("same-person-accept-decide", "red", "决定", 1)
    assert alert.detail == "“受理”与“决定”由同一人（edu_clerk）办理，流程图要求分岗办理"


def test_live_alerts_are_the_sweeps_alerts(county, departments, users):
    scene = build(county, departments, users, history=False)
    live.drain()
    assert not LiveQueue.objects.exists()
    found_live = engine.stored()
    assert named(scene, found_live) == sorted(scene["expected"])
    swept = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    assert swept == found_live == sweeps.alerts(SYSTEM, "430304")
    assert Alert.objects.count() == len(scene["expected"])
