"""Reading and writing the cells of a flat file (CSV, XLSX): choice fields in all the spellings
lists use (codes, names, short names, traditional forms, Excel numbers), multi-valued cells
(responsibilities, risk points, discretion, the flowchart) and scalars (visits, dates; time limits
are catalog/limits.py).
`documents` builds the item document from these."""

import datetime as dt
import re
from decimal import Decimal

from powerlist.catalog.models import (
    CATEGORY_NAMES, LIST_KIND_NAMES, PHASE_NAMES, POWER_SOURCE_NAMES, RISK_LEVEL_NAMES, STATUS_NAMES,
    ListKind, Phase, PowerSource, RiskLevel, Status,
)
from powerlist.catalog.schema import readable_flowchart
from powerlist.core.text import clean_cell, normalise
from powerlist.laws.numerals import to_int

# ---------------------------------------------------------------------------------------------
# choice normalisation: codes, Chinese names, short names, traditional forms, Excel numbers

def _choice_table(names: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    table = {}
    for code, name in names.items():
        table[normalise(code)] = code
        table[normalise(name)] = code
        table[name] = code
        table[f"{code} {name}"] = code  # as exported: "01 行政许可"
    for alias, code in extra.items():
        table[normalise(alias)] = code
    return table


_CATEGORY = _choice_table(CATEGORY_NAMES, {
    "1": "01", "2": "02", "3": "03", "4": "04", "5": "05", "6": "06", "7": "07", "8": "08", "9": "09",
    "许可": "01", "审批": "01", "行政审批": "01", "处罚": "02", "强制": "03", "行政强制措施": "03",
    "行政强制执行": "03", "征收": "04", "行政征收征用": "04", "征用": "04", "给付": "05", "检查": "06",
    "监督检查": "06", "确认": "07", "奖励": "08", "裁决": "09", "其他权力": "10", "其它行政权力": "10",
    "其他职权": "10", "公共服务事项": "20", "服务": "20", "其他(地方)": "99", "其它": "99",
})
_LIST_KIND = _choice_table(LIST_KIND_NAMES, {"政务清单": "government", "党务清单": "party",
                                            "公共服务清单": "public_service", "政府": "government"})
_POWER_SOURCE = _choice_table(POWER_SOURCE_NAMES, {"法定职权": "statutory", "法律授权": "authorised",
                                                  "授权行使": "authorised", "委托行使": "entrusted"})
_STATUS = _choice_table(STATUS_NAMES, {"公布": "published", "现行": "published", "保留": "published",
                                      "取消": "cancelled", "下放": "delegated", "转移": "transferred",
                                      "整合": "merged", "合并": "merged", "审核": "in_review"})
_PHASE = _choice_table(PHASE_NAMES, {})
_RISK = _choice_table(RISK_LEVEL_NAMES, {"高风险": "high", "中风险": "medium", "低风险": "low", "较高": "high",
                                        "一般": "medium", "较低": "low", "a": "high", "b": "medium", "c": "low"})

PHASES = frozenset(Phase.values)
RISK_LEVELS = frozenset(RiskLevel.values)

CHOICES = {
    "category": (_CATEGORY, "事项类型应为代码01-10、20、99或名称，如 01、1、行政许可、许可"),
    "list_kind": (_LIST_KIND, "清单类别应为 政务、党务 或 公共服务"),
    "power_source": (_POWER_SOURCE, "权力来源应为 法定、授权 或 委托"),
    "status": (_STATUS, "状态应为 " + "、".join(STATUS_NAMES.values())),
}
DEFAULTS = {"list_kind": ListKind.GOVERNMENT.value, "power_source": PowerSource.STATUTORY.value,
            "status": Status.DRAFT.value}


def normalise_choice(field: str, value) -> str | None:
    """The stored code for a value of a choice field, or None when it is not recognised."""
    table = CHOICES[field][0]
    if isinstance(value, str) and value in table:  # already a code or a plain name: the usual case
        return table[value]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = normalise(str(value))
    if field == "category":
        key = key.removesuffix("类")
        m = re.match(r"^(\d{1,2})\D", key)  # "01 行政许可" as exported
        if key not in table and m:
            key = m.group(1)
    return table.get(key)


# ---------------------------------------------------------------------------------------------
# multi-valued cells

_NUMBERING = re.compile(r"^\s*(?:[(（]?\d{1,2}[)）]|\d{1,2}[.、．](?!\d)|[①-⑳]|[一二三四五六七八九十]+、)\s*")
_INLINE_NUMBER = re.compile(r"(?:(?<=[；;。])|(?<=\s))\s*(?=(?:\d{1,2}[.、．](?!\d)|[(（]\d{1,2}[)）]))")
_STAGE = re.compile(r"^([^：:]{1,16}?)[：:]\s*(.+)$", re.S)
_FIELD_SEP = re.compile(r"\s*[|｜]\s*")


def split_lines(text: str) -> list[str]:
    """A cell holding several entries: one per line, or numbered 1. 2. / (1) (2) on one line."""
    out = []
    for line in clean_cell(text).split("\n"):
        for part in _INLINE_NUMBER.split(line):
            part = _NUMBERING.sub("", part, count=1).strip().rstrip("；;")
            if part:
                out.append(part)
    return out


def infer_phase(stage: str) -> str:
    """Phase of a responsibility given only its stage name, as lists label them: 受理/告知 before,
    审查/决定/送达 during, 事后监管 after."""
    if any(k in stage for k in ("事后", "监管", "监督", "后续")):
        return Phase.AFTER.value
    if any(k in stage for k in ("事前", "受理", "告知", "公示", "立案")):
        return Phase.BEFORE.value
    return Phase.DURING.value


def parse_responsibilities(text: str, phase: str | None) -> list[dict]:
    out = []
    for line in split_lines(text):
        m = _STAGE.match(line)
        stage, content = (m.group(1).strip(), m.group(2).strip()) if m else ("", line)
        out.append({"phase": phase or infer_phase(stage), "stage": stage, "content": content})
    return out


def format_responsibilities(entries: list[dict], phase: str) -> str:
    return "\n".join(f"{e['stage']}：{e['content']}" if e.get("stage") else e["content"]
                     for e in entries if e["phase"] == phase)


SECOND_APPROVAL = "须复核"  # the fifth part of a high risk point whose step waits for a second approver


def parse_risk_points(text: str) -> tuple[list[dict], list[str]]:
    """Lines of `等级｜环节｜风险点｜防控措施`, a high one optionally `｜须复核` (its step waits for
    another person's 复核)."""
    points, errors = [], []
    for line in split_lines(text):
        parts = _FIELD_SEP.split(line)
        if len(parts) not in (4, 5):
            errors.append(f"“{line[:30]}”应为 等级｜环节｜风险点｜防控措施 四段（高风险点可加第五段“{SECOND_APPROVAL}”）")
            continue
        level = _RISK.get(parts[0]) or _RISK.get(normalise(parts[0]).strip("[]【】()"))
        if level is None:
            errors.append(f"风险等级“{parts[0]}”应为 高、中 或 低")
            continue
        point = {"level": level, "step": parts[1], "description": parts[2], "prevention": parts[3]}
        if len(parts) == 5:
            if parts[4].strip() not in (SECOND_APPROVAL, "复核"):
                errors.append(f"“{line[:30]}”的第五段“{parts[4]}”应为“{SECOND_APPROVAL}”")
                continue
            if level != RiskLevel.HIGH:
                errors.append(f"“{line[:30]}”：只有高风险点可以要求复核（{SECOND_APPROVAL}）")
                continue
            point["second_approver"] = True
        points.append(point)
    return points, errors


def format_risk_points(points: list[dict]) -> str:
    return "\n".join("｜".join([RISK_LEVEL_NAMES[p["level"]], p["step"], p["description"], p["prevention"],
                                *([SECOND_APPROVAL] if p.get("second_approver") else [])])
                     for p in points)


_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?元")


def _fine_range(penalty: str) -> tuple[str | None, str | None]:
    amounts = []
    for number, wan in _AMOUNT.findall(penalty):
        value = Decimal(number) * (10000 if wan else 1)
        amounts.append(value)
    if not amounts:
        return None, None
    return str(min(amounts).quantize(Decimal("0.01"))), str(max(amounts).quantize(Decimal("0.01")))


def parse_discretion(text: str) -> tuple[list[dict], list[str]]:
    """Lines of `裁量等级｜违法情形｜处罚标准`, optionally followed by `｜最低罚款｜最高罚款` in yuan;
    without them, fines written in the standard in Arabic figures give the range."""
    rows, errors = [], []
    for line in split_lines(text):
        parts = _FIELD_SEP.split(line)
        if len(parts) not in (3, 5):
            errors.append(f"“{line[:30]}”应为 裁量等级｜违法情形｜处罚标准[｜最低罚款｜最高罚款]")
            continue
        if len(parts) == 5:
            low, high = (p or None for p in parts[3:])
        else:
            low, high = _fine_range(parts[2])
        rows.append({"grade": parts[0], "circumstance": parts[1], "penalty": parts[2],
                     "min_fine": low, "max_fine": high})
    return rows, errors


def format_discretion(rows: list[dict]) -> str:
    lines = []
    for r in rows:
        parts = [r["grade"], r["circumstance"], r["penalty"]]
        low, high = r.get("min_fine"), r.get("max_fine")
        if (low, high) != _fine_range(r["penalty"]):
            parts += [low or "", high or ""]
        lines.append("｜".join(parts))
    return "\n".join(lines)


_ARROWS = re.compile(r"\s*(?:→|->|—>|－>|⇒|=>|＞|>)\s*")


def parse_flowchart(text) -> dict:
    """`受理 → 审查 → 决定 → 送达` gives a linear flowchart; a JSON object is kept as it is."""
    if isinstance(text, dict):
        return text
    steps = [s for s in _ARROWS.split(clean_cell(text)) if s]
    if not steps:
        return {}
    return {"steps": [{"id": f"s{i + 1}", "name": s} for i, s in enumerate(steps)],
            "flows": [[f"s{i + 1}", f"s{i + 2}"] for i in range(len(steps) - 1)]}


def format_flowchart(chart: dict) -> str:
    return " → ".join(s["name"] for s in readable_flowchart(chart).get("steps", []))


# ---------------------------------------------------------------------------------------------
# scalars

_VISITS = re.compile(r"^(?:最多|至多|不超过|只需|仅需)?(?:跑|到现场|到场)?(\d{1,2}|[零〇一二两三四五六七八九十]{1,3})次?(?:以内)?$")
_NO_VISIT_WORDS = frozenset({"零跑动", "零次", "无需到现场", "不需到现场", "全程网办", "不用跑"})
MAX_VISITS = 20


def parse_visits(value) -> tuple[int | None, bool]:
    """到现场次数: `0`, `1次`, `最多跑一次`, `跑零次`, `零跑动` -> a count of visits in person."""
    if value is None or value == "":
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, (int, float)):
        ok = 0 <= value <= MAX_VISITS and float(value).is_integer()
        return (int(value), True) if ok else (None, False)
    text = normalise(str(value))
    if text in _NO_VISIT_WORDS:
        return 0, True
    m = _VISITS.match(text)
    count = to_int(m.group(1)) if m else None
    if count is None or count > MAX_VISITS:
        return None, False
    return count, True


def parse_date(value) -> tuple[str | None, bool]:
    if value is None or value == "":
        return None, True
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), True
    if isinstance(value, dt.date):
        return value.isoformat(), True
    text = normalise(str(value)).replace("/", "-").replace(".", "-")
    m = re.match(r"^(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})日?$", text)
    if not m:
        return None, False
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), True
    except ValueError:
        return None, False


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_cell(value)
