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
from powerlist.core.errors import DomainError, InvalidInput, Problem
from powerlist.core.models import Role
from powerlist.operation.services import worklists
from powerlist.portal import svg
from powerlist.supervision import figures, scores
from powerlist.supervision.models import Appeal, CardState, Severity
from powerlist.supervision.services import cards as card_service

PER_PAGE = 50
LIFTED_SHOWN = 50  # the latest withdrawn alerts listed apart on the dashboard
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


def _alert_rows(alerts, names: dict) -> list[dict]:
    rows = [{"alert": a, "rule_name": names.get(a.rule, a.rule),
             "severity_name": figures.SEVERITY_NAMES.get(a.severity, a.severity),
             "card": getattr(a, "card", None) if hasattr(a, "card") else None} for a in alerts]
    for row in rows:
        if row["card"] is not None:
            row["state_name"] = card_service.STATE_NAMES[row["card"].state]
    return rows


def dashboard(request):
    """Counts, trends, departments, alerts, scores, appeals: of live alerts; the withdrawn ones
    (已解除) apart, counted and the latest listed, labelled."""
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
    rows = _alert_rows(page, names)
    lifted_qs = figures.withdrawn(user, f)
    lifted = _alert_rows(lifted_qs.select_related("case", "case__organisation", "card")
                         .order_by("-withdrawn_at", "-pk")[:LIFTED_SHOWN], names)
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
        lifted=lifted, lifted_total=lifted_qs.count(), lifted_shown=LIFTED_SHOWN,
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



# ---- 监察规则: the rules as people read them, changed through services.rules ---------------------------

CHANGERS = (Role.ADMIN, Role.INSPECTOR)
HISTORY = 20  # changes shown per rule, latest first


def _rule_history(codes) -> dict:
    """{code: [change]} from the transparency log (services.rules appends one entry per change)."""
    import json

    from powerlist.core.models import AuditEntry

    out = {code: [] for code in codes}
    for entry in AuditEntry.objects.filter(action="supervision.rule", target__in=[f"rule:{c}" for c in codes]) \
            .order_by("-seq")[:HISTORY * max(1, len(out))]:
        code = entry.target.removeprefix("rule:")
        if len(out.get(code, ())) >= HISTORY:
            continue
        try:
            payload = json.loads(entry.payload)
        except ValueError:
            payload = {}
        before, after = payload.get("before") or {}, payload.get("after") or {}
        out[code].append({"at": entry.at, "actor": entry.actor, "version": payload.get("version"),
                          "reason": payload.get("reason", ""), "changes": _changes_text(before, after)})
    return out


def _changes_text(before: dict, after: dict) -> list[str]:
    from powerlist.supervision.management.rule_commands import SEVERITY_NAMES, params_text

    lines = []
    if before.get("enabled") != after.get("enabled"):
        lines.append(_("enabled") if after.get("enabled") else
                     _("disabled: %(reason)s") % {"reason": after.get("disabled_reason", "")})
    if before.get("severity") != after.get("severity"):
        lines.append(_("severity %(before)s → %(after)s") % {
            "before": SEVERITY_NAMES.get(before.get("severity"), before.get("severity")),
            "after": SEVERITY_NAMES.get(after.get("severity"), after.get("severity"))})
    if before.get("params") != after.get("params"):
        changed = {k: v for k, v in (after.get("params") or {}).items() if (before.get("params") or {}).get(k) != v}
        lines.append(_("parameters: %(params)s") % {"params": params_text(changed)})
    return lines


def _rule_row(user, rule, history: list) -> dict:
    from powerlist.supervision import builtin

    defaults = next((r["params"] for r in builtin.RULES if r["code"] == rule.code), {})
    params = [{"name": k, "value": "、".join(v) if isinstance(v, list) else v, "is_list": isinstance(v, list)}
              for k, v in ((k, rule.params.get(k, d)) for k, d in defaults.items())]
    return {"rule": rule, "severity_name": figures.SEVERITY_NAMES.get(rule.severity, rule.severity),
            "params": params, "history": history, "last": history[0] if history else None,
            "may_change": role_of(user) in CHANGERS,
            "severities": [(s, figures.SEVERITY_NAMES[s]) for s in Severity.values]}


def _quiet_rows(user) -> list:
    from powerlist.supervision.models import QuietDays

    rows = QuietDays.objects.select_related("jurisdiction").order_by("jurisdiction__code")
    if role_of(user) != Role.ADMIN and getattr(user, "jurisdiction_id", None):
        from powerlist.supervision import engine

        rows = rows.filter(jurisdiction_id__in=engine.jurisdiction_ids(user.jurisdiction.code))
    return list(rows[:500])


def rules_page(request):
    """监察规则: every rule with its basis, severity, parameters, version and last change, its change
    history, and (for inspectors and administrators) a form per rule and the quiet days."""
    from powerlist.supervision.models import Rule

    user = _user(request, READERS)
    rules = list(Rule.objects.order_by("code"))
    history = _rule_history([r.code for r in rules])
    rows = [_rule_row(user, r, history[r.code]) for r in rules]
    return render(request, "supervision/rules.html", _context(
        request, _("Supervision rules"), rows=rows, quiet=_quiet_rows(user), may_change=role_of(user) in CHANGERS,
        home=getattr(getattr(user, "jurisdiction", None), "code", "")))


def _form_params(rule, post) -> dict:
    from powerlist.supervision.management.rule_commands import _value

    from powerlist.supervision import builtin

    defaults = next((r["params"] for r in builtin.RULES if r["code"] == rule.code), {})
    return {k: _value(k, post[f"param-{k}"], d) for k, d in defaults.items() if f"param-{k}" in post}


def _problems_text(exc: DomainError) -> str:
    if isinstance(exc, InvalidInput):
        return "；".join(f"{p.field}：{p.expected}" if p.field else p.expected for p in exc.problems)
    return str(exc)


@require_POST
def rule_change(request, code: str):
    """One rule's form: enabled, severity, parameters, with a reason; the rule comes back in place."""
    from powerlist.supervision.models import Rule
    from powerlist.supervision.services import rules as rule_service

    user = _user(request, CHANGERS)
    rule = Rule.objects.filter(code=code).first()
    if rule is None:
        raise Http404(_("No such rule."))
    reason = request.POST.get("reason", "").strip()
    changes = {}
    if request.POST.get("severity"):
        changes["severity"] = request.POST["severity"]
    params = _form_params(rule, request.POST)
    if params:
        changes["params"] = params
    if "enabled" in request.POST:
        enabled = request.POST["enabled"] == "1"
        if enabled != rule.enabled:
            changes["enabled"] = enabled
            if not enabled:
                changes["disabled_reason"] = reason
    error, done = "", False
    try:
        before = rule.version
        rule = rule_service.change(user, code, reason=reason, **changes)
        done = rule.version != before
    except DomainError as exc:
        error = _problems_text(exc)
        rule = Rule.objects.get(code=code)
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        elif done:
            messages.success(request, _("Rule %(code)s is now at version %(version)s.") % {
                "code": rule.code, "version": rule.version})
        return HttpResponseRedirect(reverse("supervision:rules") + f"#rule-{code}")
    row = _rule_row(user, rule, _rule_history([code])[code])
    return render(request, "supervision/_rule.html", {"row": row, "error": error, "done": done})


@require_POST
def quiet_days_change(request):
    """A jurisdiction's quiet days (宁静日), in the inspector's scope; the list comes back in place."""
    from powerlist.core.models import Jurisdiction
    from powerlist.supervision import engine
    from powerlist.supervision.services import rules as rule_service

    user = _user(request, CHANGERS)
    code = request.POST.get("jurisdiction", "").strip()
    error = ""
    try:
        ids = engine.jurisdiction_ids(code)  # the service checks the inspector's scope

        def day(name):
            try:
                return int(request.POST.get(name, "").strip())
            except ValueError:
                raise InvalidInput([Problem("", None, "quiet_days", request.POST.get(name, ""),
                                            _("a day of the month, 1 to 31"))]) from None

        rule_service.set_quiet_days(user, Jurisdiction.objects.get(pk=ids[0]), day("first_day"), day("last_day"))
    except DomainError as exc:
        error = _problems_text(exc)
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        return HttpResponseRedirect(reverse("supervision:rules") + "#quiet-days")
    return render(request, "supervision/_quiet_days.html", {"quiet": _quiet_rows(user), "error": error,
                                                            "may_change": True, "home": code})
