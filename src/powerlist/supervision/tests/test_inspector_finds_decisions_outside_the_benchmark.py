"""An inspector sweeps a county whose penalty decisions and high-risk steps carry planted
deviations: a fine outside the imported benchmark's range, a penalty type the grade does not allow
(alone or beside others: 警告、罚款, 罚款+没收违法所得, a word that names no type), a daily penalty
(按日连续处罚N日) whose per-day amount is outside the range, where the grade has none, or without its
days, facts no row of the table names, a share of a base recorded without the base, a high-risk step
completed without another person's approval (or approved by its own completer). Decisions made
through the case service raise nothing; each planted deviation raises exactly its alert."""

import pytest

from powerlist.core.scope import SYSTEM
from powerlist.discretion.models import Decision
from powerlist.supervision import engine
from powerlist.supervision.services import sweeps
from powerlist.supervision.tests.discretion_scene import build, mine
from powerlist.supervision.tests.scene import named


@pytest.fixture
def scene(county, departments, users, tmp_path):
    return build(county, departments, users, tmp_path)


def test_every_planted_decision_deviation_raises_exactly_its_alert(scene):
    found = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    assert mine(named(scene, found)) == sorted(scene["expected"])
    details = {(a["case"], a["rule"]): a["detail"] for a in found["alerts"]}
    s = scene["cases"]

    def said(name, rule="penalty-out-of-range"):
        return details[(s[name].number, rule)]

    assert said("far") == "罚款 200,000.00 元超出裁量基准“一般”档的幅度"
    assert said("type") == "处罚种类“吊销许可证件”不在裁量基准“一般”档允许的处罚种类之中"
    assert said("unknown") == "裁量基准中没有与“特别严重”对应的一档"
    assert said("no_base") == "罚款 20,000.00 元无法核对：裁量基准“一般”档按基数的比例或倍数计算，没有记录基数"
    assert said("unapproved", "second-approval-missing") == "高风险环节“审查”由 market_clerk 办理，此前没有本部门其他人员的复核"
    assert said("self_approved", "second-approval-missing") == "高风险环节“审查”由 market_clerk 办理，复核人与办理人为同一人"
    assert said("warning_and_fine") == "处罚种类“警告”不在裁量基准“一般”档允许的处罚种类之中"
    assert said("fine_and_confiscation") == "处罚种类“没收违法所得”不在裁量基准“严重”档允许的处罚种类之中"
    assert said("no_such_type") == "处罚种类“拘役”不在裁量基准“一般”档允许的处罚种类之中"
    assert said("daily_where_none") == "处罚种类“按日连续处罚”不在裁量基准“一般”档允许的处罚种类之中"
    assert said("daily_far") == ("按日连续处罚 10 日共 1,500,000.00 元，每日罚款 150,000.00 元超出裁量基准“一般”档"
                                 "的幅度")
    assert said("daily_low") == "按日连续处罚 5 日共 50,000.00 元，每日罚款 10,000.00 元超出裁量基准“一般”档的幅度"
    assert said("daily_no_days") == "按日连续处罚罚款 300,000.00 元无法核对：没有记录处罚天数（应写作“按日连续处罚N日”）"
    assert said("daily_days_in_words") == said("daily_no_days")


def test_the_rule_recomputes_the_range_from_the_base_not_from_what_was_stored(scene):
    """The same decision with a smaller base recorded afterwards falls outside 1%–3% of it."""
    sweeps.sweep(SYSTEM, "430304")
    decided = scene["cases"]["decided_share"]
    Decision.objects.filter(event__case=decided).update(base=500000)  # 30,000 > 3% of 500,000
    found = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    assert ("decided_share", "penalty-out-of-range", "决定") in mine(named(scene, found))


def test_a_second_sweep_stores_the_same_alerts_once(scene):
    first = engine.shape(sweeps.sweep(SYSTEM, "430304"))
    assert engine.shape(sweeps.sweep(SYSTEM, "430304")) == first == sweeps.alerts(SYSTEM, "430304")
