"""The time-driven rules (deadline-warning, overdue, suspension-too-long) as a background job the
worker runs (`powerlist serve` starts it; django-tasks' database backend), enqueued by
`powerlist supervise watch --enqueue` or any scheduler."""

from django_tasks import task

from powerlist.core.scope import SYSTEM
from powerlist.operation import partitions
from powerlist.supervision.services import sweeps


@task()
def sweep_time_driven_rules(jurisdiction: str | None = None) -> int:
    partitions.prepare()  # the coming months' event partitions (PostgreSQL)
    return len(sweeps.sweep(SYSTEM, jurisdiction, time_driven_only=True))
