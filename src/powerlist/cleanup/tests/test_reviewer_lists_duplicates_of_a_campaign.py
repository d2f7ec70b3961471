"""A reviewer lists the duplicate groups of a campaign (`powerlist campaign dedupe`): the same
power reported by two departments, and twice by one, with codes and evidence."""

import json

from powerlist.cleanup.models import Campaign
from powerlist.cleanup.tests.campaign_files import HEADER, report_rows, run, write_csv

EDU, MARKET = "岳塘区教育局", "岳塘区市场监督管理局"
REPORTS = {
    EDU: [("E1", "民办学校设立审批", "01"), ("E2", "对无证办学的处罚", "02"), ("E3", "教师资格认定", "07")],
    MARKET: [("M1", "区市场监管局对无证办学行为的处罚", "02"), ("M2", "食品经营许可", "01"),
             ("M3", "食品經營許可（縣級）", "01")],
}


def test_reviewer_lists_duplicate_groups_with_codes_and_evidence(users, county, tmp_path):
    out = run("campaign", "open", "--jurisdiction", "430304", "--title", "清理", "--deadline", "2026-12-31",
              "--as", "reviewer1")
    campaign = Campaign.objects.get(pk=int(out.strip().splitlines()[-1]))
    for dept, clerk in ((EDU, "edu_clerk"), (MARKET, "market_clerk")):
        path = write_csv(tmp_path / f"{clerk}.csv", HEADER, report_rows(dept, REPORTS[dept]))
        run("import", str(path), "--jurisdiction", "430304", "--campaign", str(campaign.pk), "--as", clerk)
    groups = json.loads(run("campaign", "dedupe", "--campaign", str(campaign.pk), "--json", "--as", "reviewer1"))
    assert [g["codes"] for g in groups] == [["E2", "M1"], ["M2", "M3"]]
    across, within = groups
    assert across["across_departments"] and not within["across_departments"]
    assert across["pairs"][0]["score"] == 1.0 and across["pairs"][0]["shared_citations"] == ["《行政许可法》第12条"]
    text = run("campaign", "dedupe", "--campaign", str(campaign.pk), "--as", "reviewer1")
    assert text.startswith("重复事项 2 组") and "跨部门 E2 对无证办学的处罚" in text
    # a department clerk sees only the groups among its own items
    mine = json.loads(run("campaign", "dedupe", "--campaign", str(campaign.pk), "--json", "--as", "edu_clerk"))
    assert mine == []
