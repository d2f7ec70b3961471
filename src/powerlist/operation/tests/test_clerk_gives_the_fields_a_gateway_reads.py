"""A case on an imported flowchart whose gateway has conditions passes the gateway once the clerk
gives the fields the conditions read: from the console (`--data NAME=VALUE`), the API (`data`) and
the service. A missing field is refused in Chinese naming it, nothing changes and the refusal is
on the record; a bad value is refused naming the field; the engine's English never reaches people."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from django.core.management import CommandError, call_command
from django.test import Client

from powerlist.api import services as token_services
from powerlist.core.errors import InvalidInput
from powerlist.core.scope import SYSTEM
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import cases, fields
from powerlist.operation.tests.conftest import DIAGRAMS, diagram

REVIEW = "审查（含现场核查和专家评审意见汇总）"


def run(capsys, *args):
    call_command("case", *args)
    return capsys.readouterr().out


def imported(licence, users, name):
    call_command("flowchart", "import", str(DIAGRAMS / name), "--item", licence.code, "--jurisdiction", "430304",
                 "--as", users["reviewer"].username, "--reason", "按新流程办理")


def opened(capsys):
    return run(capsys, "open", "--item", "430304-JY-XK-001", "--jurisdiction", "430304",
               "--as", "edu_clerk").strip().splitlines()[-1]


def shown(capsys, number):
    return json.loads(run(capsys, "show", number, "--json"))


@pytest.fixture
def licence_chart(licence, users):
    imported(licence, users, "bpmnio_licence.bpmn")
    return licence


def test_clerk_says_the_materials_are_complete_from_the_console(licence_chart, capsys):
    number = opened(capsys)  # the opening accepted it (受理): 审查 is ready
    run(capsys, "act", number, "--step", REVIEW, "--action", "complete", "--data", "materials_complete=是",
        "--as", "edu_clerk")
    assert shown(capsys, number)["ready"] == ["决定"]
    event = CaseEvent.objects.filter(case__number=number, step=REVIEW).get()
    assert event.payload["data"] == {"materials_complete": True}


def test_clerk_sends_incomplete_materials_back_to_acceptance_from_the_console(licence_chart, capsys):
    number = opened(capsys)  # the opening accepted it (受理): 审查 is ready
    run(capsys, "act", number, "--step", REVIEW, "--action", "complete", "--data", "materials_complete=否",
        "--as", "edu_clerk")
    assert shown(capsys, number)["ready"] == ["受理"]
    # the field given before counts: the second pass asks for nothing new, unless changed
    run(capsys, "act", number, "--step", "受理", "--action", "complete", "--as", "edu_clerk")
    run(capsys, "act", number, "--step", REVIEW, "--action", "complete", "--data", "materials_complete=true",
        "--as", "edu_clerk")
    assert shown(capsys, number)["ready"] == ["决定"]


def test_clerk_who_forgets_the_field_is_told_which_in_chinese_and_nothing_changes(licence_chart, capsys):
    number = opened(capsys)  # the opening accepted it (受理): 审查 is ready
    before = Case.objects.get(number=number)
    with pytest.raises(CommandError) as refused:
        call_command("case", "act", number, "--step", REVIEW, "--action", "complete", "--as", "edu_clerk")
    message = str(refused.value)
    assert "此环节之后要判断“材料齐全？”，请填写：materials_complete（是/否）" in message
    assert "Error" not in message and "evaluating" not in message
    after = Case.objects.get(number=number)
    assert after.state == before.state and shown(capsys, number)["ready"] == [REVIEW]
    last = CaseEvent.objects.filter(case=after).order_by("-seq").first()
    assert last.refused and "materials_complete" in last.payload["refused"]


@pytest.mark.parametrize("value", ["也许", "2"])
def test_clerk_who_gives_a_bad_yes_or_no_is_told_the_field(licence_chart, capsys, value):
    number = opened(capsys)  # the opening accepted it (受理): 审查 is ready
    with pytest.raises(CommandError, match="materials_complete"):
        call_command("case", "act", number, "--step", REVIEW, "--action", "complete", "--data",
                     f"materials_complete={value}", "--as", "edu_clerk")
    assert shown(capsys, number)["ready"] == [REVIEW]


def test_the_fields_after_a_step_are_read_with_their_kinds_and_flow_labels(licence_chart, capsys, users):
    number = opened(capsys)  # the opening accepted it (受理): 审查 is ready
    case = Case.objects.get(number=number)
    workflow = cases.wf.load(case.state, cases.pinned(case.flowchart_id))
    task = cases.wf.ready(workflow)[0]
    asked = fields.for_step(cases.pinned(case.flowchart_id), case.flowchart_id, task)
    assert [(f["name"], f["kind"]) for f in asked] == [("materials_complete", "bool")]
    assert asked[0]["labels"] == ["材料齐全？→齐全", "材料齐全？→退回补正"]


def test_department_system_gives_the_field_over_the_api(licence_chart, users, capsys):
    _token, key = token_services.create_token(SYSTEM, users["clerk"], "dept-system")
    auth, client = {"HTTP_AUTHORIZATION": f"Bearer {key}"}, Client()
    number = opened(capsys)

    def act(body):
        return client.post(f"/api/cases/{number}/actions", json.dumps(body, ensure_ascii=False),
                           content_type="application/json", **auth)

    missing = act({"action": "complete", "step": REVIEW})
    assert missing.status_code == 403 and "materials_complete（是/否）" in missing.content.decode()
    bad = act({"action": "complete", "step": REVIEW, "data": {"materials_complete": "maybe"}})
    assert bad.status_code == 422 and "materials_complete" in bad.content.decode()
    done = act({"action": "complete", "step": REVIEW, "data": {"materials_complete": False}})
    assert done.status_code == 200 and done.json()["ready"] == ["受理"]
    assert act({"action": "complete", "step": "受理"}).status_code == 200
    done = act({"action": "complete", "step": REVIEW, "data": {"materials_complete": "是"}})
    assert done.status_code == 200 and done.json()["ready"] == ["决定"]


@pytest.mark.parametrize("amount, waived, hearing", [
    ("20000", "否", True), ("20000", "是", False), ("200", "false", False), ("10000.5", "0", True)])
def test_clerk_gives_the_fine_and_waiver_for_the_camunda_notice_gateway(licence, users, capsys, amount, waived,
                                                                         hearing):
    imported(licence, users, "camunda_penalty.bpmn")
    number = opened(capsys)
    for step in ("立案", "现场检查", "收集证据"):
        run(capsys, "act", number, "--step", step, "--action", "complete", "--as", "edu_clerk")
    with pytest.raises(CommandError, match=r"“告知方式”.*amount（数字）、waived（是/否）"):
        call_command("case", "act", number, "--step", "法制审核", "--action", "complete", "--as", "edu_clerk")
    with pytest.raises(CommandError, match="amount"):
        call_command("case", "act", number, "--step", "法制审核", "--action", "complete", "--data", "amount=很多",
                     "--data", f"waived={waived}", "--as", "edu_clerk")
    run(capsys, "act", number, "--step", "法制审核", "--action", "complete", "--data", f"amount={amount}",
        "--data", f"waived={waived}", "--as", "edu_clerk")
    assert ("听证" in shown(capsys, number)["ready"]) is hearing
    assert "告知" in shown(capsys, number)["ready"]


GATED = """<bpmn:startEvent id="S" /><bpmn:userTask id="T1" name="审查" />
<bpmn:exclusiveGateway id="G" name="是否批准" />
<bpmn:userTask id="T2" name="决定" /><bpmn:userTask id="T3" name="复核" /><bpmn:endEvent id="E" />
<bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="T1" /><bpmn:sequenceFlow id="f1" sourceRef="T1" targetRef="G" />
<bpmn:sequenceFlow id="f2" name="金额较小" sourceRef="G" targetRef="T2">
<bpmn:conditionExpression>${amount &lt; 1000}</bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:sequenceFlow id="f3" name="外地企业" sourceRef="G" targetRef="T3">
<bpmn:conditionExpression>kind == '外地'</bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:sequenceFlow id="f4" sourceRef="T2" targetRef="E" /><bpmn:sequenceFlow id="f5" sourceRef="T3" targetRef="E" />"""


def test_a_gateway_with_no_condition_true_and_no_default_is_named(licence, users, capsys, tmp_path):
    path = tmp_path / "gated.bpmn"
    path.write_bytes(diagram(GATED))
    call_command("flowchart", "import", str(path), "--item", licence.code, "--jurisdiction", "430304",
                 "--as", users["reviewer"].username, "--reason", "按新流程办理")
    number = opened(capsys)
    with pytest.raises(CommandError, match="“是否批准”没有满足条件的出口"):
        call_command("case", "act", number, "--step", "审查", "--action", "complete", "--data", "amount=5000",
                     "--data", "kind=本地", "--as", "edu_clerk")
    run(capsys, "act", number, "--step", "审查", "--action", "complete", "--data", "amount=5000",
        "--data", "kind=外地", "--as", "edu_clerk")
    assert shown(capsys, number)["ready"] == ["复核"]


def test_values_are_converted_to_the_kind_the_conditions_compare_with():
    assert fields.convert("a", "是", "bool") is True and fields.convert("a", "0", "bool") is False
    assert fields.convert("a", "12", "number") == 12 and fields.convert("a", "1.5", None) == 1.5
    assert fields.convert("a", "12", "text") == "12" and fields.convert("a", "城市", None) == "城市"
    for value, kind in (("x", "number"), ("nan", "number"), ("可能", "bool"), (True, "number")):
        with pytest.raises(InvalidInput, match="data.a"):
            fields.convert("a", value, kind)


MIXED = GATED.replace("${amount &lt; 1000}", "code == 'A' or code &gt; 5").replace("kind == '外地'", "code == 'B'")


def test_an_engine_error_reaches_the_clerk_in_chinese_and_stays_on_the_record(licence, users, capsys, tmp_path):
    """`code` is compared with text and with a number: text given, the engine fails comparing them."""
    path = tmp_path / "mixed.bpmn"
    path.write_bytes(diagram(MIXED))
    call_command("flowchart", "import", str(path), "--item", licence.code, "--jurisdiction", "430304",
                 "--as", users["reviewer"].username, "--reason", "按新流程办理")
    number = opened(capsys)
    with pytest.raises(CommandError) as refused:
        call_command("case", "act", number, "--step", "审查", "--action", "complete", "--data", "code=C",
                     "--as", "edu_clerk")
    assert "流程无法继续" in str(refused.value) and "Error evaluating" not in str(refused.value)
    assert shown(capsys, number)["ready"] == ["审查"]
    last = CaseEvent.objects.filter(case__number=number).order_by("-seq").first()
    assert last.refused and "Error evaluating expression" in last.payload["engine"]
    assert "Error" not in last.payload["refused"]
    run(capsys, "act", number, "--step", "审查", "--action", "complete", "--data", "code=A", "--as", "edu_clerk")
    assert shown(capsys, number)["ready"] == ["决定"]


@given(value=st.one_of(st.text(max_size=12), st.integers(), st.floats(), st.booleans()),
       kind=st.sampled_from(["bool", "number", "text", None]))
def test_any_value_is_converted_or_refused_naming_the_field(value, kind):
    try:
        converted = fields.convert("field_x", value, kind)
    except InvalidInput as exc:
        assert exc.problems[0].field == "data.field_x"
        return
    expected = {"bool": bool, "number": (int, float), "text": str, None: (bool, int, float, str)}[kind]
    assert isinstance(converted, expected)
    if kind == "number":
        assert not isinstance(converted, bool)
