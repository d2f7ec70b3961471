"""Live evaluation: every CaseEvent stored, whoever stores it (the case service, the API, an events
import), has its case's rules run once the transaction that stored it commits, so its alerts are
in the table as soon as the event is visible. The cases touched by one transaction are evaluated
together, once (a batch of pushed events is one engine run, not one per event). A failure is
logged and never breaks the writer: the next sweep finds what it missed."""

from django.db import transaction


class _Pending:
    """The cases whose events one transaction stored, evaluated when it commits."""

    def __init__(self):
        self.case_ids: set[int] = set()
        self.done = False
        # Django names a failing on_commit callback by its __qualname__ when it logs the failure
        self.__qualname__ = "supervision.live.evaluate"

    def __call__(self):
        from powerlist.supervision import engine

        self.done = True
        engine.evaluate(case_ids=sorted(self.case_ids))


def on_event_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    connection = transaction.get_connection()
    pending = getattr(connection, "_supervision_pending", None)
    waiting = pending is not None and not pending.done and connection.in_atomic_block and any(
        entry[1] is pending for entry in connection.run_on_commit)
    if waiting:
        pending.case_ids.add(instance.case_id)
        return
    pending = connection._supervision_pending = _Pending()
    pending.case_ids.add(instance.case_id)
    transaction.on_commit(pending, robust=True)
