"""An inspector reads the departments' scores (效能) on a small known set: each score is the
documented formula over the department's on-time rate, cards and ratings; a revoked card deducts
nothing, an escalated one the escalation's weight, and one whose warning was lifted (已解除, its
condition ended) nothing, counted apart; the weights are settings; the on-time rate and
rating are the workbench's; the console prints the same with the formula."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.core.errors import InvalidInput
from powerlist.core.scope import SYSTEM
from powerlist.operation.services import worklists
from powerlist.supervision import scores
from powerlist.supervision.models import Card
from powerlist.supervision.services import cards, sweeps
from powerlist.supervision.tests.cards_scene import small
from powerlist.supervision.tests.scene import walk


@pytest.fixture
def scene(county, departments, users):
    scene = small(county, departments, users)
    sweeps.sweep(SYSTEM, "430304")
    return scene


def by_department(rows):
    return {r["department"]: r for r in rows}


def test_scores_follow_the_documented_formula(scene):
    rows = by_department(scores.department_scores())
    edu = rows["岳塘区教育局"]
    # 2 closed cases with a due date, 1 on time; cards: overdue ×2 and skipped-step red, deadline-warning
    # yellow; ratings 5 and 2 stars
    assert (edu["on_time_rate"], edu["cards"], edu["rating"]) == (50.0, {"yellow": 1, "red": 3}, 3.5)
    assert edu["score"] == 100 - 0.5 * 50 - 1 * 1 - 3 * 3 - 4 * 1.5 == 59.0
    assert edu["arithmetic"] == "100 − 0.5×(100 − 50) − 1×1 − 3×3 − 5×0 − 4×(5 − 3.5) = 59"
    market = rows["岳塘区市场监督管理局"]
    assert (market["score"], market["alerts"]["yellow"], market["rating"]) == (99.0, 1, None)
    assert "100 − 0.5×(100 − 按时办结率%)" in scores.formula()


def test_a_revoked_card_deducts_nothing_and_an_escalated_one_its_weight(scene):
    people = scene["users"]
    overdue = Card.objects.get(case=scene["cases"]["overdue"])
    cards.appeal(people["clerk"], overdue.pk, "已中止计时")
    cards.decide_appeal(people["inspector"], overdue.pk, "revoke", "属实")
    warn = Card.objects.get(case=scene["cases"]["warn"])
    cards.escalate(people["inspector"], warn.pk, "督办")
    edu = by_department(scores.department_scores())["岳塘区教育局"]
    assert edu["deducted"] == {"yellow": 0, "red": 2, "escalated": 1}
    assert edu["appeals"]["revoke"] == 1 and edu["card_states"]["revoked"] == 1
    assert edu["score"] == 100 - 25 - 0 - 6 - 5 - 6 == 58.0


def test_a_warning_lifted_when_the_case_is_finished_on_time_deducts_nothing(scene):
    people = scene["users"]
    warn = Card.objects.get(case=scene["cases"]["warn"])
    cards.escalate(people["inspector"], warn.pk, "督办")  # even an escalated card of a lifted warning
    walk(scene["cases"]["warn"], ["受理", "审查", "决定", "送达"],
         [people["clerk"], people["edu_clerk2"], people["edu_clerk2"], people["clerk"]])
    sweeps.sweep(SYSTEM, "430304")
    warn.refresh_from_db()
    assert warn.alert.withdrawn_at is not None and warn.state == "escalated"  # the card stays
    edu = by_department(scores.department_scores())["岳塘区教育局"]
    assert edu["alerts"] == {"red": 3, "yellow": 0, "info": 0} and edu["withdrawn"] == {"alerts": 1, "cards": 1}
    assert edu["cards"] == {"yellow": 0, "red": 3} and edu["card_states"]["escalated"] == 0
    assert edu["deducted"] == {"yellow": 0, "red": 3, "escalated": 0}
    # 3 closed cases with a due date now, 2 on time; no card but the 3 red ones deducts
    assert edu["on_time_rate"] == 66.7
    assert edu["arithmetic"] == f"100 − 0.5×(100 − 66.7) − 1×0 − 3×3 − 5×0 − 4×(5 − 3.5) = {edu['score']:g}"
    assert edu["score"] == round(100 - 0.5 * (100 - 66.7) - 9 - 6, 1)
    assert "已解除预警的牌不扣分" in scores.formula()


def test_the_weights_are_settings(scene, settings):
    settings.POWERLIST_SCORE_WEIGHTS = {"red": 10, "rating": 0}
    edu = by_department(scores.department_scores())["岳塘区教育局"]
    assert edu["score"] == 100 - 25 - 1 - 30 == 44.0
    assert "10×红牌数" in scores.formula()


def test_on_time_rate_and_rating_are_the_workbenchs(scene, departments):
    edu = by_department(scores.department_scores())["岳塘区教育局"]
    figures = worklists.figures(departments["岳塘区教育局"])
    assert (edu["on_time_rate"], edu["rating"]) == (figures["on_time_rate"], figures["rating"])


def test_a_month_counts_what_happened_in_it(scene):
    april = by_department(scores.department_scores(period="2025-04"))["岳塘区教育局"]
    assert (april["closed_with_due"], april["on_time_rate"], april["ratings"]) == (1, 0.0, 0)
    with pytest.raises(InvalidInput):
        scores.department_scores(period="2025-13")


def test_the_console_prints_the_scores_with_the_formula(scene, capsys):
    call_command("supervise", "scores", "--jurisdiction", "430304", "--json", "--as", "inspector1")
    out = json.loads(capsys.readouterr().out)
    assert out["formula"] == scores.formula()
    assert {d["department"]: d["score"] for d in out["departments"]} == {"岳塘区教育局": 59.0, "岳塘区市场监督管理局": 99.0}
    call_command("supervise", "scores", "--period", "2025-04", "--as", "inspector1")
    text = capsys.readouterr().out
    assert text.startswith(scores.formula()) and "50.0  430304 岳塘区教育局  按时办结率 0.0%" in text
    call_command("supervise", "cards", "--as", "edu_clerk")
    text = capsys.readouterr().out
    assert "[红牌]" in text and "edu_clerk2" not in text and text.rstrip().endswith("共 3 张黄红牌")
    with pytest.raises(CommandError, match="period"):
        call_command("supervise", "scores", "--period", "March")
    with pytest.raises(CommandError, match="无权"):
        call_command("supervise", "scores", "--as", "edu_clerk")
