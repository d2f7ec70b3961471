"""A deadline warning holds while the case is open and near its due date: when the clerks finish
the case on time, the next evaluation (live, at their last event, or a sweep) marks the warning
已解除 with when, instead of keeping or deleting it. `supervise alerts --json` leaves it out, its
yellow card stays with its own appeal process, and an alert about a finished fact (out-of-order)
stays whatever comes after. Live and batch still give the same alerts."""

import io
import json

from django.core.management import call_command

from powerlist.core.models import Role
from powerlist.core.scope import SYSTEM
from powerlist.operation.services import cases
from powerlist.supervision import engine, live
from powerlist.supervision.models import Alert, Card
from powerlist.supervision.services import sweeps
from powerlist.supervision.tests.scene import items, push, walk
from powerlist.conftest import make_user


def _alerts_json() -> list[dict]:
    out = io.StringIO()
    call_command("supervise", "alerts", "--json", "--as", "inspector1", stdout=out)
    return json.loads(out.getvalue())["alerts"]


def test_a_warning_is_withdrawn_when_the_case_is_finished_on_time(county, departments, users):
    it = items(county, departments)
    clerk = users["clerk"]
    colleague = make_user("edu_clerk2", Role.CLERK, county, departments["岳塘区教育局"])
    case = cases.open_case(clerk, it["quick"])  # due in 2 working days: within the warning's 3
    sweeps.sweep(SYSTEM, "430304")
    warning = Alert.objects.get(case=case, rule="deadline-warning")
    assert warning.withdrawn_at is None and Card.objects.filter(alert=warning).exists()
    assert [a["rule"] for a in _alerts_json()] == ["deadline-warning"]

    walk(case, ["受理", "审查", "决定", "送达"], [clerk, colleague, colleague, clerk])
    sweeps.sweep(SYSTEM, "430304")
    warning.refresh_from_db()
    assert warning.withdrawn_at is not None  # 已解除, with when; the row stays
    assert _alerts_json() == []
    assert Card.objects.filter(alert=warning).exists()  # the card keeps its own appeal process
    withdrawn_at = warning.withdrawn_at
    sweeps.sweep(SYSTEM, "430304")  # a second sweep changes nothing
    warning.refresh_from_db()
    assert warning.withdrawn_at == withdrawn_at


def test_live_evaluation_withdraws_it_at_the_last_event_and_equals_a_sweep(county, departments, users):
    it = items(county, departments)
    clerk = users["clerk"]
    colleague = make_user("edu_clerk2", Role.CLERK, county, departments["岳塘区教育局"])
    done = cases.open_case(clerk, it["quick"])
    open_ = cases.open_case(clerk, it["quick"])
    order = cases.open_case(clerk, it["licence"])
    walk(order, ["受理", "审查", "决定"], [clerk, colleague, colleague])
    push(order, "审查")  # after 决定: out of order, a finished fact
    live.drain()
    assert set(Alert.objects.values_list("case_id", "rule")) == {
        (done.pk, "deadline-warning"), (open_.pk, "deadline-warning"), (order.pk, "out-of-order")}

    walk(done, ["受理", "审查", "决定", "送达"], [clerk, colleague, colleague, clerk])
    push(order, "送达")  # the case goes on: its out-of-order alert stays
    live.drain()
    withdrawn = set(Alert.objects.filter(withdrawn_at__isnull=False).values_list("case_id", "rule"))
    assert withdrawn == {(done.pk, "deadline-warning")}
    found_live = engine.stored()
    assert {(a["case"], a["rule"]) for a in found_live["alerts"]} == {
        (open_.number, "deadline-warning"), (order.number, "out-of-order")}
    assert engine.shape(sweeps.sweep(SYSTEM, "430304")) == found_live == sweeps.alerts(SYSTEM, "430304")


def test_a_withdrawn_warning_found_again_is_live_again(county, departments, users):
    it = items(county, departments)
    case = cases.open_case(users["clerk"], it["quick"])
    sweeps.sweep(SYSTEM, "430304")
    warning = Alert.objects.get(case=case, rule="deadline-warning")
    Alert.objects.filter(pk=warning.pk).update(withdrawn_at=warning.created_at)  # as if it had ended once
    sweeps.sweep(SYSTEM, "430304")
    warning.refresh_from_db()
    assert warning.withdrawn_at is None
    assert [a["rule"] for a in _alerts_json()] == ["deadline-warning"]
