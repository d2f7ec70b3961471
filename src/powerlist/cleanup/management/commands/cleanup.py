"""`powerlist cleanup check --jurisdiction CODE | --campaign ID [--theirs CODE|FILE] [--as USER] [--json]`:
every finding of the automatic checks (a)-(d), and (e) the comparison with another list, by
department with counts. Check (e) runs with --theirs, or over a campaign whose reference (the
upper level's published list) is set. A clerk sees only their own department's items and
findings. Reads only."""

import json
from collections import Counter, defaultdict

from django.core.management.base import CommandError

from powerlist.catalog.models import PowerItem
from powerlist.cleanup.checks import CHECKS, departments_without_duties, run_checks
from powerlist.cleanup.compare import load_list
from powerlist.cleanup.services import campaigns, levels
from powerlist.core import progress, scope
from powerlist.core.errors import PermissionDenied
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, Role, short_code
from powerlist.core.services import audit

CHECK_NAMES = {"legal_basis": "对照法律依据", "scope": "对照职权范围", "duplicate": "重复事项", "mandate": "对照三定职责",
               "comparison": "对照其他清单"}
SUGGESTION_NAMES = {"cancel": "建议取消", "amend": "建议调整", "merge": "建议整合", "review": "请核实"}
ALL_CHECKS = (*CHECKS, "comparison")


def _is_clerk(actor) -> bool:
    return getattr(actor, "role", None) == Role.CLERK and not getattr(actor, "is_superuser", False)


def readable_items(actor, jurisdiction: Jurisdiction):
    """A jurisdiction's items the actor may read: a clerk their department's, a reviewer, legal
    reviewer or inspector those in their scope; anyone else is refused."""
    items = PowerItem.objects.filter(jurisdiction=jurisdiction)
    if _is_clerk(actor):
        if getattr(actor.organisation, "jurisdiction_id", None) != jurisdiction.pk:
            raise PermissionDenied(f"{audit.actor_name(actor)}无权查看{jurisdiction.name}的检查结果：经办人只能查看本部门的")
        return items.filter(organisation_id=actor.organisation_id)
    if not scope.reads_records_of(actor, None, jurisdiction.code):
        raise PermissionDenied(f"{audit.actor_name(actor)}无权查看{jurisdiction.name}的检查结果")
    return items


class Command(PowerlistCommand):
    help = ("Automatic checks of the clean-up (legal basis, scope, duplicates, mandate, comparison with another "
            "list) over a jurisdiction's or a campaign's items.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="every finding of the checks, by department, with counts")
        where = check.add_mutually_exclusive_group(required=True)
        where.add_argument("--jurisdiction", metavar="CODE")
        where.add_argument("--campaign", metavar="ID", help="the items of a campaign (the actor may see)")
        check.add_argument("--theirs", metavar="CODE|FILE",
                           help="check (e) against this list (default: the campaign's reference list, if any)")
        check.add_argument("--check", action="append", choices=list(ALL_CHECKS), help="only these checks (repeatable)")
        check.add_argument("--json", action="store_true")
        self.add_actor_argument(check)

    def handle(self, *args, **options):
        actor = self.actor(options)
        theirs, places = None, set()
        if options["campaign"]:
            campaign = campaigns.get(actor, options["campaign"])
            jurisdiction = campaign.jurisdiction
            items = PowerItem.objects.filter(pk__in=campaigns.entries_for(actor, campaign).values("item_id"))
            if not options["theirs"] and campaign.reference_id:
                theirs = levels.reference_list(campaign)
        else:
            jurisdiction = Jurisdiction.objects.filter(code=short_code(options["jurisdiction"])).first()
            if jurisdiction is None:
                raise CommandError(f"没有代码为 {options['jurisdiction']} 的行政区划")
            items = readable_items(actor, jurisdiction)
        if options["theirs"]:
            theirs = load_list(options["theirs"])
        places = {j.name for j in [jurisdiction, *levels.ancestors(jurisdiction)]}
        chosen = tuple(options["check"] or (ALL_CHECKS if theirs is not None else CHECKS))
        if "comparison" in chosen and theirs is None:
            raise CommandError("对照其他清单需要 --theirs CODE|FILE，或开启时设定了 --reference 的清理工作")
        own = actor.organisation.name if _is_clerk(actor) else ""
        findings, summary = [], None
        for name in progress.bar(chosen, total=len(chosen), desc="检查", unit="项检查"):
            if name == "comparison":
                found, summary = levels.comparison_findings(items, theirs, places=places, only_department=own)
                findings += found
            else:
                findings += run_checks(items, (name,))
        if own:  # a duplicate group or a duty is found by its department: a clerk keeps their own
            findings = [f for f in findings if f.department == own]
        not_compared = departments_without_duties(items) if "mandate" in chosen else []
        self._write(options, jurisdiction, items.count(), chosen, findings, summary, not_compared)

    def _write(self, options, jurisdiction, n_items, chosen, findings, summary, not_compared=()):
        by_department = defaultdict(list)
        for f in findings:
            by_department[f.department].append(f)
        counts = Counter(f.check for f in findings)
        if options["json"]:
            out = {"jurisdiction": jurisdiction.code, "items": n_items, "findings": len(findings),
                   "by_check": {c: counts.get(c, 0) for c in chosen},
                   "by_department": {d: {"count": len(fs), "by_check": dict(Counter(f.check for f in fs)),
                                         "findings": [f.as_dict() for f in fs]}
                                     for d, fs in sorted(by_department.items())}}
            if summary is not None:
                out["comparison"] = summary
            if "mandate" in chosen:
                out["mandate_not_compared"] = list(not_compared)
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        w = self.stdout.write
        w(f"{jurisdiction.full_name()}（{jurisdiction.code}）{n_items} 项，发现 {len(findings)} 条："
          + "，".join(f"{CHECK_NAMES[c]} {counts.get(c, 0)}" for c in chosen))
        if not_compared:
            w(f"未录入职责，未作对照：{'、'.join(not_compared)}")
        if summary is not None:
            w(f"对照 {summary['theirs']}：匹配 {len(summary['matched'])} 项，仅本级有 {summary['only_ours']} 项，"
              f"仅对方有 {summary['only_theirs']} 项")
        for department, fs in sorted(by_department.items()):
            w(f"\n{department}（{len(fs)} 条）")
            for f in fs:
                codes = "、".join(f.evidence.get("codes") or [f.code])
                w(f"  [{CHECK_NAMES[f.check]}] {codes} {f.name}：{f.message}（{SUGGESTION_NAMES[f.suggestion]}）")
