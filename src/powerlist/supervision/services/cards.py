"""Cards (黄牌/红牌) and appeals (申诉).

A yellow or red alert becomes a card when it is stored (`issue`, called by the engine's upsert:
one card per alert, so a second sweep makes none). The card goes to the person responsible: the
actor of the event the alert names (its dedupe key carries the event's number), else, for an
alert about the whole case (overdue, deadline warning, unlisted power), the clerk who accepted
the case; and to the case's department.

Who may do what:
- `appeal`: only the carded person themself (not their colleagues nor their head: the appeal is
  the person's own statement), once, while the card is issued;
- `decide_appeal` (revoke or uphold an appealed card) and `escalate` (督办: an issued, appealed or
  upheld card handed to supervised handling): inspectors whose jurisdiction covers the case's
  (an inspector without a jurisdiction covers all) and administrators.
Every change runs in one transaction with the card row locked, and goes on the transparency log."""

from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from powerlist.core import scope
from powerlist.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.models import Role
from powerlist.core.services import audit
from powerlist.supervision.models import Alert, Appeal, AppealOutcome, Card, CardState, Severity
from powerlist.supervision.services.rules import covers

CARDED = (Severity.YELLOW, Severity.RED)
STATE_NAMES = {CardState.ISSUED: "已发牌", CardState.APPEALED: "申诉中", CardState.REVOKED: "已撤销",
               CardState.UPHELD: "维持", CardState.ESCALATED: "已督办"}
COLOUR_NAMES = {Severity.YELLOW: "黄牌", Severity.RED: "红牌", Severity.INFO: "提示"}
OUTCOME_NAMES = {AppealOutcome.REVOKE: "撤销", AppealOutcome.UPHOLD: "维持", AppealOutcome.ESCALATE: "督办"}
MAX_REASON = 2000
CHUNK = 2000


# --- issuing (the engine's upsert calls this) -----------------------------------------------------

def _seq(dedupe_key: str) -> int | None:
    parts = dedupe_key.split(":")
    return int(parts[2]) if len(parts) >= 4 and parts[2].isdigit() else None


def issue(dedupe_keys) -> int:
    """Cards for the stored yellow and red alerts of these keys that have none yet; the number
    issued. Set-based: one INSERT … SELECT per batch of keys reads the alert, its case and the event
    it names (by the event number in its key) and writes the cards, a card already there left alone
    (a live evaluator may issue the same alert's card at the same moment). One audit entry per batch
    lists the cards issued."""
    keys = list(dict.fromkeys(dedupe_keys))
    issued = 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        pairs = [(key, _seq(key) if _seq(key) is not None else -1) for key in chunk]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO supervision_card (alert_id, case_id, jurisdiction_id, organisation_id, severity, person, "
                "reason, state, issued_at, changed_at, changed_by, escalation_reason, escalated_by) "
                "SELECT a.id, a.case_id, c.jurisdiction_id, c.organisation_id, a.severity, "
                "SUBSTR(COALESCE(NULLIF(e.actor, ''), NULLIF(c.accepted_by, ''), '—'), 1, 150), a.detail, %s, %s, %s, "
                "'system', '', '' "
                f"FROM (VALUES {', '.join(['(%s, %s)'] * len(pairs))}) AS k "
                "JOIN supervision_alert AS a ON a.dedupe_key = k.column1 "
                "JOIN operation_case AS c ON c.id = a.case_id "
                "LEFT JOIN operation_caseevent AS e ON e.case_id = a.case_id AND e.seq = k.column2 "
                "WHERE a.severity IN (%s, %s) "
                "ON CONFLICT (alert_id) DO NOTHING RETURNING id, alert_id, severity",
                [CardState.ISSUED, now, now, *(v for pair in pairs for v in pair), *CARDED])
            made = cursor.fetchall()
            if made:
                rules = dict(Alert.objects.filter(pk__in=[m[1] for m in made]).values_list("pk", "rule"))
                audit.append("system", "supervision.cards_issued", "cards",
                             {"cards": sorted(m[0] for m in made),
                              "by_rule": dict(sorted(Counter(rules[m[1]] for m in made).items())),
                              "by_colour": dict(sorted(Counter(m[2] for m in made).items()))})
        issued += len(made)
    return issued


# --- who may read and decide ----------------------------------------------------------------------

def visible_cards(user):
    """Inspectors and administrators: the cards of their jurisdiction (all without one); reviewers
    their jurisdiction's and below; a clerk only their own cards; nobody else any."""
    role = scope._role(user)
    qs = Card.objects.select_related("alert", "case", "organisation", "jurisdiction")
    if role == Role.ADMIN:
        return qs
    if role == Role.INSPECTOR:
        return qs.filter(jurisdiction__code__startswith=user.jurisdiction.code) if user.jurisdiction_id else qs
    if role == Role.REVIEWER and user.jurisdiction_id:
        return qs.filter(jurisdiction__code__startswith=user.jurisdiction.code)
    if role == Role.CLERK:
        return qs.filter(person=audit.actor_name(user))
    return qs.none()


def visible_alerts(user):
    """The alerts whose figures `user` reads on the dashboard (clerks: none, they see their cards)."""
    role = scope._role(user)
    qs = Alert.objects.all()
    if role == Role.ADMIN:
        return qs
    code = user.jurisdiction.code if getattr(user, "jurisdiction_id", None) else None
    if role == Role.INSPECTOR:
        return qs.filter(jurisdiction__code__startswith=code) if code else qs
    if role == Role.REVIEWER and code:
        return qs.filter(jurisdiction__code__startswith=code)
    return qs.none()


def _reason(value, field: str = "reason") -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput([Problem("", None, field, "", "请写明理由")])
    if len(text) > MAX_REASON:
        raise InvalidInput([Problem("", None, field, text[:40] + "…", f"理由不超过 {MAX_REASON} 字")])
    return text


def _locked(card_id) -> Card:
    try:
        pk = int(str(card_id).strip())
    except ValueError:
        raise InvalidInput([Problem("", None, "card", str(card_id)[:40], "应为黄红牌编号（整数）")]) from None
    card = Card.objects.select_for_update().filter(pk=pk).first()
    if card is None:
        raise NotFound(f"没有编号为 {pk} 的黄红牌")
    return card


def _log(actor, action: str, card: Card, before: str, **extra) -> None:
    audit.append(actor, f"supervision.card.{action}", f"card:{card.pk}",
                 {"alert": card.alert_id, "rule": card.alert.rule, "colour": card.severity, "person": card.person,
                  "department": card.organisation_id, "before": before, "after": card.state, **extra})


def _moved(card: Card, actor, state: str, now) -> str:
    before = card.state
    card.state, card.changed_at, card.changed_by = state, now, audit.actor_name(actor)
    return before


# --- the three changes ----------------------------------------------------------------------------

def appeal(actor, card_id, reason: str) -> Card:
    """申诉: the carded person states why the card is wrong."""
    text = _reason(reason)
    with transaction.atomic():
        card = _locked(card_id)
        if scope._role(actor) is None or audit.actor_name(actor) != card.person:
            raise PermissionDenied(f"{scope._name(actor)}无权申诉此牌：只有被发牌人本人可以申诉")
        if card.state != CardState.ISSUED:
            raise Conflict(f"此牌{STATE_NAMES[card.state]}，不能再申诉")
        now = timezone.now()
        Appeal.objects.create(card=card, reason=text, appealed_by=audit.actor_name(actor), appealed_at=now)
        before = _moved(card, actor, CardState.APPEALED, now)
        card.save(update_fields=["state", "changed_at", "changed_by"])
        _log(actor, "appeal", card, before, reason=text)
    return card


def decide_appeal(actor, card_id, outcome: str, reason: str) -> Card:
    """An inspector revokes (撤销) or upholds (维持) an appealed card."""
    if outcome not in (AppealOutcome.REVOKE, AppealOutcome.UPHOLD):
        raise InvalidInput([Problem("", None, "outcome", str(outcome)[:40], "应为 revoke（撤销）或 uphold（维持）")])
    text = _reason(reason)
    with transaction.atomic():
        card = _locked(card_id)
        if not covers(actor, card.jurisdiction):
            raise PermissionDenied(f"{scope._name(actor)}无权处理申诉：需要本辖区纪检监察人员或管理员")
        if card.state != CardState.APPEALED:
            raise Conflict(f"此牌{STATE_NAMES[card.state]}，没有待处理的申诉")
        now = timezone.now()
        state = CardState.REVOKED if outcome == AppealOutcome.REVOKE else CardState.UPHELD
        Appeal.objects.filter(card=card).update(outcome=outcome, decision_reason=text,
                                                decided_by=audit.actor_name(actor), decided_at=now)
        before = _moved(card, actor, state, now)
        card.save(update_fields=["state", "changed_at", "changed_by"])
        _log(actor, "decide", card, before, outcome=outcome, reason=text)
    return card


def escalate(actor, card_id, reason: str) -> Card:
    """督办: an inspector hands an issued, appealed or upheld card to supervised handling (an
    appeal pending is thereby decided: escalate)."""
    text = _reason(reason)
    with transaction.atomic():
        card = _locked(card_id)
        if not covers(actor, card.jurisdiction):
            raise PermissionDenied(f"{scope._name(actor)}无权督办：需要本辖区纪检监察人员或管理员")
        if card.state not in (CardState.ISSUED, CardState.APPEALED, CardState.UPHELD):
            raise Conflict(f"此牌{STATE_NAMES[card.state]}，不能督办")
        now = timezone.now()
        if card.state == CardState.APPEALED:
            Appeal.objects.filter(card=card).update(outcome=AppealOutcome.ESCALATE, decision_reason=text,
                                                    decided_by=audit.actor_name(actor), decided_at=now)
        before = _moved(card, actor, CardState.ESCALATED, now)
        card.escalation_reason, card.escalated_at, card.escalated_by = text, now, audit.actor_name(actor)
        card.save(update_fields=["state", "changed_at", "changed_by", "escalation_reason", "escalated_at",
                                 "escalated_by"])
        _log(actor, "escalate", card, before, reason=text)
    return card


def pending_appeals(user):
    return visible_cards(user).filter(state=CardState.APPEALED).select_related("appeal").order_by(
        "appeal__appealed_at", "pk")


def shape(cards) -> dict:
    """`{"cards": [{"id", "case", "rule", "colour", "person", "department", "state", "reason",
    "issued_at", "appeal": {...} | null}]}`."""
    out = []
    for c in cards.select_related("alert", "case", "organisation").prefetch_related("appeal"):
        ap = getattr(c, "appeal", None) if hasattr(c, "appeal") else None
        out.append({"id": c.pk, "case": c.case.number, "rule": c.alert.rule, "colour": c.severity,
                    "person": c.person, "department": c.organisation.name, "state": c.state, "reason": c.reason,
                    "issued_at": timezone.localtime(c.issued_at).isoformat(),
                    "appeal": None if ap is None else {
                        "reason": ap.reason, "by": ap.appealed_by, "at": timezone.localtime(ap.appealed_at).isoformat(),
                        "outcome": ap.outcome or None, "decision_reason": ap.decision_reason or None,
                        "decided_by": ap.decided_by or None}})
    out.sort(key=lambda c: c["id"])
    return {"cards": out}
