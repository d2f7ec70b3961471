"""Every category has a standard flowchart with a role and a time limit per step; an item
without one of its own gets it, with its risk points on the steps they name; items that have
step names (the demo's included) keep them."""

import pytest
from django.core.management import call_command

from powerlist.catalog.demo import FLOWS
from powerlist.catalog.models import Category, PowerItem
from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.operation.bpmn import engine
from powerlist.operation.bpmn.parse import parse
from powerlist.operation.bpmn.templates import TEMPLATES
from powerlist.operation.services import flowcharts


def test_every_category_has_a_template():
    assert set(TEMPLATES) == set(Category.values)
    assert [s for s, _r, _d in TEMPLATES["01"]] == ["申请", "受理", "审查", "决定", "送达"]
    assert [s for s, _r, _d in TEMPLATES["02"]] == ["立案", "调查取证", "审查", "告知", "决定", "送达", "执行"]


@pytest.mark.parametrize("category", Category.values)
def test_an_item_without_steps_gets_its_category_template(county, departments, category):
    item = create_item(SYSTEM, county, item_document(code=f"430304-T-{category}", category=category, flowchart="",
                                                     risk_points=[{"level": "high", "step": "决定环节",
                                                                   "description": "违规决定", "prevention": "集体讨论"}]))
    chart = flowcharts.flowchart(item)
    assert chart["source"] == "template" and chart["version"] is None
    steps = [n for n in chart["model"]["nodes"] if n["step"]]
    assert [n["name"] for n in steps] == [s for s, _r, _d in TEMPLATES[category]]
    assert all(n["role"] and isinstance(n["time_limit_days"], int) for n in steps)
    decided = [n for n in steps if n["risks"]]
    assert all("决定" in n["name"] for n in decided)
    assert bool(decided) == any("决定" in s for s, _r, _d in TEMPLATES[category])
    model = chart["model"]
    engine.spec(engine.engine_xml(chart["bpmn"].encode(), model, "t.bpmn"), model["processes"][0]["id"])


@pytest.mark.parametrize("family", sorted(FLOWS))
def test_the_demo_step_names_are_kept(county, departments, family):
    steps = FLOWS[family]
    item = create_item(SYSTEM, county, item_document(code=f"430304-D-{family}", flowchart=" → ".join(steps)))
    chart = flowcharts.flowchart(item)
    assert chart["source"] == "steps"
    assert [n["name"] for n in chart["model"]["nodes"] if n["step"]] == steps


def test_risk_points_sit_on_the_step_they_name(licence):
    chart = flowcharts.flowchart(licence)  # 受理 → 审查 → 决定 → 送达, a risk at 审查环节
    review = next(n for n in chart["model"]["nodes"] if n["name"] == "审查")
    assert review["risks"][0]["description"] == "降低标准违规审批"
    assert not next(n for n in chart["model"]["nodes"] if n["name"] == "受理")["risks"]


def test_roles_and_limits_of_steps_come_back_through_bpmn(county, departments, capsys):
    item = create_item(SYSTEM, county, item_document(
        code="430304-R-1", flowchart={"steps": [{"id": "a", "name": "受理", "role": "综合窗口", "time_limit_days": 1},
                                                {"id": "b", "name": "审查", "role": "业务科室", "time_limit_days": 7}],
                                      "flows": [["a", "b"]]}))
    call_command("flowchart", "template", "--item", item.code)
    model = parse(capsys.readouterr().out.encode())
    steps = [(n["name"], n["role"], n["time_limit_days"]) for n in model["nodes"] if n["step"]]
    assert steps == [("受理", "综合窗口", 1), ("审查", "业务科室", 7)]
    assert PowerItem.objects.get(pk=item.pk).flowchart["steps"][0]["role"] == "综合窗口"


def test_a_case_service_gets_a_runnable_spec_parsed_once(licence):
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    first, second = flowcharts.runnable(licence), flowcharts.runnable(licence)
    assert first["version"] is None and first["spec"] is second["spec"]  # cached per engine XML
    workflow = BpmnWorkflow(first["spec"], first["subprocesses"])
    workflow.do_engine_steps()
    ready = workflow.get_tasks(state=TaskState.READY)
    assert [t.task_spec.bpmn_name for t in ready if t.task_spec.manual] == ["受理"]
