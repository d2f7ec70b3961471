"""An inspector sweeps a generated log (the benchmark's generator on 200 cases, deviations planted
ten times as often as in the benchmark): every rule finds exactly the planted deviations, no more,
on charts with an exclusive gateway, a parallel approval and a loop back for 补正."""

import pytest

from powerlist.core.scope import SYSTEM
from powerlist.operation.models import Case
from powerlist.supervision import engine
from powerlist.supervision.services import sweeps
from powerlist.supervision.tests import planted_log

pytestmark = pytest.mark.slow  # the benchmark's generator: run by `pytest -m slow`


def test_every_rule_finds_exactly_the_planted_deviations(county, departments, users):
    orgs = {"edu": departments["岳塘区教育局"], "market": departments["岳塘区市场监督管理局"]}
    charts = planted_log.prepare(SYSTEM, county, orgs)
    first = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    chunks = planted_log.generate(200, charts, county, orgs["edu"], engine.today(), first, boost=10, chunk=64)
    n_cases, n_events, expected = planted_log.write(chunks)
    assert n_cases == 200 and n_events > 5 * 200
    rules = [r.code for r in engine.enabled_rules()]
    assert {rule for rule, _case, _seq in expected} == set(rules)  # every enabled rule is planted
    found = planted_log.found_keys(sweeps.sweep(users["inspector"], "430304"))
    assert {r: sorted(k for k in found if k[0] == r) for r in rules} == {
        r: sorted(k for k in expected if k[0] == r) for r in rules}
