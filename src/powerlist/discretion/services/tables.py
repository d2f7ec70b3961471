"""Importing discretion tables and reading the range they allow.

`import_table` reads an XLSX (sheets.py) or DMN (dmn.py) file, attaches each row to a penalty item
of the jurisdiction (the item whose code equals the row's 职权编码 or 序号, else whose normalised
name matches the violation: 对……的处罚 / ……的处罚 / 对……行为的处罚 are one name), checks the rows
(an item's grades must not overlap) and stores them all or none. A standard that cannot be read
is stored and listed for a person to structure, never dropped.

`allowed_range` is what the officer is shown at the 决定 step and what supervision recomputes:
from the recorded facts (the grade or circumstance) and, for percentages and multiples, the base
amount, never from a stored range."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from powerlist.catalog.models import Category, PowerItem, Status
from powerlist.cleanup.matching import name_key
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.models import Jurisdiction, Role, short_code
from powerlist.core.services import audit
from powerlist.discretion import dmn, parse, sheets
from powerlist.discretion.models import Allowance, Benchmark, TableImport


@dataclass
class ImportReport:
    file: str
    format: str
    rows: int = 0
    items: int = 0
    needs_person: list[dict] = field(default_factory=list)
    by_item: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"file": self.file, "format": self.format, "rows": self.rows, "items": self.items,
                "needs_person": self.needs_person, "by_item": self.by_item}


def jurisdiction_of(code: str) -> Jurisdiction:
    found = Jurisdiction.objects.filter(code=short_code(code or "")).first()
    if found is None:
        raise NotFound(f"没有代码为 {code} 的行政区划")
    return found


def _penalty_items(jurisdiction: Jurisdiction) -> list[PowerItem]:
    return list(PowerItem.objects.filter(jurisdiction=jurisdiction, category=Category.PENALTY)
                .exclude(status=Status.CANCELLED).select_related("organisation"))


def _require(actor, jurisdiction: Jurisdiction, items) -> None:
    """Reviewers and administrators of the jurisdiction and its legal reviewers (法制审核) import
    any department's table; a department's clerk only a table whose rows are all its own items."""
    role = getattr(actor, "role", None)
    if scope.covers_jurisdiction(actor, jurisdiction):
        return
    if role == Role.LEGAL and actor.jurisdiction_id and jurisdiction.code.startswith(actor.jurisdiction.code):
        return
    if role == Role.CLERK and actor.organisation_id and all(i.organisation_id == actor.organisation_id for i in items):
        return
    raise PermissionDenied(f"{audit.actor_name(actor)}无权导入{jurisdiction.name}的裁量基准：由本级审核人员、"
                           f"法制审核人员、管理员导入，部门经办人只能导入本部门事项的裁量基准")


def _matcher(items: list[PowerItem]):
    by_code = {i.code: i for i in items}
    by_name = defaultdict(list)
    for i in items:
        by_name[name_key(i.name)].append(i)

    def match(fields: dict) -> tuple[PowerItem | None, str]:
        for key in ("code", "number"):
            if fields.get(key) in by_code:
                return by_code[fields[key]], ""
        violation = (fields.get("violation") or "").strip().rstrip("的")
        # a table names the violation; the list names the power over it: 对……的处罚
        found = by_name.get(name_key(violation), []) or by_name.get(name_key(f"对{violation}的处罚"), [])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, ("违法行为与多个处罚事项同名（" + "、".join(i.code for i in found[:5])
                          + "）：请在“职权编码”列写明事项编码")
        return None, "与本地区任何行政处罚事项的职权编码或名称都对不上：请写明职权编码，或使违法行为与事项名称一致"
    return match


def import_table(actor, path: str | Path, jurisdiction_code: str) -> ImportReport:
    """Import one file (XLSX as departments keep it, or DMN) into a jurisdiction, all or nothing."""
    path = Path(path)
    jurisdiction = jurisdiction_of(jurisdiction_code)
    data = path.read_bytes() if path.suffix.lower() in (".dmn", ".xml") else None
    if data is not None:
        rows, fmt = dmn.read(data, path.name), "dmn"
    else:
        rows, fmt = sheets.read(path), "xlsx"
    report = ImportReport(path.name, fmt)
    items = _penalty_items(jurisdiction)
    match = _matcher(items)
    problems: list[Problem] = []
    matched: list[tuple[sheets.TableRow, PowerItem, parse.Standard]] = []
    seen: dict[tuple[int, str, str], int] = {}
    for row in rows:
        f = row.fields
        where = f"{row.sheet}/" if row.sheet else ""
        if not f.get("standard"):
            problems.append(Problem(path.name, row.row, f"{where}裁量标准", "", "每行都要写明裁量标准"))
            continue
        item, why = match(f)
        if item is None:
            problems.append(Problem(path.name, row.row, f"{where}违法行为", f.get("violation", ""), why))
            continue
        key = (item.pk, f.get("grade", ""), f.get("circumstances", ""))
        if key in seen:
            problems.append(Problem(path.name, row.row, f"{where}类别", f.get("grade", ""),
                                    f"与第{seen[key]}行的类别和裁量情节相同（{item.code}）：同一违法行为的各档不能重叠"))
            continue
        seen[key] = row.row
        matched.append((row, item, parse.parse(f["standard"])))
    if problems:
        raise InvalidInput(problems)
    _require(actor, jurisdiction, [item for _r, item, _s in matched])
    now = timezone.now()
    with transaction.atomic():
        item_ids = sorted({item.pk for _r, item, _s in matched})
        list(PowerItem.objects.select_for_update().filter(pk__in=item_ids).values_list("pk"))
        source = TableImport.objects.create(
            jurisdiction=jurisdiction, filename=path.name[:255], format=fmt,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(), rows=len(matched), items=len(item_ids),
            needs_person=sum(1 for _r, _i, s in matched if s.needs_person), imported_by=audit.actor_name(actor),
            imported_at=now)
        Benchmark.objects.filter(item_id__in=item_ids, in_force=True).update(in_force=False)
        Benchmark.objects.bulk_create([
            Benchmark(source=source, item=item, sheet=f.get("law", row.sheet)[:200], row=row.row,
                      number=(f.get("code") or f.get("number", ""))[:100], violation=f.get("violation", ""),
                      basis=f.get("basis", ""), grade=f.get("grade", "")[:200],
                      circumstances=f.get("circumstances", ""), standard=f["standard"], note=f.get("note", ""),
                      parsed=standard.as_dict(), needs_person=standard.needs_person)
            for row, item, standard in matched for f in [row.fields]], batch_size=1000)
        stored = Benchmark.objects.filter(source=source).order_by("pk").values_list("pk", "parsed")
        Allowance.objects.bulk_create([a for pk, parsed in stored for a in allowances(pk, parsed)], batch_size=1000)
        for row, item, standard in matched:
            report.by_item[item.code] = report.by_item.get(item.code, 0) + 1
            if standard.needs_person:
                report.needs_person.append({"row": row.row, "sheet": row.sheet, "item": item.code,
                                            "standard": standard.text, "why": standard.why})
        report.rows, report.items = len(matched), len(item_ids)
        audit.append(actor, "discretion.import", f"jurisdiction:{jurisdiction.code}", {
            "file": path.name, "format": fmt, "sha256": source.sha256, "rows": report.rows, "items": report.items,
            "needs_person": len(report.needs_person)})
    return report


def allowances(benchmark_id: int, parsed: dict) -> list[Allowance]:
    """A row's structured standard as Allowance rows (what the supervision rule joins)."""
    out = [Allowance(benchmark_id=benchmark_id, kind=f["kind"], minimum=f["min"], maximum=f["max"],
                     name=(f.get("base") or "")[:200]) for f in parsed.get("fines", [])]
    out += [Allowance(benchmark_id=benchmark_id, kind="measure", name=m[:200]) for m in parsed.get("measures", [])]
    if parsed.get("daily"):  # 按日连续处罚: the fines above are per day
        out.append(Allowance(benchmark_id=benchmark_id, kind="daily", name="按日连续处罚"))
    return out


def cents(value: Decimal) -> Decimal:
    """A bound in yuan to the cent (fines are decided in yuan and fen; the rule's SQL rounds alike)."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _yuan_text(value: Decimal) -> str:
    return format(cents(value).normalize(), "f")


def rows_of(item: PowerItem, at=None):
    """The rows in force for an item (or, with `at`, those imported last before that time)."""
    qs = Benchmark.objects.filter(item=item)
    if at is None:
        return list(qs.filter(in_force=True).order_by("pk"))
    source = (TableImport.objects.filter(benchmarks__item=item, imported_at__lte=at)
              .order_by("-imported_at").first())
    return list(qs.filter(source=source).order_by("pk")) if source else []


def _grade_matches(row: Benchmark, facts: str) -> bool:
    facts = (facts or "").strip()
    return bool(facts) and facts in (row.grade.strip(), row.circumstances.strip(),
                                     f"{row.grade.strip()}/{row.circumstances.strip()}")


def allowed_range(item: PowerItem, facts: str, base: str | Decimal | None = None, at=None) -> dict:
    """The range the benchmark allows for the recorded facts (a grade such as 一般, or a
    circumstance), in yuan where a base amount is given for percentages and multiples.
    NotFound when no row matches the facts: that is an error, never an open range."""
    rows = [r for r in rows_of(item, at) if _grade_matches(r, facts)]
    if not rows:
        grades = "、".join(sorted({r.grade or r.circumstances for r in rows_of(item, at)})) or "（没有裁量基准）"
        raise NotFound(f"{item.code}“{item.name}”的裁量基准中没有与“{facts}”对应的一档；可选：{grades}")
    row = rows[0]
    if row.needs_person:
        raise NotFound(f"{item.code} 第{row.row}行的裁量标准“{row.standard}”还没有结构化，不能据以计算范围")
    base_amount = None
    if base not in (None, ""):
        try:
            base_amount = Decimal(str(base))
        except InvalidOperation:
            raise InvalidInput([Problem("", None, "base", str(base), "应为金额（元）")]) from None
    fines = []
    for fine in row.parsed["fines"]:
        low = Decimal(fine["min"]) if fine["min"] is not None else None
        high = Decimal(fine["max"]) if fine["max"] is not None else None
        entry = dict(fine)
        if fine["kind"] in ("percent", "multiple"):
            if base_amount is None:
                entry["min_yuan"] = entry["max_yuan"] = None
                entry["needs_base"] = fine["base"] or "基数"
            else:
                entry["min_yuan"] = _yuan_text(low * base_amount) if low is not None else None
                entry["max_yuan"] = _yuan_text(high * base_amount) if high is not None else None
        else:
            entry["min_yuan"], entry["max_yuan"] = fine["min"], fine["max"]
        fines.append(entry)
    return {"item": item.code, "facts": facts, "grade": row.grade, "circumstances": row.circumstances,
            "standard": row.standard, "basis": row.basis, "law": row.sheet, "row": row.row, "fines": fines,
            "measures": row.parsed["measures"], "daily": row.parsed["daily"]}


def within(item: PowerItem, facts: str, amount, base=None, at=None) -> bool:
    """Whether an amount (yuan) lies inside what the benchmark allows for the facts."""
    allowed = allowed_range(item, facts, base, at)
    amount = Decimal(str(amount))
    for fine in allowed["fines"]:
        low, high = fine.get("min_yuan"), fine.get("max_yuan")
        if fine.get("needs_base"):
            continue
        if (low is None or amount >= Decimal(low)) and (high is None or amount <= Decimal(high)):
            return True
    return False


def unstructured(jurisdiction: Jurisdiction) -> list[Benchmark]:
    """Rows in force whose standard a person must structure (the check before publishing)."""
    return list(Benchmark.objects.filter(item__jurisdiction=jurisdiction, in_force=True, needs_person=True)
                .select_related("item").order_by("item__code", "pk"))
