import json
import unicodedata

from django.core.management.base import CommandError

from powerlist.catalog.models import CATEGORY_NAMES, STATUS_NAMES
from powerlist.catalog.stats import jurisdiction_stats
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, n: int, right: bool = False) -> str:
    gap = " " * max(0, n - width(text))
    return gap + text if right else text + gap


class Command(PowerlistCommand):
    help = "Items of a jurisdiction by category x status and by department."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", required=True, metavar="CODE")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        jurisdiction = Jurisdiction.objects.filter(code=short_code(options["jurisdiction"])).first()
        if jurisdiction is None:
            raise CommandError(f"没有代码为 {options['jurisdiction']} 的行政区划")
        stats = jurisdiction_stats(jurisdiction)
        if options["json"]:
            self.stdout.write(json.dumps(stats, ensure_ascii=False, indent=1))
            return
        w = self.stdout.write
        w(f"{stats['jurisdiction']['name']}（{jurisdiction.code}）权力事项 {stats['total']} 项")
        statuses = stats["statuses"]
        w("")
        w(pad("事项类型", 16) + "".join(pad(STATUS_NAMES[s], 8, True) for s in statuses) + pad("合计", 8, True))
        for row in stats["by_category"]:
            w(pad(f"{row['category']} {row['name']}", 16)
              + "".join(pad(str(row["by_status"][s]), 8, True) for s in statuses) + pad(str(row["total"]), 8, True))
        totals = [sum(r["by_status"][s] for r in stats["by_category"]) for s in statuses]
        w(pad("合计", 16) + "".join(pad(str(t), 8, True) for t in totals) + pad(str(stats["total"]), 8, True))
        w("")
        cats = [c for c in CATEGORY_NAMES if any(c in d["by_category"] for d in stats["by_department"])]
        name_width = max([width(d["organisation"]) for d in stats["by_department"]] + [8]) + 2
        w(pad("部门", name_width) + "".join(pad(c, 5, True) for c in cats) + pad("合计", 7, True))
        for d in stats["by_department"]:
            w(pad(d["organisation"], name_width) + "".join(pad(str(d["by_category"].get(c, "")), 5, True) for c in cats)
              + pad(str(d["total"]), 7, True))
