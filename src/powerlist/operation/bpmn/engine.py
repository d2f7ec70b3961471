"""What SpiffWorkflow runs: the checked diagram rewritten for the engine. Every task type becomes
a user task (a person completes each; nothing is called), vendor extensions and documentation
are dropped (kept in the stored XML, never executed), conditions are the Python text the safe
check returned, and ISO 8601 timer values are quoted (the engine evals them). Import parses this
once, so a flowchart version is only stored when the engine accepts it; the case service builds
its spec from `engine_xml` and caches it per flowchart version."""

from xml.etree import ElementTree as ET

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from powerlist.core.errors import InvalidInput, Problem
from powerlist.operation.bpmn.parse import ISO_TIME, TASKS
from powerlist.operation.bpmn.xml import BPMN, read, split


# SpiffWorkflow names its own internal tasks Start and End (DESIGN.md): a diagram's elements with
# those ids keep them in the stored BPMN, the model and everything people read; only the engine's
# copy calls them by these ids (`original_id` gives the diagram's id back).
RESERVED = {"Start": "Start__element", "End": "End__element"}
REF_ATTRIBUTES = ("sourceRef", "targetRef", "attachedToRef", "default")
REF_TEXTS = ("flowNodeRef", "incoming", "outgoing")


def original_id(engine_id: str) -> str:
    return next((k for k, v in RESERVED.items() if v == engine_id), engine_id)


def _rename_reserved(root) -> None:
    for element in root.iter():
        if split(element.tag)[0] != BPMN:
            continue
        if element.get("id") in RESERVED:
            element.set("id", RESERVED[element.get("id")])
        for key in REF_ATTRIBUTES:
            if element.get(key) in RESERVED:
                element.set(key, RESERVED[element.get(key)])
        if split(element.tag)[1] in REF_TEXTS and (element.text or "").strip() in RESERVED:
            element.text = RESERVED[element.text.strip()]


def engine_xml(data: bytes, model: dict, filename: str) -> str:
    root = read(data, filename)
    conditions = {RESERVED.get(f["id"], f["id"]): f["condition"] for f in model["flows"] if f.get("condition")}

    def clean(element) -> None:
        for child in list(element):
            ns, local = split(child.tag)
            if ns != BPMN or local in ("extensionElements", "documentation"):
                element.remove(child)
                continue
            clean(child)
        for key in [k for k in element.attrib if k.startswith("{")]:
            del element.attrib[key]
        ns, local = split(element.tag)
        if ns == BPMN and local in TASKS and local != "userTask":
            element.tag = f"{{{BPMN}}}userTask"
            element.attrib.pop("calledElement", None)
        if ns == BPMN and local == "process":
            element.set("isExecutable", "true")  # bpmn.io saves "false"; we decide what runs
        if local == "conditionExpression":
            element.attrib.clear()
        if local in ("timeDuration", "timeDate", "timeCycle"):
            value = (element.text or "").strip()
            if not ISO_TIME.match(value):  # checked by parse too; never eval'd text that is not a date
                raise InvalidInput([Problem(filename, None, f"bpmn:{local}", value[:80],
                                            "定时器只能写 ISO 8601 的期限或日期（如 P5D），不能写表达式")])
            element.attrib.clear()
            element.text = repr(value)

    clean(root)
    _rename_reserved(root)
    defaults = {}
    for kind in ("exclusiveGateway", "inclusiveGateway"):
        for gateway in root.iter(f"{{{BPMN}}}{kind}"):
            defaults[gateway.get("id")] = gateway.get("default")
    for flow in root.iter(f"{{{BPMN}}}sequenceFlow"):
        expr = flow.find(f"{{{BPMN}}}conditionExpression")
        source = flow.get("sourceRef")
        if expr is None and source in defaults and defaults[source] != flow.get("id"):
            # a modeler's unconditioned branch is taken always; the engine wants that said
            expr = ET.SubElement(flow, f"{{{BPMN}}}conditionExpression")
        if expr is not None:
            expr.text = conditions.get(flow.get("id"), "True")
    return ET.tostring(root, encoding="unicode")


def spec(xml: str, process_id: str, filename: str = "flowchart.bpmn"):
    """(process spec, sub-process specs) for SpiffWorkflow's BpmnWorkflow."""
    parser = BpmnParser()
    try:
        parser.add_bpmn_str(xml.encode("utf-8"), filename)
        return parser.get_spec(process_id), parser.get_subprocess_specs(process_id)
    except (ValidationException, ValueError, KeyError) as exc:
        raise InvalidInput([Problem(filename, None, "bpmn:process", process_id,
                                    f"流程引擎无法读取此流程：{str(exc)[:300]}")]) from None
