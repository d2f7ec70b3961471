"""`powerlist demo` opens cases for the education clerk through the case service, in varied
states (ready, returned, suspended, due soon, overdue, extended, closed), once: a rerun keeps them."""

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document, make_user
from powerlist.core.models import Role
from powerlist.core.scope import SYSTEM
from powerlist.operation import demo
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import worklists


def test_demo_cases_cover_the_states_a_clerk_meets(county, departments):
    edu = departments["岳塘区教育局"]
    clerk = make_user("clerk", Role.CLERK, county, edu)
    make_user("reviewer", Role.REVIEWER, county)
    for k in range(3):
        create_item(SYSTEM, county, item_document(code=f"430304-JY-XK-00{k + 1}", name=f"教育许可{k + 1}",
                                                  status="published", promised_limit_days=10 + k))
    said = demo.open_cases(county)
    assert "受理了 9 件" in said
    cases = list(Case.objects.filter(jurisdiction=county))
    assert {c.status for c in cases} == {"open", "suspended", "closed"}
    assert {c.suspension_reason for c in cases if c.status == "suspended"} == {"补正材料", "专家评审"}
    levels = {worklists.urgency(c)["level"] for c in cases}
    assert {"ok", "soon", "overdue", "paused", "closed"} <= levels
    assert CaseEvent.objects.filter(case__in=cases, action="extend", actor="reviewer").exists()
    assert worklists.todo(clerk)  # the workbench has work
    assert demo.open_cases(county) == "办件 (cases): 已有办件，沿用"
    assert Case.objects.filter(jurisdiction=county).count() == 9
