"""The reform office's review page (/office/requests/): pending change requests per jurisdiction,
decided in place (htmx swaps the card); a department sees and withdraws its own; a reviewer then
publishes the new version from the back office."""

import pytest
from django.test import Client

from powerlist.catalog.models import ChangeRequest, ListVersion, ListVersionEntry, PowerItem
from powerlist.catalog.services import requests as request_services
from powerlist.catalog.services.items import create_item
from powerlist.catalog.services.versions import publish_version
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM


@pytest.fixture
def filed(county, departments, users):
    item = create_item(SYSTEM, county, item_document(status="published"))
    market = create_item(SYSTEM, county, item_document(code="430304-SC-XK-001", name="食品经营许可",
                                                       organisation="岳塘区市场监督管理局", status="published"))
    publish_version(SYSTEM, county, title="岳塘区权力清单")
    return {
        "amend": request_services.submit(users["clerk"], "amend", item=item, changes={"promised_limit_days": 5},
                                         reason="窗口提速", basis="岳政办发〔2026〕3号"),
        "market": request_services.submit(users["market_clerk"], "cancel", item=market, changes={},
                                          reason="职能划转至县级"),
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reviewer_sees_the_queue_with_each_change_as_people_read_it(filed, users):
    page = logged_in(users["reviewer"]).get("/office/requests/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "承诺时限（工作日）" in text and "窗口提速" in text and "岳政办发〔2026〕3号" in text
    assert "食品经营许可" in text and "promised_limit_days" not in text  # labels, never raw field names
    assert 'hx-post="/office/requests/' in text and "htmx" in text  # decided in place, htmx served locally


def test_reviewer_approves_in_place_and_the_card_says_so(filed, users):
    req = filed["amend"]
    response = logged_in(users["reviewer"]).post(f"/office/requests/{req.pk}/decide/", {"action": "approve"},
                                                 HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "已批准" in response.content.decode() and 'id="request-' in response.content.decode()
    assert PowerItem.objects.get(pk=req.item_id).promised_limit_days == 5


def test_reviewer_rejecting_without_a_note_is_told_why(filed, users):
    req = filed["amend"]
    response = logged_in(users["reviewer"]).post(f"/office/requests/{req.pk}/decide/", {"action": "reject"},
                                                 HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "必须说明理由" in response.content.decode()
    assert ChangeRequest.objects.get(pk=req.pk).status == "pending"


def test_clerk_sees_only_their_departments_requests_and_can_withdraw_but_not_approve(filed, users):
    client = logged_in(users["clerk"])
    text = client.get("/office/requests/").content.decode()
    assert "窗口提速" in text and "食品经营许可" not in text and 'value="approve"' not in text
    req = filed["amend"]
    refused = client.post(f"/office/requests/{req.pk}/decide/", {"action": "approve"}, HTTP_HX_REQUEST="true")
    assert "只有审核人员" in refused.content.decode()
    assert client.post(f"/office/requests/{filed['market'].pk}/decide/", {"action": "withdraw"}).status_code == 403
    done = client.post(f"/office/requests/{req.pk}/decide/", {"action": "withdraw"})
    assert done.status_code == 302 and ChangeRequest.objects.get(pk=req.pk).status == "withdrawn"


def test_reviewer_publishes_a_new_version_from_the_back_office(filed, users, county):
    request_services.approve(users["reviewer"], filed["amend"].pk)
    client = logged_in(users["reviewer"])
    page = client.get("/office/publish/?jurisdiction=430304")
    summary = page.context["summary"]
    assert (summary["published"], summary["changes"], summary["updated"], summary["pending"]) == (2, 1, 1, 1)
    text = page.content.decode()
    assert "/office/requests/?jurisdiction=430304" in text  # the pending cancel request is pointed out
    assert "窗口提速" in text  # the approved change is listed among the latest changes
    refused = client.post("/office/publish/", {"jurisdiction": "430304", "title": " "})
    assert refused.status_code == 200 and ListVersion.objects.filter(jurisdiction=county).count() == 1
    response = client.post("/office/publish/", {"jurisdiction": "430304", "title": "岳塘区权力清单（动态调整）",
                                                "document": "岳政发〔2026〕5号"})
    assert response.status_code == 302 and response["Location"] == "/j/430304/versions/"
    version = ListVersion.objects.get(jurisdiction=county, number=2)
    assert version.document == "岳政发〔2026〕5号" and version.published_by == "reviewer1"
    entry = ListVersionEntry.objects.get(version=version, code="430304-JY-XK-001")
    assert entry.data["promised_limit_days"] == 5


def test_inspector_and_clerk_cannot_publish(filed, users):
    for who in ("inspector", "clerk"):
        assert logged_in(users[who]).get("/office/publish/").status_code == 403
    assert Client().get("/office/requests/").status_code == 302  # to the login page
