"""The SVG of a flowchart, for the console and the portal: from the diagram's own layout when it
has one, else the computed layered layout. Tasks are rounded boxes with their names wrapped
inside (Chinese wraps at any character), gateways diamonds, events circles. Text stays text
nodes, so the portal's masking sees it."""

from xml.sax.saxutils import escape

from powerlist.operation.bpmn import layout as layouts

FONT = 13
FAMILY = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
GATEWAY_MARKS = {"exclusiveGateway": "×", "parallelGateway": "+", "inclusiveGateway": "○"}


def wrap(text: str, width: float) -> list[str]:
    """Lines that fit `width` px: a CJK character is one font size wide, others about half."""
    lines, line, used = [], "", 0.0
    for ch in text:
        w = FONT if ord(ch) > 0x2E80 else FONT * 0.55
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines[:4] if len(lines) <= 4 else lines[:3] + [lines[3][:-1] + "…"]


def _text(x: float, y: float, lines: list[str], cls: str = "name") -> str:
    if not lines:
        return ""
    top = y - (len(lines) - 1) * (FONT + 2) / 2
    spans = "".join(f'<tspan x="{x:.1f}" y="{top + i * (FONT + 2):.1f}">{escape(t)}</tspan>'
                    for i, t in enumerate(lines))
    return (f'<text class="{cls}" text-anchor="middle" dominant-baseline="middle" font-size="{FONT}" '
            f'font-family="{FAMILY}">{spans}</text>')


STEP_MARKS = {"done": ("#e3f4e8", "#1e7b3a"), "ready": ("#fff3cd", "#b35c00")}  # fill, stroke


def render(model: dict, title: str = "", mask=None, marks: dict | None = None) -> str:
    """The SVG; `mask` (the portal's masking of personal data) is applied to every text before it
    is wrapped, since a number wrapped across two lines would escape it. `marks` (a case's page)
    colours steps by id: "done" and "ready" (the legend is the page's, in words)."""
    marks = marks or {}
    mask = mask or (lambda text: text)
    own = model.get("layout") or {}
    nodes = {n["id"]: n for n in model["nodes"]}
    use_own = bool(own.get("shapes")) and all(n["id"] in own["shapes"] for n in model["nodes"]
                                                if n["container"] in {p["id"] for p in model["processes"]})
    lay = own if use_own else layouts.compute(model)
    shapes, edges = lay["shapes"], lay.get("edges", {})
    if not shapes:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" role="img"></svg>'
    minx = min(s[0] for s in shapes.values()) - 20
    miny = min(s[1] for s in shapes.values()) - 20
    maxx = max(s[0] + s[2] for s in shapes.values()) + 20
    maxy = max(s[1] + s[3] for s in shapes.values()) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart bpmn" role="img" '
             f'viewBox="{minx:.0f} {miny:.0f} {maxx - minx:.0f} {maxy - miny:.0f}" '
             f'width="{maxx - minx:.0f}" height="{maxy - miny:.0f}">',
             f"<title>{escape(mask(title or '流程图'))}</title>",
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#444"/></marker></defs>']
    # sub-processes first (behind their insides)
    order = sorted(shapes.items(), key=lambda kv: nodes.get(kv[0], {}).get("type") != "subProcess")
    for fid, points in edges.items():
        if len(points) < 2:
            continue
        d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
        parts.append(f'<path class="flow" d="{d}" fill="none" stroke="#444" marker-end="url(#arrow)"/>')
        flow = next((f for f in model["flows"] if f["id"] == fid), None)
        if flow and (flow.get("name") or flow.get("condition_text")):
            (x1, y1), (x2, y2) = points[0], points[1]
            parts.append(_text((x1 + x2) / 2, (y1 + y2) / 2 - 8,
                               wrap(mask(flow.get("name") or flow["condition_text"]), 120), "label"))
    for ident, (x, y, w, h) in order:
        node = nodes.get(ident)
        if node is None:
            continue
        kind = layouts.kind(node["type"])
        cx, cy = x + w / 2, y + h / 2
        if node["type"] == "subProcess":
            parts.append(f'<rect class="subprocess" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="10" '
                         f'fill="#fff" stroke="#333"/>')
            parts.append(_text(cx, y + 12, wrap(mask(node["name"]), w - 10)[:1]))
        elif kind == "task":
            fill, stroke = STEP_MARKS.get(marks.get(ident), ("#f4f8ff", "#2b5797"))
            state = f" {marks[ident]}" if ident in marks else ""
            width = ' stroke-width="3"' if marks.get(ident) == "ready" else ""
            parts.append(f'<rect class="step{state}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="8" '
                         f'fill="{fill}" stroke="{stroke}"{width}/>')
            parts.append(_text(cx, cy, wrap(mask(node["name"] or node["id"]), w - 10)))
        elif kind == "gateway":
            parts.append(f'<path class="gateway" d="M{cx:.1f},{y:.1f}L{x + w:.1f},{cy:.1f}L{cx:.1f},{y + h:.1f}'
                         f'L{x:.1f},{cy:.1f}z" fill="#fffbe6" stroke="#8a6d00"/>')
            parts.append(_text(cx, cy, [GATEWAY_MARKS.get(node["type"], "")], "mark"))
            if node["name"]:
                parts.append(_text(cx, y - 10, wrap(mask(node["name"]), 140), "label"))
        else:
            stroke = 3 if node["type"] == "endEvent" else 1.5
            parts.append(f'<circle class="event" cx="{cx:.1f}" cy="{cy:.1f}" r="{min(w, h) / 2:.1f}" fill="#fff" '
                         f'stroke="#333" stroke-width="{stroke}"/>')
            if node["name"]:
                parts.append(_text(cx, y + h + 12, wrap(mask(node["name"]), 100), "label"))
    parts.append("</svg>")
    return "".join(parts)
