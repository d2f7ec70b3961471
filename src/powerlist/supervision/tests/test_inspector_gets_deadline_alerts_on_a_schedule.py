"""The time-driven rules (deadline-warning, overdue, suspension-too-long) run on a schedule:
`supervise watch --once` runs them here, `--enqueue` hands the round to the background worker
(django-tasks, database backend, as `powerlist serve` runs it). Other rules wait for events or a
sweep. Bad arguments and people without the right exit with one line."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.operation.services import cases
from powerlist.supervision.models import Alert
from powerlist.supervision.tests.scene import bj, items, push, walk


@pytest.fixture
def due_cases(county, departments, users):
    it = items(county, departments)
    old = cases.open_case(users["clerk"], it["licence"], at=bj("2025-03-03"))
    walk(old, ["受理"], [users["clerk"]], "2025-03-04")
    push(old, "送达")  # skips 审查 and 决定: found by a sweep or live, not by the schedule
    soon = cases.open_case(users["clerk"], it["quick"])
    return old, soon


def test_the_worker_runs_the_time_driven_rules(due_cases, django_capture_on_commit_callbacks, monkeypatch):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)  # the test's transaction stays open
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("supervise", "watch", "--once", "--enqueue", stdout=out)
    assert not Alert.objects.exists()
    call_command("db_worker", batch=True, stdout=io.StringIO(), stderr=io.StringIO())
    job = DBTaskResult.objects.get()
    assert job.status == "SUCCESSFUL", job.exception_class_path
    old, soon = due_cases
    assert sorted(Alert.objects.values_list("case_id", "rule")) == sorted(
        [(old.pk, "overdue"), (soon.pk, "deadline-warning")])


def test_watch_once_runs_them_here(due_cases):
    out = io.StringIO()
    call_command("supervise", "watch", "--once", "--jurisdiction", "430304", stdout=out)
    assert out.getvalue().strip() == "时限类规则：2 条预警"
    assert set(Alert.objects.values_list("rule", flat=True)) == {"overdue", "deadline-warning"}


def test_bad_arguments_and_clerks_get_one_line(due_cases):
    with pytest.raises(CommandError, match="没有代码为 999999 的行政区划"):
        call_command("supervise", "sweep", "--jurisdiction", "999999", stdout=io.StringIO())
    with pytest.raises(CommandError, match="无权查看监察预警"):
        call_command("supervise", "alerts", "--as", "edu_clerk", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--interval"):
        call_command("supervise", "watch", "--interval", "0", stdout=io.StringIO())
