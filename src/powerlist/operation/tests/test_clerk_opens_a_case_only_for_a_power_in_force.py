"""按单用权: a clerk opens a case (受理) only for a published, in-force item of their own
department. Every refusal (not listed, not in force, cancelled, delegated away, another
department's) is refused AND recorded on the transparency log; acting on a case whose power was
cancelled meanwhile is refused and recorded as a refused event."""

import datetime as dt
import re

import pytest

from powerlist.catalog.services.items import change_status, create_item, update_item
from powerlist.conftest import item_document
from powerlist.core.models import AuditEntry
from powerlist.core.scope import SYSTEM
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import cases
from powerlist.operation.services.cases import Refused


def refusals(code):
    return [e for e in AuditEntry.objects.filter(action="case.refused") if code in e.payload]


def test_clerk_opens_a_case_for_a_published_item_of_their_department(licence, users):
    case = cases.open_case(users["clerk"], licence.code, "430304", applicant="张三", phone="13812345678")
    assert re.fullmatch(r"430304-\d{8}-0001", case.number)
    assert case.item_version == licence.version and case.flowchart_version is None
    assert len(case.flowchart.sha256) == 64 and case.status == "open"
    assert case.limit_kind == "promised" and case.limit_days == 10 and case.due is not None
    events = [(e.seq, e.action, e.step, e.actor, e.refused) for e in CaseEvent.objects.filter(case=case).order_by("seq")]
    assert events == [(1, "accept", "", "edu_clerk", False), (2, "complete", "受理", "edu_clerk", False)]
    logged = AuditEntry.objects.filter(action="case.accept", target=f"case:{case.number}").get()
    assert "13812345678" not in logged.payload and "张三" not in logged.payload  # personal data stays off the log
    second = cases.open_case(users["clerk"], licence, applicant="李四")
    assert second.number.endswith("-0002")


def test_another_departments_clerk_is_refused_and_recorded(licence, users):
    with pytest.raises(Refused, match="本部门"):
        cases.open_case(users["market_clerk"], licence.code, "430304")
    assert not Case.objects.exists()
    assert len(refusals(licence.code)) == 1
    with pytest.raises(Refused):
        cases.open_case(users["inspector"], licence.code, "430304")
    assert len(refusals(licence.code)) == 2


@pytest.mark.parametrize("status, words", [("cancelled", "已取消"), ("delegated", "已下放")])
def test_cancelled_or_delegated_power_is_refused_and_recorded(licence, users, status, words):
    change_status(SYSTEM, licence, status, reason="清理决定")
    with pytest.raises(Refused, match=words):
        cases.open_case(users["clerk"], licence.code, "430304")
    assert len(refusals(licence.code)) == 1 and not Case.objects.exists()


def test_unlisted_and_draft_powers_are_refused_and_recorded(draft, licence, users):
    with pytest.raises(Refused, match="未列入已公布的权力清单"):
        cases.open_case(users["clerk"], draft.code, "430304")
    with pytest.raises(Refused, match="没有职权编码"):
        cases.open_case(users["clerk"], "430304-JY-XK-999", "430304")
    assert len(refusals(draft.code)) == 1 and len(refusals("430304-JY-XK-999")) == 1


def test_power_not_yet_or_no_longer_in_force_is_refused(county, departments, users):
    today = dt.date.today()
    later = create_item(SYSTEM, county, item_document(code="430304-JY-XK-010", status="published",
                                                      valid_from=(today + dt.timedelta(days=30)).isoformat()))
    with pytest.raises(Refused, match="尚未生效"):
        cases.open_case(users["clerk"], later.code, "430304")
    expired = create_item(SYSTEM, county, item_document(code="430304-JY-XK-011", status="published",
                                                        valid_to=(today - dt.timedelta(days=30)).isoformat()))
    with pytest.raises(Refused, match="失效"):
        cases.open_case(users["clerk"], expired.code, "430304")
    assert len(refusals(later.code)) == 1 and len(refusals(expired.code)) == 1


def test_acting_after_the_power_was_cancelled_is_refused_and_recorded(licence, users):
    case = cases.open_case(users["clerk"], licence.code, "430304")
    change_status(SYSTEM, licence, "cancelled", reason="取消")
    with pytest.raises(Refused, match="已取消"):
        cases.act(users["clerk"], case.number, "complete", "审查")
    refused = CaseEvent.objects.get(case=case, refused=True)
    assert refused.action == "complete" and "已取消" in refused.payload["refused"]
    assert AuditEntry.objects.filter(action="case.refused", target=f"case:{case.number}").count() == 1
    assert cases.describe(Case.objects.get(pk=case.pk))["done"] == ["受理"]  # the opening's acceptance


def test_a_running_case_keeps_the_flowchart_it_pinned(licence, users):
    case = cases.open_case(users["clerk"], licence.code, "430304")
    update_item(SYSTEM, licence, {"flowchart": "受理 → 初审 → 复审 → 决定 → 送达"}, reason="流程调整")
    assert cases.describe(Case.objects.get(pk=case.pk))["ready"] == ["审查"]  # the opening accepted it
    newer = cases.open_case(users["clerk"], licence.code, "430304")
    assert cases.describe(Case.objects.get(pk=newer.pk))["ready"] == ["初审"]
    assert newer.item_version > case.item_version and newer.flowchart_id != case.flowchart_id
