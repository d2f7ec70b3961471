"""Openings take the day's case number under a lock on the jurisdiction's row (PostgreSQL). That lock
must not hold back a row that only refers to the jurisdiction (an alert, a department, a case: their
foreign key checks lock it in KEY SHARE mode): with FOR UPDATE they waited for the opening, and an
alert written while an opening held the number deadlocked with it once. Clerks opening cases at the
same moment still get distinct numbers in order."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from powerlist.core.models import Organisation
from powerlist.core.scope import SYSTEM
from powerlist.core.services import organisations
from powerlist.operation.models import Case
from powerlist.operation.services import cases

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row lock modes are PostgreSQL's (SQLite lets one writer in at a time)")


def test_a_department_is_added_while_an_opening_holds_the_days_number(licence, county):
    holding, done = threading.Event(), threading.Event()

    def opening():
        try:
            with transaction.atomic():
                cases._next_number(county.pk, timezone.now())  # the number row stays locked until commit
                holding.set()
                done.wait(20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=opening)
    thread.start()
    try:
        assert holding.wait(20)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")  # FOR UPDATE made this wait: refused here
            organisations.create_organisation(SYSTEM, county, name="岳塘区新设局")
    finally:
        done.set()
        thread.join(20)
    assert Organisation.objects.filter(name="岳塘区新设局").exists()


def test_clerks_opening_at_once_get_distinct_numbers_in_order(licence, users):
    errors, start = [], threading.Barrier(4)
    at = timezone.now()

    def clerk():
        try:
            start.wait(20)
            for _ in range(3):
                cases.open_case(users["clerk"], licence, at=at)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert [n[-4:] for n in numbers] == [f"{k:04d}" for k in range(1, 13)]
