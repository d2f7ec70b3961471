"""Reading a 裁量标准 text into a structured range.

The forms departments write (and the laws they copy) are few:

- absolute amounts: 处二万元以上十万元以下罚款, 处一万元以下罚款, 处五万元以上罚款, 处五千元罚款,
  处2万元至5万元罚款;
- a percentage of a named base: 处建设项目总投资额百分之一以上百分之五以下的罚款 (or 1%以上5%以下);
- a multiple of a named base: 处所收费用三倍以上四倍以下的罚款, 并处违法所得一倍以上三倍以下的罚款, and from a
  share up to a multiple: 处货值金额百分之五十以上三倍以下罚款 (0.5 to 3 times 货值金额);
- daily penalties: 按日连续处罚;
- non-monetary measures: 警告, 通报批评, 责令改正, 责令停产整治, 责令停产停业, 没收违法所得, 没收非法财物,
  暂扣/吊销许可证或执照, 降低资质等级, 行政拘留 ….

A text may hold several of them (`没收违法所得，并处违法所得一倍以上三倍以下的罚款`). What cannot be
read is never guessed: the result says so (`needs_person`) and the row waits for a person to
structure it. Chinese numerals are read by cn2an ("smart" mode also reads 1.5万)."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import cn2an

NUM = r"(?:[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万亿点壹贰叁肆伍陆柒捌玖拾佰仟]+)"
UNIT = r"(?:万元|千元|百元|元)"
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％～－", "0123456789.%~-")

# absolute amounts: "二万元以上十万元以下", "二万以上十万元以下", "一万元以下", "五万元以上", "五千元", "2万元至5万元"
_ABSOLUTE = re.compile(
    rf"(?P<a>{NUM})(?P<ua>{UNIT}|万)?(?:以上|起)?(?:(?:至|到|~|-)|(?<=以上))(?P<b>{NUM})(?P<ub>{UNIT})(?:以下)?"
    rf"|(?P<only>{NUM})(?P<uo>{UNIT})(?P<side>以下|以上)?")
_PERCENT = re.compile(
    rf"百分之(?P<a>{NUM})(?P<a_side>以上|以下)?(?:(?:至|到|~|-)?百分之(?P<b>{NUM})以下)?"
    rf"|(?P<pa>[0-9]+(?:\.[0-9]+)?)%(?P<pa_side>以上|以下)?(?:(?:至|到|~|-)?(?P<pb>[0-9]+(?:\.[0-9]+)?)%以下)?")
_MULTIPLE = re.compile(
    rf"(?P<a>{NUM})倍(?P<a_side>以上|以下)?(?:(?:至|到|~|-)?(?P<b>{NUM})倍(?:以下)?)?")
# a share below one times the base up to a multiple of it: "处货值金额百分之五十以上三倍以下罚款"
_MIXED = re.compile(
    rf"(?:百分之(?P<a>{NUM})|(?P<pa>[0-9]+(?:\.[0-9]+)?)%)(?:以上|至|到|~|-)+(?P<b>{NUM})倍(?:以下)?")
_DAILY = re.compile(r"按日(?:连续)?(?:处罚|计罚)")
# the base named before a percentage or multiple: "处所收费用", "并处违法所得", "处建设项目总投资额"
_BASE = re.compile(r"(?:并处|可以处|可处|处以|处)(?P<base>[^，,。；;：:、处]{1,30}?)(?:的)?$")

MEASURES = [
    ("警告", re.compile(r"警告")),
    ("通报批评", re.compile(r"通报批评")),
    ("责令改正", re.compile(r"责令(?:限期)?改正")),
    ("责令停产整治", re.compile(r"责令停产整治")),
    ("责令停产停业", re.compile(r"责令停(?:产)?停业|责令停业")),
    ("责令关闭", re.compile(r"责令关闭|予以关闭")),
    ("没收违法所得", re.compile(r"没收违法所得")),
    ("没收非法财物", re.compile(r"没收(?:非法财物|违法物品|工具|设备|产品)")),
    ("暂扣许可证件", re.compile(r"暂扣[^，。；]{0,12}(?:许可证|执照|证件|证书)")),
    ("吊销许可证件", re.compile(r"吊销[^，。；]{0,12}(?:许可证|执照|证件|证书)")),
    ("降低资质等级", re.compile(r"降低资质等级")),
    ("限制从业", re.compile(r"限制(?:开展生产经营活动|从业)|禁止从业")),
    ("行政拘留", re.compile(r"拘留")),
]


# what joins several penalty types written in one field (警告、罚款; 罚款并处没收违法所得): the case page,
# the console and a department's pushed events all write them so, and supervision reads them so
TYPE_SEPARATORS = ("、", "，", ",", "；", ";", "＋", "+", "和", "及", "并处", "并", " ", "　")  # 并处 before 并


def penalty_types_in(text: str) -> list[str]:
    """The penalty types named in one field, each once, in order (brackets dropped)."""
    pattern = "|".join(re.escape(sep) for sep in TYPE_SEPARATORS)
    cleaned = re.sub(r"[（）()]", " ", text or "")
    return list(dict.fromkeys(k.strip() for k in re.split(pattern, cleaned) if k.strip()))


class Unreadable(ValueError):
    pass


def number(text: str) -> Decimal:
    """一万五千 → 15000, 1.5万 → 15000, 二 → 2; raises Unreadable."""
    text = text.translate(_FULLWIDTH).strip()
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        raise Unreadable(text) from None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise Unreadable(text) from None


def _yuan(amount: str, unit: str | None) -> Decimal:
    scale = {"万元": 10_000, "万": 10_000, "千元": 1_000, "百元": 100, "元": 1, None: 1, "": 1}[unit]
    return number(amount) * scale


@dataclass
class Fine:
    kind: str  # "absolute" (yuan), "percent" (fraction of base), "multiple" (times base)
    minimum: Decimal | None
    maximum: Decimal | None
    base: str = ""

    def as_dict(self) -> dict:
        return {"kind": self.kind, "min": _plain(self.minimum), "max": _plain(self.maximum), "base": self.base}


def _plain(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


@dataclass
class Standard:
    text: str
    fines: list[Fine] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    daily: bool = False
    needs_person: bool = False
    why: str = ""

    def as_dict(self) -> dict:
        return {"fines": [f.as_dict() for f in self.fines], "measures": self.measures, "daily": self.daily,
                "needs_person": self.needs_person, "why": self.why}


def _base_before(text: str, start: int) -> str:
    m = _BASE.search(text[max(0, start - 40):start])
    return m.group("base").strip() if m else ""


def _range(a, a_side, b, convert) -> tuple[Decimal | None, Decimal | None]:
    low = convert(a)
    if b is not None:
        return low, convert(b)
    if a_side == "以下":
        return Decimal(0), low
    if a_side == "以上":
        return low, None
    return low, low


def parse(text: str) -> Standard:
    """The structured reading of one 裁量标准 text."""
    original = text or ""
    text = re.sub(r"\s+", "", original.translate(_FULLWIDTH))
    result = Standard(original)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Fine]] = []
    try:
        for m in _MIXED.finditer(text):
            low = number(m.group("pa")) / 100 if m.group("pa") else number(m.group("a")) / 100
            found.append((m.start(), Fine("multiple", low, number(m.group("b")), _base_before(text, m.start()))))
            taken.append(m.span())
        for m in _PERCENT.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if m.group("pa"):
                low, high = _range(m.group("pa"), m.group("pa_side"), m.group("pb"), lambda v: number(v) / 100)
            else:
                low, high = _range(m.group("a"), m.group("a_side"), m.group("b"), lambda v: number(v) / 100)
            found.append((m.start(), Fine("percent", low, high, _base_before(text, m.start()))))
            taken.append(m.span())
        for m in _MULTIPLE.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            low, high = _range(m.group("a"), m.group("a_side"), m.group("b"), number)
            found.append((m.start(), Fine("multiple", low, high, _base_before(text, m.start()))))
            taken.append(m.span())
        for m in _ABSOLUTE.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if m.group("only"):
                low, high = _range(m.group("only"), m.group("side"), None, lambda v: _yuan(v, m.group("uo")))
            else:
                unit_b = m.group("ub")
                low = _yuan(m.group("a"), m.group("ua") or unit_b)
                high = _yuan(m.group("b"), unit_b)
            found.append((m.start(), Fine("absolute", low, high)))
            taken.append(m.span())
    except Unreadable as exc:
        result.needs_person, result.why = True, f"读不出数额“{exc}”"
        return result
    result.fines = [f for _start, f in sorted(found, key=lambda pair: pair[0])]
    for f in result.fines:
        if f.minimum is not None and f.maximum is not None and f.minimum > f.maximum:
            result.needs_person, result.why = True, "下限大于上限"
    result.daily = bool(_DAILY.search(text))
    for name, pattern in MEASURES:
        if pattern.search(text):
            result.measures.append(name)
    if not result.fines and "罚款" in text:
        result.needs_person, result.why = True, "写明了罚款但读不出数额或比例"
    elif not result.fines and not result.measures and not result.daily:
        result.needs_person, result.why = True, "没有可识别的罚款数额、比例、倍数或处罚种类"
    return result
