"""Live evaluation: every event stored (by the case service, or pushed by a department's system)
has its case's rules run as its transaction commits, so the inspector sees its alert at once; the
alerts found live are the alerts a sweep finds, and what `supervise alerts` prints."""

from powerlist.core.scope import SYSTEM
from powerlist.operation.services import cases
from powerlist.supervision import engine
from powerlist.supervision.models import Alert
from powerlist.supervision.services import sweeps
from powerlist.supervision.tests.scene import build, items, named


def test_an_alert_is_stored_when_the_clerk_decides_a_case_they_accepted(county, departments, users,
                                                                          django_capture_on_commit_callbacks):
    clerk = users["clerk"]
    licence = items(county, departments)["licence"]
    with django_capture_on_commit_callbacks(execute=True):
        case = cases.open_case(clerk, licence)
        for step in ("受理", "审查"):
            cases.act(clerk, case.number, "complete", step)
    assert not Alert.objects.filter(case=case).exists()
    with django_capture_on_commit_callbacks(execute=True):
        cases.act(clerk, case.number, "complete", "决定")
    alert = Alert.objects.get(case=case)
    assert (alert.rule, alert.severity, alert.step, alert.rule_version) == ("same-person-accept-decide", "red", "决定", 1)
    assert alert.detail == "“受理”与“决定”由同一人（edu_clerk）办理，流程图要求分岗办理"


def test_live_alerts_are_the_sweeps_alerts(county, departments, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scene = build(county, departments, users, history=False)
    live = engine.stored()
    assert named(scene, live) == sorted(scene["expected"])
    swept = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    assert swept == live == sweeps.alerts(SYSTEM, "430304")
    assert Alert.objects.count() == len(scene["expected"])
