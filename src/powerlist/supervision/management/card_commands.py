"""The card verbs of `powerlist supervise`: cards, appeal, decide, scores (see the command)."""

import json

from powerlist.core import scope
from powerlist.core.errors import PermissionDenied
from powerlist.core.models import Role
from powerlist.supervision import engine
from powerlist.supervision import scores as score_module
from powerlist.supervision.services import cards as card_service


def cards(command, actor, options) -> None:
    qs = card_service.visible_cards(actor)
    if options["jurisdiction"]:
        qs = qs.filter(jurisdiction_id__in=engine.jurisdiction_ids(options["jurisdiction"]))
    shaped = card_service.shape(qs)
    if options["json"]:
        command.stdout.write(json.dumps(shaped, ensure_ascii=False, indent=2))
        return
    for c in shaped["cards"]:
        command.stdout.write(f"#{c['id']} [{card_service.COLOUR_NAMES[c['colour']]}] {c['issued_at'][:16]} {c['case']} "
                             f"{c['rule']} {c['person']}（{c['department']}）"
                             f"{card_service.STATE_NAMES[c['state']]}：{c['reason']}")
    command.stdout.write(f"共 {len(shaped['cards'])} 张黄红牌")


def appeal(command, actor, options) -> None:
    card = card_service.appeal(actor, options["card"], options["reason"])
    command.stdout.write(f"#{card.pk} {card_service.STATE_NAMES[card.state]}")


def decide(command, actor, options) -> None:
    if options["outcome"] == "escalate":
        card = card_service.escalate(actor, options["card"], options["reason"])
    else:
        card = card_service.decide_appeal(actor, options["card"], options["outcome"], options["reason"])
    command.stdout.write(f"#{card.pk} {card_service.STATE_NAMES[card.state]}")


def scores_allowed(actor) -> None:
    if scope._role(actor) not in (Role.ADMIN, Role.INSPECTOR, Role.REVIEWER):
        raise PermissionDenied(f"{scope._name(actor)}无权查看部门效能得分：需要纪检监察人员、审核人员或管理员"
                               f"（公开页面另有汇总）")


def scores(command, actor, options) -> None:
    scores_allowed(actor)
    ids = engine.jurisdiction_ids(options["jurisdiction"]) if options["jurisdiction"] else None
    rows = score_module.department_scores(ids, options["period"])
    if options["json"]:
        command.stdout.write(json.dumps(score_module.as_json(rows, options["period"]), ensure_ascii=False, indent=2))
        return
    command.stdout.write(score_module.formula())
    for r in rows:
        rate = "—" if r["on_time_rate"] is None else f"{r['on_time_rate']}%"
        command.stdout.write(f"{r['score']:>6}  {r['jurisdiction']} {r['department']}  按时办结率 {rate}  "
                             f"黄牌 {r['cards']['yellow']} 红牌 {r['cards']['red']}  {r['arithmetic']}")

