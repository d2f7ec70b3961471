"""On the workbench's case page, a ready step followed by a gateway with conditions asks for the
fields the conditions read (a yes/no select, a number, a text), labelled with the field's name and
the flows' labels, posted with 办理完成; a missing one comes back as a Chinese message naming it,
and the engine's English never appears in the page."""

import pytest
from django.core.management import call_command
from django.test import Client

from powerlist.operation.models import CaseEvent
from powerlist.operation.services import cases
from powerlist.operation.tests.conftest import DIAGRAMS

HTMX = {"HTTP_HX_REQUEST": "true"}
REVIEW = "审查（含现场核查和专家评审意见汇总）"


@pytest.fixture
def reviewed(licence, users):
    """A case on the bpmn.io sample whose 审查 (before the gateway 材料齐全？) is ready."""
    call_command("flowchart", "import", str(DIAGRAMS / "bpmnio_licence.bpmn"), "--item", licence.code,
                 "--jurisdiction", "430304", "--as", users["reviewer"].username, "--reason", "按新流程办理")
    case = cases.open_case(users["clerk"], licence)
    # opening the case accepted it (受理): 审查 is ready
    client = Client()
    client.force_login(users["clerk"])
    return case, client


def test_clerk_sees_a_yes_or_no_for_the_gateway_with_the_flows_labels(reviewed):
    case, client = reviewed
    page = client.get(f"/office/cases/{case.number}/").content.decode()
    assert 'name="data.materials_complete"' in page and "<select" in page
    assert "材料齐全？→齐全" in page and "材料齐全？→退回补正" in page


@pytest.mark.parametrize("answer, ready", [("是", "决定"), ("否", "受理")])
def test_clerk_answers_and_completes_the_step_on_the_page(reviewed, answer, ready):
    case, client = reviewed
    page = client.post(f"/office/cases/{case.number}/act/", {"action": "complete", "step": "Activity_review",
                                                             "data.materials_complete": answer}, **HTMX)
    assert page.status_code == 200 and "已记录" in page.content.decode()
    assert cases.describe(cases.get_case(case.number))["ready"] == [ready]


def test_clerk_who_leaves_the_field_empty_is_told_in_chinese(reviewed):
    case, client = reviewed
    page = client.post(f"/office/cases/{case.number}/act/", {"action": "complete", "step": "Activity_review",
                                                             "data.materials_complete": ""}, **HTMX).content.decode()
    assert "请填写：materials_complete（是/否）" in page
    assert "Error evaluating" not in page and "materials_complete == True" not in page
    assert cases.describe(cases.get_case(case.number))["ready"] == [REVIEW]
    assert CaseEvent.objects.filter(case__number=case.number, refused=True).count() == 1
