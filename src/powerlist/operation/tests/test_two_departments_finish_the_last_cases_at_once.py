"""Parallel approval at the same moment, each side in its own thread, connection and transaction
against the real database: two departments complete the last step of the application's last two
cases at once, and the application closes exactly once with both results in its combined reply;
two hall clerks taking applications at once get different receipt numbers."""

import pytest

from powerlist.conftest import make_user
from powerlist.core.models import AuditEntry, Role
from powerlist.operation.models import Application, Case, CaseEvent
from powerlist.operation.services import applications, cases
from powerlist.operation.tests.package import APPLICANT, PHONE, business_package
from powerlist.testing import race


@pytest.mark.django_db(transaction=True)
def test_the_application_closes_once_when_the_last_two_cases_close_together(county, departments):
    package = business_package(county, departments)
    application = applications.open_application(package["hall"], "430304", item_codes=package["codes"][1:3],
                                                applicant=APPLICANT, phone=PHONE)
    pair = list(Case.objects.filter(application=application).order_by("pk"))
    clerks = [package["clerks"][c.organisation.name] for c in pair]
    for case, clerk in zip(pair, clerks):
        for step in ("审查", "决定"):  # 受理: done with the hall's opening
            cases.act(clerk, case.number, "complete", step)
    results = race(*[lambda c=case, k=clerk: cases.act(k, c.number, "complete", "送达", reason=f"{k.username} 准予")
                     for case, clerk in zip(pair, clerks)])
    assert all(isinstance(r, CaseEvent) for r in results), results
    closed = Application.objects.get(pk=application.pk)
    assert closed.status == "closed" and all(f"{k.username} 准予" in closed.reply for k in clerks)
    assert AuditEntry.objects.filter(target=f"application:{application.number}",
                                     action="application.close").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_hall_clerks_take_applications_at_once_and_get_different_numbers(county, departments):
    package = business_package(county, departments)
    other = make_user("hall2", Role.HALL, county)
    results = race(*[lambda h=hall, code=code: applications.open_application(h, "430304", item_codes=[code],
                                                                             applicant=APPLICANT, phone=PHONE)
                     for hall, code in ((package["hall"], package["codes"][0]), (other, package["codes"][1]))])
    assert all(isinstance(r, Application) for r in results), results
    assert sorted(r.number[-4:] for r in results) == ["0001", "0002"]
    assert Case.objects.filter(application__isnull=False).count() == 2
