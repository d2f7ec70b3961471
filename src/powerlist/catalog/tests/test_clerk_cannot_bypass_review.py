"""A department clerk tries every path to change a published item at once: the API, the back
office, an import, the console. Each ends as a change request (动态调整申请) that changes nothing
until a reviewer of the jurisdiction approves it; approval goes through the item service, lands
in the ledger and is carried by the next published version."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from powerlist.api import services as token_services
from powerlist.catalog.exports import export
from powerlist.catalog.models import ChangeRecord, ChangeRequest, ListVersionEntry, PowerItem
from powerlist.catalog.services import requests as request_services
from powerlist.catalog.services.items import create_item, update_item
from powerlist.catalog.services.versions import publish_version
from powerlist.conftest import item_document
from powerlist.core.errors import Conflict, InvalidInput, PermissionDenied, ReviewRequired
from powerlist.core.models import AuditEntry
from powerlist.core.scope import SYSTEM
from powerlist.testing import admin_form_data


@pytest.fixture
def published(county, departments):
    item = create_item(SYSTEM, county, item_document(status="published"))
    create_item(SYSTEM, county, item_document(code="430304-JY-XK-002", name="教育类草稿事项"))
    return item


def bearer(user):
    _token, key = token_services.create_token(SYSTEM, user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def unchanged(item) -> bool:
    fresh = PowerItem.objects.get(pk=item.pk)
    return (fresh.version, fresh.promised_limit_days, fresh.status) == (1, 10, "published") and not \
        ChangeRecord.objects.filter(item=item).exclude(action="create").exists()


def test_clerk_patch_of_published_item_via_api_becomes_a_change_request(published, users):
    client = Client()
    response = client.patch(f"/api/items/{published.pk}", json.dumps(
        {"promised_limit_days": 5, "reason": "压缩承诺时限", "document": "岳政办发〔2026〕3号"}),
        content_type="application/json", **bearer(users["clerk"]))
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["kind"] == "amend" and body["status"] == "pending" and body["item_id"] == published.pk
    assert body["changes"] == [{"field": "promised_limit_days", "label": "承诺时限（工作日）", "before": 10, "after": 5}]
    assert response["Location"] == f"/api/change-requests/{body['id']}"
    assert unchanged(published)
    assert AuditEntry.objects.filter(action="change_request.submit", actor="edu_clerk").exists()

    # the clerk cannot approve their own request; the reviewer can
    url = f"/api/change-requests/{body['id']}/approve"
    assert client.post(url, "{}", content_type="application/json", **bearer(users["clerk"])).status_code == 403
    assert unchanged(published)
    approved = client.post(url, json.dumps({"note": "同意"}), content_type="application/json",
                           **bearer(users["reviewer"]))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    item = PowerItem.objects.get(pk=published.pk)
    assert item.promised_limit_days == 5 and item.version == 2
    record = ChangeRecord.objects.get(item=item, action="update")
    assert record.via == "request" and record.actor == users["reviewer"] and record.document == "岳政办发〔2026〕3号"
    assert "压缩承诺时限" in record.reason and "edu_clerk" in record.reason
    assert ChangeRequest.objects.get(pk=body["id"]).change_record == record

    # the next published version carries the approved change
    version = publish_version(users["reviewer"], published.jurisdiction, title="动态调整")
    assert ListVersionEntry.objects.get(version=version, code=published.code).data["promised_limit_days"] == 5


def test_clerk_post_of_a_published_item_via_api_becomes_an_add_request(published, users):
    doc = item_document(code="430304-JY-XK-003", name="新设教育许可", status="published")
    response = Client().post("/api/items", json.dumps({"jurisdiction": "430304", **doc, "reason": "新法授权"}),
                             content_type="application/json", **bearer(users["clerk"]))
    assert response.status_code == 202 and response.json()["kind"] == "add"
    assert not PowerItem.objects.filter(code="430304-JY-XK-003").exists()
    request_services.approve(users["reviewer"], response.json()["id"])
    assert PowerItem.objects.get(code="430304-JY-XK-003").status == "published"


def test_clerk_cancel_of_published_item_via_api_status_becomes_a_cancel_request(published, users):
    response = Client().post(f"/api/items/{published.pk}/status",
                             json.dumps({"status": "cancelled", "reason": "上位法已废止"}),
                             content_type="application/json", **bearer(users["clerk"]))
    assert response.status_code == 202 and response.json()["kind"] == "cancel"
    assert unchanged(published)


def test_clerk_save_of_published_item_in_admin_becomes_a_change_request(published, users):
    client = Client()
    client.force_login(users["clerk"])
    url = f"/admin/catalog/poweritem/{published.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "动态调整申请" in page.content.decode()
    form = admin_form_data(page)
    form["promised_limit_days"] = "3"
    without_reason = client.post(url, form)
    assert without_reason.status_code == 200 and "动态调整申请" in without_reason.content.decode()
    assert unchanged(published) and not ChangeRequest.objects.exists()
    form["change_reason"] = "窗口提速"
    response = client.post(url, form)
    req = ChangeRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/changerequest/{req.pk}/change/")
    assert req.kind == "amend" and req.changes == {"promised_limit_days": 3} and req.via == "admin"
    assert unchanged(published)


def test_clerk_import_rows_for_published_items_become_change_requests(published, users, tmp_path):
    path = tmp_path / "list.json"
    export(published.jurisdiction, "json", str(path))
    exported = json.loads(path.read_text())
    for row in exported["items"]:
        row["promised_limit_days"] = 2
    exported["items"].append(item_document(code="430304-JY-XK-004", name="导入的新许可", status="published"))
    path.write_text(json.dumps(exported, ensure_ascii=False))
    call_command("import", str(path), "--jurisdiction", "430304", "--update", "--as", "edu_clerk",
                 "--reason", "年度动态调整")
    assert unchanged(published)
    assert not PowerItem.objects.filter(code="430304-JY-XK-004").exists()  # never arrives as published
    assert PowerItem.objects.get(code="430304-JY-XK-002").promised_limit_days == 2  # the draft changes directly
    kinds = sorted(ChangeRequest.objects.values_list("kind", "code"))
    assert kinds == [("add", "430304-JY-XK-004"), ("amend", "430304-JY-XK-001")]


def test_clerk_import_can_never_create_items_in_status_published(county, departments, users, tmp_path):
    path = tmp_path / "new.json"
    path.write_text(json.dumps([item_document(code=f"430304-JY-XK-1{i}", name=f"新事项{i}", status=status)
                                for i, status in enumerate(["已公布", "published", "已取消", "草稿"])],
                               ensure_ascii=False))
    call_command("import", str(path), "--jurisdiction", "430304", "--as", "edu_clerk")
    assert list(PowerItem.objects.values_list("status", flat=True)) == ["draft"]
    # published and cancelled rows alike wait for a reviewer; a new item can only be asked to be published
    assert sorted(ChangeRequest.objects.values_list("code", "changes__status")) == [
        ("430304-JY-XK-10", "published"), ("430304-JY-XK-11", "published"), ("430304-JY-XK-12", "published")]


def test_clerk_cli_submits_and_reviewer_cli_approves(published, users, capsys):
    call_command("requests", "submit", "--jurisdiction", "430304", "--code", published.code, "--set",
                 "promised_limit_days=4", "--reason", "提速", "--as", "edu_clerk")
    req = ChangeRequest.objects.get()
    assert f"#{req.pk}" in capsys.readouterr().out and req.via == "cli"
    with pytest.raises(CommandError, match="审核人员"):
        call_command("requests", "approve", str(req.pk), "--as", "edu_clerk")
    assert unchanged(published)
    call_command("requests", "approve", str(req.pk), "--as", "reviewer1")
    assert PowerItem.objects.get(pk=published.pk).promised_limit_days == 4
    capsys.readouterr()
    call_command("requests", "list", "--status", "all", "--json", "--as", "edu_clerk")
    listed = json.loads(capsys.readouterr().out)
    assert listed["requests"][0]["status"] == "approved"


def test_clerk_service_call_on_published_item_is_refused(published, users):
    with pytest.raises(ReviewRequired):
        update_item(users["clerk"], published, {"promised_limit_days": 1}, reason="直接改")
    assert unchanged(published)


def test_reviewer_changes_published_item_directly_only_with_a_reason(published, users):
    with pytest.raises(InvalidInput, match="理由"):
        update_item(users["reviewer"], published, {"promised_limit_days": 1})
    update_item(users["reviewer"], published, {"promised_limit_days": 1}, reason="审改办统一调整")
    assert PowerItem.objects.get(pk=published.pk).promised_limit_days == 1


def test_approval_is_refused_when_the_field_changed_after_the_request(published, users):
    req = request_services.submit(users["clerk"], "amend", item=published, changes={"promised_limit_days": 5},
                                  reason="提速")
    update_item(users["reviewer"], published, {"promised_limit_days": 8}, reason="统一调整")
    with pytest.raises(Conflict, match="承诺时限"):
        request_services.approve(users["reviewer"], req.pk)
    assert PowerItem.objects.get(pk=published.pk).promised_limit_days == 8
    assert ChangeRequest.objects.get(pk=req.pk).status == "pending"
    request_services.reject(users["reviewer"], req.pk, note="已统一调整为8日")
    assert ChangeRequest.objects.get(pk=req.pk).status == "rejected"


def test_reviewer_of_another_county_cannot_decide(published, users, other_county):
    from powerlist.conftest import make_user
    outsider = make_user("yuhu_reviewer", "reviewer", other_county)
    req = request_services.submit(users["clerk"], "cancel", item=published, changes={}, reason="职能划转")
    with pytest.raises(PermissionDenied):
        request_services.approve(outsider, req.pk)
    with pytest.raises(PermissionDenied):
        request_services.approve(users["market_clerk"], req.pk)
    assert unchanged(published)


def test_clerk_cli_set_with_absurdly_nested_json_gets_a_clear_refusal(published, users):
    with pytest.raises(CommandError, match="嵌套过深"):
        call_command("requests", "submit", "--jurisdiction", "430304", "--code", published.code, "--set",
                     "flowchart=" + "[" * 100000 + "]" * 100000, "--reason", "试探", "--as", "edu_clerk")
    assert not ChangeRequest.objects.exists()
