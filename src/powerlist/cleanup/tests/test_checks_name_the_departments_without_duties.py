"""Check (d) compares nothing for a department whose duties (三定) are not recorded: the reviewer is
told which departments those are, by name, on the console and on the workbench's checks page, not
left to read a count of 0 as "all fine"."""

import json

from django.core.management import call_command
from django.test import Client

from powerlist.catalog.services.items import create_item
from powerlist.catalog.services.responsibilities import save_responsibility
from powerlist.cleanup.tests.workbench_campaign import EDU, MARKET, open_campaign
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM

HEALTH = "岳塘区卫生健康局"


def test_the_console_names_the_departments_without_duties(county, departments, capsys):
    create_item(SYSTEM, county, item_document(code="E1"))
    create_item(SYSTEM, county, item_document(code="H1", name="公共场所卫生许可", organisation=HEALTH))
    create_item(SYSTEM, county, item_document(code="M1", name="食品经营许可", organisation=MARKET))
    save_responsibility(SYSTEM, departments[MARKET], {"kind": "duty", "title": "食品经营安全监督管理",
                                                       "content": "负责食品经营许可和食品经营活动的监督管理"})
    call_command("cleanup", "check", "--jurisdiction", "430304", "--check", "mandate")
    text = capsys.readouterr().out
    [line] = [x for x in text.splitlines() if x.startswith("未录入职责，未作对照：")]
    assert line == "未录入职责，未作对照：" + "、".join(sorted([EDU, HEALTH]))
    call_command("cleanup", "check", "--jurisdiction", "430304", "--check", "mandate", "--json")
    assert json.loads(capsys.readouterr().out)["mandate_not_compared"] == sorted([EDU, HEALTH])
    call_command("cleanup", "check", "--jurisdiction", "430304", "--check", "scope")
    assert "未录入职责" not in capsys.readouterr().out  # said only when the mandate is checked


def test_the_checks_page_names_the_departments_without_duties(users, departments, tmp_path):
    save_responsibility(SYSTEM, departments[MARKET], {"kind": "duty", "title": "计量监督管理",
                                                      "content": "负责计量器具的监督管理"})
    reports = {EDU: [("E1", "民办学校设立审批", "01", "")], MARKET: [("M1", "计量器具检定", "07", "")]}
    campaign = open_campaign(tmp_path, clerks=(("edu_clerk", EDU), ("market_clerk", MARKET)), reports=reports)
    client = Client()
    client.force_login(users["reviewer"])
    page = client.get(f"/office/campaigns/{campaign.pk}/checks/").content.decode()
    assert f"未录入职责，未作对照：{EDU}" in page and f"{EDU}、{MARKET}" not in page
