"""A small campaign for the workbench's tests: three departments self-report through the console,
two items without any legal basis, one internal-management matter."""

from powerlist.cleanup.models import Campaign
from powerlist.cleanup.tests.campaign_files import HEADER, run, write_csv

EDU, MARKET, HEALTH = "岳塘区教育局", "岳塘区市场监督管理局", "岳塘区卫生健康局"
BASIS = "《中华人民共和国行政许可法》第十二条"
REPORTS = {
    EDU: [("E1", "民办学校设立审批", "01", BASIS), ("E2", "教师资格认定", "01", BASIS),
          ("E3", "对违规办学的处罚", "02", "")],
    MARKET: [("M1", "对销售不合格产品的处罚", "02", BASIS), ("M2", "对无证办学的处罚", "02", ""),
             ("M3", "考核本单位工作人员", "07", BASIS)],
    HEALTH: [("H1", "医疗机构执业登记", "01", BASIS)],
}
NO_BASIS = ["E3", "M2"]


def open_campaign(tmp_path, clerks=(("edu_clerk", EDU), ("market_clerk", MARKET), ("health_clerk", HEALTH)),
                  reports=REPORTS) -> Campaign:
    out = run("campaign", "open", "--jurisdiction", "430304", "--title", "2026年权责清单清理",
              "--deadline", "2026-12-31", "--as", "reviewer1")
    campaign = Campaign.objects.get(pk=int(out.strip().splitlines()[-1]))
    for clerk, dept in clerks:
        rows = [[code, name, kind, dept, basis] for code, name, kind, basis in reports[dept]]
        path = write_csv(tmp_path / f"{clerk}.csv", HEADER, rows)
        run("import", str(path), "--jurisdiction", "430304", "--campaign", str(campaign.pk), "--as", clerk)
    return campaign
