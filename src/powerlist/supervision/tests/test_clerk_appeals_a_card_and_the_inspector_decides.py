"""A sweep turns each yellow and red alert into a card to the person responsible; the carded clerk
appeals; the inspector upholds, revokes or escalates (督办); every change is on the transparency
log; a second sweep makes no second card; a clerk cannot decide appeals, nor appeal another's
card, and another department's clerk does not see it. The console does the same."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.core.errors import Conflict, InvalidInput, PermissionDenied
from powerlist.core.models import AuditEntry
from powerlist.core.scope import SYSTEM
from powerlist.supervision.models import Alert, Card
from powerlist.supervision.services import cards, sweeps
from powerlist.supervision.tests.cards_scene import small


@pytest.fixture
def scene(county, departments, users):
    scene = small(county, departments, users)
    sweeps.sweep(SYSTEM, "430304")
    return scene


@pytest.fixture
def people(scene):
    return scene["users"]


def card_of(scene, name, rule):
    return Card.objects.get(case=scene["cases"][name], alert__rule=rule)


def test_a_planted_overdue_case_gives_a_card_to_the_clerk_who_accepted_it(scene):
    overdue = card_of(scene, "overdue", "overdue")
    assert (overdue.severity, overdue.person, overdue.state) == ("red", "edu_clerk", "issued")
    assert overdue.organisation.name == "岳塘区教育局" and overdue.reason == overdue.alert.detail
    warn = card_of(scene, "warn", "deadline-warning")
    assert (warn.severity, warn.person) == ("yellow", "edu_clerk")
    # a step's alert goes to whoever did the step: the 决定 pushed by edu_clerk2 out of turn
    assert card_of(scene, "skip", "skipped-step").person == "edu_clerk2"
    assert card_of(scene, "quiet", "quiet-day-inspection").organisation.name == "岳塘区市场监督管理局"
    assert card_of(scene, "quiet", "quiet-day-inspection").person == "market_clerk2"
    carded = Alert.objects.filter(severity__in=["yellow", "red"]).count()
    assert Card.objects.count() == carded and carded > 0
    assert not Card.objects.filter(alert__severity="info").exists()
    issued = AuditEntry.objects.filter(action="supervision.cards_issued")
    assert sum(len(json.loads(e.payload)["cards"]) for e in issued) == carded


def test_a_second_sweep_makes_no_second_card(scene):
    before = list(Card.objects.order_by("pk").values_list("pk", "alert_id"))
    sweeps.sweep(SYSTEM, "430304")
    assert list(Card.objects.order_by("pk").values_list("pk", "alert_id")) == before


def _log(card, action):
    return AuditEntry.objects.filter(action=f"supervision.card.{action}", target=f"card:{card.pk}")


def test_the_clerk_appeals_and_the_inspector_upholds(scene, people):
    card = card_of(scene, "overdue", "overdue")
    cards.appeal(people["clerk"], card.pk, "专家评审期间应中止计时，系统未登记")
    card.refresh_from_db()
    assert card.state == "appealed" and card.appeal.reason.startswith("专家评审")
    assert _log(card, "appeal").count() == 1
    with pytest.raises(Conflict):
        cards.appeal(people["clerk"], card.pk, "再次申诉")
    cards.decide_appeal(people["inspector"], card.pk, "uphold", "中止未经批准，超期属实")
    card.refresh_from_db()
    assert card.state == "upheld" and card.appeal.outcome == "uphold" and card.appeal.decided_by == "inspector1"
    assert _log(card, "decide").count() == 1


def test_the_inspector_revokes_an_appealed_card(scene, people):
    card = card_of(scene, "warn", "deadline-warning")
    cards.appeal(people["clerk"], card.pk, "申请人已撤回申请")
    cards.decide_appeal(people["inspector"], card.pk, "revoke", "情况属实")
    card.refresh_from_db()
    assert card.state == "revoked" and card.changed_by == "inspector1"
    entry = _log(card, "decide").get()
    assert entry.actor == "inspector1"


def test_the_inspector_escalates_a_card(scene, people):
    card = card_of(scene, "skip", "skipped-step")
    cards.appeal(people["edu_clerk2"], card.pk, "系统故障")
    cards.escalate(people["inspector"], card.pk, "跳过审查环节直接决定，移交督办")
    card.refresh_from_db()
    assert card.state == "escalated" and card.escalated_by == "inspector1" and card.appeal.outcome == "escalate"
    assert _log(card, "escalate").count() == 1
    with pytest.raises(Conflict):
        cards.escalate(people["inspector"], card.pk, "再次督办")


def test_a_clerk_cannot_decide_nor_appeal_anothers_card(scene, people):
    card = card_of(scene, "overdue", "overdue")
    with pytest.raises(PermissionDenied):
        cards.appeal(people["edu_clerk2"], card.pk, "替同事申诉")
    cards.appeal(people["clerk"], card.pk, "理由")
    for who in ("clerk", "edu_clerk2", "reviewer", "market_clerk"):
        with pytest.raises(PermissionDenied):
            cards.decide_appeal(people[who], card.pk, "revoke", "自己撤销")
        with pytest.raises(PermissionDenied):
            cards.escalate(people[who], card.pk, "督办")
    with pytest.raises(InvalidInput):
        cards.decide_appeal(people["inspector"], card.pk, "forgive", "理由")
    with pytest.raises(InvalidInput):
        cards.decide_appeal(people["inspector"], card.pk, "revoke", "   ")
    assert Card.objects.get(pk=card.pk).state == "appealed"


def test_another_departments_clerk_does_not_see_the_card(scene, people):
    card = card_of(scene, "overdue", "overdue")
    assert cards.visible_cards(people["clerk"]).filter(pk=card.pk).exists()
    assert not cards.visible_cards(people["market_clerk"]).filter(pk=card.pk).exists()
    assert not cards.visible_cards(people["edu_clerk2"]).filter(pk=card.pk).exists()  # only the person's own
    assert cards.visible_cards(people["inspector"]).filter(pk=card.pk).exists()


def test_an_inspector_of_another_county_cannot_decide(scene, people, other_county):
    from powerlist.conftest import make_user

    outsider = make_user("inspector_yuhu", "inspector", other_county)
    card = card_of(scene, "overdue", "overdue")
    with pytest.raises(PermissionDenied):
        cards.escalate(outsider, card.pk, "督办")
    assert not cards.visible_cards(outsider).exists()


def test_the_console_lists_cards_and_takes_appeals_and_decisions(scene, people, capsys):
    card = card_of(scene, "overdue", "overdue")
    call_command("supervise", "cards", "--jurisdiction", "430304", "--json")
    listed = json.loads(capsys.readouterr().out)["cards"]
    assert {c["id"] for c in listed} == set(Card.objects.values_list("pk", flat=True))
    call_command("supervise", "appeal", str(card.pk), "--reason", "已中止", "--as", "edu_clerk")
    call_command("supervise", "decide", str(card.pk), "--outcome", "escalate", "--reason", "移交督办",
                 "--as", "inspector1")
    capsys.readouterr()
    assert Card.objects.get(pk=card.pk).state == "escalated"
    with pytest.raises(CommandError, match="无权"):
        call_command("supervise", "decide", str(card.pk), "--outcome", "revoke", "--reason", "x", "--as", "edu_clerk")
    with pytest.raises(CommandError, match="没有编号为 999999"):
        call_command("supervise", "appeal", "999999", "--reason", "x", "--as", "edu_clerk")
