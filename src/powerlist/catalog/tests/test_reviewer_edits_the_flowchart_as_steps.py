"""The item form shows the flowchart as steps, one a line (名称｜承办岗位｜时限), not raw JSON, and
reads back what a browser without JavaScript posts; a chart with branches stays JSON."""

import pytest
from django.test import Client

from powerlist.catalog.models import PowerItem
from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.testing import admin_form_data

BRANCHED = {"steps": [{"id": "a", "name": "受理"}, {"id": "b", "name": "审查"}, {"id": "c", "name": "补正"}],
            "flows": [["a", "b"], ["b", "c"], ["c", "a"]]}


@pytest.fixture
def reviewer(users):
    client = Client()
    client.force_login(users["reviewer"])
    return client


def save(client, item, flowchart):
    page = client.get(f"/admin/catalog/poweritem/{item.pk}/change/")
    data = admin_form_data(page) | {"flowchart": flowchart, "change_reason": "调整流程"}
    return client.post(f"/admin/catalog/poweritem/{item.pk}/change/", data)


def test_the_form_shows_steps_not_json(county, departments, reviewer):
    item = create_item(SYSTEM, county, item_document())
    page = reviewer.get(f"/admin/catalog/poweritem/{item.pk}/change/").content.decode()
    assert "受理\n审查\n决定\n送达</textarea>" in page and '"steps"' not in page
    assert "catalog/flowchart_editor.js" in page and "环节名称" in page


def test_reviewer_saves_steps_with_roles_and_time_limits_without_javascript(county, departments, reviewer):
    item = create_item(SYSTEM, county, item_document())
    response = save(reviewer, item, "受理｜综合窗口｜1\n审查｜业务股室｜3\n决定\n送达")
    assert response.status_code == 302
    chart = PowerItem.objects.get(pk=item.pk).flowchart
    assert chart["steps"][0] == {"id": "s1", "name": "受理", "role": "综合窗口", "time_limit_days": 1}
    assert chart["steps"][2] == {"id": "s3", "name": "决定"} and chart["flows"] == [["s1", "s2"], ["s2", "s3"],
                                                                                   ["s3", "s4"]]
    page = reviewer.get(f"/admin/catalog/poweritem/{item.pk}/change/").content.decode()
    assert "受理｜综合窗口｜1\n审查｜业务股室｜3\n决定\n送达</textarea>" in page
    change = item.changes.order_by("-id").first()
    assert change.changed_fields == "flowchart" and change.reason == "调整流程"


def test_one_line_of_arrows_is_read_as_steps(county, departments, reviewer):
    item = create_item(SYSTEM, county, item_document())
    assert save(reviewer, item, "申请 → 受理 → 办结").status_code == 302
    assert [s["name"] for s in PowerItem.objects.get(pk=item.pk).flowchart["steps"]] == ["申请", "受理", "办结"]


def test_a_bad_line_is_refused_naming_it(county, departments, reviewer):
    item = create_item(SYSTEM, county, item_document())
    page = save(reviewer, item, "受理｜综合窗口｜一天\n审查").content.decode()
    assert "流程图第 1 行" in page and "一天" in page
    assert [s["name"] for s in PowerItem.objects.get(pk=item.pk).flowchart["steps"]] == ["受理", "审查", "决定", "送达"]


def test_a_chart_with_branches_stays_json_and_is_checked(county, departments, reviewer):
    item = create_item(SYSTEM, county, item_document(flowchart=BRANCHED))
    page = reviewer.get(f"/admin/catalog/poweritem/{item.pk}/change/").content.decode()
    assert "&quot;flows&quot;" in page
    response = save(reviewer, item, '{"steps": [{"id": "a", "name": "受理"}], "flows": [["a", "x"]]}')
    assert "不是任何环节的 id" in response.content.decode()
    assert PowerItem.objects.get(pk=item.pk).flowchart["flows"] == BRANCHED["flows"]
