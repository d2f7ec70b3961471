"""Penalty cases decided through the case service (clean) and decisions and high-risk steps a
department's system pushed (one planted deviation each) for the rules `penalty-out-of-range`
(recomputed from the imported discretion table and the recorded base; several penalty types at once
each checked, a daily penalty's per-day amount) and `second-approval-missing`."""

from decimal import Decimal

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.discretion.services import tables
from powerlist.discretion.tests.tables import write
from powerlist.operation.services import cases, decisions
from powerlist.operation.tests.penalty_scene import FINE, MARKET, SHARE, clerks, penalty_items, to_decision
from powerlist.supervision.tests.scene import push

DAILY = "430304-SJ-CF-104"


def daily_item(county, tmp_path):
    """A penalty whose 一般 grade allows 按日连续处罚 (a fine of 2万–10万 a day) and whose 严重 grade
    allows a fine with confiscation (没收违法所得) and 责令停产整治."""
    item = create_item(SYSTEM, county, item_document(
        code=DAILY, name="对拒不改正违法排放污染物行为的处罚", category="02", organisation=MARKET, flowchart="",
        status="published"))
    tables.import_table(SYSTEM, write(tmp_path / "按日连续处罚.xlsx", {"环境保护法": ("岳塘区按日连续处罚裁量基准", [
        (DAILY, "拒不改正违法排放污染物", "《中华人民共和国环境保护法》第五十九条", [
            ("一般", "拒不改正", "责令改正，处二万元以上十万元以下罚款；拒不改正的，按日连续处罚", ""),
            ("严重", "造成严重污染", "没收违法所得，并处十万元以上一百万元以下罚款，责令停产整治", ""),
        ]),
    ])}), "430304")
    return item

RULES = ("penalty-out-of-range", "second-approval-missing")


def build(county, departments, users, tmp_path) -> dict:
    items = penalty_items(county, departments, tmp_path)
    first, second = clerks(county, departments, users)
    s = {}
    s["decided"] = to_decision(items[FINE], first, second)
    with decisions.given(discretion="一般", amount="60000"):
        cases.act(first, s["decided"].number, "complete", "决定", reason="逾期未改正")
    s["decided_share"] = to_decision(items[SHARE], first, second)
    with decisions.given(discretion="一般", amount="30000", base="1000000"):
        cases.act(first, s["decided_share"].number, "complete", "决定", reason="未造成生态破坏")
    s["measure"] = to_decision(items[FINE], first, second)
    with decisions.given(discretion="严重", penalty_type="责令停产整治"):
        cases.act(first, s["measure"].number, "complete", "决定", reason="造成环境污染")
    pushed = {"far": {"amount": Decimal("200000"), "discretion": "一般", "penalty_type": "罚款"},
              "type": {"discretion": "一般", "penalty_type": "吊销许可证件"},
              "unknown": {"amount": Decimal("1000"), "discretion": "特别严重", "penalty_type": "罚款"},
              "fair": {"amount": Decimal("80000"), "discretion": "一般/逾期未改正", "penalty_type": "罚款"}}
    for name, fields in pushed.items():
        s[name] = cases.open_case(first, items[FINE])
        push(s[name], "决定", actor="market_clerk2", **fields)
    daily = daily_item(county, tmp_path)
    # several penalty types at once, each checked; a daily penalty (按日连续处罚N日) checked per day
    several = {"warning_and_fine": (FINE, {"amount": Decimal("60000"), "discretion": "一般", "penalty_type": "警告、罚款"}),
               "fine_and_confiscation": (FINE, {"amount": Decimal("200000"), "discretion": "严重",
                                                "penalty_type": "罚款+没收违法所得"}),
               "no_such_type": (FINE, {"amount": Decimal("60000"), "discretion": "一般", "penalty_type": "罚款、拘役"}),
               "daily_where_none": (FINE, {"amount": Decimal("600000"), "discretion": "一般",
                                           "penalty_type": "按日连续处罚10日"}),
               "fine_and_confiscation_fair": (DAILY, {"amount": Decimal("200000"), "discretion": "严重",
                                                      "penalty_type": "罚款，没收违法所得，责令停产整治"}),
               "daily_far": (DAILY, {"amount": Decimal("1500000"), "discretion": "一般",
                                     "penalty_type": "罚款（按日连续处罚10日）"}),
               "daily_low": (DAILY, {"amount": Decimal("50000"), "discretion": "一般", "penalty_type": "按日连续处罚5天"}),
               "daily_fair": (DAILY, {"amount": Decimal("500000"), "discretion": "一般", "penalty_type": "按日连续处罚10日"}),
               "daily_no_days": (DAILY, {"amount": Decimal("300000"), "discretion": "一般", "penalty_type": "按日连续处罚"}),
               "daily_days_in_words": (DAILY, {"amount": Decimal("300000"), "discretion": "一般",
                                               "penalty_type": "按日连续处罚十日"})}
    for name, (code, fields) in several.items():
        s[name] = cases.open_case(first, daily if code == DAILY else items[code])
        push(s[name], "决定", actor="market_clerk2", **fields)
    s["no_base"] = cases.open_case(first, items[SHARE])
    push(s["no_base"], "决定", actor="market_clerk2", amount=Decimal("20000"), discretion="一般", penalty_type="罚款")
    s["unapproved"] = cases.open_case(first, items[FINE])
    push(s["unapproved"], "审查", actor="market_clerk")
    s["self_approved"] = cases.open_case(first, items[FINE])
    push(s["self_approved"], "审查", action="approve", actor="market_clerk")
    push(s["self_approved"], "审查", actor="market_clerk")
    s["approved_pushed"] = cases.open_case(first, items[FINE])
    push(s["approved_pushed"], "审查", action="approve", actor="market_clerk2")
    push(s["approved_pushed"], "审查", actor="market_clerk")
    push(s["approved_pushed"], "审查", actor="market_clerk")  # back again: the approval counted once
    expected = {("far", "penalty-out-of-range", "决定"), ("type", "penalty-out-of-range", "决定"),
                ("unknown", "penalty-out-of-range", "决定"), ("no_base", "penalty-out-of-range", "决定"),
                ("unapproved", "second-approval-missing", "审查"), ("self_approved", "second-approval-missing", "审查"),
                ("approved_pushed", "second-approval-missing", "审查"),
                *((name, "penalty-out-of-range", "决定") for name in several if not name.endswith("_fair"))}
    return {"cases": s, "expected": expected}


def mine(named: list) -> list:
    return [a for a in named if a[1] in RULES]
