"""Two penalty items of the county's market department with an imported discretion table (an
absolute range and a percentage of the investment), a high-risk 审查 that needs a second approver,
and two clerks of the department; shared by the decision tests and the supervision rule tests."""

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document, make_user
from powerlist.core.models import Role
from powerlist.core.scope import SYSTEM
from powerlist.discretion.services import tables
from powerlist.discretion.tests.tables import write
from powerlist.operation.services import cases

MARKET = "岳塘区市场监督管理局"
FINE, SHARE, PLAIN = "430304-SJ-CF-101", "430304-SJ-CF-102", "430304-SJ-CF-103"
BEFORE_DECISION = ["立案", "调查取证", "审查", "告知"]
RISK = {"level": "high", "step": "审查环节", "description": "降低处罚标准、以罚代刑",
        "prevention": "法制审核，集体讨论，另一名执法人员复核", "second_approver": True}


def penalty_items(county, departments, tmp_path) -> dict:
    made = {}
    for code, name in ((FINE, "对未依法取得排污许可证排放污染物的处罚"),
                       (SHARE, "对建设项目未依法进行环境影响评价擅自开工建设的处罚"),
                       (PLAIN, "对违反规定收取费用的处罚")):
        made[code] = create_item(SYSTEM, county, item_document(
            code=code, name=name, category="02", organisation=MARKET, flowchart="", status="published",
            risk_points=[RISK] if code == FINE else []))
    path = write(tmp_path / "裁量基准.xlsx", {"环境保护法": ("岳塘区环境行政处罚裁量基准", [
        (FINE, "未依法取得排污许可证排放污染物", "《中华人民共和国环境保护法》第六十三条", [
            ("轻微", "首次违法，及时改正", "处二万元以上五万元以下罚款", ""),
            ("一般", "逾期未改正", "处五万元以上十万元以下罚款", ""),
            ("严重", "造成环境污染", "责令停产整治，处十万元以上一百万元以下的罚款", ""),
        ]),
        (SHARE, "建设项目未依法进行环境影响评价擅自开工建设", "《中华人民共和国环境影响评价法》第三十一条", [
            ("一般", "未造成生态破坏", "处建设项目总投资额百分之一以上百分之三以下的罚款", ""),
        ]),
    ])})
    tables.import_table(SYSTEM, path, "430304")
    return made


def clerks(county, departments, users) -> tuple:
    return users["market_clerk"], make_user("market_clerk2", Role.CLERK, county, departments[MARKET])


def to_decision(item, first, second, approve: bool = True):
    """A case of the item walked to its 决定 step (审查 approved by the second clerk when it must be)."""
    from powerlist.operation.services import decisions

    case = cases.open_case(first, item)
    for step in BEFORE_DECISION:
        if step == "审查" and approve and decisions.second_approval_points(case, step):
            decisions.approve(second, case.number, step, "材料齐全，同意")
        cases.act(first, case.number, "complete", step)
    return case
