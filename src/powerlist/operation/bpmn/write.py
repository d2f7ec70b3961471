"""BPMN written by us, for a flowchart that was never drawn: a category's template or an item's
step list. Steps become user tasks (a person completes each), roles become lanes, time limits
`powerlist:timeLimitDays`, and a computed layout the bpmndi section, so any modeler opens it."""

import re
from xml.sax.saxutils import quoteattr

from powerlist.operation.bpmn import layout as layouts

HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
          'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
          'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:powerlist="https://powerlist.org/bpmn" '
          'id="Definitions_powerlist" targetNamespace="https://powerlist.org/bpmn" exporter="powerlist" '
          'exporterVersion="1">\n')


def from_steps(process_id: str, name: str, steps: list[dict], flows: list[list] | None = None) -> str:
    """A process from steps ({id, name, role?, time_limit_days?}) and flows ([from, to, label?]);
    without flows, a straight line in order. Steps without a way in follow the start, steps
    without a way out lead to the end."""
    ids = {s["id"]: f"Step_{i + 1}" for i, s in enumerate(steps)}
    pairs = [(ids[f[0]], ids[f[1]], f[2] if len(f) > 2 else "") for f in (flows or [])
             if f[0] in ids and f[1] in ids]
    if not pairs:
        pairs = [(ids[a["id"]], ids[b["id"]], "") for a, b in zip(steps, steps[1:])]
    targets = {b for _a, b, _l in pairs}
    sources = {a for a, _b, _l in pairs}
    edges = [("StartEvent_1", ids[s["id"]], "") for s in steps if ids[s["id"]] not in targets][:1] or \
        [("StartEvent_1", ids[steps[0]["id"]], "")]
    edges += pairs + [(ids[s["id"]], "EndEvent_1", "") for s in steps if ids[s["id"]] not in sources]
    nodes = [{"id": "StartEvent_1", "type": "startEvent", "name": "开始", "container": process_id}]
    for s in steps:
        nodes.append({"id": ids[s["id"]], "type": "userTask", "name": s["name"], "container": process_id,
                      "role": s.get("role") or "", "time_limit_days": s.get("time_limit_days")})
    nodes.append({"id": "EndEvent_1", "type": "endEvent", "name": "办结", "container": process_id})
    model_flows = [{"id": f"Flow_{i + 1}", "source": a, "target": b, "name": lbl, "container": process_id}
                   for i, (a, b, lbl) in enumerate(edges)]
    lay = layouts.compute({"processes": [{"id": process_id}], "nodes": nodes, "flows": model_flows})
    roles = []
    for n in nodes:
        if n.get("role") and n["role"] not in roles:
            roles.append(n["role"])
    x = [HEADER]
    x.append(f'  <bpmn:process id={quoteattr(process_id)} name={quoteattr(name)} isExecutable="true">\n')
    if roles:
        x.append('    <bpmn:laneSet id="LaneSet_1">\n')
        for i, role in enumerate(roles):
            x.append(f'      <bpmn:lane id="Lane_{i + 1}" name={quoteattr(role)}>\n')
            x.extend(f'        <bpmn:flowNodeRef>{n["id"]}</bpmn:flowNodeRef>\n'
                     for n in nodes if n.get("role") == role)
            x.append('      </bpmn:lane>\n')
        x.append('    </bpmn:laneSet>\n')
    for n in nodes:
        limit = n.get("time_limit_days")
        extra = f' powerlist:timeLimitDays="{int(limit)}"' if isinstance(limit, int) else ""
        x.append(f'    <bpmn:{n["type"]} id="{n["id"]}" name={quoteattr(n["name"])}{extra} />\n')
    for f in model_flows:
        label = f' name={quoteattr(f["name"])}' if f["name"] else ""
        x.append(f'    <bpmn:sequenceFlow id="{f["id"]}" sourceRef="{f["source"]}" '
                 f'targetRef="{f["target"]}"{label} />\n')
    x.append('  </bpmn:process>\n')
    x.append(f'  <bpmndi:BPMNDiagram id="BPMNDiagram_1">\n    <bpmndi:BPMNPlane id="BPMNPlane_1" '
             f'bpmnElement={quoteattr(process_id)}>\n')
    for ident, (sx, sy, w, h) in lay["shapes"].items():
        x.append(f'      <bpmndi:BPMNShape id="{ident}_di" bpmnElement="{ident}"><dc:Bounds x="{sx:.0f}" y="{sy:.0f}" '
                 f'width="{w:.0f}" height="{h:.0f}" /></bpmndi:BPMNShape>\n')
    for ident, points in lay["edges"].items():
        way = "".join(f'<di:waypoint x="{px:.0f}" y="{py:.0f}" />' for px, py in points)
        x.append(f'      <bpmndi:BPMNEdge id="{ident}_di" bpmnElement="{ident}">{way}</bpmndi:BPMNEdge>\n')
    x.append('    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n</bpmn:definitions>\n')
    return "".join(x)


def _di_shapes(lay: dict, expanded: dict | None = None) -> list[str]:
    x = []
    for ident, (sx, sy, w, h) in lay["shapes"].items():
        extra = f' isExpanded="{expanded[ident]}"' if expanded and ident in expanded else ""
        x.append(f'      <bpmndi:BPMNShape id={quoteattr(ident + "_di")} bpmnElement={quoteattr(ident)}{extra}>'
                 f'<dc:Bounds x="{sx:.0f}" y="{sy:.0f}" width="{w:.0f}" height="{h:.0f}" /></bpmndi:BPMNShape>\n')
    for ident, points in lay["edges"].items():
        way = "".join(f'<di:waypoint x="{px:.0f}" y="{py:.0f}" />' for px, py in points)
        x.append(f'      <bpmndi:BPMNEdge id={quoteattr(ident + "_di")} bpmnElement={quoteattr(ident)}>{way}'
                 f'</bpmndi:BPMNEdge>\n')
    return x


DI_NAMESPACES = ('xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
                 'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"')


def diagram_interchange(model: dict, collaboration: str = "", participants: dict | None = None) -> str:
    """The bpmndi section of a model drawn with the computed layered layout (for a diagram imported
    without one): the processes on one plane (the collaboration's, with a pool per participant,
    when there is one) and each embedded sub-process drawn collapsed, its insides on a plane of
    their own, as bpmn.io and Camunda Modeler draw them; so every flow node has a shape."""
    participants = participants or {}
    lay = layouts.compute(model)
    subs = [n for n in model["nodes"] if n["type"] == "subProcess"]
    expanded = {n["id"]: "false" for n in subs}
    plane = collaboration or model["processes"][0]["id"]
    x = [f'  <bpmndi:BPMNDiagram {DI_NAMESPACES} id="BPMNDiagram_powerlist">\n'
         f'    <bpmndi:BPMNPlane id="BPMNPlane_powerlist" bpmnElement={quoteattr(plane)}>\n']
    if collaboration:  # a pool around each participant's process, lanes not drawn
        for participant, process in participants.items():
            own = [lay["shapes"][n["id"]] for n in model["nodes"]
                   if n["container"] == process and n["id"] in lay["shapes"]]
            if not own:
                continue
            left, top = min(s[0] for s in own) - 50, min(s[1] for s in own) - 20
            right, bottom = max(s[0] + s[2] for s in own) + 20, max(s[1] + s[3] for s in own) + 20
            x.append(f'      <bpmndi:BPMNShape id={quoteattr(participant + "_di")} '
                     f'bpmnElement={quoteattr(participant)} isHorizontal="true"><dc:Bounds x="{left:.0f}" '
                     f'y="{top:.0f}" width="{right - left:.0f}" height="{bottom - top:.0f}" /></bpmndi:BPMNShape>\n')
    x.extend(_di_shapes(lay, expanded))
    x.append('    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n')
    for sub in subs:
        inner = layouts.compute({"processes": [{"id": sub["id"]}], "nodes": model["nodes"], "flows": model["flows"]})
        x.append(f'  <bpmndi:BPMNDiagram {DI_NAMESPACES} id={quoteattr("BPMNDiagram_" + sub["id"])}>\n'
                 f'    <bpmndi:BPMNPlane id={quoteattr("BPMNPlane_" + sub["id"])} '
                 f'bpmnElement={quoteattr(sub["id"])}>\n')
        x.extend(_di_shapes(inner, {n["id"]: "false" for n in subs if n["container"] == sub["id"]}))
        x.append('    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n')
    return "".join(x)


_DIAGRAM = re.compile(r"<(?:[\w.-]+:)?BPMNDiagram\b.*?</(?:[\w.-]+:)?BPMNDiagram\s*>", re.S)
_CLOSE = re.compile(r"</(?:[\w.-]+:)?definitions\s*>\s*$")


def with_layout(xml: str, model: dict, collaboration: str = "", participants: dict | None = None) -> str:
    """The stored BPMN as it was drawn, with a bpmndi section from the computed layout when the
    diagram was imported without shapes for its flow nodes (a modeler's empty diagram replaced)."""
    shapes = (model.get("layout") or {}).get("shapes") or {}
    if any(n["id"] in shapes for n in model["nodes"]):
        return xml
    close = _CLOSE.search(xml)
    if close is None:
        return xml
    body = _DIAGRAM.sub("", xml[:close.start()])
    return body + diagram_interchange(model, collaboration, participants) + xml[close.start():]
