"""Events a department's own system pushes through the API are evaluated live (queued with them,
drained by the live evaluator): a
batch that skips steps gets its alert at once (one alert for one deviation, although the ingest
flagged the event too; the case, pushed weeks late, is overdue as well); an event for a power
not on the list gets an unlisted-power alert."""

from powerlist.api.tests.conftest import items, token_for  # noqa: F401  (fixtures)
from powerlist.supervision import live
from powerlist.supervision.models import Alert


def event(case="API-1", step="受理", action="complete", at="2026-10-12T10:00:00+08:00", **extra):
    return {"case": case, "item_code": "430304-JY-XK-001", "jurisdiction": "430304", "step": step,
            "action": action, "actor": "张科员", "at": at, **extra}


def test_a_pushed_batch_that_skips_steps_is_alerted_at_once(client, items, users, token_for):  # noqa: F811
    batch = [event(action="accept", step="", at="2026-10-12T09:00:00+08:00", idempotency_key="b-0"),
             event(idempotency_key="b-1"),
             event(step="送达", at="2026-10-13T09:00:00+08:00", idempotency_key="b-2")]
    answer = client.post("/api/events/batch", {"events": batch}, content_type="application/json",
                         **token_for(users["clerk"]))
    assert answer.status_code == 201, answer.content
    assert len(live.drain()) == 1  # one case, one transaction: one queue row
    assert answer.json()["events"][2]["event"]["flags"] == ["out-of-order"]
    # accepted 2026-10-12 with 10 working days and still open: overdue as well
    assert sorted(Alert.objects.values_list("rule", "step")) == [("overdue", ""), ("skipped-step", "送达")]


def test_a_pushed_event_for_a_power_not_on_the_list_is_alerted(client, items, users, token_for):  # noqa: F811
    answer = client.post("/api/events", event(item_code="430304-JY-XK-404", action="accept", step="",
                                              idempotency_key="u-1"),
                         content_type="application/json", **token_for(users["clerk"]))
    assert answer.status_code == 201, answer.content
    live.drain()
    alert = Alert.objects.get()
    assert alert.rule == "unlisted-power" and alert.severity == "red"


def test_a_pushed_case_that_does_not_report_its_acceptance_step_skipped_nothing(client, items, users,  # noqa: F811
                                                                                  token_for):  # noqa: F811
    """Opening the case is its acceptance: a system reporting 审查 right after it has skipped nothing."""
    batch = [event(action="accept", step="", at="2026-10-12T09:00:00+08:00", idempotency_key="c-0"),
             event(step="审查", at="2026-10-12T11:00:00+08:00", idempotency_key="c-1"),
             event(step="决定", at="2026-10-13T09:00:00+08:00", idempotency_key="c-2"),
             event(step="送达", at="2026-10-13T10:00:00+08:00", idempotency_key="c-3")]
    answer = client.post("/api/events/batch", {"events": batch}, content_type="application/json",
                         **token_for(users["clerk"]))
    assert answer.status_code == 201, answer.content
    assert [e["event"]["flags"] for e in answer.json()["events"]] == [[], [], [], []]
    live.drain()
    assert not Alert.objects.filter(rule__in=["skipped-step", "out-of-order"]).exists()
