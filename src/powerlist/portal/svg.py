"""Pictures drawn on the server as SVG: the flowchart of a power and the statistics charts.
Nothing is fetched by the browser; the markup is escaped text, safe to inline."""

from xml.sax.saxutils import escape

from powerlist.catalog.schema import readable_flowchart

FONT = "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif\""


def _text_width(text: str, size: int) -> int:
    return sum(size if ord(c) > 0x2E80 else size * 0.6 for c in text)


def _wrap(text: str, size: int, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if _text_width(line + ch, size) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    return [*lines, line] if line else lines


def flowchart(chart: dict, title: str = "") -> str:
    """Boxes for the steps, arrows for the flows, laid out top to bottom by level (steps that
    can run side by side share a row). A chart stored in a bad shape is drawn as far as it can be."""
    chart = readable_flowchart(chart)
    steps = chart.get("steps", [])
    if not steps:
        return ""
    ids = [s["id"] for s in steps]
    flows = [tuple(f) for f in chart["flows"]]
    if not flows:
        flows = list(zip(ids, ids[1:], strict=False))
    level = {i: 0 for i in ids}
    for _ in range(len(ids)):  # longest path from the start; bounded for charts with cycles
        for a, b in flows:
            if level[b] < level[a] + 1 <= len(ids):
                level[b] = level[a] + 1
    rows: dict[int, list[str]] = {}
    for i in ids:
        rows.setdefault(level[i], []).append(i)
    box_w, box_h, gap_x, gap_y, size = 200, 48, 24, 34, 14
    widest = max(len(r) for r in rows.values())
    width = widest * box_w + (widest - 1) * gap_x + 20
    pos = {}
    for lvl, members in sorted(rows.items()):
        row_w = len(members) * box_w + (len(members) - 1) * gap_x
        x0 = (width - row_w) / 2
        for k, i in enumerate(members):
            pos[i] = (x0 + k * (box_w + gap_x), 10 + lvl * (box_h + gap_y))
    height = 10 + (max(rows) + 1) * (box_h + gap_y) - gap_y + 10
    names = {i: s["name"] for i, s in zip(ids, steps, strict=True)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
           f'aria-labelledby="fc-title" class="flowchart" width="{width:.0f}" height="{height:.0f}">',
           f'<title id="fc-title">{escape(title or "权力运行流程图")}：{escape(" → ".join(names[i] for i in ids))}</title>',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f4e79"/></marker></defs>']
    for a, b in flows:
        (ax, ay), (bx, by) = pos[a], pos[b]
        x1, y1, x2, y2 = ax + box_w / 2, ay + box_h, bx + box_w / 2, by
        if by <= ay:  # a flow back up (返回补正): along the side
            x1, y1, x2, y2 = ax + box_w, ay + box_h / 2, bx + box_w, by + box_h / 2
        out.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2 - 2:.0f}" stroke="#1f4e79" '
                   f'stroke-width="1.6" marker-end="url(#arrow)"/>')
    for n, i in enumerate(ids, start=1):
        x, y = pos[i]
        lines = _wrap(f"{n}. {names[i]}", size, box_w - 16)[:2]
        out.append(f'<g class="step"><rect x="{x:.0f}" y="{y:.0f}" width="{box_w}" height="{box_h}" rx="8" '
                   f'fill="#eaf2fb" stroke="#1f4e79" stroke-width="1.4"/>')
        for k, line in enumerate(lines):
            ty = y + box_h / 2 + (k - (len(lines) - 1) / 2) * (size + 3) + size / 3
            out.append(f'<text x="{x + box_w / 2:.0f}" y="{ty:.0f}" text-anchor="middle" font-size="{size}" '
                       f'fill="#102a43" {FONT}>{escape(line)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(rows: list[tuple[str, int]], title: str, colour: str = "#1f6fb2", links: list[str] | None = None) -> str:
    """Horizontal bars, each with its label on the line above, so that the chart is 360 units wide
    and reads at phone width (390 px) as on a desk; every row is there (no top N) and, with
    `links`, label and bar link to the row's page. The caller also prints the numbers as a table
    for screen readers and for copying."""
    if not rows:
        return ""
    size, bar_h, row_h, top, width = 13, 14, 40, 30, 360
    value_w = max(_text_width(str(v), size) for _l, v in rows) + 8
    plot_w = width - value_w
    height = top + len(rows) * row_h
    most = max(v for _l, v in rows) or 1
    title_lines = _wrap(title, 15, width)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 18 * (len(title_lines) - 1)}" '
           f'role="img" aria-label="{escape(title)}" class="chart" width="{width}" '
           f'height="{height + 18 * (len(title_lines) - 1)}">']
    for k, line in enumerate(title_lines):
        out.append(f'<text x="0" y="{16 + 18 * k}" font-size="15" font-weight="bold" fill="#102a43" {FONT}>'
                   f'{escape(line)}</text>')
    top += 18 * (len(title_lines) - 1)
    for k, (label, value) in enumerate(rows):
        y = top + k * row_h
        w = plot_w * value / most
        shown = _wrap(label, size, width)[0]
        shown = shown if shown == label else shown[:-1] + "…"
        row = (f'<text x="0" y="{y + size}" font-size="{size}" fill="#243b53" {FONT}>{escape(shown)}</text>'
               f'<rect x="0" y="{y + size + 5}" width="{max(w, 1):.1f}" height="{bar_h}" fill="{colour}">'
               f'<title>{escape(label)}：{value}</title></rect>'
               f'<text x="{w + 6:.0f}" y="{y + size + 5 + bar_h - 2}" font-size="{size}" fill="#243b53" '
               f'{FONT}>{value}</text>')
        if links and links[k]:
            row = f'<a href="{escape(links[k], {chr(34): "&quot;"})}" class="bar">{row}</a>'
        out.append(row)
    out.append("</svg>")
    return "\n".join(out)


def paired_bar_chart(rows: list[tuple[str, int, int]], title: str, legend: tuple[str, str],
                     colours: tuple[str, str] = ("#9fb3c8", "#1f6fb2")) -> str:
    """Two bars a row, one above the other (reported, then kept), label on the line above, on one
    scale: 360 units wide like bar_chart, every row there. The caller prints the numbers as a table."""
    if not rows:
        return ""
    size, bar_h, row_h, width = 13, 11, 50, 360
    value_w = max(_text_width(str(v), size) for _l, a, b in rows for v in (a, b)) + 8
    plot_w = width - value_w
    most = max(max(a, b) for _l, a, b in rows) or 1
    title_lines = _wrap(title, 15, width)
    top = 18 * len(title_lines) + 24  # title, then the legend line
    height = top + len(rows) * row_h
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}" class="chart" width="{width}" height="{height}">']
    for k, line in enumerate(title_lines):
        out.append(f'<text x="0" y="{16 + 18 * k}" font-size="15" font-weight="bold" fill="#102a43" {FONT}>'
                   f'{escape(line)}</text>')
    legend_y = 18 * len(title_lines) + 8
    x = 0
    for name, colour in zip(legend, colours, strict=True):
        out.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 16}" y="{legend_y + 11}" font-size="{size}" fill="#243b53" {FONT}>'
                   f'{escape(name)}</text>')
        x += 16 + _text_width(name, size) + 16
    for k, (label, a, b) in enumerate(rows):
        y = top + k * row_h
        shown = _wrap(label, size, width)[0]
        shown = shown if shown == label else shown[:-1] + "…"
        out.append(f'<text x="0" y="{y + size}" font-size="{size}" fill="#243b53" {FONT}>{escape(shown)}</text>')
        for n, (value, colour, name) in enumerate(zip((a, b), colours, legend, strict=True)):
            w = plot_w * value / most
            by = y + size + 4 + n * (bar_h + 3)
            out.append(f'<rect x="0" y="{by}" width="{max(w, 1):.1f}" height="{bar_h}" fill="{colour}">'
                       f'<title>{escape(label)} {escape(name)}：{value}</title></rect>'
                       f'<text x="{w + 6:.0f}" y="{by + bar_h - 1}" font-size="{size - 2}" fill="#243b53" '
                       f'{FONT}>{value}</text>')
    out.append("</svg>")
    return "\n".join(out)
