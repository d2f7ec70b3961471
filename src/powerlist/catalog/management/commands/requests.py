"""`powerlist requests`: change requests (动态调整申请) from the console, through the same service
as the back office and the API."""

import json

from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder

from powerlist.catalog.documents import DOCUMENT_FIELDS, field_label
from powerlist.catalog.models import PowerItem, RequestStatus
from powerlist.catalog.services import requests as request_services
from powerlist.core import bounded
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code


def parse_sets(values: list[str]) -> dict:
    """FIELD=VALUE pairs; a VALUE that reads as JSON (a number, a list, an object) is taken as such."""
    changes = {}
    for value in values or []:
        field, sep, raw = value.partition("=")
        field = field.strip()
        if not sep or field not in DOCUMENT_FIELDS:
            raise CommandError(f"--set 应为 字段=值，字段为 {'、'.join(DOCUMENT_FIELDS)} 之一；"
                               f"而不是“{value}”")
        if raw.lstrip()[:1] in ("[", "{") or raw.strip().lstrip("-").isdigit():
            # bounded like any JSON we read: nesting and size within the limits, errors name the field
            parsed = bounded.loads(raw, f"--set {field}")
            changes[field] = parsed if isinstance(parsed, list | dict | int) and not isinstance(parsed, bool) else raw
        else:
            changes[field] = raw
    return changes


def jurisdiction_of(code: str) -> Jurisdiction:
    j = Jurisdiction.objects.filter(code=short_code(code)).first()
    if j is None:
        raise CommandError(f"没有代码为 {code} 的行政区划")
    return j


class Command(PowerlistCommand):
    help = ("Change requests (动态调整申请): list, show, submit, approve, reject, withdraw. A clerk's change to "
            "a published item is filed as a request; a reviewer of the jurisdiction decides.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ls = sub.add_parser("list", help="requests in scope, newest first")
        ls.add_argument("--jurisdiction", metavar="CODE")
        ls.add_argument("--status", choices=RequestStatus.values + ["all"], default="pending")
        ls.add_argument("--json", action="store_true")
        show = sub.add_parser("show", help="one request, field by field")
        show.add_argument("id", type=int)
        show.add_argument("--json", action="store_true")
        submit = sub.add_parser("submit", help="file a request to amend, cancel or add an item")
        submit.add_argument("--jurisdiction", required=True, metavar="CODE")
        submit.add_argument("--code", required=True, help="the item's power code (职权编码)")
        submit.add_argument("--kind", choices=["amend", "cancel", "add"], default="amend")
        submit.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                            help="a field to change (repeatable); for add, the new item's fields")
        submit.add_argument("--reason", required=True)
        submit.add_argument("--basis", default="", help="law or document the change rests on")
        for name in ("approve", "reject", "withdraw"):
            p = sub.add_parser(name, help=f"{name} a pending request")
            p.add_argument("id", type=int)
            if name != "withdraw":
                p.add_argument("--note", default="", required=name == "reject")
        for p in sub.choices.values():
            self.add_actor_argument(p)

    def handle(self, *args, **options):
        actor = self.actor(options)
        action = options["action"]
        if action == "list":
            qs = request_services.visible(actor)
            if options["status"] != "all":
                qs = qs.filter(status=options["status"])
            if options["jurisdiction"]:
                qs = qs.filter(jurisdiction=jurisdiction_of(options["jurisdiction"]))
            rows = list(qs.order_by("-requested_at", "-id")[:1000])
            if options["json"]:
                from powerlist.api.requests import request_detail
                self.stdout.write(json.dumps({"requests": [request_detail(r) for r in rows]}, ensure_ascii=False,
                                             indent=1, cls=DjangoJSONEncoder))
                return
            for r in rows:
                self.stdout.write(f"#{r.pk}\t{request_services.REQUEST_STATUS_NAMES[r.status]}\t"
                                  f"{request_services.KIND_NAMES[r.kind]}\t{r.code}\t{r.name}\t{r.organisation.name}\t"
                                  f"{r.requested_by_name}")
            self.stdout.write(f"{len(rows)} request(s)")
            return
        if action == "show":
            req = request_services.visible(actor).filter(pk=options["id"]).first()
            if req is None:
                raise CommandError(f"您的范围内没有编号为 {options['id']} 的动态调整申请")
            if options["json"]:
                from powerlist.api.requests import request_detail
                self.stdout.write(json.dumps(request_detail(req), ensure_ascii=False, indent=1, cls=DjangoJSONEncoder))
                return
            self.stdout.write(f"#{req.pk} {request_services.KIND_NAMES[req.kind]} {req.code} {req.name} "
                              f"({request_services.REQUEST_STATUS_NAMES[req.status]})\n理由：{req.reason}")
            for c in request_services.describe(req):
                self.stdout.write(f"  {c['label']}: {c['before']!r} → {c['after']!r}")
            return
        if action == "submit":
            j = jurisdiction_of(options["jurisdiction"])
            changes = parse_sets(options["set"])
            item = None
            if options["kind"] != "add":
                item = PowerItem.objects.filter(jurisdiction=j, code=options["code"]).first()
                if item is None:
                    raise CommandError(f"{j.full_name()}没有职权编码为 {options['code']} 的事项")
            else:
                changes.setdefault("code", options["code"])
            req = request_services.submit(actor, options["kind"], item=item, jurisdiction=j, changes=changes,
                                          reason=options["reason"], basis=options["basis"], via="cli")
            fields = "、".join(field_label(f) for f in req.changes)
            self.stdout.write(f"已提交动态调整申请 #{req.pk}（{fields}），由{j.full_name()}的审核人员决定")
            return
        if action == "approve":
            req = request_services.approve(actor, options["id"], note=options["note"], via="cli")
        elif action == "reject":
            req = request_services.reject(actor, options["id"], note=options["note"], via="cli")
        else:
            req = request_services.withdraw(actor, options["id"], via="cli")
        self.stdout.write(f"动态调整申请 #{req.pk}：{request_services.REQUEST_STATUS_NAMES[req.status]}")
