"""Discretion tables as DMN 1.3 decision tables, so any DMN tool (Camunda Modeler, bpmn.io's
dmn-js, Flowable) can edit them: one decision per penalty item, input 类别 (the grade; its allowed
values listed), outputs 裁量标准, 法律依据, 裁量情节, 违法行为, 备注, hit policy UNIQUE.

Cells are FEEL string literals; nothing in a table is ever evaluated. We read the rules ourselves
and check them before anything is stored: a grade among the allowed values that no rule matches
("no row matches") and a value two rules match are errors naming the rule."""

import re
from xml.sax.saxutils import escape, quoteattr

from powerlist.core import safexml
from powerlist.core.errors import InvalidInput, Problem
from powerlist.discretion.sheets import TableRow

DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"
KNOWN = (DMN13, "http://www.omg.org/spec/DMN/20180521/MODEL/", "http://www.omg.org/spec/DMN/20151101/dmn.xsd")
POWERLIST = "https://powerlist.org/dmn"
OUTPUTS = [("standard", "裁量标准"), ("basis", "法律依据"), ("circumstances", "裁量情节"), ("violation", "违法行为"),
           ("note", "备注")]
_LABELS = {label: name for name, label in OUTPUTS} | {name: name for name, _ in OUTPUTS}
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _feel(text: str) -> str:
    return '"' + (text or "").replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unfeel(text: str) -> list[str] | None:
    """`"一般"` -> ["一般"]; `"一般","较重"` -> both; `-` or empty -> None (any value)."""
    text = (text or "").strip()
    if text in ("", "-"):
        return None
    values = [m.group(1).replace('\\"', '"').replace("\\\\", "\\") for m in _STRING.finditer(text)]
    return values or [text]


def _id(code: str) -> str:
    return "item_" + re.sub(r"[^A-Za-z0-9_.-]", "_", code)


def export(items_rows: list[tuple]) -> bytes:
    """[(item, [Benchmark…]), …] -> DMN XML."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<definitions xmlns="{DMN13}" xmlns:powerlist="{POWERLIST}" id="discretion" name="行政处罚裁量基准" '
           f'namespace="{POWERLIST}">']
    for item, rows in items_rows:
        grades = []
        for r in rows:
            if r.grade and r.grade not in grades:
                grades.append(r.grade)
        did = _id(item.code)
        out.append(f'  <decision id={quoteattr(did)} name={quoteattr(item.name)} powerlist:code={quoteattr(item.code)}>')
        out.append(f'    <decisionTable id="{did}_table" hitPolicy="UNIQUE">')
        out.append(f'      <input id="{did}_grade" label="类别">')
        out.append(f'        <inputExpression id="{did}_grade_expr" typeRef="string"><text>grade</text></inputExpression>')
        if grades:
            out.append(f'        <inputValues><text>{escape(",".join(_feel(g) for g in grades))}</text></inputValues>')
        out.append('      </input>')
        for name, label in OUTPUTS:
            out.append(f'      <output id="{did}_{name}" label="{label}" name="{name}" typeRef="string" />')
        for n, r in enumerate(rows, start=1):
            out.append(f'      <rule id="{did}_rule{n}">')
            out.append(f'        <inputEntry id="{did}_rule{n}_in"><text>{escape(_feel(r.grade) if r.grade else "-")}</text></inputEntry>')
            for name, _label in OUTPUTS:
                out.append(f'        <outputEntry id="{did}_rule{n}_{name}"><text>{escape(_feel(getattr(r, name)))}</text></outputEntry>')
            out.append('      </rule>')
        out.append('    </decisionTable>')
        out.append('  </decision>')
    out.append('</definitions>')
    return ("\n".join(out) + "\n").encode()


def read(data: bytes, filename: str) -> list[TableRow]:
    """The rows of every decision table, checked for gaps and overlaps."""
    root = None
    for ns in KNOWN:
        try:
            root = safexml.read(data, filename, f"{{{ns}}}definitions", "DMN 决策表文件")
            break
        except InvalidInput as exc:
            if ns == KNOWN[-1] or "根元素" not in str(exc):
                raise
    ns = safexml.split(root.tag)[0]
    q = lambda local: f"{{{ns}}}{local}"  # noqa: E731
    rows, problems = [], []
    for decision in root.iter(q("decision")):
        did = decision.get("id", "")
        code = decision.get(f"{{{POWERLIST}}}code") or (did[5:] if did.startswith("item_") else did)
        table = decision.find(q("decisionTable"))
        if table is None:
            continue
        policy = (table.get("hitPolicy") or "UNIQUE").upper()
        if policy != "UNIQUE":
            problems.append(Problem(filename, None, did, policy, "裁量基准表的命中策略应为 UNIQUE（每种情形只对应一档）"))
            continue
        inputs = table.findall(q("input"))
        outputs = [_LABELS.get(o.get("name") or "", _LABELS.get(o.get("label") or "", "")) for o in table.findall(q("output"))]
        if len(inputs) != 1:
            problems.append(Problem(filename, None, did, str(len(inputs)), "裁量基准表应有且只有一个输入列“类别”"))
            continue
        if "standard" not in outputs:
            problems.append(Problem(filename, None, did, "", "裁量基准表缺少输出列“裁量标准”（name=standard）"))
            continue
        allowed_el = inputs[0].find(f"{q('inputValues')}/{q('text')}")
        allowed = _unfeel(allowed_el.text) if allowed_el is not None else None
        covered: dict[str, str] = {}
        rules = table.findall(q("rule"))
        if not rules:
            problems.append(Problem(filename, None, did, "", "决策表没有规则：没有任何一档与之对应"))
        for n, rule in enumerate(rules, start=1):
            rid = rule.get("id") or f"{did} 第{n}条规则"
            entries = rule.findall(q("inputEntry"))
            values = _unfeel(entries[0].findtext(q("text")) if entries else "-")
            matches = values if values is not None else (allowed or ["（任意）"])
            for value in matches:
                if value in covered:
                    problems.append(Problem(filename, n, rid, value, f"与规则 {covered[value]} 重叠：同一类别只能对应一档"))
                covered[value] = rid
            out = {}
            for name, entry in zip(outputs, rule.findall(q("outputEntry")), strict=False):
                if name:
                    got = _unfeel(entry.findtext(q("text")) or "")
                    out[name] = got[0] if got else ""
            for value in (values or [""]):
                fields = {"code": code, "violation": out.get("violation") or decision.get("name", ""),
                          "basis": out.get("basis", ""), "grade": value, "circumstances": out.get("circumstances", ""),
                          "standard": out.get("standard", ""), "note": out.get("note", ""),
                          "law": decision.get("name", "")}
                rows.append(TableRow(did, n, fields))
        for value in allowed or []:
            if value not in covered:
                problems.append(Problem(filename, None, did, value, f"类别“{value}”没有任何规则与之对应（no row matches）"))
    if not rows and not problems:
        problems.append(Problem(filename, None, "decision", "", "文件中没有决策表"))
    if problems:
        raise InvalidInput(problems)
    return rows
