"""A department's own case system pushes its case events through the API with a clerk's token:
one event at a time with an Idempotency-Key (sent twice, stored once: 201 then 200), or a batch
answered event by event; a bad event refuses the whole batch naming its index and field; another
department's item is refused; events out of order are stored and flagged."""

import pytest

from powerlist.operation.models import Case, CaseEvent

ITEM = "430304-JY-XK-001"


def event(case="API-1", step="受理", action="complete", at="2026-10-12T10:00:00+08:00", **extra):
    return {"case": case, "item_code": ITEM, "jurisdiction": "430304", "step": step, "action": action,
            "actor": "张科员", "at": at, **extra}


@pytest.fixture
def clerk_token(items, users, token_for):
    return token_for(users["clerk"])


def post(client, path, body, headers, **extra):
    return client.post(path, body, content_type="application/json", **headers, **extra)


def test_the_same_idempotency_key_twice_stores_one_event(client, clerk_token):
    first = post(client, "/api/events", event(action="accept", step=""), clerk_token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["case"], body["sender_case"], body["seq"], body["flags"], body["idempotency_key"]) == (
        "EXT-430304-API-1", "API-1", 1, [], "k-1")
    again = post(client, "/api/events", event(action="accept", step=""), clerk_token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json() == body
    assert CaseEvent.objects.count() == 1
    changed = post(client, "/api/events", event(action="accept", step="", actor="别人"), clerk_token,
                   HTTP_IDEMPOTENCY_KEY="k-1")
    assert changed.status_code == 422 and changed.json()["problems"][0]["field"] == "idempotency_key"
    missing = post(client, "/api/events", event(), clerk_token)
    assert missing.status_code == 422 and missing.json()["problems"][0]["field"] == "idempotency_key"
    as_field = post(client, "/api/events", event(idempotency_key="k-2"), clerk_token)
    assert as_field.status_code == 201 and as_field.json()["seq"] == 2 and as_field.json()["step_id"] == "Step_1"


def test_a_batch_is_answered_event_by_event(client, clerk_token):
    batch = [event(action="accept", step="", at="2026-10-12T09:00:00+08:00", idempotency_key="b-0"),
             event(idempotency_key="b-1"),
             event(step="决定", at="2026-10-13T09:00:00+08:00", idempotency_key="b-2", amount="5000",
                   penalty_type="罚款", discretion="较轻"),
             event(idempotency_key="b-1")]
    answer = post(client, "/api/events/batch", {"events": batch}, clerk_token)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["stored"], body["duplicates"], body["flagged"]) == (3, 1, {"out-of-order": 1})
    assert [(e["index"], e["outcome"], e["event"]["seq"], e["event"]["flags"]) for e in body["events"]] == [
        (0, "stored", 1, []), (1, "stored", 2, []), (2, "stored", 3, ["out-of-order"]), (3, "duplicate", 2, [])]
    assert body["events"][2]["event"]["amount"] == "5000.00"
    repeat = post(client, "/api/events/batch", {"events": batch}, clerk_token)
    assert repeat.status_code == 200 and repeat.json()["stored"] == 0 and repeat.json()["duplicates"] == 4
    assert CaseEvent.objects.count() == 3


def test_a_bad_event_refuses_the_whole_batch_naming_index_and_field(client, clerk_token):
    batch = [event(idempotency_key="c-0"), event(at="2026-10-12 10:00", idempotency_key="c-1"),
             event(action="approved", idempotency_key="c-2")]
    answer = post(client, "/api/events/batch", {"events": batch}, clerk_token)
    assert answer.status_code == 422
    assert [(p["row"], p["field"]) for p in answer.json()["problems"]] == [(1, "at"), (2, "action")]
    assert not CaseEvent.objects.exists() and not Case.objects.exists()


def test_a_clerk_may_not_push_another_departments_item(client, items, users, token_for):
    answer = post(client, "/api/events", event(item_code="430304-SC-XK-001", idempotency_key="x"),
                  token_for(users["clerk"]))
    assert answer.status_code == 403 and "无权推送岳塘区市场监督管理局" in answer.json()["detail"]
    assert not CaseEvent.objects.exists()
    assert post(client, "/api/events", event(idempotency_key="x"), {}).status_code == 401


def test_a_power_not_on_the_list_is_stored_and_flagged(client, clerk_token):
    answer = post(client, "/api/events", event(item_code="430304-JY-XK-009", action="accept", step="",
                                                idempotency_key="draft"), clerk_token)
    assert answer.status_code == 201 and answer.json()["flags"] == ["unlisted-power"]
