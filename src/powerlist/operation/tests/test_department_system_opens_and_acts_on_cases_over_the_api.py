"""A department's own system drives cases over the API with a clerk's token: opens one (受理),
completes a ready step, is refused a step that is not ready (403, on the record), reads the case
as `powerlist case show --json` prints it, and lists only its department's cases, paged. Bad
bodies get 422 naming the field; another department's case is a 404."""

import json

import pytest
from django.test import Client

from powerlist.api import services as token_services
from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.operation.models import CaseEvent
from powerlist.operation.services import cases


@pytest.fixture
def token_for():
    def make(user):
        _token, key = token_services.create_token(SYSTEM, user, "dept-system")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return make


def post(client, url, body, headers):
    return client.post(url, json.dumps(body, ensure_ascii=False), content_type="application/json", **headers)


def test_clerk_opens_acts_and_reads_a_case_over_the_api(licence, users, token_for):
    client, auth = Client(), token_for(users["clerk"])
    opened = post(client, "/api/cases", {"item": licence.code, "jurisdiction": "430304", "applicant": "张三",
                                         "phone": "13812345678"}, auth)
    assert opened.status_code == 201, opened.content
    body = opened.json()
    number = body["case"]
    assert body["status"] == "open" and body["ready"] == ["审查"] and body["applicant"] == "张三"
    assert body["due_explained"].startswith("承诺时限 10个工作日")
    assert body["done"] == ["受理"]  # opening the case accepted it
    twice = post(client, f"/api/cases/{number}/actions", {"action": "complete", "step": "受理"}, auth)
    assert twice.status_code == 403 and "当前可办理的环节：审查" in twice.json()["detail"]
    done = post(client, f"/api/cases/{number}/actions", {"action": "complete", "step": "审查"}, auth)
    assert done.status_code == 200 and done.json()["ready"] == ["决定"] and done.json()["done"] == ["受理", "审查"]
    skipped = post(client, f"/api/cases/{number}/actions", {"action": "complete", "step": "送达"}, auth)
    assert skipped.status_code == 403 and "只能沿流程图办理" in skipped.json()["detail"]
    assert CaseEvent.objects.filter(case__number=number, refused=True).count() == 2
    shown = client.get(f"/api/cases/{number}", **auth).json()
    described = cases.describe(cases.get_case(number))
    for key in ("case", "item", "status", "ready", "done", "due", "due_explained"):
        assert shown[key] == described[key]
    assert [(e["step"], e["action"]) for e in shown["events"]] == [(e["step"], e["action"])
                                                                   for e in described["events"]]
    assert shown["events"][1]["action_name"] == "办理完成"


def test_list_is_scoped_and_paged(licence, users, token_for, county):
    market = create_item(SYSTEM, county, item_document(code="430304-SC-XK-001", name="食品经营许可",
                                                       organisation="岳塘区市场监督管理局", status="published"))
    mine = [cases.open_case(users["clerk"], licence) for _ in range(3)]
    theirs = cases.open_case(users["market_clerk"], market)
    client = Client()
    listed = client.get("/api/cases?per_page=2", **token_for(users["clerk"])).json()
    assert listed["count"] == 3 and listed["pages"] == 2 and len(listed["results"]) == 2
    assert {r["case"] for r in listed["results"]} <= {c.number for c in mine}
    assert listed["results"][0]["urgency"] == "ok"
    everything = client.get("/api/cases", **token_for(users["inspector"])).json()
    assert everything["count"] == 4
    assert client.get(f"/api/cases/{theirs.number}", **token_for(users["clerk"])).status_code == 404
    assert post(client, f"/api/cases/{theirs.number}/actions", {"action": "close", "reason": "x"},
                token_for(users["clerk"])).status_code == 404
    assert client.get("/api/cases").status_code == 401


def test_bad_bodies_name_the_field(licence, users, token_for):
    client, auth = Client(), token_for(users["clerk"])
    case = cases.open_case(users["clerk"], licence)
    wrong = post(client, f"/api/cases/{case.number}/actions", {"action": "dance"}, auth)
    assert wrong.status_code == 422 and wrong.json()["problems"][0]["field"].endswith("action")
    days = post(client, f"/api/cases/{case.number}/actions", {"action": "extend", "days": 0, "reason": "r"}, auth)
    assert days.status_code == 422 and days.json()["problems"][0]["field"].endswith("days")
    reason = post(client, f"/api/cases/{case.number}/actions", {"action": "return", "step": "审查"}, auth)
    assert reason.status_code == 422 and "退回补正须写明原因" in reason.json()["detail"]
    unlisted = post(client, "/api/cases", {"item": "NOPE", "jurisdiction": "430304"}, auth)
    assert unlisted.status_code == 403 and "没有职权编码为 NOPE 的事项" in unlisted.json()["detail"]
    other = post(client, "/api/cases", {"item": licence.code, "jurisdiction": "430304"},
                 token_for(users["market_clerk"]))
    assert other.status_code == 403 and "只能办理本部门的事项" in other.json()["detail"]
    extra = post(client, "/api/cases", {"item": licence.code, "jurisdiction": "430304", "x": 1}, auth)
    assert extra.status_code == 422
