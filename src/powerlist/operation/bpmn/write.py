"""BPMN written by us, for a flowchart that was never drawn: a category's template or an item's
step list. Steps become user tasks (a person completes each), roles become lanes, time limits
`powerlist:timeLimitDays`, and a computed layout the bpmndi section, so any modeler opens it."""

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
