"""A computed layered layout for a flowchart without a diagram layout (a template, a chart
built from step names): longest-path layering left to right after the back edges of loops
(退回补正) are set aside, nodes of a layer stacked top to bottom. Sub-processes are drawn as one
box at the top level."""

from collections import defaultdict

SIZES = {"task": (110, 70), "gateway": (50, 50), "event": (36, 36)}
GAP_X, GAP_Y, MARGIN = 60, 40, 30


def kind(node_type: str) -> str:
    if node_type.endswith("Gateway"):
        return "gateway"
    if node_type.endswith("Event"):
        return "event"
    return "task"


def compute(model: dict) -> dict:
    """{"shapes": {id: [x, y, w, h]}, "edges": {flow id: [[x, y], ...]}} for the top-level nodes."""
    top = {p["id"] for p in model["processes"]}
    nodes = [n for n in model["nodes"] if n["container"] in top and n["type"] != "boundaryEvent"]
    ids = {n["id"] for n in nodes}
    out = defaultdict(list)
    for f in model["flows"]:
        if f["source"] in ids and f["target"] in ids:
            out[f["source"]].append(f["target"])
    for n in model["nodes"]:  # a boundary event's path leaves from its host
        if n["type"] == "boundaryEvent" and n.get("attached_to") in ids:
            for f in model["flows"]:
                if f["source"] == n["id"] and f["target"] in ids:
                    out[n["attached_to"]].append(f["target"])
    starts = [n["id"] for n in nodes if n["type"] == "startEvent"] or [n["id"] for n in nodes[:1]]
    # depth-first: edges back onto the current path close a loop and do not push layers
    back, state, order = set(), {}, []
    for s in starts:
        stack = [(s, iter(out[s]))]
        state[s] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(out[nxt])))
    layer = {n["id"]: 0 for n in nodes}
    for node in reversed(order):  # topological order of the acyclic rest
        for nxt in out[node]:
            if (node, nxt) not in back:
                layer[nxt] = max(layer[nxt], layer[node] + 1)
    columns = defaultdict(list)
    for n in nodes:
        columns[layer[n["id"]]].append(n)
    width = SIZES["task"][0]  # every layer as wide as a task
    shapes = {}
    for col, members in sorted(columns.items()):
        for row, n in enumerate(members):
            w, h = SIZES[kind(n["type"])]
            cx = MARGIN + col * (width + GAP_X) + width / 2
            cy = MARGIN + row * (SIZES["task"][1] + GAP_Y) + SIZES["task"][1] / 2
            shapes[n["id"]] = [cx - w / 2, cy - h / 2, w, h]
    for n in model["nodes"]:  # boundary events on their host's lower edge
        host = shapes.get(n.get("attached_to", ""))
        if n["type"] == "boundaryEvent" and host:
            shapes[n["id"]] = [host[0] + host[2] - 30, host[1] + host[3] - 18, 36, 36]
    edges = {}
    for f in model["flows"]:
        a, b = shapes.get(f["source"]), shapes.get(f["target"])
        if a and b:
            edges[f["id"]] = [[a[0] + a[2], a[1] + a[3] / 2], [b[0], b[1] + b[3] / 2]]
            if b[0] <= a[0]:  # a loop back: under the row
                low = max(a[1] + a[3], b[1] + b[3]) + 15
                edges[f["id"]] = [[a[0] + a[2] / 2, a[1] + a[3]], [a[0] + a[2] / 2, low], [b[0] + b[2] / 2, low],
                                  [b[0] + b[2] / 2, b[1] + b[3]]]
    return {"shapes": shapes, "edges": edges}
