"""A diagram that could not run as drawn, or would run code, is refused as a whole, each problem
naming its element; nothing is stored and the command exits non-zero."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.core.errors import InvalidInput
from powerlist.operation.bpmn.parse import parse
from powerlist.operation.models import FlowchartVersion
from powerlist.operation.tests.conftest import diagram, line

TWO_STARTS = line("受理", "审查") + '<bpmn:startEvent id="StartEvent_2" /><bpmn:sequenceFlow id="F9" ' \
    'sourceRef="StartEvent_2" targetRef="Task_2" />'
UNREACHABLE = line("受理") + '<bpmn:userTask id="Task_lost" name="归档" /><bpmn:sequenceFlow id="F8" ' \
    'sourceRef="Task_lost" targetRef="EndEvent_1" />' \
    '<bpmn:sequenceFlow id="F9" sourceRef="Task_lost" targetRef="Task_lost" />'
DEAD_END = line("受理", "审查") + '<bpmn:exclusiveGateway id="Gw_1" /><bpmn:userTask id="Task_stuck" name="补正" />' \
    '<bpmn:sequenceFlow id="F7" sourceRef="Task_1" targetRef="Gw_1" /><bpmn:sequenceFlow id="F8" sourceRef="Gw_1" ' \
    'targetRef="Task_stuck" /><bpmn:sequenceFlow id="F9" sourceRef="Gw_1" targetRef="Task_2" />'
DANGLING = line("受理") + '<bpmn:sequenceFlow id="Flow_ghost" sourceRef="Task_1" targetRef="Task_missing" />'
NO_WAY_IN = line("受理") + '<bpmn:userTask id="Task_orphan" name="孤立" /><bpmn:sequenceFlow id="F9" ' \
    'sourceRef="Task_orphan" targetRef="EndEvent_1" />'


@pytest.mark.parametrize("body, element, words", [
    (TWO_STARTS, "bpmn:process id=Process_1", "只有一个开始事件"),
    (UNREACHABLE, "bpmn:userTask id=Task_lost", "无法到达此元素"),
    (DEAD_END, "bpmn:userTask id=Task_stuck", "死胡同"),
    (DANGLING, "bpmn:sequenceFlow id=Flow_ghost", "悬空"),
    (NO_WAY_IN, "bpmn:userTask id=Task_orphan", "没有流入"),
    ('<bpmn:startEvent id="StartEvent_1" /><bpmn:scriptTask id="Task_3" name="自动计算" scriptFormat="python">'
     '<bpmn:script>import os</bpmn:script></bpmn:scriptTask>', "bpmn:scriptTask id=Task_3", "脚本任务"),
    (line("受理").replace('<bpmn:userTask id="Task_1"', '<bpmn:serviceTask camunda:class="org.evil.Run" id="Task_1"')
     .replace('name="受理" />', 'name="受理"></bpmn:serviceTask>'), "bpmn:serviceTask id=Task_1", "camunda:class"),
    (line("受理").replace('<bpmn:userTask id="Task_1" name="受理" />',
                        '<bpmn:userTask id="Task_1" name="受理" camunda:delegateExpression="${bean}" />'),
     "bpmn:userTask id=Task_1", "camunda:delegateExpression"),
    (line("受理").replace('<bpmn:userTask id="Task_1" name="受理" />',
                        '<bpmn:userTask id="Task_1" name="受理"><bpmn:extensionElements><camunda:taskListener '
                        'event="complete"><camunda:script scriptFormat="groovy">rm()</camunda:script>'
                        '</camunda:taskListener></bpmn:extensionElements></bpmn:userTask>'),
     "camunda:taskListener", "监听器"),
    (line("受理").replace('<bpmn:userTask id="Task_1" name="受理" />',
                        '<bpmn:userTask id="Task_1" name="受理"><bpmn:extensionElements><flowable:executionListener '
                        'event="start" expression="${runtime.exec()}" /></bpmn:extensionElements></bpmn:userTask>'),
     "flowable:executionListener", "执行代码"),
    (line("受理").replace('name="受理"', 'name="受理" camunda:assignee="${applicant.boss}"'),
     "bpmn:userTask id=Task_1", "含有表达式"),
    (line("受理").replace('<bpmn:userTask id="Task_1" name="受理" />',
                        '<bpmn:userTask id="Task_1" name="受理"><bpmn:extensionElements><camunda:inputOutput>'
                        '<camunda:inputParameter name="x">${execution.getVariable("y")}</camunda:inputParameter>'
                        '</camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>'),
     "camunda:inputParameter", "含有表达式"),
    (line("受理").replace('<bpmn:userTask id="Task_1" name="受理" />',
                        '<bpmn:serviceTask id="Task_1" name="受理" flowable:type="shell" />'),
     "bpmn:serviceTask id=Task_1", "flowable:type"),
    (line("受理") + '<bpmn:boundaryEvent id="Timer_1" attachedToRef="Task_1"><bpmn:timerEventDefinition>'
     '<bpmn:timeDuration>__import__("os").getpid()</bpmn:timeDuration></bpmn:timerEventDefinition>'
     '</bpmn:boundaryEvent><bpmn:sequenceFlow id="F9" sourceRef="Timer_1" targetRef="EndEvent_1" />',
     "bpmn:boundaryEvent id=Timer_1", "ISO 8601"),
])
def test_structural_and_executable_problems_are_named(body, element, words):
    with pytest.raises(InvalidInput) as refused:
        parse(diagram(body))
    assert any(p.field.startswith(element) and words in p.expected + p.value for p in refused.value.problems), \
        refused.value.summary()


@pytest.mark.parametrize("condition", ["__import__('os').system('id')", "${order.total > 5}", "${len(x) > 1}",
                                       "open('/etc/passwd')", "fields['a'] == 1", "(lambda: 1)()"])
def test_unsafe_gateway_conditions_are_refused(condition):
    from xml.sax.saxutils import escape
    body = line("受理", "审查").replace(
        'sourceRef="Task_1" targetRef="Task_2" />',
        f'sourceRef="Task_1" targetRef="Task_2"><bpmn:conditionExpression>{escape(condition)}'
        f'</bpmn:conditionExpression></bpmn:sequenceFlow>')
    with pytest.raises(InvalidInput) as refused:
        parse(diagram(body))
    assert refused.value.problems[0].field == "bpmn:sequenceFlow id=Flow_1"
    assert "条件不安全" in refused.value.problems[0].expected


def test_the_console_exits_non_zero_and_stores_nothing(licence, users, tmp_path):
    path = tmp_path / "bad.bpmn"
    path.write_bytes(diagram(TWO_STARTS))
    with pytest.raises(CommandError, match="bpmn:process id=Process_1"):
        call_command("flowchart", "import", str(path), "--item", licence.code, "--as", users["reviewer"].username)
    assert not FlowchartVersion.objects.exists()
