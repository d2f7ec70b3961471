"""The case fields a step's following gateway reads (按图行权: a person gives them with the step).

A gateway's conditions compare case fields (`materials_complete == True`, `amount >= 10000 and
not waived`); the engine evaluates them on the data of the step just completed, which carries the
data given in earlier steps. Here: for a ready task, the gateways that directly follow it (through
chains of gateways), the fields their conditions read with the kind each is compared as (yes/no,
number, text; None when nothing tells), and their outgoing flows with labels. The names come from
the conditions as the safe expression check returned them (the engine XML holds that Python text);
the values a person typed are converted to those kinds, and a gateway none of whose flows would be
taken is named before the engine is asked."""

import ast
from xml.etree import ElementTree as ET

from powerlist.core.errors import InvalidInput, Problem
from powerlist.operation.bpmn import expressions
from powerlist.operation.bpmn.xml import BPMN, split

GATEWAYS = ("exclusiveGateway", "inclusiveGateway", "parallelGateway")
KIND_NAMES = {"bool": "是/否", "number": "数字", "text": "文字", None: "值"}
TRUE_WORDS = {"是", "true", "1", "yes", "y", "对", "有"}
FALSE_WORDS = {"否", "false", "0", "no", "n", "不", "无"}


class NoWayOut(ValueError):
    """A gateway none of whose flows would be taken (and it has no default flow)."""


def _graph(engine_xml: str) -> dict:
    """{"nodes": {id: (type, name, default)}, "out": {id: [flow]}} of the engine XML (ours: it was
    written after a safe read, so it is read with the standard parser)."""
    root = ET.fromstring(engine_xml)
    nodes, out = {}, {}
    for element in root.iter():
        ns, local = split(element.tag)
        if ns != BPMN or not element.get("id"):
            continue
        if local == "sequenceFlow":
            expr = element.find(f"{{{BPMN}}}conditionExpression")
            text = (expr.text or "").strip() if expr is not None else ""
            out.setdefault(element.get("sourceRef"), []).append(
                {"id": element.get("id"), "target": element.get("targetRef"), "name": element.get("name") or "",
                 "condition": expressions.check(text) if text else ""})
        else:
            nodes[element.get("id")] = (local, element.get("name") or "", element.get("default") or "")
    return {"nodes": nodes, "out": out}


def graph(pinned: dict, flowchart_id: int) -> dict:
    """The gateway graph of a pinned flowchart, read once per process with its parsed spec."""
    if "fields_graph" not in pinned:
        from powerlist.operation.models import PinnedFlowchart

        pinned["fields_graph"] = _graph(PinnedFlowchart.objects.values_list("engine_xml", flat=True).get(
            pk=flowchart_id))
    return pinned["fields_graph"]


def _reads(condition: str) -> dict[str, str | None]:
    """The names a checked condition reads, with the kind each is compared as."""
    kinds: dict[str, str | None] = {}
    tree = ast.parse(condition, mode="eval")

    def kind_of(node) -> str | None:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return kind_of(node.operand)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                return "bool"
            if isinstance(node.value, int | float):
                return "number"
            if isinstance(node.value, str):
                return "text"
        if isinstance(node, ast.Tuple | ast.List) and node.elts:
            return kind_of(node.elts[0])
        return None

    def note(name: str, kind: str | None) -> None:
        if kinds.get(name) is None:
            kinds[name] = kind

    def walk(node, truth: bool) -> None:  # truth: the node stands where a yes/no is read
        if isinstance(node, ast.Expression):
            walk(node.body, True)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                walk(value, True)
        elif isinstance(node, ast.UnaryOp):
            walk(node.operand, isinstance(node.op, ast.Not))
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            ordered = any(isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE) for op in node.ops)
            known = next((k for k in map(kind_of, operands) if k), "number" if ordered else None)
            for operand in operands:
                if isinstance(operand, ast.Name):
                    note(operand.id, known)
                else:
                    walk(operand, False)
        elif isinstance(node, ast.Name):
            note(node.id, "bool" if truth else None)

    walk(tree, True)
    return {name: kind for name, kind in kinds.items() if name not in ("True", "False", "None")}


def following(pinned: dict, flowchart_id: int, task) -> dict:
    """{"gateways": [{"id", "name", "type", "default", "flows": [{"id", "target", "label", "condition"}]}],
    "fields": {name: kind}}: what the gateways directly after `task` (through chains of gateways) read."""
    g = graph(pinned, flowchart_id)
    gateways, fields, seen = [], {}, set()
    todo = [f["target"] for f in g["out"].get(task.task_spec.name, [])]
    first = list(todo)
    while todo:
        node = todo.pop(0)
        kind, name, default = g["nodes"].get(node, ("", "", ""))
        if kind not in GATEWAYS or node in seen:
            continue
        seen.add(node)
        flows = g["out"].get(node, [])
        gateways.append({"id": node, "name": name or node, "type": kind, "default": default, "flows": [
            {"id": f["id"], "target": f["target"], "condition": f["condition"],
             "label": f["name"] or g["nodes"].get(f["target"], ("", ""))[1] or f["target"]} for f in flows]})
        for f in flows:
            if f["condition"] and f["condition"] != "True":
                for field, fkind in _reads(f["condition"]).items():
                    if fields.get(field) is None:
                        fields[field] = fkind
            todo.append(f["target"])
    return {"gateways": gateways, "fields": fields, "first": first}


def convert(name: str, value, kind: str | None):
    """A value given for a field, as the kind the conditions compare it with (InvalidInput naming
    the field when it is not one)."""
    if isinstance(value, bool):
        if kind in ("bool", None):
            return value
        raise InvalidInput([Problem("", None, f"data.{name}", str(value), f"应为{KIND_NAMES[kind]}")])
    if isinstance(value, int | float):
        if kind in ("number", None):
            return value
        if kind == "bool" and value in (0, 1):
            return bool(value)
        if kind == "text":
            return str(value)
        raise InvalidInput([Problem("", None, f"data.{name}", str(value), f"应为{KIND_NAMES[kind]}")])
    if not isinstance(value, str):
        raise InvalidInput([Problem("", None, f"data.{name}", str(value)[:60], "应为是/否、数字或文字")])
    text = value.strip()
    if kind == "text":
        return text[:500]
    if text.lower() in TRUE_WORDS and kind in ("bool", None):
        return True
    if text.lower() in FALSE_WORDS and kind in ("bool", None):
        return False
    if kind == "bool":
        raise InvalidInput([Problem("", None, f"data.{name}", text[:60], "应为 是 或 否（也可写 true/false、1/0）")])
    try:
        number = float(text)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError
        return int(text) if text.lstrip("+-").isdigit() else number
    except ValueError:
        if kind == "number":
            raise InvalidInput([Problem("", None, f"data.{name}", text[:60], "应为数字")]) from None
        return text[:500]


def _holds(condition: str, data: dict) -> bool:
    if not condition or condition == "True":
        return True
    code = compile(ast.parse(condition, mode="eval"), "<condition>", "eval")  # checked: comparisons only
    try:
        return bool(eval(code, {"__builtins__": {}}, dict(data)))  # noqa: S307 - as the engine does
    except Exception:  # a comparison of unlike kinds and the like: the engine says so, in its words
        return True


def prepare(pinned: dict, flowchart_id: int, task, given: dict | None) -> tuple[dict, list[str], dict]:
    """(the given data converted, the fields still missing (`name（kind）`), what follows the task).
    Raises InvalidInput naming a field whose value is not of its kind, NoWayOut naming a gateway no
    flow of which would be taken."""
    after = following(pinned, flowchart_id, task)
    given = dict(given or {})
    for name in given:
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise InvalidInput([Problem("", None, "data", str(name)[:60], "字段名应为字母、数字和下划线，且不以下划线开头")])
    data = {name: convert(name, value, after["fields"].get(name)) for name, value in given.items()}
    known = {**task.data, **data}
    missing = [f"{name}（{KIND_NAMES[kind]}）" for name, kind in after["fields"].items() if name not in known]
    if not missing:
        _check_way_out(after, known)
    return data, missing, after


def _check_way_out(after: dict, data: dict) -> None:
    """Follow the gateways as the engine will, from the first: a gateway none of whose flows holds
    and that has no default flow is named."""
    by_id = {gw["id"]: gw for gw in after["gateways"]}
    todo = list(after["first"])
    seen = set()
    while todo:
        gw = by_id.get(todo.pop(0))
        if gw is None or gw["id"] in seen:
            continue
        seen.add(gw["id"])
        if gw["type"] == "parallelGateway":
            todo.extend(f["target"] for f in gw["flows"])
            continue
        taken = [f for f in gw["flows"] if f["id"] != gw["default"] and _holds(f["condition"], data)]
        if gw["type"] == "exclusiveGateway":
            taken = taken[:1]
        if not taken:
            if not gw["default"]:
                raise NoWayOut(gw["name"])
            taken = [f for f in gw["flows"] if f["id"] == gw["default"]]
        todo.extend(f["target"] for f in taken)


def prompt(after: dict, missing: list[str]) -> str:
    """此环节之后要判断“材料齐全？”，请填写：materials_complete（是/否）"""
    names = "、".join(f"“{gw['name']}”" for gw in after["gateways"] if gw["type"] != "parallelGateway")
    return f"此环节之后要判断{names or '流向'}，请填写：{'、'.join(missing)}"


def for_step(pinned: dict, flowchart_id: int, task) -> list[dict]:
    """What the workbench asks for with a ready step: one entry per field, with the flows' labels."""
    after = following(pinned, flowchart_id, task)
    out = []
    for name, kind in after["fields"].items():
        labels = [f"{gw['name']}→{f['label']}" for gw in after["gateways"] for f in gw["flows"]
                  if f["condition"] and name in _reads(f["condition"])]
        current = task.data.get(name)
        out.append({"name": name, "kind": kind or "text", "labels": labels,
                    "value": "" if current is None else current})
    return out


def for_case(case) -> dict[str, list[dict]]:
    """{ready step id: the fields to ask for with it} for the workbench's case page."""
    from powerlist.operation.models import CaseStatus
    from powerlist.operation.services import cases

    if case.status == CaseStatus.CLOSED:
        return {}
    pinned = cases.pinned(case.flowchart_id)
    workflow = cases.wf.load(case.state, pinned)
    asked = {}
    for task in cases.wf.ready(workflow):
        found = for_step(pinned, case.flowchart_id, task)
        if found:
            asked[task.task_spec.name] = found
    return asked
