"""The second approval a step waits for is read from the item as it stands: a high-risk point added
to 审查 (a new item version) holds the next completion of 审查, also in a case opened before and in a
process that has just completed 审查 without it."""

import pytest

from powerlist.catalog.services.items import update_item
from powerlist.core.scope import SYSTEM
from powerlist.operation.services import cases
from powerlist.operation.services.cases import Refused

pytestmark = pytest.mark.django_db
HIGH = {"level": "high", "step": "审查环节", "description": "降低标准违规审批", "prevention": "另一名经办人复核",
        "second_approver": True}


def test_a_high_risk_point_added_to_the_item_holds_the_running_cases_step(licence, users):
    before, running = (cases.open_case(users["clerk"], licence) for _ in range(2))
    cases.act(users["clerk"], before.number, "complete", "审查")  # read while 审查 had no second approval
    update_item(SYSTEM, licence, {"risk_points": [HIGH]}, reason="审查环节须复核")
    with pytest.raises(Refused, match="须经本部门另一名人员复核后才能办理"):
        cases.act(users["clerk"], running.number, "complete", "审查")
    update_item(SYSTEM, licence, {"risk_points": []}, reason="取消复核")
    cases.act(users["clerk"], running.number, "complete", "审查")
