"""Flowcharts of items (流程图): import a BPMN diagram as a new flowchart version, and read the
flowchart in force (the latest imported version, else one built from the item's step names,
else the category's template) as a model, BPMN and SVG.

Versions and review: the item's `flowchart` (its step list, shown by the list, the portal and
the ledger) changes through the item service with the import. When the actor may change the
item directly, the version is in force at once, pinned to the item version the change made.
When the item is published and the actor a clerk, `requests.change_item` files a change request
and the version is stored `pending`, linked to that request: it comes into force when the
request is approved (pinned then to the item version of that moment) and is marked rejected when
the request is rejected or withdrawn. Until then the previous version stays in force."""

import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from powerlist.catalog.models import PowerItem, RequestStatus, RiskPoint
from powerlist.catalog.schema import readable_flowchart
from powerlist.catalog.services import requests as request_services
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, NotFound, Problem
from powerlist.core.services import audit
from powerlist.operation.bpmn import engine, graph, render, templates, write
from powerlist.operation.bpmn.parse import parse
from powerlist.operation.bpmn.xml import BPMN, read
from powerlist.operation.models import FlowchartStatus, FlowchartVersion


def find_item(jurisdiction, code: str) -> PowerItem:
    qs = PowerItem.objects.select_related("jurisdiction", "organisation").filter(code=code)
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction=jurisdiction)
    items = list(qs[:2])
    if not items:
        raise NotFound(f"没有职权编码为 {code} 的事项")
    if len(items) > 1:
        raise InvalidInput([Problem("", None, "--jurisdiction", code, "多个辖区有此编码的事项，请用 --jurisdiction 指定")])
    return items[0]


def import_flowchart(actor, item: PowerItem, data: bytes, *, filename: str = "flowchart.bpmn",
                     reason: str = "", via: str = "service") -> FlowchartVersion:
    """Check a BPMN file and store it as the item's next flowchart version."""
    scope.require_organisation(actor, item.organisation)
    model = parse(data, filename)
    process_id = model["processes"][0]["id"]
    runnable = engine.engine_xml(data, model, filename)
    engine.spec(runnable, process_id, filename)  # the engine must accept what we store
    chart = graph.steps(model)
    with transaction.atomic():
        PowerItem.objects.select_for_update().filter(pk=item.pk).values_list("pk").first()
        number = (FlowchartVersion.objects.filter(item=item).aggregate(n=Max("number"))["n"] or 0) + 1
        outcome = request_services.change_item(actor, item, {"flowchart": chart}, via=via,
                                               reason=reason or f"导入 BPMN 流程图第{number}版（{filename}）")
        user = actor if getattr(actor, "pk", None) else None
        version = FlowchartVersion.objects.create(
            item=item, number=number, filename=filename[:255], bpmn_xml=data.decode("utf-8", "replace"),
            engine_xml=runnable, process_id=process_id, parsed=model, sha256=hashlib.sha256(data).hexdigest(),
            reason=reason, created_at=timezone.now(), created_by=user, created_by_name=audit.actor_name(actor),
            status=FlowchartStatus.PENDING if outcome.pending else FlowchartStatus.ACTIVE,
            change_request=outcome.request, item_version=None if outcome.pending else outcome.item.version)
        audit.append(actor, "flowchart.import", f"item:{item.pk}",
                     {"code": item.code, "number": number, "sha256": version.sha256, "status": version.status,
                      "item_version": version.item_version, "request": outcome.request.pk if outcome.pending else None,
                      "steps": [s["name"] for s in chart["steps"]]})
    return version


def _settle(item: PowerItem) -> None:
    """Bring pending versions up to date with their change requests' decisions."""
    for version in FlowchartVersion.objects.filter(item=item, status=FlowchartStatus.PENDING).select_related(
            "change_request"):
        decided = version.change_request.status if version.change_request else RequestStatus.PENDING
        if decided == RequestStatus.APPROVED:
            current = PowerItem.objects.filter(pk=item.pk).values_list("version", flat=True).first()
            FlowchartVersion.objects.filter(pk=version.pk, status=FlowchartStatus.PENDING).update(
                status=FlowchartStatus.ACTIVE, item_version=current)
        elif decided in (RequestStatus.REJECTED, RequestStatus.WITHDRAWN):
            FlowchartVersion.objects.filter(pk=version.pk, status=FlowchartStatus.PENDING).update(
                status=FlowchartStatus.REJECTED)


def in_force(item: PowerItem) -> FlowchartVersion | None:
    """The flowchart version a new case would pin: the latest in force, or None."""
    _settle(item)
    return FlowchartVersion.objects.filter(item=item, status=FlowchartStatus.ACTIVE).order_by("-number").first()


def _risks(item: PowerItem, model: dict) -> None:
    points = list(RiskPoint.objects.filter(item=item).order_by("pk").values("step", "level", "description",
                                                                              "prevention"))
    for node in model["nodes"]:
        if node["step"]:
            node["risks"] = [p for p in points if p["step"] and templates.matches(node["name"], p["step"])]


def built(item: PowerItem) -> tuple[str, dict]:
    """(BPMN, model) for an item without an imported version: from its own step names in order
    (existing items keep their steps), else its category's template. Own steps without a post or
    a time limit of their own take those of the template step they match (templates.map_steps);
    each step node says where its post and limit came from ("template": {"step", "how"} or
    {"why"} when no template step fits)."""
    chart = readable_flowchart(item.flowchart)
    stored = {s.get("id"): s for s in (item.flowchart or {}).get("steps", []) if isinstance(s, dict)}
    steps = [{**s, **{k: stored.get(s["id"], {}).get(k) for k in ("role", "time_limit_days")
                      if stored.get(s["id"], {}).get(k) is not None}} for s in chart.get("steps", [])]
    for s in steps:
        if not isinstance(s.get("time_limit_days"), int) or isinstance(s.get("time_limit_days"), bool):
            s.pop("time_limit_days", None)
        if not isinstance(s.get("role"), str) or not s.get("role").strip():
            s.pop("role", None)
    process_id = f"Process_{item.category}"
    if steps:
        origins = []
        for s, match in zip(steps, templates.map_steps(item.category, [s["name"] for s in steps])):
            own = [k for k in ("role", "time_limit_days") if k in s]
            if match["template"] is None:
                origins.append({"why": match["why"] + ("" if not own else "（岗位或时限为事项自定）")})
                continue
            for key in ("role", "time_limit_days"):
                s.setdefault(key, match[key])
            origins.append({"step": match["template"], "how": match["how"], "own": own})
        xml = write.from_steps(process_id, item.name[:200], steps, chart.get("flows"))
        try:
            model = parse(xml.encode("utf-8"), f"{item.code}.bpmn")
        except InvalidInput:  # branches that do not make a valid chart: the steps in order
            xml = write.from_steps(process_id, item.name[:200], steps)
            model = parse(xml.encode("utf-8"), f"{item.code}.bpmn")
        for i, origin in enumerate(origins):  # write.from_steps names the i-th step Step_{i+1}
            node = next((n for n in model["nodes"] if n["id"] == f"Step_{i + 1}"), None)
            if node is not None:
                node["template"] = origin
        return xml, model
    xml = write.from_steps(process_id, item.name[:200], templates.steps_of(item.category))
    model = parse(xml.encode("utf-8"), f"{item.code}.bpmn")
    for node in model["nodes"]:
        if node["step"]:
            node["template"] = {"step": node["name"], "how": "模板", "own": []}
    return xml, model


def step_origins(model: dict) -> list[str]:
    """Where each step's post (岗位) and time limit came from, in words, for people."""
    lines = []
    for node in graph.ordered_nodes(model):
        origin = node.get("template")
        if not node["step"] or origin is None:
            continue
        post = node.get("role") or "无"
        limit = f"{node['time_limit_days']} 个工作日" if node.get("time_limit_days") is not None else "无"
        if "why" in origin:
            lines.append(f"{node['name']}：岗位 {post}，时限 {limit}；{origin['why']}")
            continue
        how = {"名称": "名称对应", "同义": "同义对应", "位置": "按位置对应", "模板": "标准流程"}[origin["how"]]
        own = "、".join({"role": "岗位", "time_limit_days": "时限"}[k] for k in origin["own"])
        lines.append(f"{node['name']}：岗位 {post}，时限 {limit}；取自标准流程的“{origin['step']}”（{how}）"
                     + (f"，{own}为事项自定" if own else ""))
    return lines


def flowchart(item: PowerItem) -> dict:
    """What any reader of the item's flowchart gets: {"version", "bpmn", "model", "source"},
    the model's steps carrying the item's risk points (廉政风险点) that name them."""
    version = in_force(item)
    if version is not None:
        result = {"version": version.number, "bpmn": version.bpmn_xml, "model": version.parsed, "source": "import"}
    else:
        xml, model = built(item)
        source = "steps" if readable_flowchart(item.flowchart).get("steps") else "template"
        result = {"version": None, "bpmn": xml, "model": model, "source": source}
    _risks(item, result["model"])
    return result


_SPECS: dict[str, tuple] = {}  # engine XML sha256 -> parsed SpiffWorkflow specs (immutable per version)


def runnable(item: PowerItem) -> dict:
    """What a case opened now would pin and run: {"version" (None for a built chart), "xml"
    (engine XML), "process_id", "sha256", "spec", "subprocesses"}. Parsed specs are cached by
    the engine XML's hash, so a flowchart version is parsed once per process (DESIGN.md: saving
    a case without embedding the spec makes it ~6 KB and ~2x faster)."""
    chart = flowchart(item)
    if chart["version"] is not None:
        version = FlowchartVersion.objects.get(item=item, number=chart["version"])
        xml, process_id = version.engine_xml, version.process_id
    else:
        xml = engine.engine_xml(chart["bpmn"].encode("utf-8"), chart["model"], f"{item.code}.bpmn")
        process_id = chart["model"]["processes"][0]["id"]
    digest = hashlib.sha256(xml.encode("utf-8")).hexdigest()
    if digest not in _SPECS:
        if len(_SPECS) > 1000:
            _SPECS.clear()
        _SPECS[digest] = engine.spec(xml, process_id, f"{item.code}.bpmn")
    spec, subprocesses = _SPECS[digest]
    return {"version": chart["version"], "xml": xml, "process_id": process_id, "sha256": digest, "spec": spec,
            "subprocesses": subprocesses}


def exported(item: PowerItem) -> str:
    """The BPMN `flowchart export` writes: an imported diagram as it was drawn, with a bpmndi
    section from the computed layered layout when it came without one (so bpmn.io and the other
    modelers open it with its shapes); a built chart carries its layout already."""
    chart = flowchart(item)
    if chart["source"] != "import":
        return chart["bpmn"]
    root = read(chart["bpmn"].encode("utf-8"), f"{item.code}.bpmn")
    collaboration = root.find(f"{{{BPMN}}}collaboration")
    participants = {}
    if collaboration is not None:
        participants = {p.get("id"): p.get("processRef") for p in collaboration.iter(f"{{{BPMN}}}participant")
                        if p.get("id") and p.get("processRef")}
    return write.with_layout(chart["bpmn"], chart["model"],
                             collaboration.get("id", "") if collaboration is not None else "", participants)


def svg(item: PowerItem) -> str:
    return render.render(flowchart(item)["model"], title=f"{item.name} 流程图")


def portal_svg(item: PowerItem, mask=None) -> str | None:
    """The portal's drawing of any item's flowchart with the same renderer: an imported BPMN
    version with its own layout, a chart built from the item's steps or its category's template
    with the computed layered layout. `mask` masks personal data in every text. None when the
    item's steps cannot be drawn as BPMN, also when they were stored in a bad shape (an id that is
    a list …: the portal then draws the step list as far as it goes)."""
    try:
        model = flowchart(item)["model"]
    except (InvalidInput, TypeError, ValueError, KeyError, AttributeError):
        return None
    return render.render(model, title=item.name, mask=mask)


def imported_svg(item: PowerItem, mask=None) -> str | None:
    """The drawing of an item's imported BPMN version only (else None)."""
    version = in_force(item)
    return render.render(version.parsed, title=item.name, mask=mask) if version else None
