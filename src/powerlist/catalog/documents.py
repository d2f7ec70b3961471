"""The item document: one power item with all its elements as a plain dict.

It is the single shape that import, export, the ledger (before/after), published versions and
the services share. Flat files (CSV, XLSX) carry it as one row with Chinese column headers;
JSON carries it as is. This module converts and validates; it does not write.
"""

import re
from decimal import Decimal, InvalidOperation

from powerlist.catalog.cells import (
    _PHASE, _RISK, CHOICES, DEFAULTS, MAX_VISITS, PHASES, RISK_LEVELS, _text, format_discretion, format_flowchart,
    format_responsibilities, format_risk_points, infer_phase, normalise_choice, parse_date, parse_discretion,
    parse_flowchart, parse_responsibilities, parse_risk_points, parse_visits, split_lines,
)
from powerlist.catalog.limits import MAX_BY_UNIT, format_limit, parse_limit
from powerlist.catalog.models import (
    CATEGORY_NAMES, LIST_KIND_NAMES, POWER_SOURCE_NAMES, STATUS_NAMES, LimitUnit, Phase,
)
from powerlist.catalog.schema import clean_flowchart, text_of
from powerlist.core.text import clean_cell, normalise

# Scalar fields in document order, with their defaults.
TEXT_FIELDS = ("code", "name", "plain_name", "main_item", "organisation", "handling_office", "exercise_levels",
               "limit_note", "fee_basis", "fee_standard", "conditions", "materials", "result_documents",
               "supervision_phone", "office_address", "office_hours", "enquiry_phone", "online_url",
               "service_recipients")
CHOICE_FIELDS = ("category", "list_kind", "power_source", "status")
# a time limit is a number and the unit it was written in (catalog/limits.py)
LIMIT_FIELDS = (("statutory_limit_days", "statutory_limit_unit"), ("promised_limit_days", "promised_limit_unit"))
INT_FIELDS = ("statutory_limit_days", "promised_limit_days", "onsite_visits")
DATE_FIELDS = ("valid_from", "valid_to")
LIST_FIELDS = ("citations", "responsibilities", "accountability", "risk_points", "discretion")
TRUSTED_LISTS = "__lists_clean__"  # set by row_to_document, whose parsers produce clean lists
_TRUSTED = object()  # its value: no JSON file or request body can hold it
DOCUMENT_FIELDS = (
    "code", "name", "plain_name", "main_item", "category", "list_kind", "organisation", "handling_office",
    "exercise_levels", "power_source", "citations", "statutory_limit_days", "statutory_limit_unit",
    "promised_limit_days", "promised_limit_unit", "limit_note", "fee_basis", "fee_standard", "conditions",
    "materials", "result_documents", "responsibilities", "accountability", "risk_points", "discretion", "flowchart",
    "supervision_phone", "office_address", "office_hours", "enquiry_phone", "online_url", "onsite_visits",
    "service_recipients", "status", "valid_from", "valid_to",
)
MAX_LENGTHS = {"code": 100, "name": 500, "plain_name": 500, "main_item": 500, "organisation": 200,
               "handling_office": 300, "exercise_levels": 200, "limit_note": 500, "supervision_phone": 100,
               "office_address": 500, "office_hours": 500, "enquiry_phone": 200, "online_url": 500,
               "service_recipients": 300}

# Flat-file columns: (canonical header written on export, field, aliases recognised on import).
# Several columns may feed one list field (the three phases of responsibility, two kinds of basis).
COLUMNS = [
    ("职权编码", "code", ["事项编码", "权力编码", "职权代码", "事项代码", "权力事项编码", "编码", "基本编码", "实施编码"]),
    ("事项名称", "name", ["权力名称", "权力事项名称", "职权名称", "事项名称(子项)", "子项名称", "项目名称", "名称"]),
    ("通俗名称", "plain_name", ["俗称", "通俗易懂名称", "简称"]),
    ("主项名称", "main_item", ["主项", "所属主项", "主项事项名称"]),
    ("事项类型", "category", ["权力类别", "权力类型", "事项类别", "职权类别", "职权类型", "权力分类", "类别", "类型"]),
    ("清单类别", "list_kind", ["清单类型", "清单种类"]),
    ("实施主体", "organisation", ["实施机关", "实施部门", "部门", "部门名称", "实施单位", "行使主体", "责任主体",
                               "职权行使主体", "单位名称"]),
    ("承办机构", "handling_office", ["承办科室", "内设机构", "责任科室", "承办单位", "责任股室", "办理机构"]),
    ("实施层级", "exercise_levels", ["行使层级", "层级"]),
    ("权力来源", "power_source", ["职权来源", "来源方式"]),
    ("设定依据", "citations.setting", ["依据", "法律依据", "设定和实施依据", "设立依据", "法定依据", "法律法规依据",
                                   "实施依据及设定依据"]),
    ("实施依据", "citations.implementing", ["执行依据", "增补依据"]),
    ("法定时限（工作日）", "statutory_limit_days", ["法定时限", "法定办结时限", "法定期限", "法定办理时限"]),
    ("承诺时限（工作日）", "promised_limit_days", ["承诺时限", "承诺办结时限", "承诺期限", "承诺办理时限"]),
    ("时限说明", "limit_note", ["办理时限说明"]),
    ("收费依据", "fee_basis", ["收费依据及标准", "收费项目及依据"]),
    ("收费标准", "fee_standard", ["收费情况", "是否收费"]),
    ("申请条件", "conditions", ["受理条件", "办理条件", "申报条件"]),
    ("申请材料", "materials", ["申报材料", "所需材料", "申请材料目录"]),
    ("办理结果", "result_documents", ["结果名称", "审批结果", "办理结果名称", "结果文书"]),
    ("事前责任事项", "responsibilities.before", ["事前责任"]),
    ("事中责任事项", "responsibilities.during", ["事中责任"]),
    ("事后责任事项", "responsibilities.after", ["事后责任", "事后监管责任"]),
    ("责任事项", "responsibilities", ["责任事项内容", "责任事项及依据"]),
    ("追责情形", "accountability", ["问责情形", "责任追究情形", "追责情形及依据", "追责情形和依据"]),
    ("廉政风险点", "risk_points", ["风险点", "廉政风险点及防控措施", "廉政风险防控"]),
    ("裁量基准", "discretion", ["自由裁量基准", "行政处罚裁量基准", "裁量标准"]),
    ("运行流程", "flowchart", ["流程图", "办理流程", "权力运行流程", "运行流程图"]),
    # a service guide's 投诉电话 is the list's 监督电话: one field (see PowerItem.supervision_phone)
    ("监督电话", "supervision_phone", ["投诉电话", "监督投诉电话", "监督举报电话", "投诉举报电话", "监督投诉方式",
                                   "投诉方式", "监督投诉渠道"]),
    # 办事指南 (service guide)
    ("办理地点", "office_address", ["受理地点", "办公地点", "办公地址", "办理地址", "窗口地址", "受理窗口", "办理窗口",
                                 "受理地址", "办理窗口及地点"]),
    ("办理时间", "office_hours", ["受理时间", "办公时间", "工作时间", "窗口办理时间", "办公时间及地点"]),
    ("咨询电话", "enquiry_phone", ["咨询方式", "联系电话", "咨询联系电话", "咨询途径", "业务咨询电话"]),
    ("网上办理地址", "online_url", ["网办地址", "在线办理地址", "网上办理链接", "网上办理网址", "办理网址",
                                  "网上办理入口", "在线办理网址", "网上申请地址", "在线办理入口"]),
    ("到现场次数", "onsite_visits", ["到办事现场次数", "跑动次数", "最多跑次数", "到现场办理次数",
                                 "办事者到办事现场次数", "到窗口次数"]),
    ("服务对象", "service_recipients", ["办理对象", "申请对象", "适用对象", "面向对象", "服务对象类型"]),
    ("状态", "status", ["事项状态"]),
    ("生效日期", "valid_from", ["启用日期"]),
    ("失效日期", "valid_to", ["停用日期"]),
]
# what a person reads instead of a field name (ledger, change requests, conflicts)
FIELD_LABELS = {f.split(".")[0]: header for header, f, _aliases in reversed(COLUMNS)} | {
    "citations": "设定和实施依据", "responsibilities": "责任事项", "flowchart": "运行流程图",
    "statutory_limit_unit": "法定时限单位", "promised_limit_unit": "承诺时限单位"}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


EXPORT_HEADERS = [header for header, _field, _aliases in COLUMNS if _field != "responsibilities"]
# names accepted by --map FIELD=HEADER
MAP_FIELDS = sorted({f for _h, f, _a in COLUMNS})


def _header_key(header: str) -> str:
    key = normalise(header)
    return re.sub(r"^[*＊]+|[*＊]+$", "", key)  # required-field stars in templates


_HEADER_LOOKUP: dict[str, str] = {}
for _header, _field, _aliases in COLUMNS:
    for _name in [_header, *_aliases, _field]:
        _HEADER_LOOKUP.setdefault(_header_key(_name), _field)
        # 法定时限（工作日） and 法定时限 are the same column
        _HEADER_LOOKUP.setdefault(re.sub(r"\(.*?\)$", "", _header_key(_name)), _field)


def match_headers(headers: list[str], mapping: dict[str, str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> field. `mapping` is field -> header as given with --map, which wins over
    the built-in names. Returns also the headers that feed nothing (reported, not refused)."""
    by_field = {}
    ignored = []
    mapped_headers = {_header_key(h): f for f, h in mapping.items()}
    for idx, header in enumerate(headers):
        key = _header_key(header or "")
        if not key:
            continue
        field = mapped_headers.get(key) or _HEADER_LOOKUP.get(key) or _HEADER_LOOKUP.get(re.sub(r"\(.*?\)$", "", key))
        if field is None or (field in mapping and mapped_headers.get(key) != field):
            ignored.append(header)
            continue
        if field in by_field.values():
            ignored.append(header)
            continue
        by_field[idx] = field
    return by_field, ignored


# ---------------------------------------------------------------------------------------------
# flat row -> document, document -> flat row

def row_to_document(cells: dict[str, object]) -> tuple[dict, list[tuple[str, str, str]]]:
    """Cells keyed by field (as from match_headers) to a raw document; returns problems as
    (field, value, expected) for multi-valued cells that do not follow their format. The lists
    it builds are already in their clean shape, which `clean_document` then trusts."""
    doc: dict = {"citations": [], "responsibilities": [], TRUSTED_LISTS: _TRUSTED}
    errors = []
    for field, value in cells.items():
        if field.startswith("citations."):
            # several bases of one kind are exported as paragraphs separated by a blank line
            for text in re.split(r"\n\s*\n", _text(value)):
                if text.strip():
                    doc["citations"].append({"kind": field.split(".", 1)[1], "text": text.strip()})
        elif field.startswith("responsibilities"):
            phase = field.split(".", 1)[1] if "." in field else None
            doc["responsibilities"].extend(parse_responsibilities(_text(value), phase))
        elif field == "accountability":
            doc["accountability"] = split_lines(_text(value))
        elif field == "risk_points":
            doc["risk_points"], errs = parse_risk_points(_text(value))
            errors += [(field, _text(value), e) for e in errs]
        elif field == "discretion":
            doc["discretion"], errs = parse_discretion(_text(value))
            errors += [(field, _text(value), e) for e in errs]
        elif field == "flowchart":
            doc["flowchart"] = parse_flowchart(_text(value))
        else:
            doc[field] = value
    order = {Phase.BEFORE.value: 0, Phase.DURING.value: 1, Phase.AFTER.value: 2}
    doc["responsibilities"].sort(key=lambda r: order[r["phase"]])  # stable: keeps order within a phase
    return doc, errors


_UNIT_OF = dict(LIMIT_FIELDS)
UNIT_NAMES = {"working_day": "工作日", "calendar_day": "自然日", "month": "月", "instant": "即办", "none": "无"}
_UNIT_ALIASES = {normalise(n): u for u, n in UNIT_NAMES.items()} | {u: u for u in UNIT_NAMES} | {
    "个工作日": "working_day", "日历日": "calendar_day", "个月": "month", "无时限": "none", "即时办结": "instant"}


def document_to_row(doc: dict) -> list[str]:
    """The export row, in EXPORT_HEADERS order."""
    by_kind = {"setting": [], "implementing": []}
    for c in doc.get("citations") or []:
        by_kind.setdefault(c["kind"], []).append(c["text"])
    values = []
    for _header, field, _aliases in COLUMNS:
        if field == "responsibilities":
            continue
        if field.startswith("citations."):
            v = "\n\n".join(by_kind.get(field.split(".", 1)[1], []))
        elif field.startswith("responsibilities."):
            v = format_responsibilities(doc.get("responsibilities") or [], field.split(".", 1)[1])
        elif field == "accountability":
            v = "\n".join(doc.get("accountability") or [])
        elif field == "risk_points":
            v = format_risk_points(doc.get("risk_points") or [])
        elif field == "discretion":
            v = format_discretion(doc.get("discretion") or [])
        elif field == "flowchart":
            v = format_flowchart(doc.get("flowchart") or {})
        elif field == "category":
            v = f"{doc['category']} {CATEGORY_NAMES[doc['category']]}"
        elif field == "list_kind":
            v = LIST_KIND_NAMES[doc["list_kind"]]
        elif field == "power_source":
            v = POWER_SOURCE_NAMES[doc["power_source"]]
        elif field == "status":
            v = STATUS_NAMES[doc["status"]]
        elif field in _UNIT_OF:
            v = format_limit(doc.get(field), doc.get(_UNIT_OF[field]) or LimitUnit.WORKING_DAY.value)
        else:
            v = doc.get(field)
        values.append("" if v is None else str(v))
    return values


# ---------------------------------------------------------------------------------------------
# validation: a raw document (from a row, from JSON, from a form) -> a clean document

def clean_document(raw: dict) -> tuple[dict, list[tuple[str, str, str]]]:
    """Validate and normalise; returns (document, [(field, value, expected), ...])."""
    doc: dict = {}
    errors: list[tuple[str, str, str]] = []
    for field in TEXT_FIELDS:
        value = _text(raw.get(field))
        limit = MAX_LENGTHS.get(field)
        if limit and len(value) > limit:
            errors.append((field, value, f"不能超过{limit}个字符"))
        doc[field] = value
    if not doc["name"]:
        errors.append(("name", "", "事项名称不能为空"))
    if not doc["code"]:
        errors.append(("code", "", "职权编码不能为空"))
    elif re.search(r"\s", doc["code"]):
        errors.append(("code", doc["code"], "职权编码不能含空白字符"))
    if not doc["organisation"]:
        errors.append(("organisation", "", "实施主体不能为空"))
    for field in CHOICE_FIELDS:
        value = raw.get(field)
        if value is None or _text(value) == "":
            if field == "category":
                errors.append((field, "", CHOICES[field][1]))
                doc[field] = None
            else:
                doc[field] = DEFAULTS[field]
            continue
        code = normalise_choice(field, value)
        if code is None:
            errors.append((field, _text(value), CHOICES[field][1]))
        doc[field] = code
    notes = []
    for field, unit_field in LIMIT_FIELDS:
        number, unit, note, ok = parse_limit(raw.get(field))
        if not ok:
            errors.append((field, _text(raw.get(field)), "时限应写作工作日、自然日或月数，如 20、20个工作日、30（工作日）、"
                                                         "20个自然日、3个月、即办 或 无"))
        doc[field], doc[unit_field] = _limit_with_unit(number, unit, raw.get(unit_field), unit_field, errors)
        if note and note != doc["limit_note"]:
            notes.append(note)
    if notes and not doc["limit_note"]:
        doc["limit_note"] = "；".join(notes)
    doc["onsite_visits"], ok = parse_visits(raw.get("onsite_visits"))
    if not ok:
        errors.append(("onsite_visits", _text(raw.get("onsite_visits")),
                       f"到现场次数应为0到{MAX_VISITS}的次数，如 0、1次、最多跑一次"))
    for field in DATE_FIELDS:
        value, ok = parse_date(raw.get(field))
        if not ok:
            errors.append((field, _text(raw.get(field)), "日期应为 YYYY-MM-DD"))
        doc[field] = value
    if doc["valid_from"] and doc["valid_to"] and doc["valid_to"] < doc["valid_from"]:
        errors.append(("valid_to", doc["valid_to"], "失效日期不能早于生效日期"))

    if raw.get(TRUSTED_LISTS) is _TRUSTED:
        for name in LIST_FIELDS:
            doc[name] = raw.get(name) or []
        if doc["discretion"]:
            try:
                doc["discretion"] = [d | {"min_fine": _money(d["min_fine"]), "max_fine": _money(d["max_fine"])}
                                     for d in doc["discretion"]]
            except InvalidOperation:
                errors.append(("discretion", str(doc["discretion"])[:60], "最低、最高罚款应为以元为单位的数字"))
                doc["discretion"] = []
    else:
        doc["citations"] = _clean_list(raw.get("citations"), "citations", errors, _clean_citation)
        doc["responsibilities"] = _clean_list(raw.get("responsibilities"), "responsibilities", errors,
                                              _clean_responsibility)
        doc["accountability"] = _clean_list(raw.get("accountability"), "accountability", errors,
                                            _clean_accountability)
        doc["risk_points"] = _clean_list(raw.get("risk_points"), "risk_points", errors, _clean_risk_point)
        doc["discretion"] = _clean_list(raw.get("discretion"), "discretion", errors, _clean_discretion)
    doc["citations"].sort(key=lambda c: c["kind"] != "setting")  # 设定依据 before 实施依据, as lists print them
    try:
        _check_children(doc, errors)
    except InvalidOperation:
        errors.append(("discretion", "", "罚款金额应为数字"))
    chart = raw.get("flowchart") or {}
    if isinstance(chart, str):
        chart = parse_flowchart(chart)
    doc["flowchart"], more = clean_flowchart(chart)
    errors += more
    return {f: doc[f] for f in DOCUMENT_FIELDS}, errors


def _limit_with_unit(number, unit, given, unit_field, errors) -> tuple[int | None, str]:
    """A unit written in the cell (`20个自然日`) wins; a bare number takes the unit given beside
    it (JSON, API, form, or the item's current unit), else working days. A number given for an
    item whose unit was 无 or 即办 is a number of working days."""
    if unit is None and given not in (None, ""):
        unit = _UNIT_ALIASES.get(normalise(_text(given)))
        if unit is None:
            errors.append((unit_field, _text(given), "时限单位应为 工作日、自然日、月、即办 或 无"))
    unit = unit or LimitUnit.WORKING_DAY.value
    if unit == LimitUnit.NONE and number is not None or unit == LimitUnit.INSTANT and number:
        unit = LimitUnit.WORKING_DAY.value
    if unit == LimitUnit.INSTANT:
        number = 0
    if number is not None and number > MAX_BY_UNIT.get(unit, 0) and unit != LimitUnit.INSTANT:
        errors.append((unit_field.replace("_unit", "_days"), str(number),
                       f"时限不能超过{MAX_BY_UNIT[unit]}{UNIT_NAMES[unit]}"))
        number = None
    return number, unit


CHILD_LIMITS = {"stage": 100, "step": 100, "grade": 30}
MAX_FINE = Decimal("999999999999.99")  # the column holds 14 digits, 2 after the point


def _check_children(doc: dict, errors: list) -> None:
    for field in ("responsibilities", "risk_points", "discretion"):
        for entry in doc[field]:
            for key, limit in CHILD_LIMITS.items():
                if len(entry.get(key) or "") > limit:
                    errors.append((field, entry[key][:60], f"{key} 不能超过{limit}个字符"))
            for key in ("min_fine", "max_fine"):
                if entry.get(key) is not None and not (0 <= Decimal(entry[key]) <= MAX_FINE):
                    errors.append((field, entry[key], "罚款金额应在0到999999999999.99元之间"))


def _clean_list(value, field, errors, clean_one) -> list:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        errors.append((field, str(value)[:60], "应为列表"))
        return []
    out = []
    for i, entry in enumerate(value):
        try:
            cleaned = clean_one(entry)
        except (KeyError, TypeError, AttributeError, ValueError, InvalidOperation) as exc:
            errors.append((f"{field}[{i}]", str(entry)[:60], f"条目格式不正确（{exc}）"))
            continue
        if cleaned is not None:
            out.append(cleaned)
    return out


def _clean_citation(c):
    text = text_of(c, "text", required=True)
    kind = text_of(c, "kind") or "setting"
    if kind not in ("setting", "implementing"):
        raise ValueError("kind 应为 setting 或 implementing")
    return {"kind": kind, "text": text} if text else None


def _clean_responsibility(r):
    stage = text_of(r, "stage")
    phase = text_of(r, "phase") or infer_phase(stage)
    if phase not in PHASES:
        phase = _PHASE.get(normalise(phase), phase)
    if phase not in PHASES:
        raise ValueError("phase 应为 before/during/after 或 事前/事中/事后")
    content = text_of(r, "content", required=True)
    return {"phase": phase, "stage": stage, "content": content} if content else None


def _clean_accountability(a):
    text = clean_cell(a) if isinstance(a, str) else text_of(a, "text", required=True)
    return text or None


def _clean_risk_point(p):
    given = text_of(p, "level", required=True)
    level = given if given in RISK_LEVELS else _RISK.get(normalise(given))
    if level is None:
        raise ValueError("level 应为 高/中/低")
    second = p.get("second_approver", False)
    if second not in (True, False, "是", "否"):
        raise ValueError("second_approver 应为 true/false（是/否）")
    if second in (True, "是") and level != "high":
        raise ValueError("只有高风险点可以要求复核（second_approver）")
    return {"level": level, "step": text_of(p, "step"), "description": text_of(p, "description", required=True),
            "prevention": text_of(p, "prevention"), **({"second_approver": True} if second in (True, "是") else {})}


def _money(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InvalidOperation("not a number")
    amount = Decimal(str(value))
    if not amount.is_finite():
        raise InvalidOperation("not a finite number")
    return str(amount.quantize(Decimal("0.01")))


def _clean_discretion(d):
    return {"grade": text_of(d, "grade", required=True), "circumstance": text_of(d, "circumstance", required=True),
            "penalty": text_of(d, "penalty", required=True), "min_fine": _money(d.get("min_fine")),
            "max_fine": _money(d.get("max_fine"))}


# ---------------------------------------------------------------------------------------------
# stored item -> document

def document_of(item) -> dict:
    """The document of a stored item. Prefetch citations, responsibilities, accountability,
    risk_points and discretion (and select organisation) when calling it for many items."""
    doc = {f: getattr(item, f) for f in TEXT_FIELDS if f != "organisation"}
    doc["organisation"] = item.organisation.name
    for f in CHOICE_FIELDS:
        doc[f] = getattr(item, f)
    for f in INT_FIELDS:
        doc[f] = getattr(item, f)
    for _f, unit_field in LIMIT_FIELDS:
        doc[unit_field] = getattr(item, unit_field)
    for f in DATE_FIELDS:
        value = getattr(item, f)
        doc[f] = value.isoformat() if value else None
    doc["citations"] = [{"kind": c.kind, "text": c.raw_text} for c in item.citations.all()]
    doc["responsibilities"] = [{"phase": r.phase, "stage": r.stage, "content": r.content}
                               for r in item.responsibilities.all()]
    doc["accountability"] = [a.text for a in item.accountability.all()]
    doc["risk_points"] = [{"level": p.level, "step": p.step, "description": p.description, "prevention": p.prevention,
                           **({"second_approver": True} if p.second_approver else {})} for p in item.risk_points.all()]
    doc["discretion"] = [{"grade": d.grade, "circumstance": d.circumstance, "penalty": d.penalty,
                          "min_fine": None if d.min_fine is None else str(d.min_fine),
                          "max_fine": None if d.max_fine is None else str(d.max_fine)}
                         for d in item.discretion.all()]
    doc["flowchart"] = item.flowchart if isinstance(item.flowchart, dict) else {}
    return {f: doc[f] for f in DOCUMENT_FIELDS}


# fields added after lists were first published, with the value an older snapshot means
ADDED_FIELDS = {"statutory_limit_unit": LimitUnit.WORKING_DAY.value, "promised_limit_unit": LimitUnit.WORKING_DAY.value,
                "office_address": "", "office_hours": "", "enquiry_phone": "", "online_url": "", "onsite_visits": None,
                "service_recipients": ""}


def with_added_fields(doc: dict) -> dict:
    """A stored document (a published version's snapshot may predate some fields) with every field."""
    return ADDED_FIELDS | doc


PREFETCH = ("citations", "responsibilities", "accountability", "risk_points", "discretion")


def changed_fields(before: dict | None, after: dict) -> list[str]:
    if before is None:
        return []
    return [f for f in DOCUMENT_FIELDS if before.get(f) != after.get(f)]
