"""`powerlist cleanup check --jurisdiction CODE [--json]`: every finding of the automatic checks
(a)-(d) over a jurisdiction's items, by department with counts. Reads only."""

import json
from collections import Counter, defaultdict

from django.core.management.base import CommandError

from powerlist.catalog.models import PowerItem
from powerlist.cleanup.checks import CHECKS, run_checks
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code

CHECK_NAMES = {"legal_basis": "对照法律依据", "scope": "对照职权范围", "duplicate": "重复事项", "mandate": "对照三定职责"}
SUGGESTION_NAMES = {"cancel": "建议取消", "amend": "建议调整", "merge": "建议整合", "review": "请核实"}


class Command(PowerlistCommand):
    help = "Automatic checks of the clean-up (legal basis, scope, duplicates, mandate) over a jurisdiction's items."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="every finding of the checks, by department, with counts")
        check.add_argument("--jurisdiction", required=True, metavar="CODE")
        check.add_argument("--check", action="append", choices=list(CHECKS), help="only these checks (repeatable)")
        check.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        jurisdiction = Jurisdiction.objects.filter(code=short_code(options["jurisdiction"])).first()
        if jurisdiction is None:
            raise CommandError(f"no jurisdiction with code {options['jurisdiction']}")
        items = PowerItem.objects.filter(jurisdiction=jurisdiction)
        findings = run_checks(items, tuple(options["check"] or CHECKS))
        by_department = defaultdict(list)
        for f in findings:
            by_department[f.department].append(f)
        counts = Counter(f.check for f in findings)
        if options["json"]:
            self.stdout.write(json.dumps({
                "jurisdiction": jurisdiction.code, "items": items.count(), "findings": len(findings),
                "by_check": {c: counts.get(c, 0) for c in options["check"] or CHECKS},
                "by_department": {d: {"count": len(fs), "by_check": dict(Counter(f.check for f in fs)),
                                      "findings": [f.as_dict() for f in fs]}
                                  for d, fs in sorted(by_department.items())},
            }, ensure_ascii=False, indent=1))
            return
        w = self.stdout.write
        w(f"{jurisdiction.full_name()}（{jurisdiction.code}）{items.count()} 项，发现 {len(findings)} 条："
          + "，".join(f"{CHECK_NAMES[c]} {counts.get(c, 0)}" for c in options["check"] or CHECKS))
        for department, fs in sorted(by_department.items()):
            w(f"\n{department}（{len(fs)} 条）")
            for f in fs:
                codes = "、".join(f.evidence.get("codes") or [f.code])
                w(f"  [{CHECK_NAMES[f.check]}] {codes} {f.name}：{f.message}（{SUGGESTION_NAMES[f.suggestion]}）")
