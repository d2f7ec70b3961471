"""A few of `scene`'s planted deviations, enough for cards and scores and quick to build: an
overdue case, a case near its due date, a skipped step pushed by another clerk, an inspection on
a quiet day, a case closed on time and one closed late, and ratings."""

from powerlist.conftest import make_user
from powerlist.core.models import Role
from powerlist.operation.services import cases, ratings
from powerlist.supervision.tests.scene import bj, items, push, walk


def small(county, departments, users) -> dict:
    it = items(county, departments)
    c1, m1 = users["clerk"], users["market_clerk"]
    c2 = make_user("edu_clerk2", Role.CLERK, county, departments["岳塘区教育局"])
    m2 = make_user("market_clerk2", Role.CLERK, county, departments["岳塘区市场监督管理局"])
    s = {}
    s["overdue"] = cases.open_case(c1, it["licence"], at=bj("2025-03-03"))
    walk(s["overdue"], ["受理"], [c1], "2025-03-04")
    s["warn"] = cases.open_case(c1, it["quick"])
    s["skip"] = cases.open_case(c1, it["licence"])
    walk(s["skip"], ["受理"], [c1])
    push(s["skip"], "决定")
    s["quiet"] = cases.open_case(m1, it["inspection"], at=bj("2025-03-03"))
    walk(s["quiet"], ["抽取"], [m1], "2025-03-04")
    walk(s["quiet"], ["检查"], [m2], "2025-03-10")
    walk(s["quiet"], ["处理", "公示"], [m1, m1], "2025-03-10")
    s["late"] = cases.open_case(c1, it["licence"], at=bj("2025-03-03"), applicant="张三丰", phone="13912345678")
    walk(s["late"], ["受理", "审查", "决定", "送达"], [c1, c2, c2, c1], "2025-04-01")
    s["on_time"] = cases.open_case(c1, it["licence"], at=bj("2025-03-03"), applicant="李四光", phone="13800001111")
    walk(s["on_time"], ["受理", "审查", "决定", "送达"], [c1, c2, c2, c1], "2025-03-05")
    ratings.rate("192.0.2.1", s["on_time"].number, "1111", 5, "很快")
    ratings.rate("192.0.2.2", s["late"].number, "5678", 2, "太慢")
    return {"cases": s, "users": {**users, "edu_clerk2": c2, "market_clerk2": m2}}
