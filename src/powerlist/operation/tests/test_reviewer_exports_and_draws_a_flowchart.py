"""What was imported comes back out as it was drawn (import -> export -> import gives the same
model, layout and vendor extensions included), and is drawn as SVG from its own layout, or from
a computed layered layout when it has none."""

from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command

from powerlist.operation.bpmn import render
from powerlist.operation.bpmn.parse import parse
from powerlist.operation.models import FlowchartVersion
from powerlist.operation.tests.conftest import DIAGRAMS, diagram, line

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> str:
    return "".join(ET.fromstring(svg).itertext())


@pytest.mark.parametrize("name", ["bpmnio_licence.bpmn", "camunda_penalty.bpmn", "flowable_benefit.bpmn20.xml"])
def test_import_export_import_gives_the_same_model(licence, users, tmp_path, name):
    call_command("flowchart", "import", str(DIAGRAMS / name), "--item", licence.code, "--as",
                 users["reviewer"].username, "--reason", "导入")
    out = tmp_path / "out.bpmn"
    call_command("flowchart", "export", "--item", licence.code, "--jurisdiction", "430304", "-o", str(out))
    call_command("flowchart", "import", str(out), "--item", licence.code, "--as", users["reviewer"].username,
                 "--reason", "再导入")
    first, second = FlowchartVersion.objects.filter(item=licence).order_by("number")
    assert first.parsed == second.parsed
    assert first.parsed["layout"]["shapes"]  # the bpmndi layout kept


def test_an_item_without_an_import_exports_a_chart_any_modeler_opens(draft, tmp_path):
    out = tmp_path / "template.bpmn"
    call_command("flowchart", "export", "--item", draft.code, "-o", str(out))
    model = parse(out.read_bytes())
    assert model["layout"]["shapes"] and {p["id"] for p in model["processes"]} == {"Process_07"}
    assert [n["name"] for n in model["nodes"] if n["step"]] == ["受理", "审查", "决定", "送达"]


def test_render_from_the_diagram_layout(licence, users, tmp_path):
    call_command("flowchart", "import", str(DIAGRAMS / "bpmnio_licence.bpmn"), "--item", licence.code, "--as",
                 users["reviewer"].username, "--reason", "导入")
    out = tmp_path / "chart.svg"
    call_command("flowchart", "render", "--item", licence.code, "-o", str(out))
    svg = out.read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    rect = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "step")
    assert (rect.get("x"), rect.get("y")) == ("280.0", "100.0")  # where bpmn.io put 受理
    assert len([p for p in root.iter(f"{SVG}path") if p.get("class") == "gateway"]) == 1  # a diamond
    words = texts(svg)
    for name in ("受理", "决定", "送达", "退回补正"):
        assert name in words
    # the long name is wrapped inside its 100px box: several lines, none wider than the box
    lines = [t.text for t in root.iter(f"{SVG}tspan")]
    start = lines.index("审查（含现场")  # six characters of 13px fit the 100px box with its padding
    assert lines[start:start + 4] == ["审查（含现场", "核查和专家评", "审意见汇总）"] + lines[start + 3:start + 4]


def test_render_without_a_layout_lays_out_in_layers():
    body = line("受理", "审查", "决定").replace(
        '<bpmn:endEvent id="EndEvent_1" />',
        '<bpmn:endEvent id="EndEvent_1" /><bpmn:parallelGateway id="Gw_1" /><bpmn:parallelGateway id="Gw_2" />'
        '<bpmn:userTask id="Task_x" name="征求消防部门意见" /><bpmn:userTask id="Task_y" name="征求环保部门意见" />'
        '<bpmn:sequenceFlow id="G1" sourceRef="Task_1" targetRef="Gw_1" /><bpmn:sequenceFlow id="G2" '
        'sourceRef="Gw_1" targetRef="Task_x" /><bpmn:sequenceFlow id="G3" sourceRef="Gw_1" targetRef="Task_y" />'
        '<bpmn:sequenceFlow id="G4" sourceRef="Task_x" targetRef="Gw_2" /><bpmn:sequenceFlow id="G5" '
        'sourceRef="Task_y" targetRef="Gw_2" /><bpmn:sequenceFlow id="G6" sourceRef="Gw_2" targetRef="Task_2" />')
    model = parse(diagram(body))
    assert not model["layout"]["shapes"]
    svg = render.render(model, "并联审批")
    root = ET.fromstring(svg)
    words = texts(svg)
    assert all(name in words for name in ("受理", "审查", "决定", "征求消防部门意见", "征求环保部门意见"))
    xs = {}
    for g in root.iter(f"{SVG}rect"):
        xs.setdefault(float(g.get("x")), 0)
        xs[float(g.get("x"))] += 1
    assert 2 in xs.values()  # the two parallel opinions share a layer
    assert len(list(root.iter(f"{SVG}path"))) >= 2
