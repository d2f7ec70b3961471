"""A department revises its item in its reply to the review (已修改): on the workbench, field by field
under the list's Chinese column names (设定依据, 承诺时限（工作日）, 收费标准, 事项名称, 事项类型 …),
through the item service (ledgered); the round's history shows each field old → new. A value the
item refuses is said beside the form, never a 500, and nothing changes. From the console the same
fields by their Chinese names or English ones."""

import json

import pytest
from django.test import Client

from powerlist.catalog.models import ChangeRecord, PowerItem
from powerlist.cleanup.models import Decision
from powerlist.cleanup.services import decisions
from powerlist.cleanup.tests.campaign_files import run
from powerlist.cleanup.tests.workbench_campaign import BASIS, EDU, MARKET, open_campaign

NEW_BASIS = "《民办教育促进法》第十二条"


@pytest.fixture
def campaign(users, tmp_path):
    campaign = open_campaign(tmp_path, clerks=(("edu_clerk", EDU), ("market_clerk", MARKET)))
    decisions.decide(users["reviewer"], campaign, [
        {"code": "E1", "kind": "调整", "changes": "承诺时限：10", "comment": "请补充依据"},
        {"code": "E3", "kind": "取消", "cancel_reason": "无法律依据"}])
    return campaign


@pytest.fixture
def clerk(users):
    client = Client()
    client.force_login(users["clerk"])
    return client


def test_clerk_revises_basis_limit_fee_name_and_category_and_the_round_shows_old_and_new(campaign, clerk):
    url = f"/office/campaigns/{campaign.pk}/items/E1/"
    page = clerk.get(url).content.decode()
    for label in ("事项名称", "事项类型", "设定依据", "实施依据", "法定时限（工作日）", "承诺时限（工作日）", "收费标准",
                  "收费依据", "申请条件"):
        assert f"<label>{label}" in page, label
    assert 'name="f_citations.setting"' in page and BASIS in page
    assert '<option value="01" selected>行政许可</option>' in page  # the category by its name, not "01"
    before = ChangeRecord.objects.filter(item__code="E1").count()

    response = clerk.post(url + "reply/", {
        "reply": "revise", "reply_text": "补充设定依据，调整时限与收费",
        "f_name": "民办学校设立许可", "f_category": "01", "f_citations.setting": f"{BASIS}\n{NEW_BASIS}",
        "f_promised_limit_days": "15", "f_fee_standard": "不收费", "f_plain_name": ""}, HTTP_HX_REQUEST="true")
    panel = response.content.decode()
    assert response.status_code == 200 and "已修改" in panel, panel
    item = PowerItem.objects.get(code="E1")
    assert item.name == "民办学校设立许可" and item.promised_limit_days == 15 and item.fee_standard == "不收费"
    assert [c.raw_text for c in item.citations.all()] == [BASIS, NEW_BASIS]
    record = ChangeRecord.objects.filter(item__code="E1").latest("at")
    assert record.via == "cleanup" and ChangeRecord.objects.filter(item__code="E1").count() == before + 1
    assert set(record.changed_fields.split(",")) == {"name", "citations", "promised_limit_days", "fee_standard"}
    # the round's history: each field as people read it, old → new
    assert "部门修改" in panel
    assert "<del>民办学校设立审批</del> → <ins>民办学校设立许可</ins>" in panel
    assert f"<del>{BASIS}</del> → <ins>{BASIS}<br>{NEW_BASIS}</ins>" in panel
    assert "收费标准：<del>—</del> → <ins>不收费</ins>" in panel
    assert Decision.objects.get(entry__item__code="E1").reply == "revise"

    # the category by name: 行政许可 → 行政确认, shown as names in the history
    response = clerk.post(url + "reply/", {"reply": "revise", "f_category": "07"}, HTTP_HX_REQUEST="true")
    panel = response.content.decode()
    assert PowerItem.objects.get(code="E1").category == "07"
    assert "事项类型：<del>行政许可</del> → <ins>行政确认</ins>" in panel


def test_a_value_the_item_refuses_is_said_beside_the_form_and_nothing_changes(campaign, clerk):
    url = f"/office/campaigns/{campaign.pk}/items/E1/"
    before = ChangeRecord.objects.count()
    response = clerk.post(url + "reply/", {"reply": "revise", "f_promised_limit_days": "99999",
                                           "f_name": "新名称"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "承诺时限（工作日）“99999”：" in page
    assert 'value="99999"' in page  # the form as the person filled it in
    assert PowerItem.objects.get(code="E1").name == "民办学校设立审批"
    assert ChangeRecord.objects.count() == before and Decision.objects.get(entry__item__code="E1").reply == ""

    response = clerk.post(url + "reply/", {"reply": "revise", "f_name": ""}, HTTP_HX_REQUEST="true")
    assert "事项名称不能为空" in response.content.decode()
    # 已修改 with nothing changed is refused: never "revised" while nothing was
    response = clerk.post(url + "reply/", {"reply": "revise", "f_name": "民办学校设立审批"}, HTTP_HX_REQUEST="true")
    assert "至少修改一项" in response.content.decode()
    assert Decision.objects.get(entry__item__code="E1").reply == ""


def test_clerk_revises_from_the_console_by_chinese_field_names(campaign):
    out = run("campaign", "reply", "--campaign", str(campaign.pk), "--code", "E1", "--answer", "revise",
              "--changes", json.dumps({"承诺时限": 12, "设定依据": [BASIS, NEW_BASIS], "fee_basis": "无"},
                                      ensure_ascii=False), "--as", "edu_clerk")
    assert "E1" in out
    item = PowerItem.objects.get(code="E1")
    assert item.promised_limit_days == 12 and item.fee_basis == "无"
    assert [c.raw_text for c in item.citations.all()] == [BASIS, NEW_BASIS]
    revised = decisions.revisions(campaign, Decision.objects.get(entry__item__code="E1").entry)
    assert list(revised) == [1] and "promised_limit_days" in revised[1][0].changed_fields
