"""A small campaign with decisions, for the review-stage and consultation tests: two departments
of 岳塘区 self-report five items through the importer, and the reviewer decides every one."""

from pathlib import Path

from powerlist.cleanup.models import Campaign
from powerlist.cleanup.services import campaigns, decisions
from powerlist.cleanup.tests.campaign_files import HEADER, report_rows, write_csv
from powerlist.conftest import make_user
from powerlist.core.models import Role

EDU, MARKET = "岳塘区教育局", "岳塘区市场监督管理局"
REPORTS = {
    EDU: [("E1", "民办学校设立审批", "01"), ("E2", "教师资格认定", "01"), ("E3", "对违规办学的处罚", "02")],
    MARKET: [("M1", "对销售不合格产品的处罚", "02"), ("M2", "食品经营抽查", "06")],
}
DECISIONS = [
    {"code": "E1", "kind": "保留"},
    {"code": "E2", "kind": "调整", "changes": {"promised_limit_days": 5}, "reason": "压缩承诺时限"},
    {"code": "E3", "kind": "取消", "cancel_reason": "无法律依据", "reason": "依据已废止"},
    {"code": "M1", "kind": "保留"},
    {"code": "M2", "kind": "下放", "receiver": "街道办事处"},
]


def stage_people(users, county) -> dict:
    """The conftest's users plus an expert of 岳塘区 and a legal reviewer of another county."""
    from powerlist.core.services import jurisdictions

    other = jurisdictions.add_jurisdiction(users["admin"], "430302", "雨湖区", "4303")
    return users | {"expert": make_user("expert1", Role.EXPERT, county),
                    "other_legal": make_user("legal_yuhu", Role.LEGAL, other)}


def draft_campaign(reviewer, clerks: dict, tmp_path: Path, decide: bool = True) -> Campaign:
    """Opened by `reviewer`; `clerks` maps department name -> clerk user who reports its items."""
    from powerlist.core.models import Jurisdiction

    county = Jurisdiction.objects.get(code="430304")
    campaign = campaigns.open_campaign(reviewer, county, title="2026年权责清单清理", deadline="2026-12-31")
    for dept, clerk in clerks.items():
        path = write_csv(tmp_path / f"{clerk.username}.csv", HEADER, report_rows(dept, REPORTS[dept]))
        campaigns.self_report(clerk, campaign, path)
    if decide:
        reported = {code for dept in clerks for code, _name, _category in REPORTS[dept]}
        decisions.decide(reviewer, campaign, [d for d in DECISIONS if d["code"] in reported])
    return Campaign.objects.get(pk=campaign.pk)
