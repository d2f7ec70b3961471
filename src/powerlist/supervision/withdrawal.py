"""Alerts that no longer hold (已解除).

An alert about a finished fact (a step skipped or out of order, a power used outside the list, a
penalty outside the benchmark, too many returns, one person accepting and deciding) stays: the
events it is about are stored and never change, and a pinned flowchart never changes under its case;
only the rule can change: an alert of an earlier version of its rule (an inspector changed the
parameters since) that the rule's current version no longer finds is withdrawn too.

A time-driven warning (`Rule.time_driven`: deadline-warning, overdue, suspension-too-long) reads the
case as it stands today: "within N working days of the due date and not finished" ends when the case
is finished on time or its due date moves (a suspension), an open overdue ends when a suspension
pushes the due date past today. When an evaluation that ran such a rule over a case no longer finds
the alert, the alert is marked withdrawn (`withdrawn_at`, when), not deleted; found again, the upsert
in `engine.store` makes it live again. A card already issued for it stays, with its own appeal.

`supervise alerts --json` (and `engine.stored`) leaves withdrawn alerts out, so live evaluation, which
re-evaluates a case at each of its events, and a sweep afterwards still give the same alerts."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from powerlist.supervision.models import Alert

CHUNK = 5000


def withdraw(rule_list, found: list[dict], case_ids=None, jurisdictions=None) -> int:
    """Mark withdrawn the live alerts of the time-driven rules in `rule_list`, and those of the other
    rules stored by an earlier version of the rule, within the scope just evaluated (`case_ids`, else
    `jurisdictions`, else all), that `found` no longer contains. The number withdrawn."""
    codes = [r.code for r in rule_list if r.time_driven]
    # an alert of an earlier version of a rule (its parameters changed since) is re-judged too
    changed = Q(pk__in=[])
    for rule in rule_list:
        if not rule.time_driven:
            changed |= Q(rule=rule.code) & ~Q(rule_version=rule.version)
    rows = Alert.objects.filter(Q(rule__in=codes) | changed, withdrawn_at__isnull=True)
    if case_ids is not None:
        ids = list(case_ids)
        if not ids:
            return 0
        rows = rows.filter(case_id__in=ids)
    elif jurisdictions is not None:
        rows = rows.filter(jurisdiction_id__in=list(jurisdictions))
    holding = {f["dedupe_key"] for f in found}
    gone = [pk for pk, key in rows.values_list("pk", "dedupe_key").iterator(chunk_size=CHUNK) if key not in holding]
    if not gone:
        return 0
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, len(gone), CHUNK):
            Alert.objects.filter(pk__in=gone[start:start + CHUNK], withdrawn_at__isnull=True).update(withdrawn_at=now)
    return len(gone)
