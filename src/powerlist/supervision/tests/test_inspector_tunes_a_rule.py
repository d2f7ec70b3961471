"""An inspector changes a rule's parameters, severity or switches it off (with the reason): the
version goes up, the change is on the transparency log, and the next sweep follows it. Clerks may
not change rules; bad parameters are refused naming the field. Quiet days are set per county."""

import pytest

from powerlist.core.errors import InvalidInput, PermissionDenied
from powerlist.core.models import AuditEntry
from powerlist.core.scope import SYSTEM
from powerlist.supervision import engine
from powerlist.supervision.models import Rule
from powerlist.supervision.services import rules, sweeps
from powerlist.supervision.tests.scene import build, named


def test_built_in_rules_are_loaded_and_the_unstructured_fee_rule_says_why_it_is_off(db):
    codes = set(Rule.objects.values_list("code", flat=True))
    assert codes == {"deadline-warning", "overdue", "skipped-step", "out-of-order", "unlisted-power",
                     "suspension-too-long", "repeated-return", "same-person-accept-decide", "quiet-day-inspection",
                     "fee-above-standard", "penalty-out-of-range", "second-approval-missing"}
    fee = Rule.objects.get(code="fee-above-standard")
    assert not fee.enabled and "收费标准尚未结构化" in fee.disabled_reason
    assert Rule.objects.get(code="quiet-day-inspection").params["first_day"] == 1


def test_a_change_bumps_the_version_is_logged_and_the_sweep_follows_it(county, departments, users):
    scene = build(county, departments, users)
    inspector = users["inspector"]
    rule = rules.change(inspector, "repeated-return", params={"max_returns": 2}, severity="red")
    assert rule.version == 2 and rule.params == {"max_returns": 2}
    entry = AuditEntry.objects.filter(action="supervision.rule", target="rule:repeated-return").get()
    assert '"max_returns":2' in entry.payload.replace(" ", "")
    rules.change(inspector, "skipped-step", enabled=False, disabled_reason="试运行期间暂停")
    rules.set_quiet_days(inspector, county, 1, 9)  # 03-10 is no longer a quiet day here
    found = named(scene, engine.shape(sweeps.sweep(SYSTEM, "430304")))
    assert found == sorted(e for e in scene["expected"]
                           if e[1] not in ("repeated-return", "skipped-step", "quiet-day-inspection"))


def test_alerts_the_changed_rule_no_longer_finds_are_withdrawn_so_sweep_and_alerts_agree(county, departments, users):
    scene = build(county, departments, users)
    before = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    assert "repeated-return" in {a["rule"] for a in before["alerts"]}
    rules.change(users["inspector"], "repeated-return", params={"max_returns": 2})  # the planted case returned twice
    swept = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    assert "repeated-return" not in {a["rule"] for a in swept["alerts"]}
    assert engine.stored() == swept and len(swept["alerts"]) == len(before["alerts"]) - 1
    rules.change(users["inspector"], "repeated-return", params={"max_returns": 1})  # back: found again, live again
    assert engine.shape(sweeps.sweep(SYSTEM, "430304")) == engine.stored() == before


def test_clerks_may_not_change_rules_and_bad_parameters_are_named(db, users):
    with pytest.raises(PermissionDenied):
        rules.change(users["clerk"], "overdue", severity="yellow")
    with pytest.raises(InvalidInput) as bad:
        rules.change(users["inspector"], "repeated-return", params={"max_returns": -1, "colour": 3})
    fields = {p.field for p in bad.value.problems}
    assert fields == {"params.max_returns", "params.colour"}
    with pytest.raises(InvalidInput):
        rules.change(users["inspector"], "overdue", enabled=False)  # no reason
    with pytest.raises(InvalidInput):
        rules.change(users["inspector"], "quiet-day-inspection", params={"first_day": 26, "last_day": 25})
    assert Rule.objects.get(code="repeated-return").version == 1
