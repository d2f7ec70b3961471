"""What an acceptance tester found on the flowchart side, closed: opening a case records the
applicant's application (申请) and is the acceptance: it completes the flowchart's leading 受理
(受理申请, 接件受理 …) too, so the clerk's first step is the one after, never an acceptance twice
(unless a gateway with conditions follows 受理: the clerk gives its fields); an
item's own steps take their post and time limit from the category template's step they match, and
say where a step got none; an event a department's system pushes for a step behind a gateway takes
the branch that leads there; `flowchart export` of a diagram imported without layout writes a
shape for every flow node; ids `Start`/`End` import and run; the console speaks Chinese; the
portal draws every item's flowchart with the BPMN renderer."""

import csv
import json
import re
from io import StringIO
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.models import AuditEntry
from powerlist.core.scope import SYSTEM
from powerlist.operation.bpmn import templates
from powerlist.operation.bpmn.parse import parse
from powerlist.operation.bpmn.xml import BPMN, BPMNDI
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import cases, flowcharts
from powerlist.operation.services.cases import Refused
from powerlist.operation.tests.conftest import diagram, line

COND = ('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{}</bpmn:conditionExpression>')
# 受理 → 材料齐全？ → 审查 → 决定 (齐全, 决定 in a sub-process) | 补正通知 (not 齐全)
GATEWAY = f"""
<bpmn:startEvent id="StartEvent_1" />
<bpmn:userTask id="Task_accept" name="受理" />
<bpmn:exclusiveGateway id="Gateway_ok" name="材料齐全？" />
<bpmn:userTask id="Task_review" name="审查" />
<bpmn:subProcess id="Sub_decide" name="决定">
  <bpmn:startEvent id="Sub_start" />
  <bpmn:userTask id="Task_decide" name="决定" />
  <bpmn:endEvent id="Sub_end" />
  <bpmn:sequenceFlow id="S1" sourceRef="Sub_start" targetRef="Task_decide" />
  <bpmn:sequenceFlow id="S2" sourceRef="Task_decide" targetRef="Sub_end" />
</bpmn:subProcess>
<bpmn:userTask id="Task_notice" name="补正通知" />
<bpmn:endEvent id="EndEvent_1" />
<bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Task_accept" />
<bpmn:sequenceFlow id="F2" sourceRef="Task_accept" targetRef="Gateway_ok" />
<bpmn:sequenceFlow id="F_yes" name="齐全" sourceRef="Gateway_ok" targetRef="Task_review">
  {COND.format("materials_complete == True")}</bpmn:sequenceFlow>
<bpmn:sequenceFlow id="F_no" name="不齐全" sourceRef="Gateway_ok" targetRef="Task_notice">
  {COND.format("not materials_complete")}</bpmn:sequenceFlow>
<bpmn:sequenceFlow id="F3" sourceRef="Task_review" targetRef="Sub_decide" />
<bpmn:sequenceFlow id="F4" sourceRef="Sub_decide" targetRef="EndEvent_1" />
<bpmn:sequenceFlow id="F5" sourceRef="Task_notice" targetRef="EndEvent_1" />
"""
HEADER = ["case", "item_code", "jurisdiction", "step", "action", "actor", "at", "amount", "penalty_type",
          "discretion"]


def out(*args) -> str:
    buffer = StringIO()
    call_command(*args, stdout=buffer)
    return buffer.getvalue()


def imported(item, users, tmp_path, body, name="chart.bpmn") -> str:
    path = tmp_path / name
    path.write_bytes(diagram(body))
    return out("flowchart", "import", str(path), "--item", item.code, "--as", users["reviewer"].username,
               "--reason", "按新流程办理")


@pytest.fixture
def by_template(county, departments):
    """A published licence whose list has no steps of its own: the category's template."""
    return create_item(SYSTEM, county, item_document(code="430304-JY-XK-031", name="校外培训机构设立审批",
                                                     status="published", flowchart=""))


@pytest.fixture
def own_steps(county, departments):
    """A published licence keeping a department's own step names, as imported lists and the demo do."""
    return create_item(SYSTEM, county, item_document(code="430304-JY-XK-032", name="幼儿园设立审批",
                                                     status="published", flowchart="受理申请 → 审核 → 作出决定 → 盖章"))


# 1. opening a case records the application and is the acceptance: 审查 is the clerk's first step
def test_opening_a_case_records_the_application_and_the_acceptance(by_template, users):
    assert flowcharts.flowchart(by_template)["source"] == "template"
    case = cases.open_case(users["clerk"], by_template, applicant="王晓红")
    shown = cases.describe(case)
    assert shown["done"] == ["申请", "受理"] and shown["ready"] == ["审查"]  # never an acceptance twice
    assert [(e["step"], e["action"], e["actor"]) for e in shown["events"]] == [
        ("", "accept", "edu_clerk"), ("申请", "complete", "edu_clerk"), ("受理", "complete", "edu_clerk")]
    assert len({e["at"] for e in shown["events"]}) == 1  # one opening, one transaction
    logged = AuditEntry.objects.filter(target=f"case:{case.number}").order_by("seq")
    assert [e.action for e in logged] == ["case.accept", "case.complete", "case.complete"]
    assert shown["due_explained"].startswith("承诺时限 10个工作日：受理 ")  # the due date counts from the opening
    with pytest.raises(Refused, match="当前可办理的环节：审查"):
        cases.act(users["clerk"], case.number, "complete", "受理")
    cases.act(users["clerk"], case.number, "complete", "审查")
    assert cases.describe(cases.get_case(case.number))["ready"] == ["决定"]


@pytest.mark.parametrize("steps, done, ready", [
    ("申请 → 受理 → 审查 → 决定 → 送达", ["申请", "受理"], ["审查"]),
    ("受理 → 审查 → 决定 → 送达", ["受理"], ["审查"]),
    ("受理申请 → 审核 → 作出决定", ["受理申请"], ["审核"]),
    ("接件受理 → 审查 → 决定", ["接件受理"], ["审查"]),
    ("提交申请 → 收件受理 → 受理复核 → 办结", ["提交申请", "收件受理"], ["受理复核"]),  # one acceptance only
    ("审查 → 受理 → 决定", [], ["审查"]),  # an acceptance that does not lead the chart is the clerk's
])
def test_the_opening_completes_the_leading_acceptance_whatever_its_name(county, departments, users, steps, done,
                                                                         ready):
    item = create_item(SYSTEM, county, item_document(code="430304-JY-XK-033", status="published", flowchart=steps))
    case = cases.open_case(users["clerk"], item)
    shown = cases.describe(case)
    assert shown["done"] == done and shown["ready"] == ready
    assert [e["step"] for e in shown["events"]] == ["", *done]
    assert Case.objects.get(pk=case.pk).event_count == 1 + len(done)


def test_an_acceptance_before_a_gateway_with_conditions_is_left_for_the_clerk(licence, users, tmp_path):
    imported(licence, users, tmp_path, GATEWAY)  # 受理 → 材料齐全？: the clerk gives materials_complete
    shown = cases.describe(cases.open_case(users["clerk"], licence))
    assert shown["done"] == [] and shown["ready"] == ["受理"]
    assert [e["action"] for e in shown["events"]] == ["accept"]


# 2. own steps take the template's post and limit ------------------------------------------
def test_own_steps_take_the_post_and_limit_of_the_template_step_they_match(own_steps, users):
    model = flowcharts.flowchart(own_steps)["model"]
    got = {n["name"]: (n["role"], n.get("time_limit_days")) for n in model["nodes"] if n["step"]}
    assert got == {"受理申请": ("综合窗口", 5), "审核": ("业务科室", 10), "作出决定": ("分管负责人", 5), "盖章": ("", None)}
    said = out("flowchart", "steps", "--item", own_steps.code, "--as", users["clerk"].username)
    assert "审核：岗位 业务科室，时限 10 个工作日；取自标准流程的“审查”（同义对应）" in said
    assert "盖章：岗位 无，时限 无；“盖章”与本类事项标准流程（申请 → 受理 → 审查 → 决定 → 送达）的环节名称都对不上" in said


def test_a_post_of_the_items_own_wins_over_the_template(county, departments):
    item = create_item(SYSTEM, county, item_document(
        code="430304-JY-XK-034", flowchart={"steps": [{"id": "a", "name": "受理", "role": "教育窗口"},
                                                      {"id": "b", "name": "审批", "time_limit_days": 3}]}))
    model = flowcharts.flowchart(item)["model"]
    got = {n["name"]: (n["role"], n.get("time_limit_days")) for n in model["nodes"] if n["step"]}
    assert got == {"受理": ("教育窗口", 5), "审批": ("分管负责人", 3)}  # 审批 is a 决定


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(templates.TEMPLATES)),
       st.lists(st.text(alphabet="申请受理审查核决定送达盖章办结调查公示告知执行甲乙", min_size=1, max_size=6),
                min_size=1, max_size=8))
def test_every_step_is_matched_or_told_why_not(category, names):
    template = {r[0]: r for r in templates.TEMPLATES[category]}
    for name, match in zip(names, templates.map_steps(category, names), strict=True):
        if match["template"] is None:
            assert name in match["why"]
        else:
            assert template[match["template"]][1:] == (match["role"], match["time_limit_days"])
            if match["how"] == "名称":
                assert match["template"] in name


# 3. a pushed event behind a gateway takes the branch that leads to it -----------------------
def push(tmp_path, users, rows, name="events.csv") -> dict:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return json.loads(out("events", "import", str(path), "--as", users["clerk"].username, "--json"))


def row(case, step, action, day, hour=9, item="430304-JY-XK-001"):
    return [case, item, "430304", step, action, "张科员", f"2026-10-{day:02d}T{hour:02d}:00:00+08:00", "", "", ""]


def flags(number):
    return [(e.step, e.flags) for e in CaseEvent.objects.filter(case__number=number).order_by("seq")]


def test_a_pushed_step_behind_a_gateway_takes_the_branch_that_leads_to_it(licence, users, tmp_path):
    imported(licence, users, tmp_path, GATEWAY)
    counts = push(tmp_path, users, [row("G-1", "", "accept", 12), row("G-1", "受理", "complete", 12, 10),
                                    row("G-1", "审查", "complete", 13), row("G-1", "决定", "complete", 14)])
    assert counts["flagged"] == {}, flags("EXT-430304-G-1")
    case = Case.objects.get(number="EXT-430304-G-1")
    assert case.status == "closed" and cases.describe(case)["done"] == ["受理", "审查", "决定"]
    # the other branch, over two files: the system's next event tells the branch
    push(tmp_path, users, [row("G-2", "", "accept", 12), row("G-2", "受理", "complete", 12, 10)], "a.csv")
    assert push(tmp_path, users, [row("G-2", "补正通知", "complete", 13)], "b.csv")["flagged"] == {}
    assert Case.objects.get(number="EXT-430304-G-2").status == "closed"


def test_a_pushed_step_no_branch_leads_to_is_flagged(licence, users, tmp_path):
    imported(licence, users, tmp_path, GATEWAY)
    counts = push(tmp_path, users, [row("G-3", "", "accept", 12), row("G-3", "受理", "complete", 12, 10),
                                    row("G-3", "决定", "complete", 13), row("G-3", "审查", "complete", 14)])
    assert counts["flagged"] == {"out-of-order": 1}  # 决定 is behind 审查, not behind the gateway
    assert flags("EXT-430304-G-3") == [("", []), ("受理", []), ("决定", ["out-of-order"]), ("审查", [])]
    assert cases.describe(Case.objects.get(number="EXT-430304-G-3"))["ready"] == ["决定"]


def test_a_system_reports_the_application_the_opening_recorded_once(by_template, users, tmp_path):
    item = by_template.code
    counts = push(tmp_path, users, [row("T-1", "", "accept", 12, item=item),
                                    row("T-1", "申请", "complete", 12, 10, item=item),
                                    row("T-1", "受理", "complete", 12, 11, item=item),
                                    row("T-1", "申请", "complete", 12, 12, item=item)])
    assert counts["flagged"] == {"out-of-order": 1}  # the second report of 申请 only
    assert cases.describe(Case.objects.get(number="EXT-430304-T-1"))["ready"] == ["审查"]


# 4. export writes DI for a diagram imported without layout ---------------------------------
def test_export_of_a_diagram_without_layout_has_a_shape_for_every_flow_node(licence, users, tmp_path):
    imported(licence, users, tmp_path, GATEWAY)
    target = tmp_path / "exported.bpmn"
    said = out("flowchart", "export", "--item", licence.code, "-o", str(target), "--as", users["clerk"].username)
    assert said.strip() == f"已写入流程图（BPMN 2.0） {target}"
    root = ET.parse(target).getroot()
    shapes = {s.get("bpmnElement") for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    edges = {e.get("bpmnElement") for e in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
    kinds = ("startEvent", "endEvent", "userTask", "exclusiveGateway", "subProcess")
    nodes = {e.get("id") for k in kinds for e in root.iter(f"{{{BPMN}}}{k}")}
    flows = {e.get("id") for e in root.iter(f"{{{BPMN}}}sequenceFlow")}
    assert len(nodes) == 10 and nodes <= shapes and flows <= edges
    planes = {p.get("bpmnElement") for p in root.iter(f"{{{BPMNDI}}}BPMNPlane")}
    assert planes == {"Process_1", "Sub_decide"}  # the sub-process drawn collapsed, its insides on their plane
    model = parse(target.read_bytes(), "exported.bpmn")  # and it reads back with its own layout
    assert set(model["layout"]["shapes"]) == nodes
    drawn = tmp_path / "chart.svg"
    assert out("flowchart", "render", "--item", licence.code, "-o", str(drawn), "--as",
               users["clerk"].username).strip() == f"已写入流程图（SVG） {drawn}"


def test_export_keeps_a_diagrams_own_layout(licence, users, tmp_path):
    from powerlist.operation.tests.conftest import DIAGRAMS

    out("flowchart", "import", str(DIAGRAMS / "bpmnio_licence.bpmn"), "--item", licence.code,
        "--as", users["reviewer"].username, "--reason", "导入")
    assert flowcharts.exported(licence) == (DIAGRAMS / "bpmnio_licence.bpmn").read_text(encoding="utf-8")


# 5. ids Start and End ----------------------------------------------------------------------
def test_a_diagram_with_ids_start_and_end_is_imported_and_runs(licence, users, tmp_path):
    body = line("受理", "审查").replace("StartEvent_1", "Start").replace("EndEvent_1", "End")
    assert 'id="Start"' in body and 'id="End"' in body
    said = imported(licence, users, tmp_path, body)
    assert "流程图第 1 版：已生效" in said and "受理 → 审查" in said
    case = cases.open_case(users["clerk"], licence)  # the opening completes 受理
    cases.act(users["clerk"], case.number, "complete", "审查")
    assert Case.objects.get(pk=case.pk).status == "closed"
    exported = flowcharts.exported(licence)
    assert 'id="Start"' in exported and 'bpmnElement="End"' in exported  # the diagram's own ids kept


# 6. the console speaks Chinese -------------------------------------------------------------
ENGLISH = re.compile(r"\b(status|ready|due|stored|flagged|duplicates|awaiting|version|none|holiday|workday)\b")


def test_console_output_a_person_reads_is_chinese(licence, users, tmp_path):
    opened = out("case", "open", "--item", licence.code, "--jurisdiction", "430304", "--as", "edu_clerk")
    number = opened.strip().splitlines()[-1]
    assert re.fullmatch(r"430304-\d{8}-\d{4}", number)  # the number alone on the last line
    acted = out("case", "act", number, "--step", "审查", "--action", "complete", "--as", "edu_clerk")
    assert acted.splitlines() == [f"{number} 第 3 号事件：办理 审查", f"状态 办理中；可办理：决定；期限 "
                                  f"{Case.objects.get(number=number).due.isoformat()}"]
    shown = json.loads(out("case", "show", number, "--json", "--as", "edu_clerk"))
    assert set(shown) == {"case", "item", "status", "ready", "done", "due", "due_explained", "events"}
    assert shown["status"] == "open" and set(shown["events"][0]) == {"step", "action", "actor", "at"}
    printed = out("case", "show", number, "--as", "edu_clerk")
    assert "可办理：决定；已办理：受理、审查" in printed and "edu_clerk 办理 受理" in printed
    pushed = tmp_path / "e.csv"
    with pushed.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, row("C-1", "", "accept", 12), row("C-1", "决定", "complete", 13)])
    said = out("events", "import", str(pushed), "--as", "edu_clerk")
    assert said.splitlines() == ["e.csv：存入 2 条，跳过重复 0 条，新建办件 1 件", "标记：不符合流程顺序（out-of-order）1 条"]
    calendar = out("calendar", "show", "2026")
    for text in (opened, acted, printed, said, calendar, out("calendar", "add-working-days", "2026-09-28", "3")):
        assert not ENGLISH.search(text), text


# 7. the portal draws every flowchart with the BPMN renderer --------------------------------
def test_portal_draws_template_and_step_list_flowcharts_with_the_renderer(client, by_template, own_steps):
    for item, names in ((by_template, ["申请", "受理", "审查", "决定", "送达"]), (own_steps, ["受理申请", "审核", "盖章"])):
        page = client.get(f"/item/{item.pk}/").content.decode()
        assert 'class="flowchart bpmn"' in page and '<path class="gateway"' not in page
        assert all(f">{n}<" in page for n in names), item.code
        assert page.count('class="step"') == len(flowcharts.flowchart(item)["model"]["nodes"]) - 2
