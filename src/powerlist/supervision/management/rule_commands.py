"""The rule verbs of `powerlist supervise`: `rules` lists the rules as data, `rule CODE` changes
one (enable, disable, severity, parameters) and `quiet-days` sets a jurisdiction's 宁静日, all
through `services.rules` (inspectors and administrators; audited, the version bumped)."""

import json

from django.core.management.base import CommandError

from powerlist.core import scope
from powerlist.core.errors import PermissionDenied
from powerlist.core.models import Jurisdiction, Role
from powerlist.supervision import builtin
from powerlist.supervision.models import QuietDays, Rule
from powerlist.supervision.services import rules as rule_service

SEVERITY_NAMES = {"yellow": "黄", "red": "红", "info": "提示"}


def add_parsers(command, sub) -> None:
    listed = sub.add_parser("rules", help="every supervision rule: code, name, basis, severity, enabled, version, "
                                          "parameters")
    listed.add_argument("--json", action="store_true")
    changed = sub.add_parser("rule", help="change one rule (inspectors and administrators): enable or disable it, "
                                          "its severity, its parameters")
    changed.add_argument("code", metavar="CODE")
    switch = changed.add_mutually_exclusive_group()
    switch.add_argument("--enable", action="store_true")
    switch.add_argument("--disable", action="store_true", help="needs --reason")
    changed.add_argument("--severity", metavar="yellow|red|info", default=None)
    changed.add_argument("--param", metavar="NAME=VALUE", action="append", default=[],
                         help="a parameter; a list as comma-separated names (e.g. decide_steps=决定,审批)")
    changed.add_argument("--reason", default="")
    quiet = sub.add_parser("quiet-days", help="a jurisdiction's quiet days (宁静日): from day D to day D of each month")
    quiet.add_argument("--jurisdiction", metavar="CODE", required=True)
    quiet.add_argument("--from", dest="first_day", metavar="D", required=True)
    quiet.add_argument("--to", dest="last_day", metavar="D", required=True)
    for p in (listed, changed, quiet):
        command.add_actor_argument(p)


def run(command, actor, options) -> None:
    {"rules": listing, "rule": change, "quiet-days": quiet_days}[options["command"]](command, actor, options)


def _readers(actor) -> None:
    if scope._role(actor) not in (Role.ADMIN, Role.INSPECTOR, Role.REVIEWER):
        raise PermissionDenied(f"{scope._name(actor)}无权查看监察规则：需要纪检监察人员、审核人员或管理员")


def as_json(rule: Rule) -> dict:
    return {"code": rule.code, "name": rule.name, "basis": rule.basis, "severity": rule.severity,
            "enabled": rule.enabled, "disabled_reason": rule.disabled_reason, "time_driven": rule.time_driven,
            "version": rule.version, "params": rule.params,
            "updated_at": rule.updated_at.isoformat() if rule.updated_at else None}


def params_text(params: dict) -> str:
    return "，".join(f"{k}={'、'.join(v) if isinstance(v, list) else v}" for k, v in params.items()) or "无参数"


def listing(command, actor, options) -> None:
    _readers(actor)
    rules = list(Rule.objects.order_by("code"))
    if options["json"]:
        command.stdout.write(json.dumps({"rules": [as_json(r) for r in rules]}, ensure_ascii=False, indent=2))
        return
    for r in rules:
        state = "启用" if r.enabled else f"停用（{r.disabled_reason}）"
        command.stdout.write(f"[{SEVERITY_NAMES[r.severity]}] {r.code} {r.name}  第 {r.version} 版  {state}  "
                             f"参数：{params_text(r.params)}")
        command.stdout.write(f"    依据：{r.basis}")
    command.stdout.write(f"共 {len(rules)} 条监察规则")


def _value(name: str, text: str, default):
    """A parameter's value as the rule keeps it: a list of names, or an integer (left as text when
    it is not one, so the service names the parameter and what it expects)."""
    if isinstance(default, list):
        return [v.strip() for v in text.replace("，", ",").replace("、", ",").split(",") if v.strip()]
    try:
        return int(text.strip())
    except ValueError:
        return text


def parse_params(code: str, pairs: list[str]) -> dict:
    defaults = next((r["params"] for r in builtin.RULES if r["code"] == code), {})
    params = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"--param {pair}：应为 参数名=值（如 max_returns=2）；本规则的参数："
                               + ("、".join(defaults) or "无"))
        params[name.strip()] = _value(name.strip(), text, defaults.get(name.strip()))
    return params


def change(command, actor, options) -> None:
    code = options["code"]
    changes = {}
    if options["severity"] is not None:
        changes["severity"] = options["severity"]
    if options["param"]:
        changes["params"] = parse_params(code, options["param"])
    if options["enable"]:
        changes["enabled"] = True
    if options["disable"]:
        changes["enabled"], changes["disabled_reason"] = False, options["reason"]
    if not changes:
        raise CommandError("没有要修改的内容：给出 --enable、--disable、--severity 或 --param")
    before = Rule.objects.filter(code=code).values_list("version", flat=True).first()
    rule = rule_service.change(actor, code, reason=options["reason"], **changes)
    if rule.version == before:
        command.stdout.write(f"{rule.code} {rule.name}：没有变化，仍为第 {rule.version} 版")
        return
    state = "启用" if rule.enabled else "停用"
    command.stdout.write(f"{rule.code} {rule.name}：已改为第 {rule.version} 版（[{SEVERITY_NAMES[rule.severity]}] "
                         f"{state}，参数：{params_text(rule.params)}）")


def _day(option: str, text: str) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        raise CommandError(f"{option} {text}：应为 1 至 31 的日期（每月第几日）") from None


def quiet_days(command, actor, options) -> None:
    code = options["jurisdiction"]
    try:
        jurisdiction = Jurisdiction.objects.by_code(code)
    except Jurisdiction.DoesNotExist:
        raise CommandError(f"没有代码为 {code} 的行政区划") from None
    row = rule_service.set_quiet_days(actor, jurisdiction, _day("--from", options["first_day"]),
                                      _day("--to", options["last_day"]))
    command.stdout.write(f"{jurisdiction.name}（{code}）宁静日：每月 {row.first_day} 日至 {row.last_day} 日")


def quiet_days_of(jurisdiction) -> QuietDays | None:
    return QuietDays.objects.filter(jurisdiction=jurisdiction).first()
