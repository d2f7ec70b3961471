"""Two people change one item at the same moment, each in their own connection and transaction
(threads against the real database: SQLite in WAL mode, or PostgreSQL). Different fields: both
changes survive, and each ledger record's "before" is the state it really replaced. The same
field with the version both people opened (If-Match): one wins, the other gets 412 and changes
nothing."""

import json

import pytest
from django.test import Client

from powerlist.api import services as token_services
from powerlist.catalog.models import ChangeRecord, PowerItem
from powerlist.catalog.services.items import create_item, update_item
from powerlist.conftest import item_document
from powerlist.core.errors import Conflict
from powerlist.core.scope import SYSTEM
from powerlist.testing import admin_form_data, race

ROUNDS = 5


@pytest.fixture
def item(county, departments):
    return create_item(SYSTEM, county, item_document(code="430304-JY-XK-050", name="并发修改测试事项"))


@pytest.mark.django_db(transaction=True)
def test_two_clerks_change_different_fields_at_once_and_both_changes_survive(item, users):
    clerk = users["clerk"]
    for n in range(ROUNDS):
        results = race(
            lambda n=n: update_item(clerk, PowerItem(pk=item.pk), {"promised_limit_days": 30 + n}, reason="时限"),
            lambda n=n: update_item(clerk, PowerItem(pk=item.pk), {"plain_name": f"通俗名称{n}"}, reason="名称"))
        assert not [r for r in results if isinstance(r, Exception)], results
        fresh = PowerItem.objects.get(pk=item.pk)
        assert (fresh.promised_limit_days, fresh.plain_name) == (30 + n, f"通俗名称{n}")
    # each record's "before" is what the other writer left: the ledger replays to the final state
    records = list(ChangeRecord.objects.filter(item_id=item.pk, action="update").order_by("at", "id"))
    assert len(records) == 2 * ROUNDS
    for earlier, later in zip(records, records[1:], strict=False):
        assert later.before == earlier.after
    assert PowerItem.objects.get(pk=item.pk).version == 1 + 2 * ROUNDS


@pytest.mark.django_db(transaction=True)
def test_two_api_patches_of_different_fields_at_once_both_survive(item, users):
    _t, key = token_services.create_token(SYSTEM, users["clerk"], "a")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def patch(body):
        return lambda: Client().patch(f"/api/items/{item.pk}", json.dumps(body), content_type="application/json",
                                      **headers).status_code

    for n in range(ROUNDS):
        assert race(patch({"statutory_limit_days": 40 + n}), patch({"limit_note": f"说明{n}"})) == [200, 200]
        fresh = PowerItem.objects.get(pk=item.pk)
        assert (fresh.statutory_limit_days, fresh.limit_note) == (40 + n, f"说明{n}")


@pytest.mark.django_db(transaction=True)
def test_two_people_change_the_same_field_from_the_same_version_one_gets_a_conflict(item, users):
    _t, key = token_services.create_token(SYSTEM, users["clerk"], "a")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for n in range(ROUNDS):
        tag = Client().get(f"/api/items/{item.pk}", **headers)["ETag"]

        def patch(days, tag=tag):
            return lambda: Client().patch(f"/api/items/{item.pk}", json.dumps({"promised_limit_days": days}),
                                          content_type="application/json", HTTP_IF_MATCH=tag, **headers)

        first, second = race(patch(100 + n), patch(200 + n))
        assert sorted([first.status_code, second.status_code]) == [200, 412]
        loser = first if first.status_code == 412 else second
        winner = second if loser is first else first
        assert "edu_clerk" in loser.json()["detail"] and "承诺时限" in loser.json()["detail"]
        assert PowerItem.objects.get(pk=item.pk).promised_limit_days == winner.json()["promised_limit_days"]


@pytest.mark.django_db(transaction=True)
def test_service_refuses_a_stale_version_naming_who_changed_what(item, users):
    update_item(users["reviewer"], item, {"fee_standard": "不收费"}, reason="核实")
    with pytest.raises(Conflict, match="reviewer1.*收费标准"):
        update_item(users["clerk"], item, {"promised_limit_days": 3}, expected_version=1)
    assert PowerItem.objects.get(pk=item.pk).promised_limit_days == 10


def test_admin_refuses_a_save_over_a_newer_version(county, departments, users):
    item = create_item(SYSTEM, county, item_document(code="430304-JY-XK-051", name="后台并发修改"))
    client = Client()
    client.force_login(users["clerk"])
    url = f"/admin/catalog/poweritem/{item.pk}/change/"
    form = admin_form_data(client.get(url))
    update_item(users["reviewer"], item, {"conditions": "新条件"}, reason="补充条件")
    form["promised_limit_days"] = "3"
    response = client.post(url, form)
    assert response.status_code == 200
    text = response.content.decode()
    assert "reviewer1" in text and "申请条件" in text and "第1版" in text
    fresh = PowerItem.objects.get(pk=item.pk)
    assert (fresh.promised_limit_days, fresh.conditions, fresh.version) == (10, "新条件", 2)
