"""A reviewer imports flowcharts drawn in bpmn.io, Camunda Modeler 5 and the Flowable designer:
tasks of every kind become steps, lanes and candidate groups roles, vendor extensions are kept
as data, and the engine runs what was stored."""

import pytest
from django.core.management import call_command
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from powerlist.catalog.models import ChangeRecord, PowerItem
from powerlist.core.models import AuditEntry
from powerlist.operation.bpmn import engine
from powerlist.operation.models import FlowchartVersion
from powerlist.operation.tests.conftest import DIAGRAMS


def run_ready_steps(version, data: dict) -> list[str]:
    """Complete only what the engine reports ready, as the case service will."""
    spec, subprocesses = engine.spec(version.engine_xml, version.process_id)
    workflow = BpmnWorkflow(spec, subprocesses)
    workflow.do_engine_steps()
    done = []
    while ready := [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.manual]:
        ready[0].data.update(data)
        ready[0].run()
        done.append(ready[0].task_spec.bpmn_name)
        workflow.do_engine_steps()
    assert workflow.is_completed()
    return done


def test_bpmn_io_diagram_with_lanes_and_a_loop_back(licence, users, capsys):
    call_command("flowchart", "import", str(DIAGRAMS / "bpmnio_licence.bpmn"), "--item", licence.code,
                 "--jurisdiction", "430304", "--as", users["reviewer"].username, "--reason", "按新流程办理")
    version = FlowchartVersion.objects.get(item=licence)
    assert version.number == 1 and version.status == "active"
    item = PowerItem.objects.get(pk=licence.pk)
    assert version.item_version == item.version
    steps = item.flowchart["steps"]
    assert [s["name"] for s in steps] == ["受理", "审查（含现场核查和专家评审意见汇总）", "决定", "送达"]
    assert steps[0]["role"] == "综合窗口" and steps[1]["role"] == "业务科室"  # lanes are roles
    assert ["Activity_review", "Activity_accept", "退回补正"] in item.flowchart["flows"]
    assert ChangeRecord.objects.filter(item=licence, changed_fields__contains="flowchart").exists()
    assert AuditEntry.objects.filter(action="flowchart.import").count() == 1
    assert run_ready_steps(version, {"materials_complete": True}) == [
        "受理", "审查（含现场核查和专家评审意见汇总）", "决定", "送达"]
    assert "流程图第 1 版：已生效" in capsys.readouterr().out


def test_camunda_modeler_diagram_with_sub_process_timer_and_extensions(licence, users):
    call_command("flowchart", "import", str(DIAGRAMS / "camunda_penalty.bpmn"), "--item", licence.code,
                 "--as", users["reviewer"].username, "--reason", "处罚流程")
    version = FlowchartVersion.objects.get(item=licence)
    nodes = {n["id"]: n for n in version.parsed["nodes"]}
    assert nodes["Task_site"]["container"] == "Sub_investigate"  # the sub-process has its own start
    assert nodes["Timer_overdue"]["timer"] == {"kind": "timeDuration", "value": "P30D"}
    assert nodes["Task_review"]["step"] and nodes["Task_remind"]["step"]  # businessRuleTask, sendTask
    assert nodes["Task_file"]["vendor"]["camunda:formKey"] == "camunda-forms:deployment:file.form"
    assert nodes["Task_file"]["role"] == "执法机构"  # candidate groups
    assert {"tag": "camunda:property", "attrs": {"name": "legal_basis", "value": "行政处罚法第五十四条"},
            "text": ""} in nodes["Task_file"]["extensions"]
    assert "camunda:formKey" in version.bpmn_xml and "camunda:" not in version.engine_xml  # kept, never run
    flow = next(f for f in version.parsed["flows"] if f["id"] == "Flow_0f")
    assert flow["condition"] == "amount >= 10000 and not waived"
    assert "听证" in run_ready_steps(version, {"amount": 20000, "waived": False})
    assert "听证" not in run_ready_steps(version, {"amount": 200, "waived": False})


def test_flowable_designer_diagram_with_every_task_kind(licence, users):
    call_command("flowchart", "import", str(DIAGRAMS / "flowable_benefit.bpmn20.xml"), "--item", licence.code,
                 "--as", users["admin"].username, "--reason", "低保流程")
    version = FlowchartVersion.objects.get(item=licence)
    types = {n["type"] for n in version.parsed["nodes"] if n["step"]}
    assert types == {"userTask", "serviceTask", "receiveTask", "callActivity"}
    accept = next(n for n in version.parsed["nodes"] if n["id"] == "sid-accept")
    assert accept["vendor"]["flowable:formKey"] == "dibao-accept" and accept["role"] == "乡镇（街道）"
    assert run_ready_steps(version, {"income": 300, "threshold": 600, "household": "城市"})[-1] == "审批"
    assert run_ready_steps(version, {"income": 900, "threshold": 600, "household": "城市"})[-1] == "书面告知不予批准理由"


def test_each_import_is_a_new_version_pinned_to_the_item_version(licence, users):
    for name in ("bpmnio_licence.bpmn", "flowable_benefit.bpmn20.xml"):
        call_command("flowchart", "import", str(DIAGRAMS / name), "--item", licence.code,
                     "--as", users["reviewer"].username, "--reason", "调整")
    first, second = FlowchartVersion.objects.filter(item=licence).order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert second.item_version == first.item_version + 1 == PowerItem.objects.get(pk=licence.pk).version
    assert first.parsed != second.parsed and first.sha256 != second.sha256


@pytest.mark.parametrize("who", ["inspector", "market_clerk"])
def test_someone_outside_the_department_cannot_import(licence, users, who):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="无权"):
        call_command("flowchart", "import", str(DIAGRAMS / "bpmnio_licence.bpmn"), "--item", licence.code,
                     "--as", users[who].username)
    assert not FlowchartVersion.objects.exists()
