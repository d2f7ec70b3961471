"""The statistics of a campaign read as names wherever a person reads them: `campaign stats` and the
portal's page and downloads give each category's name beside its code (by_category keeps its
codes as keys, each with "name": 行政许可, 行政处罚 …), departments by name, and the difference
from the previous version names the items and the fields changed (事项名称, …), never raw codes."""

import csv
import io
import json

import openpyxl
import pytest

from powerlist.catalog.models import PowerItem
from powerlist.catalog.services import items as item_services
from powerlist.cleanup.services import campaigns, decisions
from powerlist.cleanup.tests.campaign_files import HEADER, approve_legality, report_rows, run, write_csv

EDU, MARKET = "岳塘区教育局", "岳塘区市场监督管理局"


@pytest.fixture
def published(users, county, tmp_path):
    reviewer = users["reviewer"]
    first = campaigns.open_campaign(reviewer, county, title="2025年清理", deadline="2025-12-31")
    campaigns.self_report(reviewer, first, write_csv(tmp_path / "a.csv", HEADER, report_rows(
        EDU, [("E1", "民办学校设立审批", "01"), ("E2", "教师资格认定", "07")])))
    decisions.decide(reviewer, first, [{"code": "E1", "kind": "保留"}, {"code": "E2", "kind": "保留"}])
    approve_legality(first)
    run("campaign", "publish", "--campaign", str(first.pk), "--title", "第一版", "--as", "reviewer1")
    item_services.update_item(reviewer, PowerItem.objects.get(code="E1"), {"name": "民办学校设立许可"},
                              reason="更名")

    second = campaigns.open_campaign(reviewer, county, title="2026年清理", deadline="2026-12-31")
    campaigns.self_report(reviewer, second, write_csv(tmp_path / "b.csv", HEADER, report_rows(
        MARKET, [("M1", "对销售不合格产品的处罚", "02"), ("M2", "对无证经营的处罚", "02"), ("M3", "食品经营抽查", "06")])))
    decisions.decide(reviewer, second, [{"code": "M1", "kind": "保留"}, {"code": "M2", "kind": "取消",
                                                                          "reason": "无法律依据"},
                                        {"code": "M3", "kind": "保留"}])
    approve_legality(second)
    run("campaign", "publish", "--campaign", str(second.pk), "--title", "第二版", "--as", "reviewer1")
    return second


def test_statistics_name_categories_and_departments_everywhere(client, published):
    stats = json.loads(run("campaign", "stats", "--campaign", str(published.pk), "--json", "--as", "reviewer1"))
    # the shape of `campaign stats --json` stays: codes as keys, the counts, and now the name beside them
    assert set(stats) >= {"reported", "kept", "cancelled", "delegated", "transferred", "merged", "cut_ratio",
                          "by_category", "by_department"}
    assert stats["by_category"]["02"] == {"name": "行政处罚", "reported": 2, "kept": 1, "cancelled": 1, "delegated": 0,
                                          "transferred": 0, "merged": 0, "taken_over": 0, "cut_ratio": 0.5}
    assert stats["by_category"]["06"]["name"] == "行政检查" and list(stats["by_department"]) == [MARKET]

    text = run("campaign", "stats", "--campaign", str(published.pk), "--as", "reviewer1")
    assert "行政处罚：自报 2，保留 1，取消 1" in text and "行政检查：" in text and f"{MARKET}：" in text
    assert "02" not in text and "06" not in text

    base = f"/j/430304/campaigns/{published.pk}/"
    assert client.get(base + "statistics.json").json() == stats
    page = client.get(base).content.decode()
    assert "<td>行政处罚</td>" in page and "<td>行政检查</td>" in page and f"<td>{MARKET}</td>" in page
    assert "<td>02</td>" not in page
    # the difference from version 1 names the item and the field changed
    assert "民办学校设立许可" in page and "修改的字段：事项名称" in page

    rows = list(csv.reader(io.StringIO(client.get(base + "statistics.csv").content.decode("utf-8-sig"))))
    assert ["按类别", "02", "行政处罚"] == rows[2][:3] and ["按部门", "", MARKET] == rows[-1][:3]
    book = openpyxl.load_workbook(io.BytesIO(client.get(base + "statistics.xlsx").content))
    assert ("修改", "E1", "民办学校设立许可", "事项名称") in list(book["与上一版本相比"].iter_rows(values_only=True))
    sheet = [r[:3] for r in book["清理统计"].iter_rows(values_only=True)]
    assert ("按类别", "02", "行政处罚") in sheet
