"""A county's cases with one planted deviation of every implemented rule, made through the real
case service; what a department's own system would push (events the service refuses to make) is
stored as pushed events. `EXPECTED` lists the alerts the rules must raise, no more."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document, make_user
from powerlist.core.models import Role
from powerlist.core.scope import SYSTEM
from powerlist.operation.models import Case, CaseEvent, CaseSource
from powerlist.operation.services import cases

BEIJING = dt.timezone(dt.timedelta(hours=8))


def bj(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=BEIJING)


def push(case: Case, step: str, action: str = "complete", at=None, actor: str = "edu_clerk2", **fields) -> CaseEvent:
    """An event pushed by a department's own system: stored as sent, checked by the rules."""
    seq = (CaseEvent.objects.filter(case=case).order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    Case.objects.filter(pk=case.pk).update(event_count=seq)
    return CaseEvent.objects.create(case=case, seq=seq, step=step, action=action, actor=actor,
                                    at=at or timezone.now(), source="api", **fields)


def items(county, departments):
    edu, market = "岳塘区教育局", "岳塘区市场监督管理局"
    return {
        # category 10: the standard chart 受理(综合窗口) → 审查(业务科室) → 决定(分管负责人) → 送达(综合窗口)
        "licence": create_item(SYSTEM, county, item_document(code="430304-JY-QT-001", name="民办学校章程核准",
                                                             category="10", flowchart="", status="published")),
        "quick": create_item(SYSTEM, county, item_document(code="430304-JY-QT-002", name="学籍证明", category="10",
                                                           flowchart="", status="published", promised_limit_days=2)),
        # category 06: 抽取 → 检查 → 处理 → 公示
        "inspection": create_item(SYSTEM, county, item_document(
            code="430304-SJ-JC-001", name="食品生产经营日常监督检查", category="06", organisation=market, flowchart="",
            status="published", promised_limit_days=30)),
        # category 02: 立案 → 调查取证 → 审查 → 告知 → 决定 → 送达 → 执行
        "penalty": create_item(SYSTEM, county, item_document(
            code="430304-SJ-CF-001", name="对生产经营不符合食品安全标准的食品的处罚", category="02", organisation=market,
            flowchart="", status="published",
            discretion=[{"grade": "一般", "circumstance": "货值金额不足一万元", "penalty": "处五万元以上十万元以下罚款",
                         "min_fine": Decimal("50000"), "max_fine": Decimal("100000")},
                        {"grade": "较重", "circumstance": "货值金额一万元以上", "penalty": "处十万元以上十五万元以下罚款",
                         "min_fine": Decimal("100000"), "max_fine": Decimal("150000")}])),
    }


def walk(case, steps, actors, day=None):
    """Complete the steps in order; a step the opening completed (受理: opening the case is the
    acceptance, by the clerk who opened it) is passed over."""
    opened = set(cases.describe(case)["done"])
    for step, who in zip(steps, actors, strict=True):
        if step in opened:
            opened.discard(step)
            continue
        cases.act(who, case.number, "complete", step, at=bj(day) if day else None)


HISTORY = {"overdue", "late", "suspended", "quiet", "after_quiet"}


def build(county, departments, users, history: bool = True) -> dict:
    """The cases by name, and the expected alerts as {(case name, rule, step)}. Without `history`,
    only the cases whose events happen now (as live evaluation sees them in real life: a case
    replayed from 2025 would be overdue at its first event when evaluated with today's clock)."""
    it = items(county, departments)
    c1, m1 = users["clerk"], users["market_clerk"]
    c2 = make_user("edu_clerk2", Role.CLERK, county, departments["岳塘区教育局"])
    m2 = make_user("market_clerk2", Role.CLERK, county, departments["岳塘区市场监督管理局"])
    s = {}
    s["clean"] = cases.open_case(c1, it["licence"])
    walk(s["clean"], ["受理", "审查"], [c1, c2])
    s["skip"] = cases.open_case(c1, it["licence"])
    walk(s["skip"], ["受理"], [c1])
    push(s["skip"], "决定")
    s["order"] = cases.open_case(c1, it["licence"])
    walk(s["order"], ["受理", "审查", "决定"], [c1, c2, c2])
    push(s["order"], "审查")
    push(s["order"], "现场勘验")
    s["unlisted"] = Case.objects.create(
        number="430304-EXT-0001", item=None, item_code="430304-JY-XX-999", source=CaseSource.EXTERNAL, item_version=1,
        organisation=departments["岳塘区教育局"], jurisdiction=county, accepted_at=timezone.now(),
        accepted_by="部门系统")
    push(s["unlisted"], "", action="accept")
    s["warn"] = cases.open_case(c1, it["quick"])
    if history:
        _history(s, it, c1, c2, m1, m2)
    s["same"] = cases.open_case(c1, it["licence"])
    walk(s["same"], ["受理", "审查", "决定"], [c1, c2, c1])
    for name, amount in (("penalty", "30000"), ("fair_penalty", "60000")):
        s[name] = cases.open_case(m1, it["penalty"])
        walk(s[name], ["立案", "调查取证", "审查", "告知"], [m1, m2, m2, m1])
        push(s[name], "决定", actor="market_clerk2", amount=Decimal(amount), discretion="一般", penalty_type="罚款")
    s["returned"] = cases.open_case(c1, it["licence"])
    cases.act(c1, s["returned"].number, "return", "审查", reason="缺少章程")  # the opening accepted it
    cases.act(c1, s["returned"].number, "resume")
    cases.act(c1, s["returned"].number, "return", "审查", reason="缺少验资报告")
    cases.act(c1, s["returned"].number, "resume")
    walk(s["returned"], ["受理", "审查"], [c1, c2])
    expected = {("skip", "skipped-step", "决定"), ("order", "out-of-order", "审查"),
                ("order", "out-of-order", "现场勘验"), ("unlisted", "unlisted-power", ""), ("overdue", "overdue", ""),
                ("late", "overdue", ""), ("warn", "deadline-warning", ""), ("suspended", "suspension-too-long", ""),
                ("returned", "repeated-return", "审查"), ("same", "same-person-accept-decide", "决定"),
                ("quiet", "quiet-day-inspection", "检查"), ("penalty", "penalty-out-of-range", "决定")}
    if not history:
        expected = {e for e in expected if e[0] not in HISTORY}
    return {"cases": s, "expected": expected, "users": {**users, "edu_clerk2": c2, "market_clerk2": m2}}


def _history(s, it, c1, c2, m1, m2):
    s["overdue"] = cases.open_case(c1, it["licence"], at=bj("2025-03-03"))
    walk(s["overdue"], ["受理"], [c1], "2025-03-04")
    s["late"] = cases.open_case(c1, it["licence"], at=bj("2025-03-03"))
    walk(s["late"], ["受理", "审查", "决定", "送达"], [c1, c2, c2, c1], "2025-04-01")
    s["suspended"] = cases.open_case(c1, it["licence"], at=bj("2025-03-03"))
    walk(s["suspended"], ["受理"], [c1], "2025-03-04")
    cases.act(c1, s["suspended"].number, "suspend", reason="专家评审", at=bj("2025-03-05"))
    cases.act(c1, s["suspended"].number, "resume", at=bj("2025-05-06"))
    walk(s["suspended"], ["审查", "决定", "送达"], [c2, c2, c1], "2025-05-07")
    for name, day in (("quiet", "2025-03-10"), ("after_quiet", "2025-03-27")):
        s[name] = cases.open_case(m1, it["inspection"], at=bj("2025-03-03"))
        walk(s[name], ["抽取"], [m1], "2025-03-04")
        walk(s[name], ["检查"], [m2], day)
        walk(s[name], ["处理", "公示"], [m1, m1], day)


def named(scene: dict, shaped: dict) -> list[tuple[str, str, str]]:
    """The alerts of a printed {"alerts": [...]} as (case name, rule, step)."""
    names = {c.number: n for n, c in scene["cases"].items()}
    return sorted((names.get(a["case"], a["case"]), a["rule"], a["step"]) for a in shaped["alerts"])
