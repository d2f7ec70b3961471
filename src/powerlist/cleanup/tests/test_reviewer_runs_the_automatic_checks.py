"""A reviewer runs the automatic checks (a)-(d) over a county's items, beside each item and as a
report by department (`powerlist cleanup check`)."""

import json

import pytest
from django.core.management import call_command

from powerlist.catalog.models import PowerItem
from powerlist.catalog.services import citations as citation_services
from powerlist.catalog.services.items import create_item
from powerlist.catalog.services.responsibilities import save_responsibility
from powerlist.cleanup.checks import (duplicate_findings, find_duplicate_groups, findings_by_item,
                                      legal_basis_findings, mandate_findings, scope_findings)
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM

EDU, MARKET, HEALTH = "岳塘区教育局", "岳塘区市场监督管理局", "岳塘区卫生健康局"
FOOD_LAW = [{"kind": "setting", "text": "《中华人民共和国食品安全法》第一百二十二条"}]


@pytest.fixture
def county_items(county, departments):
    docs = [
        item_document(code="E1"),  # 民办学校设立审批, 民办教育促进法 第十二条: valid
        item_document(code="E2", name="教师资格认定", category="07", citations=[]),
        item_document(code="E3", name="民办学校章程变更审批",
                      citations=[{"kind": "setting", "text": "《中华人民共和国不存在的管理法》第三条"}]),
        item_document(code="E4", name="考核本单位工作人员年度绩效", category="10"),
        item_document(code="M1", name="对未取得食品经营许可从事食品经营活动的处罚", category="02",
                      organisation=MARKET, citations=FOOD_LAW),
        item_document(code="M2", name="对未取得食品经营许可从事食品经营活动行为的处罚（县级）", category="02",
                      organisation=MARKET, citations=FOOD_LAW),
        item_document(code="H1", name="區衛生健康局對未取得食品經營許可從事食品經營活動的處罰", category="02",
                      organisation=HEALTH, citations=FOOD_LAW),
        item_document(code="M3", name="燃气经营许可", organisation=MARKET,
                      citations=[{"kind": "setting", "text": "《城镇燃气管理条例》第十五条"}]),
    ]
    for doc in docs:
        create_item(SYSTEM, county, doc)
    citation_services.check_jurisdiction(SYSTEM, county)
    return PowerItem.objects.filter(jurisdiction=county)


def test_item_without_basis_or_with_invalid_basis_suggests_cancel(county_items):
    found = {f.code: f for f in legal_basis_findings(county_items)}
    assert found["E2"].problem == "no-basis" and found["E2"].suggestion == "cancel"
    assert found["E3"].problem == "invalid-basis" and found["E3"].suggestion == "cancel"
    assert found["E3"].evidence["invalid"][0]["verdict"] == "law-not-found"
    assert "E1" not in found


def test_unchecked_basis_is_reported_not_judged(county, departments):
    create_item(SYSTEM, county, item_document(code="U1"))
    [finding] = legal_basis_findings(PowerItem.objects.filter(code="U1"))
    assert finding.problem == "unchecked" and finding.suggestion == "review"


def test_internal_management_matter_is_flagged_as_not_a_power(county_items):
    found = scope_findings(county_items)
    assert [(f.code, f.evidence["terms"]) for f in found] == [("E4", ["本单位", "工作人员", "考核", "绩效"])]


def test_duplicates_within_and_across_departments_are_grouped_with_evidence(county_items):
    [group] = find_duplicate_groups(county_items)
    assert group["codes"] == ["H1", "M1", "M2"]
    assert group["across_departments"] and group["suggestion"] == "merge"
    assert set(group["departments"]) == {MARKET, HEALTH}
    assert all(p["score"] >= 0.9 for p in group["pairs"])
    assert any("食品安全法" in c for p in group["pairs"] for c in p["shared_citations"])
    [finding] = duplicate_findings(county_items)
    beside = findings_by_item([finding])
    assert set(beside) == {"H1", "M1", "M2"}


def test_duplicate_groups_of_item_documents(county, departments):
    docs = [{"code": "X1", "name": "对无证经营的处罚", "organisation": "区市场监管局"},
            {"code": "X2", "name": "無證經營行為的處罰", "organisation": "区市场监管局"},
            {"code": "X3", "name": "食品经营许可", "organisation": "区市场监管局"}]
    assert [g["codes"] for g in find_duplicate_groups(docs)] == [["X1", "X2"]]


def test_items_outside_the_mandate_and_duties_no_item_carries(county_items, departments):
    save_responsibility(SYSTEM, departments[MARKET], {"kind": "duty", "title": "食品经营安全监督管理",
                                                       "content": "负责食品经营许可和食品经营活动的监督管理"})
    save_responsibility(SYSTEM, departments[MARKET], {"kind": "duty", "title": "计量监督管理",
                                                       "content": "负责计量器具的监督管理"})
    found = mandate_findings(county_items)
    outside = {f.code for f in found if f.problem == "outside-mandate"}
    uncarried = {f.name for f in found if f.problem == "duty-uncarried"}
    assert outside == {"M3"}  # 燃气经营许可 matches neither duty; departments without duties are skipped
    assert uncarried == {"计量监督管理"}


def test_cleanup_check_command_prints_findings_by_department(county_items, capsys):
    call_command("cleanup", "check", "--jurisdiction", "430304")
    text = capsys.readouterr().out
    assert "发现" in text and EDU in text and "E4" in text and "建议取消" in text and "H1、M1、M2" in text
    call_command("cleanup", "check", "--jurisdiction", "430304", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["items"] == 8
    assert report["by_check"]["scope"] == 1 and report["by_check"]["duplicate"] == 1
    assert report["by_department"][EDU]["by_check"]["legal_basis"] == 2
