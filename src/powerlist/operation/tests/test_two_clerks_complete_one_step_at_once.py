"""Two clerks complete the same step of one case at the same moment, each in their own thread,
connection and transaction against the real database (SQLite in WAL mode, or PostgreSQL): exactly
one succeeds, the other is refused naming the step now ready, and no event is lost or doubled."""

import pytest

from powerlist.conftest import make_user
from powerlist.core.models import AuditEntry, Role
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import cases
from powerlist.operation.services.cases import Refused
from powerlist.testing import race

ROUNDS = 3


@pytest.mark.django_db(transaction=True)
def test_exactly_one_of_two_clerks_completes_the_step(licence, users, departments):
    other = make_user("edu_clerk2", Role.CLERK, licence.jurisdiction, departments["岳塘区教育局"])
    for _ in range(ROUNDS):
        case = cases.open_case(users["clerk"], licence.code, "430304")
        results = race(lambda: cases.act(users["clerk"], case.number, "complete", "审查"),
                       lambda: cases.act(other, case.number, "complete", "审查"))
        won = [r for r in results if isinstance(r, CaseEvent)]
        lost = [r for r in results if isinstance(r, Exception)]
        assert len(won) == 1 and len(lost) == 1, results
        assert isinstance(lost[0], Refused) and "当前可办理的环节：决定" in str(lost[0])
        events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
        assert [e.seq for e in events] == [1, 2, 3, 4]  # nothing lost, nothing doubled
        assert [(e.action, e.step, e.refused) for e in events] == [
            ("accept", "", False), ("complete", "受理", False), ("complete", "审查", False),
            ("complete", "审查", True)]
        assert cases.describe(Case.objects.get(pk=case.pk))["done"] == ["受理", "审查"]
        logged = AuditEntry.objects.filter(target=f"case:{case.number}")
        assert sorted(e.action for e in logged) == ["case.accept", "case.complete", "case.complete", "case.refused"]


@pytest.mark.django_db(transaction=True)
def test_two_clerks_open_cases_at_once_and_get_different_numbers(licence, users, departments):
    other = make_user("edu_clerk2", Role.CLERK, licence.jurisdiction, departments["岳塘区教育局"])
    results = race(lambda: cases.open_case(users["clerk"], licence.code, "430304"),
                   lambda: cases.open_case(other, licence.code, "430304"))
    assert all(isinstance(r, Case) for r in results), results
    assert sorted(r.number[-4:] for r in results) == ["0001", "0002"]
