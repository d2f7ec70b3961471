"""Each pinned flowchart's steps and transitions as rows (FlowStep, FlowTransition), read from the
engine XML it runs, so the control-flow rules are SQL joins.

`next` transitions collapse sequence flows through gateways, intermediate and boundary events and
sub-process borders to step -> step (the start is the source ""). A walk that passes a parallel
join records the join and the incoming flow it arrived by: the target then needs a done step on
every branch. Loops are ordinary transitions back. `reach` rows are the transitive closure of the
`next` rows (which steps can come after which at all).

Opening a case is the application and the acceptance (申请, 受理 at the head of the chart: see
`operation.services.workflow.start`): the case service records them as completed by the opening,
and a department's system may report them or not. So the steps that follow the leading 申请/受理
may also come first (a start transition to them too): a pushed case whose system reports 审查 after
its acceptance has skipped nothing."""

from collections import defaultdict, deque

from django.db import transaction

from powerlist.operation.bpmn import templates
from powerlist.operation.bpmn.parse import parse
from powerlist.operation.models import PinnedFlowchart
from powerlist.supervision.models import FlowStep, FlowTransition

_DONE: set[int] = set()  # flowcharts materialised (rows are immutable once committed)


def collapse(model: dict) -> tuple[list[dict], set[tuple[str, str, str, str]]]:
    """(steps, next transitions as (source, target, gateway, branch)) of a parsed model."""
    nodes = {n["id"]: n for n in model["nodes"]}
    out, incoming = defaultdict(list), defaultdict(int)
    for f in model["flows"]:
        out[f["source"]].append((f["id"], f["target"]))
        incoming[f["target"]] += 1
    for n in model["nodes"]:
        if n["type"] == "boundaryEvent":
            out[n.get("attached_to", "")].append(("", n["id"]))
    top = {p["id"] for p in model["processes"]}

    def successors(node_id: str) -> list[tuple[str, str]]:
        node = nodes[node_id]
        if node["type"] == "subProcess":
            return [("", i["id"]) for i in model["nodes"] if i["container"] == node_id and i["type"] == "startEvent"]
        if node["type"] == "endEvent" and node["container"] not in top and node["container"] in nodes:
            return out[node["container"]]
        return out[node_id]

    steps = [n for n in model["nodes"] if n["step"]]
    origins = [("", n["id"]) for n in model["nodes"] if n["type"] == "startEvent" and n["container"] in top]
    origins += [(n["id"], n["id"]) for n in steps]
    found = set()
    for source, origin in origins:
        start = successors(origin) if source else [("", origin)]
        queue = deque((flow, target, "", "") for flow, target in start)
        seen = set()
        while queue:
            flow, node_id, gateway, branch = queue.popleft()
            if (node_id, gateway, branch) in seen or node_id not in nodes:
                continue
            seen.add((node_id, gateway, branch))
            node = nodes[node_id]
            if node["step"]:
                found.add((source, node_id, gateway, branch))
                continue
            if node["type"] == "parallelGateway" and incoming[node_id] >= 2:
                gateway, branch = node_id, flow
            queue.extend((f, t, gateway, branch) for f, t in successors(node_id))
    found |= _after_opening(found, {n["id"]: n["name"] or "" for n in steps})
    return ([{"step_id": n["id"], "name": n["name"] or n["id"], "role": (n.get("role") or "")[:200]}
             for n in steps], found)


def _after_opening(found: set, names: dict) -> set:
    """Start transitions to what follows the opening's steps: the leading applications, then one
    leading acceptance (as `workflow.opening_tasks` counts them)."""
    added, frontier, accepted = set(), {t for s, t, _g, _b in found if s == ""}, False
    for _round in range(20):
        opening = {t for t in frontier if templates.is_application(names.get(t, ""))
                   or (not accepted and templates.is_acceptance(names.get(t, "")))}
        if not opening:
            break
        accepted = accepted or any(templates.is_acceptance(names.get(t, "")) for t in opening)
        nxt = {("", t, g, b) for s, t, g, b in found if s in opening and not g} - found - added
        added |= nxt
        frontier = {t for _s, t, _g, _b in nxt}
    return added


def closure(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    after = defaultdict(set)
    for a, b in pairs:
        after[a].add(b)
    reach = set()
    for a in list(after):
        seen, queue = set(), deque(after[a])
        while queue:
            b = queue.popleft()
            if b in seen:
                continue
            seen.add(b)
            reach.add((a, b))
            queue.extend(after.get(b, ()))
    return reach


def materialise(flowchart: PinnedFlowchart) -> None:
    model = parse(flowchart.engine_xml.encode("utf-8"), f"{flowchart.sha256[:12]}.bpmn")
    steps, nexts = collapse(model)
    reach = closure({(s, t) for s, t, _g, _b in nexts if s})
    with transaction.atomic():
        FlowStep.objects.bulk_create([FlowStep(flowchart=flowchart, **s) for s in steps], ignore_conflicts=True)
        FlowTransition.objects.bulk_create(
            [FlowTransition(flowchart=flowchart, kind="next", source=s, target=t, gateway=g, branch=b)
             for s, t, g, b in sorted(nexts)]
            + [FlowTransition(flowchart=flowchart, kind="reach", source=s, target=t) for s, t in sorted(reach)],
            ignore_conflicts=True)


def ensure(flowchart_ids) -> None:
    """Materialise the flowcharts among these that are not yet."""
    wanted = {i for i in flowchart_ids if i is not None} - _DONE
    if not wanted:
        return
    have = set(FlowTransition.objects.filter(flowchart_id__in=wanted, kind="next", source="").values_list(
        "flowchart_id", flat=True).distinct())
    for chart in PinnedFlowchart.objects.filter(pk__in=wanted - have):
        materialise(chart)
    if not transaction.get_connection().in_atomic_block:
        _DONE.update(wanted)
