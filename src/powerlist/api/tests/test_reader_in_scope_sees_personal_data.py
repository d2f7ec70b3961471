"""The people who keep a list read it as it is: a reviewer in the back office, a clerk or
reviewer with an API token for records in their scope. Anyone else reads it masked."""

from django.test import Client

from powerlist.catalog.models import DutyKind
from powerlist.catalog.services.responsibilities import save_responsibility
from powerlist.conftest import make_user
from powerlist.core.models import Role
from powerlist.core.scope import SYSTEM

MOBILE, ID = "13812345678", "430302199001011234"


def test_reviewer_in_the_back_office_sees_the_real_numbers(items, users):
    item = items["430304-JY-XK-001"]
    client = Client()
    client.force_login(users["reviewer"])
    page = client.get(f"/admin/catalog/poweritem/{item.pk}/change/").content.decode()
    assert MOBILE in page and ID in page


def test_token_in_scope_sees_the_real_numbers(client, items, users, token_for):
    item = items["430304-JY-XK-001"]
    for role in ("clerk", "reviewer", "admin", "inspector"):
        body = client.get(f"/api/items/{item.pk}", **token_for(users[role])).json()
        assert MOBILE in body["conditions"] and ID in body["conditions"], role


def test_token_out_of_scope_sees_the_published_item_masked(client, items, users, token_for, other_county):
    item = items["430304-JY-XK-001"]
    neighbour = make_user("yuhu_reviewer", Role.REVIEWER, other_county)
    for reader in (users["market_clerk"], neighbour):
        conditions = client.get(f"/api/items/{item.pk}", **token_for(reader)).json()["conditions"]
        assert MOBILE not in conditions and ID not in conditions and "138****5678" in conditions
    assert MOBILE not in client.get(f"/api/items/{item.pk}").json()["conditions"]


def test_department_clerk_sees_own_responsibility_list_unmasked(client, items, users, departments, token_for):
    org = departments["岳塘区教育局"]
    save_responsibility(SYSTEM, org, {"kind": DutyKind.DUTY, "title": "学校安全", "content": f"联系人手机{MOBILE}",
                                      "status": "published"})
    own = client.get(f"/api/organisations/{org.pk}", **token_for(users["clerk"])).json()
    other = client.get(f"/api/organisations/{org.pk}", **token_for(users["market_clerk"])).json()
    anonymous = client.get(f"/api/organisations/{org.pk}").json()
    assert MOBILE in own["responsibilities"]["duty"][0]["content"]
    for body in (other, anonymous):
        assert body["responsibilities"]["duty"][0]["content"] == "联系人手机138****5678"
