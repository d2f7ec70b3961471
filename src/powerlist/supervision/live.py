"""Live evaluation: every CaseEvent stored, whoever stores it (the case service, the API, an events
import), has its case's rules run once the transaction that stored it commits, so its alerts are
in the table as soon as the event is visible. A failure is logged and never breaks the writer:
the next sweep finds what it missed."""

import logging
from functools import partial

from django.db import transaction

log = logging.getLogger(__name__)


def evaluate_case(case_id: int) -> None:
    from powerlist.supervision import engine

    engine.evaluate(case_ids=[case_id])


def on_event_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(partial(evaluate_case, instance.case_id), robust=True)
