"""The shape of the nested values of an item document (the flowchart, and the entries of its
lists), checked on every write path: import, admin, API and services all pass through
`documents.clean_document`, which asks this module. A wrong shape is refused with the path of
the field (`flowchart.steps[0].id`), so it can never be stored and break a page later; what
was stored before this check is read through `readable_flowchart`, which keeps what it can."""

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError, model_validator

from powerlist.core.text import clean_cell

MAX_STEPS = 200
Scalar = StrictStr | StrictInt | StrictFloat | bool | None  # extra keys (a step's role, a time limit) stay flat


class FlowStep(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: StrictStr = Field("", max_length=50)
    name: StrictStr = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def flat_extras(self):
        for key, value in (self.model_extra or {}).items():
            _check_scalar(key, value)
        return self


class Flowchart(BaseModel):
    """`steps` (an id and a name each) and `flows` (`[from id, to id]`, optionally a label)."""

    model_config = ConfigDict(extra="allow")
    steps: list[FlowStep] = Field([], max_length=MAX_STEPS)
    flows: list[list[StrictStr]] = Field([], max_length=MAX_STEPS * 4)

    @model_validator(mode="after")
    def flows_join_steps(self):
        for key, value in (self.model_extra or {}).items():
            _check_scalar(key, value)
        for i, step in enumerate(self.steps):
            step.id = step.id.strip() or f"s{i + 1}"
        ids = [s.id for s in self.steps]
        if len(set(ids)) != len(ids):
            raise ValueError("环节的 id 不能重复")
        for flow in self.flows:
            if len(flow) not in (2, 3):
                raise ValueError(f"流向 {flow[:4]} 应为 [起点 id, 终点 id] 或再加一个说明")
            for end in flow[:2]:
                if end not in ids:
                    raise ValueError(f"流向中的“{end[:50]}”不是任何环节的 id")
        return self


def _check_scalar(key: str, value) -> None:
    if not isinstance(value, str | int | float | bool) and value is not None:
        raise ValueError(f"附加的键 {key[:50]} 应为文字或数字，不能是{_kind(value)}")
    if isinstance(value, str) and len(value) > 2000:
        raise ValueError(f"附加的键 {key[:50]} 不能超过2000个字符")


def _kind(value) -> str:
    return {dict: "对象", list: "列表", tuple: "列表", bool: "真假值"}.get(type(value), type(value).__name__)


_MESSAGES = {
    "string_type": "应为文字", "missing": "必填", "string_too_short": "不能为空", "string_too_long": "太长",
    "list_type": "应为列表", "model_type": "应为对象", "dict_type": "应为对象", "too_long": "条目过多",
    "int_type": "应为整数", "float_type": "应为数字",
}


def _path(root: str, loc) -> str:
    out = root
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def clean_flowchart(chart) -> tuple[dict, list[tuple[str, str, str]]]:
    """(the flowchart as stored, problems as (field path, value, expected)). Names are trimmed
    and control characters dropped like every cell; a step without an id gets s1, s2, ..."""
    if chart in (None, "", {}):
        return {}, []
    if not isinstance(chart, dict):
        return {}, [("flowchart", str(chart)[:60], f"流程图应为“环节 → 环节”或含 steps 的对象，不能是{_kind(chart)}")]
    try:
        model = Flowchart.model_validate(chart)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            where = _path("flowchart", error["loc"])
            value = error.get("input")
            shown = value if isinstance(value, str) else repr(value)
            expected = _MESSAGES.get(error["type"], error["msg"].removeprefix("Value error, "))
            problems.append((where, shown[:60], f"流程图 {where}：{expected}"))
        return {}, problems
    data = model.model_dump()
    for step in data["steps"]:
        step["name"] = clean_cell(step["name"])
    if not all(step["name"] for step in data["steps"]):
        return {}, [("flowchart", "", "流程图每个环节都要有名称")]
    return data, []


def readable_flowchart(stored) -> dict:
    """What can be drawn of a flowchart stored in any shape (before this module existed, or by
    hand in the database): steps that have a name, ids made up where missing or unusable, flows
    between known ids. Never raises."""
    if not isinstance(stored, dict):
        return {}
    raw_steps = stored.get("steps")
    steps = []
    for i, step in enumerate(raw_steps if isinstance(raw_steps, list) else []):
        if not isinstance(step, dict) or not isinstance(step.get("name"), str | int | float) or step.get("name") == "":
            continue
        sid = step.get("id")
        sid = sid if isinstance(sid, str) and sid else f"s{i + 1}"
        if any(s["id"] == sid for s in steps):
            sid = f"{sid}-{i + 1}"
        steps.append({"id": sid, "name": str(step["name"])})
    ids = {s["id"] for s in steps}
    raw_flows = stored.get("flows")
    flows = [[f[0], f[1]] for f in (raw_flows if isinstance(raw_flows, list) else [])
             if isinstance(f, list | tuple) and len(f) >= 2 and isinstance(f[0], str) and isinstance(f[1], str)
             and f[0] in ids and f[1] in ids]
    return {"steps": steps, "flows": flows}


def text_of(entry, key: str, required: bool = False) -> str:
    """A text field of a list entry (risk point, discretion benchmark, responsibility): text or a
    number, never a list or an object."""
    if not isinstance(entry, dict):
        raise ValueError(f"应为对象，不能是{_kind(entry)}")
    value = entry.get(key)
    if value is None:
        if required:
            raise ValueError(f"缺少 {key}")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{key} 应为文字，不能是{_kind(value)}")
    return clean_cell(value)
