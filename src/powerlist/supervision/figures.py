"""What the inspectors' dashboard and the public page read (nothing here writes): the alerts in a
user's scope filtered by rule, severity, department, card state and month; counts by rule and
severity, alerts per week, per department and per month; the public aggregates carry department
names and numbers only (no person, no case number).

Every count is of live alerts (and their cards): an alert withdrawn because its condition ended
(已解除, `withdrawal`) is counted nowhere above, only apart (`withdrawn`, the public `totals`)."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek

from powerlist.supervision import scores
from powerlist.supervision.models import Alert, Card, CardState, Rule, Severity
from powerlist.supervision.services import cards as card_service

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SEVERITY_NAMES = {Severity.RED: "红色", Severity.YELLOW: "黄色", Severity.INFO: "提示"}


@dataclass
class Filters:
    rule: str = ""
    severity: str = ""
    organisation: int | None = None
    state: str = ""
    period: str = ""

    @classmethod
    def of(cls, params) -> "Filters":
        """From a query string; what does not parse is left out (the form shows what applies)."""
        org = str(params.get("organisation") or "").strip()
        period = str(params.get("period") or "").strip()
        return cls(rule=str(params.get("rule") or "").strip()[:60],
                   severity=params.get("severity") if params.get("severity") in Severity.values else "",
                   organisation=int(org) if org.isdigit() else None,
                   state=params.get("state") if params.get("state") in CardState.values + ["none"] else "",
                   period=period if scores.PERIOD.match(period) else "")


def rule_names() -> dict[str, str]:
    return dict(Rule.objects.values_list("code", "name"))


def alerts(user, f: Filters):
    """The live alerts in `user`'s scope that pass the filters."""
    return _filtered(card_service.visible_alerts(user).filter(withdrawn_at__isnull=True), f)


def withdrawn(user, f: Filters):
    """The withdrawn (已解除) alerts in `user`'s scope that pass the filters, shown apart."""
    return _filtered(card_service.visible_alerts(user).filter(withdrawn_at__isnull=False), f)


def _filtered(qs, f: Filters):
    if f.rule:
        qs = qs.filter(rule=f.rule)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.organisation:
        qs = qs.filter(case__organisation_id=f.organisation)
    if f.state == "none":
        qs = qs.filter(card__isnull=True)
    elif f.state:
        qs = qs.filter(card__state=f.state)
    span = scores.period_range(f.period)
    if span:
        qs = qs.filter(at__gte=span[0], at__lt=span[1])
    return qs


def by_rule_and_severity(qs) -> list[dict]:
    names = rule_names()
    rows = {}
    for rule, severity, n in qs.values_list("rule", "severity").annotate(n=Count("pk")).order_by():
        row = rows.setdefault(rule, {"rule": rule, "name": names.get(rule, rule), "red": 0, "yellow": 0, "info": 0})
        row[severity] = n
    for row in rows.values():
        row["total"] = row["red"] + row["yellow"] + row["info"]
    return sorted(rows.values(), key=lambda r: (-r["total"], r["rule"]))


def per_week(qs) -> list[tuple[str, int]]:
    rows = qs.annotate(week=TruncWeek("at", tzinfo=SHANGHAI)).values_list("week").annotate(n=Count("pk")) \
        .order_by("week")
    return [(_day(week).isoformat() + " 周", n) for week, n in rows]


def per_month(qs, field: str = "at") -> list[tuple[str, int]]:
    rows = qs.annotate(month=TruncMonth(field, tzinfo=SHANGHAI)).values_list("month").annotate(n=Count("pk")) \
        .order_by("month")
    return [(_day(month).strftime("%Y-%m"), n) for month, n in rows]


def per_department(qs, field: str = "case__organisation__name") -> list[tuple[str, int]]:
    rows = qs.values_list(field).annotate(n=Count("pk")).order_by("-n", field)
    return [(name, n) for name, n in rows]


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def public(jurisdictions: list[int]) -> dict:
    """A jurisdiction's aggregates for everyone: live alerts and their cards by month and
    department, the departments' on-time rates and scores with the formula, and how many alerts
    were withdrawn (已解除). Department names and numbers only."""
    al = Alert.objects.filter(jurisdiction_id__in=jurisdictions, withdrawn_at__isnull=True)
    cd = Card.objects.filter(jurisdiction_id__in=jurisdictions, alert__withdrawn_at__isnull=True)
    months = {}
    for label, n in per_month(al):
        months.setdefault(label, {"month": label, "alerts": 0, "cards": 0})["alerts"] = n
    for label, n in per_month(cd, "alert__at"):
        months.setdefault(label, {"month": label, "alerts": 0, "cards": 0})["cards"] = n
    departments = {}
    for name, n in per_department(al):
        departments.setdefault(name, {"department": name, "alerts": 0, "cards": 0})["alerts"] = n
    for name, n in per_department(cd, "organisation__name"):
        departments.setdefault(name, {"department": name, "alerts": 0, "cards": 0})["cards"] = n
    rows = scores.department_scores(jurisdictions)
    public_scores = [{"department": r["department"], "on_time_rate": r["on_time_rate"],
                      "closed_with_due": r["closed_with_due"], "alerts": r["alerts"], "cards": r["cards"],
                      "appeals": r["appeals"], "rating": r["rating"], "ratings": r["ratings"], "score": r["score"],
                      "arithmetic": r["arithmetic"]} for r in rows]
    return {"months": sorted(months.values(), key=lambda m: m["month"]),
            "departments": sorted(departments.values(), key=lambda d: (-d["alerts"], d["department"])),
            "scores": public_scores, "formula": scores.formula(),
            "totals": {"alerts": al.count(), "cards": cd.count(),
                       "withdrawn": Alert.objects.filter(jurisdiction_id__in=jurisdictions,
                                                         withdrawn_at__isnull=False).count(),
                       "by_severity": {SEVERITY_NAMES[s]: n for s, n in al.values_list("severity").annotate(
                           n=Count("pk")).order_by()}}}
