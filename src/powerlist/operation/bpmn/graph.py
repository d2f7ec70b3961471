"""The structure of a flowchart, checked per process and per embedded sub-process (each has its
own start): exactly one start, every sequence flow joins two nodes of the same container, every
node but the start has a way in, every node is reachable from the start, and an end is reachable
from every node. Also the item's step list (PowerItem.flowchart) derived from the model."""

from collections import defaultdict, deque

from powerlist.core.errors import Problem

KINDS = {"process": "bpmn:process", "subProcess": "bpmn:subProcess"}


def _name(node: dict) -> str:
    return f"bpmn:{node['type']} id={node['id']}"


def check(model: dict, filename: str) -> list[Problem]:
    problems = []
    top = {p["id"] for p in model["processes"]}

    def problem(field: str, value: str, expected: str) -> None:
        problems.append(Problem(filename, None, field, value[:200], expected))

    nodes = {n["id"]: n for n in model["nodes"]}
    seen = set()
    for n in model["nodes"]:
        if n["id"] in seen:
            problem(_name(n), n["id"], "id 重复")
        seen.add(n["id"])
    for container in model["containers"]:
        cid = container["id"]
        where = f"bpmn:process id={cid}" if cid in top else f"bpmn:subProcess id={cid}"
        members = {i: n for i, n in nodes.items() if n["container"] == cid}
        flows = [f for f in model["flows"] if f["container"] == cid]
        starts = [n for n in members.values() if n["type"] == "startEvent"]
        if len(starts) != 1:
            names = "、".join(n["id"] for n in starts)
            problem(where, names, f"应有且只有一个开始事件（bpmn:startEvent），现有 {len(starts)} 个"
                    + ("" if cid in top else "；嵌入的子流程有自己的开始事件"))
        if not any(n["type"] == "endEvent" for n in members.values()):
            problem(where, container["name"], "没有结束事件（bpmn:endEvent）")
        out, into = defaultdict(list), defaultdict(list)
        for f in flows:
            fname = f"bpmn:sequenceFlow id={f['id']}"
            ok = True
            for end, ref in (("sourceRef", f["source"]), ("targetRef", f["target"])):
                if ref not in members:
                    ok = False
                    problem(fname, ref, f"{end}“{ref}”不是本流程中的元素（悬空的顺序流）"
                            if ref else f"顺序流缺少 {end}")
            if ok:
                out[f["source"]].append(f["target"])
                into[f["target"]].append(f["source"])
        for n in members.values():
            if n["type"] == "boundaryEvent":
                host = n.get("attached_to", "")
                if host not in members:
                    problem(_name(n), host, f"边界事件附着的“{host}”不是本流程中的活动")
                else:
                    out[host].append(n["id"])
                    into[n["id"]].append(host)
            elif n["type"] != "startEvent" and not into[n["id"]]:
                problem(_name(n), n["name"], "没有流入的顺序流（悬空的元素）")
            if n["type"] == "startEvent" and into[n["id"]]:
                problem(_name(n), n["name"], "开始事件不能有流入的顺序流")
            if n["type"] == "endEvent" and out[n["id"]]:
                problem(_name(n), n["name"], "结束事件不能有流出的顺序流")
        if problems or len(starts) != 1:
            continue
        reached = _walk(starts[0]["id"], out)
        for n in members.values():
            if n["id"] not in reached:
                problem(_name(n), n["name"], "从开始事件无法到达此元素")
        ends = [n["id"] for n in members.values() if n["type"] == "endEvent"]
        back = set()
        for end in ends:
            back |= _walk(end, into)
        for n in members.values():
            if n["id"] in reached and n["id"] not in back:
                why = "没有流出的顺序流（死胡同）" if not out[n["id"]] else "从此元素无法到达任何结束事件"
                problem(_name(n), n["name"], why)
    return problems


def _walk(start: str, edges: dict) -> set:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def ordered_nodes(model: dict) -> list[dict]:
    """Nodes in the order a reader follows them: breadth first from each start, sub-processes'
    insides right after the sub-process."""
    nodes = {n["id"]: n for n in model["nodes"]}
    out = defaultdict(list)
    for f in model["flows"]:
        out[f["source"]].append(f["target"])
    for n in model["nodes"]:
        if n["type"] == "boundaryEvent":
            out[n.get("attached_to", "")].append(n["id"])
    order, seen = [], set()

    def visit(container: str) -> None:
        starts = [n["id"] for n in model["nodes"] if n["container"] == container and n["type"] == "startEvent"]
        queue = deque(starts)
        seen.update(starts)
        while queue:
            node = nodes[queue.popleft()]
            order.append(node)
            if node["type"] == "subProcess":
                visit(node["id"])
            for nxt in out[node["id"]]:
                if nxt not in seen and nxt in nodes:
                    seen.add(nxt)
                    queue.append(nxt)

    for p in model["processes"]:
        visit(p["id"])
    order.extend(n for n in model["nodes"] if n["id"] not in seen and n not in order)
    return order


def steps(model: dict) -> dict:
    """PowerItem.flowchart from a model: its tasks as steps (name, role, time limit), and a flow
    from each step to the next steps, through gateways, events and sub-process borders."""
    nodes = {n["id"]: n for n in model["nodes"]}
    out = defaultdict(list)
    for f in model["flows"]:
        out[f["source"]].append((f["target"], f.get("name") or f.get("condition_text") or ""))
    along = {k: list(v) for k, v in out.items()}  # sequence flows only
    for n in model["nodes"]:
        if n["type"] == "boundaryEvent":
            out[n.get("attached_to", "")].append((n["id"], n["name"]))

    def successors(node_id: str) -> list[tuple[str, str]]:
        node = nodes[node_id]
        if node["type"] == "subProcess":  # into the sub-process at its start
            return [(i["id"], "") for i in model["nodes"] if i["container"] == node_id and i["type"] == "startEvent"]
        if node["type"] == "endEvent" and node["container"] in nodes:  # out of it at its ends
            return along.get(node["container"], [])
        return out[node_id]

    step_nodes = [n for n in ordered_nodes(model) if n["step"]]
    ids = {n["id"]: (n["id"] if len(n["id"]) <= 50 else f"s{i + 1}") for i, n in enumerate(step_nodes)}
    chart_steps = []
    for n in step_nodes:
        step = {"id": ids[n["id"]], "name": n["name"] or n["id"]}
        if n.get("role"):
            step["role"] = n["role"][:200]
        if n.get("time_limit_days") is not None:
            step["time_limit_days"] = n["time_limit_days"]
        chart_steps.append(step)
    flows = []
    for n in step_nodes:
        seen, queue = {n["id"]}, deque(successors(n["id"]))
        while queue:
            target, lbl = queue.popleft()
            if target in seen or target not in nodes:
                continue
            seen.add(target)
            if nodes[target]["step"]:
                flow = [ids[n["id"]], ids[target]] + ([lbl[:200]] if lbl else [])
                if flow[:2] not in [f[:2] for f in flows]:
                    flows.append(flow)
                continue
            queue.extend((t, lbl or lbl2) for t, lbl2 in successors(target))
    return {"steps": chart_steps, "flows": flows}

