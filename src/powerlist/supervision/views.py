"""The inspectors' dashboard (电子监察) under /office/supervision/: counts by rule and severity,
alerts per week and per department (server-drawn SVG), filters, the alerts with a drill-down to
the case and its events, the department scores with their formula, the appeals queue with the
decisions (htmx, the card re-rendered in place); and the clerk's own page, 我的预警与黄红牌, where
they appeal. Every write calls `services.cards`; refusals are shown as messages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powerlist.core import scope
from powerlist.core.admin_base import role_of
from powerlist.core.errors import DomainError, InvalidInput
from powerlist.core.models import Role
from powerlist.operation.services import worklists
from powerlist.portal import svg
from powerlist.supervision import figures, scores
from powerlist.supervision.models import Appeal, CardState, Severity
from powerlist.supervision.services import cards as card_service

PER_PAGE = 50
READERS = (Role.ADMIN, Role.REVIEWER, Role.INSPECTOR)


def _user(request, roles=None):
    role = role_of(request.user)
    if role is None or (roles is not None and role not in roles):
        raise Forbidden
    return request.user


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def _error_text(exc: DomainError) -> str:
    if isinstance(exc, InvalidInput):
        return "；".join(p.expected for p in exc.problems)
    return str(exc)


def _card_row(user, card, names: dict | None = None) -> dict:
    names = figures.rule_names() if names is None else names
    appeal = getattr(card, "appeal", None) if _has_appeal(card) else None
    return {"card": card, "appeal": appeal, "colour": card_service.COLOUR_NAMES[card.severity],
            "state_name": card_service.STATE_NAMES[card.state],
            "outcome_name": card_service.OUTCOME_NAMES.get(appeal.outcome, "") if appeal else "",
            "rule_name": names.get(card.alert.rule, card.alert.rule),
            "may_appeal": card.state == CardState.ISSUED and card.person == request_name(user),
            "may_decide": card.state == CardState.APPEALED and card_service.covers(user, card.jurisdiction),
            "may_escalate": card.state in (CardState.ISSUED, CardState.APPEALED, CardState.UPHELD)
            and card_service.covers(user, card.jurisdiction)}


def _has_appeal(card) -> bool:
    try:
        card.appeal  # noqa: B018 - the reverse one-to-one raises when there is none
    except Appeal.DoesNotExist:
        return False
    return True


def request_name(user) -> str:
    return card_service.audit.actor_name(user)


def dashboard(request):
    """Counts, trends, departments, alerts, scores, appeals."""
    user = _user(request, READERS)
    f = figures.Filters.of(request.GET)
    qs = figures.alerts(user, f)
    weekly = figures.per_week(qs)
    departments = figures.per_department(qs)
    charts = {"week": mark_safe(svg.bar_chart(weekly, _("Alerts per week"))),  # noqa: S308
              "department": mark_safe(svg.bar_chart(departments, _("Alerts by department"), "#b7791f"))}  # noqa: S308
    page = Paginator(qs.select_related("case", "case__organisation", "card").order_by("-at", "-pk"), PER_PAGE) \
        .get_page(request.GET.get("page"))
    names = figures.rule_names()
    rows = [{"alert": a, "rule_name": names.get(a.rule, a.rule),
             "severity_name": figures.SEVERITY_NAMES.get(a.severity, a.severity),
             "card": getattr(a, "card", None) if hasattr(a, "card") else None} for a in page]
    for row in rows:
        if row["card"] is not None:
            row["state_name"] = card_service.STATE_NAMES[row["card"].state]
    scope_ids = None
    if getattr(user, "jurisdiction_id", None) and scope._role(user) != Role.ADMIN:
        from powerlist.supervision import engine

        scope_ids = engine.jurisdiction_ids(user.jurisdiction.code)
    score_rows = scores.department_scores(scope_ids, f.period or None,
                                          organisation_ids=[f.organisation] if f.organisation else None)
    appeals = [_card_row(user, c, names) for c in card_service.pending_appeals(user)[:100]]
    organisations = list(worklists.organisations(user)[:500])
    return render(request, "supervision/dashboard.html", _context(
        request, _("Electronic supervision"), f=f, total=qs.count(), by_rule=figures.by_rule_and_severity(qs),
        weekly=weekly, departments=departments, charts=charts, page=page, rows=rows, scores=score_rows,
        formula=scores.formula(), appeals=appeals, organisations=organisations,
        rules=sorted(names.items()), severities=[(s, figures.SEVERITY_NAMES[s]) for s in Severity.values],
        states=[(s, card_service.STATE_NAMES[s]) for s in CardState.values],
        query=request.GET.urlencode()))


def alert_page(request, alert_id: int):
    """One alert: its rule and detail, its card and appeal, the case's events (read-only), and a
    link to the case's workbench page for those who may read it."""
    user = _user(request)
    alert = card_service.visible_alerts(user).filter(pk=alert_id).first()
    if alert is None:  # a clerk reads the alerts of their own cards
        card = card_service.visible_cards(user).filter(alert_id=alert_id).first()
        alert = card.alert if card else None
    if alert is None:
        raise Http404(_("No such alert, or not in your scope."))
    case = alert.case
    readable = worklists.visible_cases(user).filter(pk=case.pk).exists()
    card = alert.card if hasattr(alert, "card") else None
    return render(request, "supervision/alert.html", _context(
        request, _("Alert"), alert=alert, case=case, readable=readable,
        rule_name=figures.rule_names().get(alert.rule, alert.rule),
        severity_name=figures.SEVERITY_NAMES.get(alert.severity, alert.severity),
        item_name=case.item.name if case.item_id else case.item_code,
        events=worklists.timeline(case), row=_card_row(user, card) if card else None))


def mine(request):
    """我的预警与黄红牌: the cards given to me, with the appeal form while a card is issued."""
    user = _user(request)
    names = figures.rule_names()
    rows = [_card_row(user, c, names) for c in card_service.visible_cards(user).filter(
        person=request_name(user)).select_related("appeal").order_by("-issued_at", "-pk")[:500]]
    return render(request, "supervision/mine.html", _context(request, _("My alerts and cards"), rows=rows))


def _card_response(request, card_id: int, error: str = ""):
    user = request.user
    card = card_service.visible_cards(user).filter(pk=card_id).first()
    if card is None:
        raise Http404(_("No such card, or not in your scope."))
    return render(request, "supervision/_card.html", {"row": _card_row(user, card), "error": error,
                                                       "inline": True})


@require_POST
def act(request, card_id: int, verb: str):
    """appeal / decide / escalate, from the card's form; the card comes back in place (htmx)."""
    user = _user(request)
    reason = request.POST.get("reason", "")
    error = ""
    try:
        if verb == "appeal":
            card_service.appeal(user, card_id, reason)
        elif verb == "decide":
            card_service.decide_appeal(user, card_id, request.POST.get("outcome", ""), reason)
        elif verb == "escalate":
            card_service.escalate(user, card_id, reason)
        else:
            raise Http404
    except DomainError as exc:
        error = _error_text(exc)
    if not getattr(request, "htmx", False):  # without JavaScript: back to the page, the message on top
        if error:
            messages.error(request, error)
        return HttpResponseRedirect(reverse("supervision:mine" if verb == "appeal" else "supervision:dashboard"))
    return _card_response(request, card_id, error)

