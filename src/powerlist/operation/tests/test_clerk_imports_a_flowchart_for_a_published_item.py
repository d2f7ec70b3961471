"""A clerk's new flowchart for a published item is a change request: the BPMN version waits,
the old chart stays in force, and approval brings it into force pinned to the approved item."""

from django.core.management import call_command

from powerlist.catalog.models import PowerItem
from powerlist.catalog.services import requests as request_services
from powerlist.operation.models import FlowchartVersion
from powerlist.operation.services import flowcharts
from powerlist.operation.tests.conftest import DIAGRAMS


def test_pending_until_a_reviewer_approves(licence, users, capsys):
    before = PowerItem.objects.get(pk=licence.pk)
    call_command("flowchart", "import", str(DIAGRAMS / "bpmnio_licence.bpmn"), "--item", licence.code,
                 "--as", users["clerk"].username, "--reason", "增加退回补正环节")
    assert "待审核" in capsys.readouterr().out
    version = FlowchartVersion.objects.get(item=licence)
    assert version.status == "pending" and version.item_version is None
    assert PowerItem.objects.get(pk=licence.pk).flowchart == before.flowchart  # unchanged until approved
    assert flowcharts.in_force(licence) is None
    assert flowcharts.flowchart(licence)["source"] == "steps"

    request_services.approve(users["reviewer"], version.change_request_id)
    item = PowerItem.objects.get(pk=licence.pk)
    assert [s["name"] for s in item.flowchart["steps"]][1].startswith("审查（")
    current = flowcharts.in_force(licence)
    assert current.pk == version.pk and current.item_version == item.version
    assert flowcharts.flowchart(licence)["source"] == "import"


def test_a_rejected_request_leaves_the_version_out_of_force(licence, users):
    call_command("flowchart", "import", str(DIAGRAMS / "bpmnio_licence.bpmn"), "--item", licence.code,
                 "--as", users["clerk"].username, "--reason", "调整")
    version = FlowchartVersion.objects.get(item=licence)
    request_services.reject(users["reviewer"], version.change_request_id, note="环节不符合法定程序")
    assert flowcharts.in_force(licence) is None
    assert FlowchartVersion.objects.get(pk=version.pk).status == "rejected"


def test_a_clerk_changes_a_draft_item_directly(draft, users):
    call_command("flowchart", "import", str(DIAGRAMS / "flowable_benefit.bpmn20.xml"), "--item", draft.code,
                 "--as", users["clerk"].username)
    assert FlowchartVersion.objects.get(item=draft).status == "active"
