"""Department scores (部门效能): per department and period (a month, or all time), the on-time
rate, alerts and cards by severity, appeal outcomes and the applicants' ratings, and one score by
one documented formula:

    score = 100 − Wt × (100 − on-time rate %)
                − Wy × yellow cards − Wr × red cards − We × escalated cards (督办)
                − Ws × (5 − average stars)

floored at 0, to one decimal. A revoked card deducts nothing; an escalated card deducts We instead
of its colour's weight; a card whose alert was withdrawn (已解除: a time-driven warning whose
condition ended, `withdrawal`) deducts nothing, whatever its state; a department without closed
cases that had a due date, or without ratings, loses nothing on that term. The weights are the
setting POWERLIST_SCORE_WEIGHTS (keys late, yellow, red, escalated, rating; defaults in
DEFAULT_WEIGHTS). The on-time rate is the workbench's (closed on or before the due date, of the
closed cases that had one, by Beijing date), counted over the cases closed in the period; alerts
and cards by the alert's time, ratings by the time given. The alerts and cards counted (`alerts`,
`cards`, `card_states`) are the live ones; the withdrawn are counted apart (`withdrawn`: alerts and
their cards). Read-only: nothing here writes."""

import datetime as dt
import re
from collections import Counter, defaultdict

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.models import Organisation
from powerlist.core.workdays import beijing_date
from powerlist.operation.models import Case, CaseStatus, Rating
from powerlist.supervision.models import Alert, Appeal, Card, CardState

DEFAULT_WEIGHTS = {"late": 0.5, "yellow": 1.0, "red": 3.0, "escalated": 5.0, "rating": 4.0}
BEIJING = dt.timezone(dt.timedelta(hours=8))
PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def weights() -> dict:
    return {**DEFAULT_WEIGHTS, **getattr(settings, "POWERLIST_SCORE_WEIGHTS", {})}


def _n(value: float) -> str:
    return f"{value:g}"


def formula(w: dict | None = None) -> str:
    """The formula in words, with the weights in force."""
    w = w or weights()
    return (f"效能得分 = 100 − {_n(w['late'])}×(100 − 按时办结率%) − {_n(w['yellow'])}×黄牌数 − "
            f"{_n(w['red'])}×红牌数 − {_n(w['escalated'])}×督办数 − {_n(w['rating'])}×(5 − 平均评分)；"
            f"撤销的牌和已解除预警的牌不扣分，无办结或无评价的项不扣分，最低 0 分")


def period_range(period: str | None) -> tuple[dt.datetime, dt.datetime] | None:
    """A month `YYYY-MM` as [first moment, first moment of the next month) in Beijing time."""
    if period in (None, ""):
        return None
    m = PERIOD.match(str(period).strip())
    if not m:
        raise InvalidInput([Problem("", None, "period", str(period)[:20], "应为年月 YYYY-MM，如 2026-03")])
    year, month = int(m.group(1)), int(m.group(2))
    start = dt.datetime(year, month, 1, tzinfo=BEIJING)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=BEIJING)
    return start, end


def _lifted(field: str):
    """True for a withdrawn (已解除) alert, as a column to group by."""
    return ExpressionWrapper(Q(**{f"{field}__isnull": False}), output_field=BooleanField())


def _within(qs, field: str, span):
    return qs if span is None else qs.filter(**{f"{field}__gte": span[0], f"{field}__lt": span[1]})


def score_of(row: dict, w: dict) -> tuple[float, str]:
    """The score of one department's figures and the arithmetic that gives it."""
    terms, parts = 0.0, ["100"]
    if row["on_time_rate"] is not None:
        terms += w["late"] * (100 - row["on_time_rate"])
        parts.append(f"{_n(w['late'])}×(100 − {_n(row['on_time_rate'])})")
    for key in ("yellow", "red", "escalated"):
        terms += w[key] * row["deducted"][key]
        parts.append(f"{_n(w[key])}×{row['deducted'][key]}")
    if row["rating"] is not None:
        terms += w["rating"] * (5 - row["rating"])
        parts.append(f"{_n(w['rating'])}×(5 − {_n(row['rating'])})")
    score = round(max(0.0, 100 - terms), 1)
    return score, " − ".join(parts) + f" = {_n(score)}"


def department_scores(jurisdictions: list[int] | None = None, period: str | None = None,
                      organisation_ids=None) -> list[dict]:
    """One row per department with cases in scope: its figures, score and the arithmetic, the
    highest score first."""
    span = period_range(period)
    w = weights()
    orgs = Organisation.objects.select_related("jurisdiction").filter(
        pk__in=Case.objects.values("organisation_id")).order_by("jurisdiction__code", "name")
    if jurisdictions is not None:
        orgs = orgs.filter(jurisdiction_id__in=list(jurisdictions))
    if organisation_ids is not None:
        orgs = orgs.filter(pk__in=list(organisation_ids))
    orgs = list(orgs)
    ids = [o.pk for o in orgs]
    alerts, withdrawn = Counter(), Counter()
    for org, severity, lifted, n in _within(Alert.objects.filter(case__organisation_id__in=ids), "at", span) \
            .values_list("case__organisation_id", "severity", _lifted("withdrawn_at")) \
            .annotate(n=Count("pk")).order_by():
        if lifted:
            withdrawn[(org, "alerts")] += n
        else:
            alerts[(org, severity)] += n
    cards = Counter()  # the cards of live alerts only: a withdrawn alert's card deducts nothing
    for org, severity, state, lifted, n in _within(Card.objects.filter(organisation_id__in=ids), "alert__at", span) \
            .values_list("organisation_id", "severity", "state", _lifted("alert__withdrawn_at")) \
            .annotate(n=Count("pk")).order_by():
        if lifted:
            withdrawn[(org, "cards")] += n
        else:
            cards[(org, severity, state)] += n
    outcomes = Counter()
    for org, outcome, n in _within(Appeal.objects.filter(card__organisation_id__in=ids), "card__alert__at", span) \
            .values_list("card__organisation_id", "outcome").annotate(n=Count("pk")).order_by():
        outcomes[(org, outcome or "pending")] += n
    closed = defaultdict(lambda: [0, 0])
    for org, due, closed_at in _within(Case.objects.filter(organisation_id__in=ids, status=CaseStatus.CLOSED,
                                                           closed_at__isnull=False, due__isnull=False),
                                       "closed_at", span).values_list("organisation_id", "due", "closed_at"):
        closed[org][0] += 1
        closed[org][1] += beijing_date(closed_at) <= due
    out = []
    for org in orgs:
        ratings = _within(Rating.objects.filter(Q(case__organisation=org) | Q(application__cases__organisation=org)),
                          "created_at", span).distinct()
        stars = list(ratings.values_list("pk", "stars"))
        total, on_time = closed[org.pk]
        by_colour = {c: sum(n for (o, s, st), n in cards.items() if o == org.pk and s == c) for c in ("yellow", "red")}
        row = {
            "organisation": org, "organisation_id": org.pk, "department": org.name,
            "jurisdiction": org.jurisdiction.code,
            "alerts": {s: alerts[(org.pk, s)] for s in ("red", "yellow", "info")},
            "withdrawn": {k: withdrawn[(org.pk, k)] for k in ("alerts", "cards")},
            "cards": by_colour,
            "card_states": {st: sum(n for (o, _s, x), n in cards.items() if o == org.pk and x == st)
                            for st in CardState.values},
            "appeals": {k: outcomes[(org.pk, k)] for k in ("pending", "revoke", "uphold", "escalate")},
            "deducted": {
                "yellow": sum(n for (o, s, st), n in cards.items() if o == org.pk and s == "yellow"
                              and st not in (CardState.REVOKED, CardState.ESCALATED)),
                "red": sum(n for (o, s, st), n in cards.items() if o == org.pk and s == "red"
                           and st not in (CardState.REVOKED, CardState.ESCALATED)),
                "escalated": sum(n for (o, _s, st), n in cards.items() if o == org.pk and st == CardState.ESCALATED)},
            "closed_with_due": total, "on_time": on_time,
            "on_time_rate": round(100 * on_time / total, 1) if total else None,
            "ratings": len(stars),
            "rating": round(sum(s for _p, s in stars) / len(stars), 2) if stars else None,
        }
        row["score"], row["arithmetic"] = score_of(row, w)
        out.append(row)
    out.sort(key=lambda r: (-r["score"], r["jurisdiction"], r["department"]))
    return out


def as_json(rows: list[dict], period: str | None) -> dict:
    return {"period": period or None, "formula": formula(), "weights": weights(),
            "departments": [{k: v for k, v in r.items() if k not in ("organisation", "organisation_id")}
                            for r in rows]}
