"""Understanding a BPMN diagram as bpmn.io, Camunda Modeler and the Activiti/Flowable designers
save it: processes (and embedded sub-processes), their nodes and sequence flows, lanes and
participants as roles, boundary timers, the bpmndi layout, and vendor extensions kept as data.

Anything the engine would execute is refused here, naming the element: script tasks, scripts and
Java/expression delegates in extensions, and gateway conditions that fail the safe expression
check. Structure (one start, reachability, dead ends, dangling flows) is checked in `graph`."""

import re

from powerlist.core.errors import InvalidInput, Problem
from powerlist.operation.bpmn import expressions
from powerlist.operation.bpmn.xml import BPMN, BPMNDI, DC, DI, POWERLIST, VENDORS, read, split

# every task type is a step a person completes (按图行权: the engine never runs code for us)
TASKS = {"task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask", "businessRuleTask",
         "callActivity"}
GATEWAYS = {"exclusiveGateway", "parallelGateway", "inclusiveGateway"}
EVENTS = {"startEvent", "endEvent", "boundaryEvent", "intermediateCatchEvent", "intermediateThrowEvent"}
NODES = TASKS | GATEWAYS | EVENTS | {"subProcess"}
# part of a diagram but not of the flow: read around them
PASSIVE = {"laneSet", "documentation", "extensionElements", "textAnnotation", "association", "dataObject",
           "dataObjectReference", "dataStoreReference", "ioSpecification", "property", "group", "category",
           "incoming", "outgoing", "dataInputAssociation", "dataOutputAssociation"}
REFUSED = {
    "scriptTask": "脚本任务会在服务器上执行代码，不能导入；请改为人工办理的任务（userTask）",
    "script": "脚本会在服务器上执行代码，不能导入",
    "adHocSubProcess": "暂不支持自由子流程（adHocSubProcess）",
    "transaction": "暂不支持事务子流程（transaction）",
    "eventBasedGateway": "暂不支持事件网关（eventBasedGateway）",
    "complexGateway": "暂不支持复杂网关（complexGateway）",
    "multiInstanceLoopCharacteristics": "暂不支持多实例任务",
    "standardLoopCharacteristics": "暂不支持循环任务",
}
# vendor attributes and extension elements that name code to run (Java classes, expressions, scripts)
EXECUTABLE_ATTRIBUTES = {"class", "expression", "delegateExpression", "decisionRef", "scriptFormat", "script",
                         "type"}
EXECUTABLE_ELEMENTS = {"script", "connector", "executionListener", "taskListener", "field"}
SAFE_LISTENER_ATTRIBUTES = {"event"}
HARMLESS_TYPES = {"", "none", "external"}  # an external task is done elsewhere: for us a step a person completes
MAX_TEXT = 2000
ISO_TIME = re.compile(r"^[0-9PTYMWDHSR/:+\-.Z]+$")  # P30D, 2026-10-08T09:00:00+08:00, R3/PT1H


def label(element) -> str:
    """`bpmn:userTask id=Task_3`: how errors name an element."""
    ns, local = split(element.tag)
    prefix = "bpmn" if ns == BPMN else VENDORS.get(ns, "")
    ident = element.get("id")
    return (f"{prefix}:{local}" if prefix else local) + (f" id={ident}" if ident else "")


def _vendor_name(key: str) -> str | None:
    ns, local = split(key)
    prefix = VENDORS.get(ns)
    return f"{prefix}:{local}" if prefix else None


class Reader:
    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []
        self.nodes: list[dict] = []
        self.flows: list[dict] = []
        self.containers: list[dict] = []
        self.lanes: dict[str, str] = {}

    def problem(self, element, value: str, expected: str) -> None:
        self.problems.append(Problem(self.filename, None, label(element), value[:200], expected))

    # -- vendor extensions: kept as data, never executed --------------------------------------
    def vendor(self, element) -> dict:
        kept = {}
        for key, value in element.attrib.items():
            name = _vendor_name(key)
            if name is None:
                continue
            local = split(key)[1]
            if local in EXECUTABLE_ATTRIBUTES and not (local == "type" and value in HARMLESS_TYPES):
                self.problem(element, f"{name}={value}", f"扩展属性 {name} 会在服务器上执行代码（Java 类、表达式或脚本），不能导入")
                continue
            if "${" in value or "#{" in value:
                self.problem(element, f"{name}={value}", f"扩展属性 {name} 含有表达式，会在流程引擎中求值，不能导入；"
                             "请写成固定的值（如岗位名称）")
                continue
            kept[name] = value[:MAX_TEXT]
        return kept

    def extensions(self, element) -> list[dict]:
        kept = []
        for ext in element.findall(f"{{{BPMN}}}extensionElements"):
            for child in ext.iter():
                if child is ext:
                    continue
                ns, local = split(child.tag)
                prefix = VENDORS.get(ns, ns)
                if local in EXECUTABLE_ELEMENTS or any(split(k)[1] in EXECUTABLE_ATTRIBUTES - {"type"}
                                                       for k in child.attrib):
                    attrs = {split(k)[1]: v for k, v in child.attrib.items()}
                    harmless = local in {"executionListener", "taskListener"} and not (
                        set(attrs) - SAFE_LISTENER_ATTRIBUTES) and not any(
                        split(c.tag)[1] in {"script", "field"} for c in child)
                    if not harmless:
                        self.problem(child, " ".join(f"{k}={v}" for k, v in attrs.items()) or (child.text or ""),
                                     f"扩展 {prefix}:{local} 会在服务器上执行代码（监听器、脚本、Java 类或表达式），不能导入")
                        continue
                if "${" in (child.text or "") or "#{" in (child.text or ""):
                    self.problem(child, child.text.strip(), f"扩展 {prefix}:{local} 含有表达式，会在服务器上求值，不能导入")
                    continue
                if len(kept) < 200:
                    kept.append({"tag": f"{prefix}:{local}",
                                 "attrs": {split(k)[1]: v[:MAX_TEXT] for k, v in child.attrib.items()},
                                 "text": (child.text or "").strip()[:MAX_TEXT]})
        return kept

    # -- the flow -----------------------------------------------------------------------------
    def read_lanes(self, process) -> None:
        for lane in process.iter(f"{{{BPMN}}}lane"):
            name = (lane.get("name") or "").strip()
            for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
                if name and ref.text:
                    self.lanes[ref.text.strip()] = name  # nested lanes: the innermost wins (iter goes down)

    def read_container(self, container, container_id: str, role: str) -> None:
        for child in container:
            ns, local = split(child.tag)
            if ns != BPMN:
                continue
            if local in REFUSED:
                self.problem(child, child.get("name") or "", REFUSED[local])
                continue
            for inner in child.iter() if local != "subProcess" else ():  # a sub-process is read in turn
                inner_local = split(inner.tag)[1]
                if inner is not child and split(inner.tag)[0] == BPMN and inner_local in REFUSED:
                    self.problem(inner, "", f"{label(child)} 中：{REFUSED[inner_local]}")
            if local == "sequenceFlow":
                self.read_flow(child, container_id)
            elif local in NODES:
                self.read_node(child, container_id, role)
            elif local not in PASSIVE:
                self.problem(child, child.get("name") or "", f"不认识的流程元素 {local}")

    def read_node(self, element, container_id: str, role: str) -> None:
        ns, local = split(element.tag)
        ident = element.get("id") or ""
        if not ident:
            self.problem(element, "", "流程元素必须有 id")
            return
        node = {"id": ident, "type": local, "name": " ".join((element.get("name") or "").split())[:200],
                "container": container_id, "step": local in TASKS,
                "role": self.lanes.get(ident) or role, "vendor": self.vendor(element),
                "extensions": self.extensions(element)}
        if not self.lanes.get(ident):
            groups = node["vendor"].get("camunda:candidateGroups") or node["vendor"].get(
                "activiti:candidateGroups") or node["vendor"].get("flowable:candidateGroups")
            node["role"] = groups or role
        limit = element.get(f"{{{POWERLIST}}}timeLimitDays")
        if limit is not None:
            if limit.isdigit() and int(limit) <= 3650:
                node["time_limit_days"] = int(limit)
            else:
                self.problem(element, limit, "powerlist:timeLimitDays 应为工作日数（0 到 3650 的整数）")
        if local == "boundaryEvent":
            node["attached_to"] = element.get("attachedToRef") or ""
            node["interrupting"] = element.get("cancelActivity", "true") != "false"
        definitions = [split(c.tag)[1] for c in element if split(c.tag)[1].endswith("EventDefinition")]
        if definitions:
            node["event"] = definitions[0].removesuffix("EventDefinition")
        timer = element.find(f"{{{BPMN}}}timerEventDefinition")
        if timer is not None:
            for kind in ("timeDuration", "timeDate", "timeCycle"):
                t = timer.find(f"{{{BPMN}}}{kind}")
                if t is not None:
                    node["timer"] = {"kind": kind, "value": (t.text or "").strip()[:200]}
                    if not ISO_TIME.match(node["timer"]["value"]):
                        self.problem(element, node["timer"]["value"], "定时器只能写 ISO 8601 的期限或日期（如 P5D），"
                                     "不能写表达式：流程引擎会对它求值")
        if local == "subProcess":
            if element.get("triggeredByEvent") == "true":
                self.problem(element, node["name"], "暂不支持事件子流程")
            self.containers.append({"id": ident, "name": node["name"], "parent": container_id})
            self.read_container(element, ident, node["role"])
        self.nodes.append(node)

    def read_flow(self, element, container_id: str) -> None:
        flow = {"id": element.get("id") or "", "source": element.get("sourceRef") or "",
                "target": element.get("targetRef") or "", "name": " ".join((element.get("name") or "").split())[:200],
                "container": container_id, "vendor": self.vendor(element)}
        condition = element.find(f"{{{BPMN}}}conditionExpression")
        if condition is not None:
            language = condition.get("language") or ""
            text = (condition.text or "").strip()
            if language and language.lower() not in ("juel", "python", "${}", "http://www.w3.org/1999/xpath"):
                self.problem(element, f"language={language}", "条件不能是脚本；只允许比较与逻辑运算")
            elif text:
                try:
                    flow["condition"] = expressions.check(text)
                    flow["condition_text"] = text[:expressions.MAX_CHARS]
                except expressions.UnsafeExpression as exc:
                    self.problem(element, text, f"条件不安全或无法识别：{exc}。只允许对办件字段的比较与 and/or/not")
        self.flows.append(flow)


def _layout(root) -> dict:
    shapes, edges = {}, {}
    for shape in root.iter(f"{{{BPMNDI}}}BPMNShape"):
        bounds = shape.find(f"{{{DC}}}Bounds")
        ref = shape.get("bpmnElement")
        if bounds is None or not ref:
            continue
        try:
            shapes[ref] = [round(float(bounds.get(k, "0")), 1) for k in ("x", "y", "width", "height")]
        except ValueError:
            continue
    for edge in root.iter(f"{{{BPMNDI}}}BPMNEdge"):
        ref = edge.get("bpmnElement")
        try:
            points = [[round(float(p.get("x", "0")), 1), round(float(p.get("y", "0")), 1)]
                      for p in edge.findall(f"{{{DI}}}waypoint")]
        except ValueError:
            continue
        if ref and points:
            edges[ref] = points
    return {"shapes": shapes, "edges": edges}


def parse(data: bytes, filename: str = "flowchart.bpmn") -> dict:
    """The model of a BPMN file (JSON-ready), or InvalidInput listing every problem found."""
    from powerlist.operation.bpmn import graph

    root = read(data, filename)
    reader = Reader(filename)
    participants = {}
    for participant in root.iter(f"{{{BPMN}}}participant"):
        if participant.get("processRef"):
            participants[participant.get("processRef")] = (participant.get("name") or "").strip()
    processes = []
    for process in root.findall(f"{{{BPMN}}}process"):
        pid = process.get("id") or ""
        reader.read_lanes(process)
        reader.containers.append({"id": pid, "name": (process.get("name") or participants.get(pid) or "").strip(),
                                  "parent": ""})
        before = len(reader.nodes)
        reader.read_container(process, pid, participants.get(pid, ""))
        if len(reader.nodes) > before:
            processes.append({"id": pid, "name": (process.get("name") or participants.get(pid) or "").strip(),
                              "executable": process.get("isExecutable") == "true",
                              "vendor": reader.vendor(process), "extensions": reader.extensions(process)})
        else:
            reader.containers = [c for c in reader.containers if c["id"] != pid]
    if not processes and not reader.problems:
        reader.problems.append(Problem(filename, None, "bpmn:definitions", "", "文件中没有含有流程元素的 bpmn:process"))
    model = {"processes": processes, "containers": reader.containers, "nodes": reader.nodes, "flows": reader.flows,
             "layout": _layout(root)}
    if not reader.problems:
        reader.problems.extend(graph.check(model, filename))
    if reader.problems:
        raise InvalidInput(reader.problems)
    return model
