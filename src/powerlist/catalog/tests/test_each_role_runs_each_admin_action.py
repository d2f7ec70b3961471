"""Every action of the back office, tried by every role: it runs, or it answers 403 with the
reason; never a 500. Checking the legal basis is a legal reviewer's job within their
jurisdiction; inspectors read the verdicts but do not run the check."""

import pytest
from django.contrib import admin
from django.test import Client

from powerlist.api import services as token_services
from powerlist.catalog.models import Citation
from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document, make_user
from powerlist.core.models import Role
from powerlist.core.scope import SYSTEM

ROLES = ["admin", "reviewer", "clerk", "market_clerk", "legal", "inspector", "outside_legal"]


@pytest.fixture
def world(county, other_county, departments, users):
    from powerlist.core.services.organisations import create_organisation

    create_organisation(SYSTEM, other_county, name="雨湖区教育局")
    items = [create_item(SYSTEM, county, item_document()),
             create_item(SYSTEM, other_county, item_document(code="YH-1", organisation="雨湖区教育局"))]
    token_services.create_token(SYSTEM, users["clerk"], "test")
    return {"items": items, "users": users | {"outside_legal": make_user("legal2", Role.LEGAL, other_county)}}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _actions():
    for model, model_admin in admin.site._registry.items():
        for action in model_admin.actions or ():
            name = action if isinstance(action, str) else action.__name__
            yield model, name


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_an_answer_from_each_admin_action_never_a_500(world, role):
    client = login(world["users"][role])
    for model, name in _actions():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        ids = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:20]]
        response = client.post(url, {"action": name, "_selected_action": ids, "index": 0})
        assert response.status_code < 500, (role, name, response.content[:300])
        if response.status_code == 403 and "text/html" in response.get("Content-Type", ""):
            assert response.content.strip(), (role, name)


@pytest.mark.parametrize("role", ["admin", "reviewer", "legal", "clerk"])
def test_legal_basis_check_runs_for_those_whose_job_it_is(world, role):
    edu = world["items"][0]
    client = login(world["users"][role])
    response = client.post("/admin/catalog/poweritem/", {"action": "check_legal_basis",
                                                         "_selected_action": [edu.pk]}, follow=True)
    assert response.status_code == 200
    assert any("核验" in str(m) or "Checked" in str(m) for m in response.context["messages"])
    assert Citation.objects.get(item=edu).checked_at is not None


def test_inspector_running_the_legal_basis_check_gets_403_with_the_reason(world):
    edu = world["items"][0]
    response = login(world["users"]["inspector"]).post("/admin/catalog/poweritem/", {
        "action": "check_legal_basis", "_selected_action": [edu.pk]})
    assert response.status_code == 403
    assert "无权核验" in response.content.decode() and "纪检监察人员可查看核验结果" in response.content.decode()
    assert Citation.objects.get(item=edu).checked_at is None


def test_legal_reviewer_cannot_check_another_jurisdictions_items(world):
    from powerlist.catalog.models import PowerItem
    from powerlist.catalog.services.citations import check_items
    from powerlist.core.errors import PermissionDenied

    other = world["items"][1]
    with pytest.raises(PermissionDenied, match="无权核验"):
        check_items(world["users"]["legal"], PowerItem.objects.filter(pk=other.pk))
    assert check_items(world["users"]["outside_legal"], PowerItem.objects.filter(pk=other.pk)).citations == 1
