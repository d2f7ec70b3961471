"""A department clerk's system changes the department's items over the API with a token, under
the same rules as the back office: own department only, drafts and submissions directly (a
published item only through a change request, see test_clerk_cannot_bypass_review.py), every
change in the ledger and the audit chain."""

import json

from powerlist.catalog.models import ChangeRecord, PowerItem
from powerlist.conftest import item_document
from powerlist.core.models import AuditEntry


def patch(client, url, body, headers):
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_clerk_changes_own_departments_draft_item(client, items, users, token_for):
    item = items["430304-JY-XK-009"]
    PowerItem.objects.filter(pk=item.pk).update(conditions="联系人张三，手机13812345678")
    response = patch(client, f"/api/items/{item.pk}",
                     {"promised_limit_days": 5, "plain_name": "办民办学校", "reason": "压缩承诺时限",
                      "document": "岳政办发〔2025〕3号"}, token_for(users["clerk"]))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["promised_limit_days"] == 5 and body["plain_name"] == "办民办学校" and body["version"] == 2
    assert body["statutory_limit_days"] == 20  # untouched fields stay
    assert "13812345678" in body["conditions"]  # the clerk sees the stored text
    assert response["ETag"] == f'"{item.pk}-2"'
    record = ChangeRecord.objects.get(item=item, action="update")
    assert record.via == "api" and record.actor == users["clerk"] and record.reason == "压缩承诺时限"
    assert record.document == "岳政办发〔2025〕3号"
    assert set(record.changed_fields.split(",")) == {"plain_name", "promised_limit_days"}
    assert AuditEntry.objects.filter(action="item.update", target=f"item:{item.pk}", actor="edu_clerk").exists()


def test_lists_replace_the_whole_list(client, items, users, token_for):
    item = items["430304-JY-XK-009"]
    response = patch(client, f"/api/items/{item.pk}",
                     {"accountability": ["擅自收费的"], "flowchart": "受理 → 办结"}, token_for(users["clerk"]))
    assert response.status_code == 200, response.content
    assert response.json()["accountability"] == ["擅自收费的"]
    assert [s["name"] for s in response.json()["flowchart"]["steps"]] == ["受理", "办结"]


def test_another_departments_item_is_refused(client, items, users, token_for):
    item = items["430304-SC-XK-001"]
    response = patch(client, f"/api/items/{item.pk}", {"promised_limit_days": 1}, token_for(users["clerk"]))
    assert response.status_code == 403
    assert "edu_clerk" in response.json()["detail"] and response.json()["problems"] == []
    assert PowerItem.objects.get(pk=item.pk).promised_limit_days == 10
    assert not ChangeRecord.objects.filter(item=item, action="update").exists()


def test_without_a_valid_token_nothing_is_written(client, items):
    item = items["430304-JY-XK-001"]
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer pl_not-a-key"}, {"HTTP_AUTHORIZATION": "Basic YTpi"}):
        response = patch(client, f"/api/items/{item.pk}", {"promised_limit_days": 1}, headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer") and response.json()["detail"]
    assert client.get("/api/items", HTTP_AUTHORIZATION="Bearer pl_wrong").status_code == 401
    assert PowerItem.objects.get(pk=item.pk).version == 1


def test_invalid_bodies_get_422_with_problems(client, items, users, token_for):
    item = items["430304-JY-XK-009"]
    headers = token_for(users["clerk"])
    response = patch(client, f"/api/items/{item.pk}", {"category": "77", "statutory_limit_days": -1}, headers)
    assert response.status_code == 422
    fields = {p["field"] for p in response.json()["problems"]}
    assert {"payload.category", "payload.statutory_limit_days"} <= fields
    # refused by the service: dates out of order, empty name
    response = patch(client, f"/api/items/{item.pk}",
                     {"valid_from": "2025-01-01", "valid_to": "2024-01-01", "name": ""}, headers)
    assert response.status_code == 422
    problems = {p["field"]: p for p in response.json()["problems"]}
    assert set(problems) == {"valid_to", "name"} and problems["name"]["expected"] == "事项名称不能为空"
    response = patch(client, f"/api/items/{item.pk}", {"colour": "red"}, headers)
    assert response.status_code == 422 and response.json()["problems"][0]["field"] == "payload.colour"
    response = client.patch(f"/api/items/{item.pk}", "{not json", content_type="application/json", **headers)
    assert 400 <= response.status_code < 500
    assert PowerItem.objects.get(pk=item.pk).version == 1


def test_unknown_item_is_404(client, items, users, token_for):
    response = patch(client, "/api/items/999999", {"promised_limit_days": 1}, token_for(users["clerk"]))
    assert response.status_code == 404 and response.json()["detail"]


def test_clerk_creates_and_submits_reviewer_publishes(client, county, departments, users, token_for):
    clerk, reviewer = token_for(users["clerk"]), token_for(users["reviewer"])
    doc = item_document(code="430304-JY-XK-100", name="校外培训机构设立审批")
    response = post(client, "/api/items", {"jurisdiction": "430304", **doc, "reason": "新增"}, clerk)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft" and created["jurisdiction"]["code"] == "430304"
    assert ChangeRecord.objects.get(item_id=created["id"], action="create").via == "api"

    again = post(client, "/api/items", {"jurisdiction": "430304", **doc}, clerk)
    assert again.status_code == 422 and again.json()["problems"][0]["field"] == "code"
    other = post(client, "/api/items", {"jurisdiction": "430304", **doc, "code": "430304-SC-XK-100",
                                        "organisation": "岳塘区市场监督管理局"}, clerk)
    assert other.status_code == 403
    unknown = post(client, "/api/items", {"jurisdiction": "999999", **doc, "code": "X-1"}, clerk)
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["field"] == "jurisdiction"

    url = f"/api/items/{created['id']}/status"
    # a clerk cannot publish: asking for it files an add request a reviewer decides on
    asked = post(client, url, {"status": "published", "reason": "自行公布"}, clerk)
    assert asked.status_code == 202 and asked.json()["kind"] == "add"
    assert PowerItem.objects.get(pk=created["id"]).status == "draft"
    assert post(client, f"/api/change-requests/{asked.json()['id']}/withdraw", {}, clerk).status_code == 200
    submitted = post(client, url, {"status": "in_review", "reason": "提交审核"}, clerk)
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"
    assert post(client, url, {"status": "published", "reason": " "}, reviewer).status_code == 422
    published = post(client, url, {"status": "published", "reason": "审核通过", "document": "岳审改〔2025〕1号"},
                     reviewer)
    assert published.status_code == 200 and published.json()["status"] == "published"
    record = ChangeRecord.objects.filter(item_id=created["id"], action="status").first()
    assert record.via == "api" and record.document == "岳审改〔2025〕1号" and record.actor == users["reviewer"]
    assert client.get(f"/api/items/{created['id']}").status_code == 200  # now public
