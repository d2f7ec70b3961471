"""`powerlist case`: open a case (受理), act on one of its steps, show it. Refusals (a step that
is not ready, a power not in force, another department's case) exit 1 with the reason."""

import json

from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.management.base import PowerlistCommand
from powerlist.operation.models import CaseAction
from powerlist.operation.services import cases, decisions


class Command(PowerlistCommand):
    help = "Cases (办件) along the published flowchart: open, act, show."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        opened = sub.add_parser("open", help="accept a case for a published, in-force item; prints its number last")
        opened.add_argument("--item", required=True, metavar="CODE", help="the item's power code (职权编码)")
        opened.add_argument("--jurisdiction", required=True, metavar="CODE")
        opened.add_argument("--applicant", default="", metavar="NAME")
        opened.add_argument("--phone", default="", metavar="P")
        acted = sub.add_parser("act", help="complete a ready step, return, suspend, resume, extend, close, or approve "
                                           "(复核) a high-risk step before another person completes it")
        acted.add_argument("case", metavar="CASE")
        acted.add_argument("--step", default="", metavar="NAME", help="the step's name or id")
        acted.add_argument("--action", required=True,
                           choices=[a for a in CaseAction.values if a != "accept"] + [decisions.APPROVE])
        acted.add_argument("--reason", default="", metavar="R")
        acted.add_argument("--days", type=int, default=None, metavar="N", help="extend: working days (default 10)")
        acted.add_argument("--data", action="append", default=[], metavar="NAME=VALUE",
                           help="complete: a case field the next gateway's conditions read (是/否, a number or "
                                "text); repeatable")
        acted.add_argument("--discretion", default="", metavar="GRADE",
                           help="complete a decision step (决定): the facts, a grade of the item's discretion table "
                                "(类别, e.g. 一般) or grade/circumstances")
        acted.add_argument("--amount", default=None, metavar="YUAN", help="the fine decided (元)")
        acted.add_argument("--base", default=None, metavar="YUAN",
                           help="the base a fine is a percentage or multiple of (e.g. 建设项目总投资额, 所收费用), 元")
        acted.add_argument("--penalty-type", default="", metavar="T", help="处罚种类：罚款（填了 --amount 时默认）、警告…；几种并处用“、”连接，如 罚款、没收违法所得")
        shown = sub.add_parser("show", help="the case: ready and done steps, due date, events")
        shown.add_argument("case", metavar="CASE")
        shown.add_argument("--json", action="store_true")
        for p in (opened, acted, shown):
            self.add_actor_argument(p)

    def handle(self, *args, **options):
        actor = self.actor(options)
        command = options["command"]
        if command == "open":
            case = cases.open_case(actor, options["item"], options["jurisdiction"], applicant=options["applicant"],
                                   phone=options["phone"])
            self.stdout.write(f"受理 {case.item.code} {case.item.name}；期限 {case.due_explained}")
            self.stdout.write(case.number)
            return
        if command == "act":
            data = {}
            for pair in options["data"]:
                name, sep, value = pair.partition("=")
                if not sep or not name.strip():
                    raise InvalidInput([Problem("", None, "--data", pair[:60], "应为 字段名=值（如 materials_complete=是）")])
                data[name.strip()] = value.strip()
            if options["action"] == decisions.APPROVE:
                event = decisions.approve(actor, options["case"], options["step"], options["reason"])
            else:
                with decisions.given(discretion=options["discretion"], amount=options["amount"], base=options["base"],
                                     penalty_type=options["penalty_type"]):
                    event = cases.act(actor, options["case"], options["action"], options["step"] or None,
                                      reason=options["reason"], days=options["days"], data=data or None)
            case = cases.get_case(options["case"])
            shown = cases.describe(case)
            self.stdout.write(f"{case.number} 第 {event.seq} 号事件：{_action(event.action)} {event.step}".rstrip())
            status = STATUS_WORDS.get(shown["status"], shown["status"])
            self.stdout.write(f"状态 {status}；可办理：{'、'.join(shown['ready']) or '无'}；期限 {shown['due'] or '无'}")
            return
        shown = cases.describe(cases.get_case(options["case"]))
        if options["json"]:
            self.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{shown['case']} {shown['item']} {STATUS_WORDS.get(shown['status'], shown['status'])}")
        self.stdout.write(f"可办理：{'、'.join(shown['ready']) or '无'}；已办理：{'、'.join(shown['done']) or '无'}")
        self.stdout.write(f"期限 {shown['due'] or '无'}：{shown['due_explained']}")
        for e in shown["events"]:
            self.stdout.write(f"  {e['at']} {e['actor']} {_action(e['action'])} {e['step']}".rstrip())


STATUS_WORDS = {"open": "办理中", "suspended": "已中止", "closed": "已办结"}


def _action(action: str) -> str:
    return cases.ACTION_NAMES.get(action, {"approve": "批准"}.get(action, action))
