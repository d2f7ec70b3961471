"""A campaign's progress drawn on the server as SVG: one stacked bar per department, its length the
items it reported, split into what the department has answered this round (同意, 修改或异议), what
waits for its reply, and what the reviewer has not decided yet. 360 units wide, each label on the
line above its bar, so it reads at phone width as on a desk (like `portal.svg.bar_chart`); the page
prints the same figures as a table."""

from xml.sax.saxutils import escape

from powerlist.portal.svg import FONT, _text_width, _wrap

SEGMENTS = (  # (attribute or callable of a DepartmentProgress, legend, colour)
    ("accepted", "已同意", "#2e7d32"),
    ("answered_otherwise", "已修改或有异议", "#f9a825"),
    ("awaiting_reply", "待部门答复", "#1f6fb2"),
    ("undecided", "本轮未决定", "#cfd8dc"),
)


def _value(row, key: str) -> int:
    if key == "answered_otherwise":
        return row.revised + row.objected
    return getattr(row, key)


def stacked_progress(rows, title: str) -> str:
    if not rows:
        return ""
    size, bar_h, row_h, width = 13, 14, 40, 360
    title_lines = _wrap(title, 15, width)
    legend_top = 18 * len(title_lines) + 4
    legend_rows = 2
    top = legend_top + legend_rows * 18 + 6
    most = max(r.reported for r in rows) or 1
    value_w = max(_text_width(f"{r.decided}/{r.reported}", size) for r in rows) + 8
    plot_w = width - value_w
    height = top + len(rows) * row_h
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}" class="chart" width="{width}" height="{height}">']
    for k, line in enumerate(title_lines):
        out.append(f'<text x="0" y="{16 + 18 * k}" font-size="15" font-weight="bold" fill="#102a43" {FONT}>'
                   f'{escape(line)}</text>')
    for k, (_key, legend, colour) in enumerate(SEGMENTS):
        x, y = (k % 2) * 180, legend_top + (k // 2) * 18
        out.append(f'<rect x="{x}" y="{y + 2}" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 16}" y="{y + 12}" font-size="12" fill="#243b53" {FONT}>{escape(legend)}</text>')
    for k, row in enumerate(rows):
        y = top + k * row_h
        shown = _wrap(row.name, size, width)[0]
        shown = shown if shown == row.name else shown[:-1] + "…"
        out.append(f'<text x="0" y="{y + size}" font-size="{size}" fill="#243b53" {FONT}>{escape(shown)}</text>')
        x = 0.0
        for key, legend, colour in SEGMENTS:
            n = _value(row, key)
            if n <= 0:
                continue
            w = plot_w * n / most
            out.append(f'<rect x="{x:.1f}" y="{y + size + 5}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                       f'<title>{escape(row.name)} {escape(legend)}：{n}</title></rect>')
            x += w
        out.append(f'<text x="{x + 6:.0f}" y="{y + size + 5 + bar_h - 2}" font-size="{size}" fill="#243b53" '
                   f'{FONT}>{row.decided}/{row.reported}</text>')
    out.append("</svg>")
    return "\n".join(out)
