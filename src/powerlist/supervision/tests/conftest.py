import importlib

import pytest


@pytest.fixture(autouse=True)
def _forget_pinned_flowchart_ids():
    """django_capture_on_commit_callbacks runs on-commit callbacks of a test transaction that is
    then rolled back; the case service remembers pinned flowchart ids in one of them (ids that the
    next test reuses for other charts), so forget them after each test."""
    yield
    from powerlist.operation.services import cases

    cases._SHA_OF.clear()


@pytest.fixture
def builtin_rules(db):
    """For tests that commit: a committing test before them flushed the tables, the migration's
    built-in rules too."""
    from django.apps import apps

    from powerlist.supervision.models import Rule

    if not Rule.objects.exists():
        importlib.import_module("powerlist.supervision.migrations.0002_builtin_rules").load(apps, None)
