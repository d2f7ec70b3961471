"""A flowchart step whose id is a list (or any nested value of the wrong shape) is refused on
every write path, naming the field's path; and an item stored in a bad shape before the check
existed still shows its page (drawn as far as it goes), never a 500."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerlist.catalog.documents import clean_document
from powerlist.catalog.models import PowerItem, Status
from powerlist.catalog.services.imports import ImportRefused, import_file
from powerlist.catalog.services.items import create_item
from powerlist.catalog.tests.test_back_office import _form_data
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM

LIST_ID = {"steps": [{"id": ["s", "1"], "name": "受理"}, {"id": "s2", "name": "决定"}], "flows": [["s2", "s2"]]}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_import_refuses_a_step_id_that_is_a_list_naming_its_path(county, departments, tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([item_document(code="F-1", flowchart=LIST_ID)], ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        import_file(SYSTEM, path, county)
    assert [(p.row, p.field) for p in err.value.report.problems] == [(1, "flowchart.steps[0].id")]
    assert PowerItem.objects.count() == 0


def test_import_file_cannot_mark_its_own_lists_as_already_checked(county, departments, tmp_path):
    doc = item_document(code="F-2", risk_points=[{"level": "high", "description": ["不是文字"]}])
    path = tmp_path / "list.json"
    path.write_text(json.dumps([doc | {"__lists_clean__": True}], ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        import_file(SYSTEM, path, county)
    assert [p.field for p in err.value.report.problems] == ["risk_points[0]"]
    assert "description 应为文字" in err.value.report.problems[0].expected


def test_api_refuses_a_step_id_that_is_a_list(county, departments, users, client):
    from powerlist.api import services as token_services

    _token, key = token_services.create_token(SYSTEM, users["admin"], "test")
    body = item_document(code="F-3", flowchart=LIST_ID) | {"jurisdiction": "430304"}
    response = client.post("/api/items", json.dumps(body, ensure_ascii=False), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 422, response.content
    assert any("steps" in p["field"] and "id" in p["field"] for p in response.json()["problems"])
    assert not PowerItem.objects.filter(code="F-3").exists()


def test_admin_refuses_a_step_id_that_is_a_list_and_keeps_the_item(county, departments, users):
    item = create_item(SYSTEM, county, item_document())
    client = login(users["admin"])
    data = _form_data(client, item) | {"flowchart": json.dumps(LIST_ID), "change_reason": "试图存入坏流程图"}
    page = client.post(f"/admin/catalog/poweritem/{item.pk}/change/", data, follow=True)
    assert page.status_code == 200
    assert "flowchart.steps[0].id" in page.content.decode()
    item.refresh_from_db()
    assert item.version == 1 and [s["name"] for s in item.flowchart["steps"]] == ["受理", "审查", "决定", "送达"]


@pytest.mark.parametrize("field,value,path", [
    ("flowchart", {"steps": [{"id": "a", "name": {"zh": "受理"}}]}, "flowchart.steps[0].name"),
    ("flowchart", {"steps": [{"id": "a", "name": "受理"}], "flows": [["a", "b"]]}, "flowchart"),
    ("flowchart", {"steps": [{"id": "a", "name": "受理"}, {"id": "a", "name": "决定"}]}, "flowchart"),
    ("flowchart", {"steps": [{"id": "a", "name": "受理", "role": [1]}]}, "flowchart.steps[0]"),
    ("flowchart", {"steps": "受理"}, "flowchart.steps"),
    ("discretion", [{"grade": ["一般"], "circumstance": "情形", "penalty": "罚款"}], "discretion[0]"),
    ("responsibilities", [{"phase": "before", "content": {"x": 1}}], "responsibilities[0]"),
    ("citations", [{"kind": "setting", "text": ["《某法》"]}], "citations[0]"),
    ("accountability", [{"text": 5.5j}], "accountability[0]"),
])
def test_every_nested_value_of_the_wrong_shape_is_refused_with_its_path(field, value, path):
    _doc, errors = clean_document(item_document(**{field: value}))
    assert [e[0] for e in errors] == [path], errors


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                       max_size=3), max_leaves=10)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chart=st.one_of(json_values, st.fixed_dictionaries({"steps": st.lists(
    st.dictionaries(st.sampled_from(["id", "name", "x"]), json_values, max_size=3), max_size=3),
    "flows": json_values})))
def test_any_json_as_flowchart_is_either_clean_or_refused_never_stored_broken(chart):
    doc, errors = clean_document(item_document(flowchart=chart))
    if errors:
        assert all(e[0].startswith("flowchart") for e in errors) and doc["flowchart"] == {}
    else:
        for step in doc["flowchart"].get("steps", []):
            assert isinstance(step["id"], str) and isinstance(step["name"], str) and step["name"]


@pytest.mark.parametrize("stored", [
    LIST_ID, {"steps": [5, "受理", {"name": ["x"]}, {"id": {"a": 1}, "name": "审查"}], "flows": [[["a"], "s2"], 7]},
    [1, 2], "受理 → 决定", {"steps": {"id": "s1"}}, {"steps": [{"id": "s1", "name": "受理"}], "flows": "s1"},
])
def test_item_stored_in_a_bad_shape_still_shows_on_every_page(county, departments, users, client, stored):
    item = create_item(SYSTEM, county, item_document(status=Status.PUBLISHED))
    PowerItem.objects.filter(pk=item.pk).update(flowchart=stored)  # as an older version or a hand edit left it
    assert client.get(f"/item/{item.pk}/").status_code == 200
    assert client.get(f"/api/items/{item.pk}").status_code == 200
    assert login(users["admin"]).get(f"/admin/catalog/poweritem/{item.pk}/change/").status_code == 200
    assert client.get(f"/j/430304/category/01/").status_code == 200
