"""The flowchart (权力运行流程图) in the item form: a list of steps, not raw JSON.

Without JavaScript it is a textarea with one step a line, `名称｜承办岗位｜时限（工作日）` (the last
two optional), or one line of arrows, `受理 → 审查 → 决定 → 送达`; with JavaScript
(flowchart_editor.js) the same textarea becomes one row per step with add, remove and move up
or down, writing those lines back. A chart with branches (flows that are not one after the other)
is shown and edited as its JSON. Whatever is posted is checked by schema.clean_flowchart."""

import json
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from powerlist.catalog.cells import parse_flowchart
from powerlist.catalog.schema import clean_flowchart

SEP = "｜"
_SPLIT = re.compile(r"\s*[｜|]\s*")
_ARROW = re.compile(r"→|->|=>|⇒")
# extra keys of a step (the schema keeps any flat key): who handles it and its time limit
ROLE, LIMIT = "role", "time_limit_days"


def is_linear(chart: dict) -> bool:
    """Steps in a line (flows, if any, join each step to the next). A chart stored in a bad shape
    (steps that are not objects, flows that are not pairs) is not linear: it is shown as JSON."""
    steps, flows = chart.get("steps", []), chart.get("flows", [])
    if not isinstance(steps, list) or not isinstance(flows, list) or not all(isinstance(s, dict) for s in steps):
        return False
    if not all(isinstance(f, list | tuple) and len(f) == 2 for f in flows):
        return False
    ids = [s.get("id") for s in steps]
    return not flows or [list(f) for f in flows] == [[a, b] for a, b in zip(ids, ids[1:], strict=False)]


def to_lines(chart) -> str:
    if not chart:
        return ""
    if not isinstance(chart, dict) or not is_linear(chart) or set(chart) - {"steps", "flows"}:
        return json.dumps(chart, ensure_ascii=False, indent=1)
    lines = []
    for step in chart.get("steps", []):
        if not isinstance(step, dict) or set(step) - {"id", "name", ROLE, LIMIT}:
            return json.dumps(chart, ensure_ascii=False, indent=1)
        parts = [str(step.get("name", "")), str(step.get(ROLE) or ""),
                 "" if step.get(LIMIT) in (None, "") else str(step[LIMIT])]
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        lines.append(SEP.join(parts))
    return "\n".join(lines)


def from_lines(text: str) -> dict:
    """The chart a textarea holds; ValueError naming the line that cannot be read."""
    text = (text or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(_("The flowchart is not valid JSON (line %(line)s).") % {"line": exc.lineno}) from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and _ARROW.search(lines[0]) and not _SPLIT.search(lines[0]):
        return parse_flowchart(lines[0])
    steps = []
    for n, line in enumerate(lines, start=1):
        name, role, limit, *rest = [*_SPLIT.split(line), "", ""]
        if any(rest) or not name:
            raise ValueError(_("Line %(n)s of the flowchart: write 名称｜承办岗位｜时限 (the last two may be left "
                               "out).") % {"n": n})
        step = {"id": f"s{n}", "name": name}
        if role:
            step[ROLE] = role
        if limit:
            if not limit.isdigit():
                raise ValueError(_("Line %(n)s of the flowchart: the time limit “%(v)s” should be a number of "
                                   "working days.") % {"n": n, "v": limit})
            step[LIMIT] = int(limit)
        steps.append(step)
    return {"steps": steps, "flows": [[f"s{i}", f"s{i + 1}"] for i in range(1, len(steps))]}


class FlowchartWidget(forms.Textarea):
    template_name = "admin/catalog/poweritem/flowchart_widget.html"

    class Media:
        js = ("catalog/flowchart_editor.js",)

    def __init__(self, attrs=None):
        super().__init__({"rows": 6, "cols": 60, "class": "flowchart-lines", **(attrs or {})})


class FlowchartField(forms.Field):
    widget = FlowchartWidget

    def prepare_value(self, value):
        return to_lines(value) if isinstance(value, dict) else (value or "")

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        try:
            chart = from_lines(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        cleaned, problems = clean_flowchart(chart)
        if problems:
            raise forms.ValidationError([expected for _where, _value, expected in problems])
        return cleaned
