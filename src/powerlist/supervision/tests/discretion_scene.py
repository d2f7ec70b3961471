"""Penalty cases decided through the case service (clean) and decisions and high-risk steps a
department's system pushed (one planted deviation each) for the rules `penalty-out-of-range`
(recomputed from the imported discretion table and the recorded base) and `second-approval-missing`."""

from decimal import Decimal

from powerlist.operation.services import cases, decisions
from powerlist.operation.tests.penalty_scene import FINE, SHARE, clerks, penalty_items, to_decision
from powerlist.supervision.tests.scene import push

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
                ("approved_pushed", "second-approval-missing", "审查")}
    return {"cases": s, "expected": expected}


def mine(named: list) -> list:
    return [a for a in named if a[1] in RULES]
