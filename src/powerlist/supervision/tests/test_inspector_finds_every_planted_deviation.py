"""An inspector sweeps a county whose cases carry one planted deviation of every implemented rule:
each raises exactly its alert, nothing else is raised; a second sweep stores no duplicates; the
sweep and the stored alerts print the same JSON, on the console as well."""

import json

import pytest
from django.core.management import call_command

from powerlist.core.scope import SYSTEM
from powerlist.supervision import engine
from powerlist.supervision.models import Alert
from powerlist.supervision.services import sweeps
from powerlist.supervision.tests.scene import build, named


@pytest.fixture
def scene(county, departments, users):
    return build(county, departments, users)


def test_every_planted_deviation_raises_exactly_its_alert(scene):
    found = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    assert named(scene, found) == sorted(scene["expected"])
    by_rule = {a["rule"]: a for a in found["alerts"]}
    assert by_rule["overdue"]["severity"] == "red" and by_rule["deadline-warning"]["severity"] == "yellow"
    late = next(a for a in found["alerts"] if a["case"] == scene["cases"]["late"].number)
    assert late["detail"].startswith("办结于 2025-04-01，晚于办理期限")
    assert "“现场勘验”不是本办件流程图上的环节" in {a["detail"] for a in found["alerts"]}
    penalty = next(a for a in found["alerts"] if a["rule"] == "penalty-out-of-range")
    assert penalty["detail"] == "罚款 30,000.00 元超出裁量基准“一般”档的幅度"
    quiet = next(a for a in found["alerts"] if a["rule"] == "quiet-day-inspection")
    assert quiet["detail"] == "2025-03-10 在宁静日（每月 1 日至 25 日）内实施例行检查" and quiet["at"].startswith("2025-03-10T10:00")


def test_a_second_sweep_stores_no_duplicates(scene):
    first = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    count = Alert.objects.count()
    second = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    assert first == second and Alert.objects.count() == count == len(scene["expected"])


def test_sweep_and_alerts_print_the_same_alerts(scene, capsys):
    call_command("supervise", "sweep", "--jurisdiction", "430304", "--json")
    swept = json.loads(capsys.readouterr().out)
    call_command("supervise", "alerts", "--jurisdiction", "430304", "--json")
    stored = json.loads(capsys.readouterr().out)
    assert swept == stored and named(scene, stored) == sorted(scene["expected"])
    assert set(swept["alerts"][0]) == {"case", "rule", "severity", "step", "at", "detail"}
    call_command("supervise", "alerts", "--jurisdiction", "4303", "--json")  # the city: its counties' alerts
    assert json.loads(capsys.readouterr().out) == stored


def test_another_countys_alerts_are_not_shown(scene, other_county, capsys):
    sweeps.sweep(SYSTEM, "430304")
    call_command("supervise", "alerts", "--jurisdiction", "430302", "--json")
    assert json.loads(capsys.readouterr().out) == {"alerts": []}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("builtin_rules")
def test_a_sweep_reading_on_several_connections_finds_the_same_alerts(scene, monkeypatch):
    """Outside a transaction a sweep runs the rules' queries side by side, each on its own
    connection: the same alerts as one at a time."""
    monkeypatch.setenv("POWERLIST_SWEEP_WORKERS", "3")
    assert engine.workers(True) == 3 and engine.workers(False) == 1
    timings = {}
    side_by_side = engine.shape(sweeps.sweep(SYSTEM, "430304", timings=timings))
    assert set(timings) == {r.code for r in engine.enabled_rules()}
    monkeypatch.setenv("POWERLIST_SWEEP_WORKERS", "1")
    one_at_a_time = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    assert side_by_side == one_at_a_time and named(scene, side_by_side) == sorted(scene["expected"])
    assert engine.stored() == side_by_side and Alert.objects.count() == len(scene["expected"])
