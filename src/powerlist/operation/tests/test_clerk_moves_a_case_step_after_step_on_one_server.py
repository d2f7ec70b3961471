"""A clerk moves a case step after step on one server process, which keeps the workflow it last
saved instead of restoring it from JSON each time: the case goes exactly as it does when every
step is restored from the row, and an action whose transaction rolls back leaves nothing behind."""

import pytest
from django.db import transaction

from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import cases
from powerlist.operation.services import workflow as wf

STEPS = ["受理", "审查", "决定", "送达"]


def steps_of(item_code, clerk, forget: bool):
    case = cases.open_case(clerk, item_code, "430304")
    shown = []
    for step in STEPS[1:]:  # 受理: the opening accepted the case
        if forget:
            wf._WARM.clear()  # as if another process had saved it: restored from the row
        else:
            assert any(key[1] == case.pk for key in wf._WARM)  # kept since the last step committed
        cases.act(clerk, case.number, "complete", step)
        shown.append({k: v for k, v in cases.describe(Case.objects.get(pk=case.pk)).items() if k != "case"})
    return case, shown


def without_times(shown):
    return [{**s, "events": [{k: v for k, v in e.items() if k != "at"} for e in s["events"]]} for s in shown]


@pytest.mark.django_db(transaction=True)
def test_kept_workflow_moves_the_case_as_the_saved_state_does(licence, users):
    kept_case, kept = steps_of(licence.code, users["clerk"], forget=False)
    restored_case, restored = steps_of(licence.code, users["clerk"], forget=True)
    assert without_times(kept) == without_times(restored)
    assert kept[-1]["status"] == "closed" and kept[-1]["done"] == STEPS
    assert list(CaseEvent.objects.filter(case=kept_case).order_by("seq").values_list("seq", "action")) == [
        (1, "accept"), (2, "complete"), (3, "complete"), (4, "complete"), (5, "complete"), (6, "close")]


@pytest.mark.django_db(transaction=True)
def test_an_action_rolled_back_leaves_the_step_ready(licence, users):
    clerk = users["clerk"]
    case = cases.open_case(clerk, licence.code, "430304")
    with pytest.raises(RuntimeError), transaction.atomic():
        cases.act(clerk, case.number, "complete", "审查")
        raise RuntimeError("the request fails after the step was completed")
    assert cases.describe(Case.objects.get(pk=case.pk))["ready"] == ["审查"]
    cases.act(clerk, case.number, "complete", "审查")
    assert cases.describe(Case.objects.get(pk=case.pk))["ready"] == ["决定"]
    assert list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", "step")) == [
        (1, ""), (2, "受理"), (3, "审查")]
