"""`powerlist discretion`: import a discretion table (XLSX as departments keep it, or DMN), export
an item's table as DMN, show the range the benchmark allows for given facts, and list the rows a
person must still structure."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from powerlist.catalog.models import PowerItem
from powerlist.core.management.base import PowerlistCommand
from powerlist.discretion import dmn
from powerlist.discretion.services import tables


class Command(PowerlistCommand):
    help = "Discretion benchmarks (裁量基准): import, export, range, check."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        imported = sub.add_parser("import", help="import a table (XLSX or DMN), all or nothing")
        imported.add_argument("file")
        imported.add_argument("--jurisdiction", required=True, metavar="CODE")
        imported.add_argument("--json", action="store_true")
        exported = sub.add_parser("export", help="write the tables in force as DMN 1.3")
        exported.add_argument("--jurisdiction", required=True, metavar="CODE")
        exported.add_argument("--item", action="append", default=[], metavar="CODE", help="only these items")
        exported.add_argument("-o", "--output", required=True, metavar="FILE.dmn")
        ranged = sub.add_parser("range", help="what the benchmark allows for the recorded facts")
        ranged.add_argument("--jurisdiction", required=True, metavar="CODE")
        ranged.add_argument("--item", required=True, metavar="CODE")
        ranged.add_argument("--facts", required=True, metavar="GRADE", help="the grade (类别) or circumstance")
        ranged.add_argument("--base", default=None, metavar="YUAN", help="the base of a percentage or multiple")
        ranged.add_argument("--json", action="store_true")
        checked = sub.add_parser("check", help="rows whose standard a person must still structure")
        checked.add_argument("--jurisdiction", required=True, metavar="CODE")
        checked.add_argument("--json", action="store_true")
        for p in (imported, exported, ranged, checked):
            self.add_actor_argument(p)

    def handle(self, *args, **options):
        getattr(self, "do_" + options["command"])(options)

    def do_import(self, options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}：找不到这个文件")
        report = tables.import_table(self.actor(options), path, options["jurisdiction"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{report.file} ({report.format}): {report.rows} 行，{report.items} 个处罚事项")
        if report.needs_person:
            self.stdout.write(f"{len(report.needs_person)} 行的裁量标准需要人工结构化：")
            for n in report.needs_person[:50]:
                self.stdout.write(f"  {n['sheet']} 第{n['row']}行 {n['item']}：{n['standard']}（{n['why']}）")

    def _item(self, options) -> PowerItem:
        jurisdiction = tables.jurisdiction_of(options["jurisdiction"])
        item = PowerItem.objects.filter(jurisdiction=jurisdiction, code=options["item"]).first()
        if item is None:
            raise CommandError(f"{jurisdiction.name}没有职权编码为 {options['item']} 的事项")
        return item

    def do_export(self, options):
        jurisdiction = tables.jurisdiction_of(options["jurisdiction"])
        items = PowerItem.objects.filter(jurisdiction=jurisdiction, discretion_benchmarks__in_force=True).distinct()
        if options["item"]:
            items = items.filter(code__in=options["item"])
        pairs = [(item, tables.rows_of(item)) for item in items.order_by("code")]
        if not pairs:
            raise CommandError(f"{jurisdiction.name}没有现行的裁量基准" + ("（所选事项）" if options["item"] else ""))
        Path(options["output"]).write_bytes(dmn.export(pairs))
        self.stdout.write(f"{options['output']}: {len(pairs)} 个事项，{sum(len(r) for _i, r in pairs)} 档")

    def do_range(self, options):
        allowed = tables.allowed_range(self._item(options), options["facts"], options["base"])
        if options["json"]:
            self.stdout.write(json.dumps(allowed, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{allowed['item']} {allowed['grade'] or allowed['circumstances']}：{allowed['standard']}")
        for f in allowed["fines"]:
            if f.get("needs_base"):
                self.stdout.write(f"  罚款 {f['base'] or '基数'}的 {_share(f['min'], f['kind'])}–"
                                  f"{_share(f['max'], f['kind']) if f['max'] is not None else '不设上限'}：需给出基数 --base")
            else:
                self.stdout.write(f"  罚款 {f['min_yuan']}–{f['max_yuan'] or '不设上限'} 元")
        if allowed["measures"]:
            self.stdout.write("  " + "、".join(allowed["measures"]))
        self.stdout.write(f"  依据：{allowed['basis']}")

    def do_check(self, options):
        rows = tables.unstructured(tables.jurisdiction_of(options["jurisdiction"]))
        listed = [{"item": r.item.code, "sheet": r.sheet, "row": r.row, "standard": r.standard,
                   "why": r.parsed.get("why", "")} for r in rows]
        if options["json"]:
            self.stdout.write(json.dumps({"needs_person": listed}, ensure_ascii=False, indent=1))
            return
        if not listed:
            self.stdout.write("现行裁量基准的每一档都已结构化")
        for n in listed:
            self.stdout.write(f"{n['item']} {n['sheet']} 第{n['row']}行：{n['standard']}（{n['why']}）")


def _share(value, kind: str) -> str:
    """0.03 of a base as 3%, 2 as 2倍, as the 裁量标准 writes them."""
    if value is None:
        return "0"
    from decimal import Decimal

    number = Decimal(str(value))
    return f"{number * 100:g}%" if kind == "percent" else f"{number:g}倍"
