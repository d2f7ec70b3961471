"""Changing a supervision rule: severity, parameters, enabled (with the reason when disabled).
Inspectors and administrators only; every change bumps the rule's version (alerts keep the
version that raised them) and goes on the transparency log with before and after.

A jurisdiction's quiet days (宁静日): administrators set any jurisdiction's, an inspector only those
of their own jurisdiction and below (an inspector without a jurisdiction covers all), whoever
calls: the console, the rules page or any other caller."""

from django.db import transaction
from django.utils import timezone

from powerlist.core import scope
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.models import Role
from powerlist.core.services import audit
from powerlist.supervision import builtin
from powerlist.supervision.models import QuietDays, Rule, Severity

FIELDS = ("severity", "params", "enabled", "disabled_reason")


def _require_inspector(actor, what: str) -> None:
    if scope._role(actor) not in (Role.ADMIN, Role.INSPECTOR) :
        raise PermissionDenied(f"{scope._name(actor)}无权{what}：需要纪检监察人员或管理员")


def _check_params(code: str, params) -> dict:
    defaults = next((r["params"] for r in builtin.RULES if r["code"] == code), {})
    if not isinstance(params, dict):
        raise InvalidInput([Problem("", None, "params", str(params)[:60], "应为参数名与值的对象")])
    problems = []
    for key, value in params.items():
        if key not in defaults:
            problems.append(Problem("", None, f"params.{key}", str(value)[:60],
                                    "规则没有此参数；可用的参数：" + ("、".join(defaults) or "无")))
        elif isinstance(defaults[key], list):
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(Problem("", None, f"params.{key}", str(value)[:60], "应为非空的环节名称列表"))
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3650:
            problems.append(Problem("", None, f"params.{key}", str(value)[:60], "应为 0 至 3650 的整数"))
    if code == "quiet-day-inspection":
        merged = {**defaults, **params}
        if not 1 <= merged["first_day"] <= merged["last_day"] <= 31:
            problems.append(Problem("", None, "params.first_day", f"{merged['first_day']}-{merged['last_day']}",
                                    "宁静日应为 1 至 31 日之间的连续日期"))
    if problems:
        raise InvalidInput(problems)
    return params


def change(actor, code: str, reason: str = "", **changes) -> Rule:
    """Change a rule's severity, params (merged over the current ones), enabled, disabled_reason;
    `reason`, why the inspector changes it, goes on the transparency log with the change."""
    _require_inspector(actor, "修改监察规则")
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise InvalidInput([Problem("", None, k, "", "可修改的只有 " + "、".join(FIELDS)) for k in sorted(unknown)])
    with transaction.atomic():
        rule = Rule.objects.select_for_update().filter(code=code).first()
        if rule is None:
            raise NotFound(f"没有代码为 {code} 的监察规则")
        before = {f: getattr(rule, f) for f in FIELDS}
        if "severity" in changes and changes["severity"] not in Severity.values:
            raise InvalidInput([Problem("", None, "severity", str(changes["severity"]), "应为 yellow、red 或 info")])
        if "params" in changes:
            changes["params"] = {**rule.params, **_check_params(code, changes["params"])}
        if "enabled" in changes:
            changes["enabled"] = bool(changes["enabled"])
            if not changes["enabled"] and not (changes.get("disabled_reason") or "").strip():
                raise InvalidInput([Problem("", None, "disabled_reason", "", "停用规则须写明原因")])
            if changes["enabled"]:
                changes.setdefault("disabled_reason", "")
        for key, value in changes.items():
            setattr(rule, key, value)
        after = {f: getattr(rule, f) for f in FIELDS}
        if after == before:
            return rule
        rule.version += 1
        rule.updated_at = timezone.now()
        rule.save()
        payload = {"version": rule.version, "before": before, "after": after}
        if (reason or "").strip():
            payload["reason"] = reason.strip()
        audit.append(actor, "supervision.rule", f"rule:{code}", payload)
    return rule


def covers(user, jurisdiction) -> bool:
    """Whether `user` supervises `jurisdiction`: administrators all; inspectors their jurisdiction and
    those below it, all without one (quiet days here, cards' appeals and escalations in `cards`)."""
    role = scope._role(user)
    if role == Role.ADMIN:
        return True
    if role != Role.INSPECTOR:
        return False
    return not user.jurisdiction_id or jurisdiction.code.startswith(user.jurisdiction.code)


def set_quiet_days(actor, jurisdiction, first_day: int, last_day: int) -> QuietDays:
    """宁静日 of a jurisdiction (the rule's default, 1st-25th, applies where none is set)."""
    _require_inspector(actor, "设置宁静日")
    if not covers(actor, jurisdiction):
        raise PermissionDenied(f"{scope._name(actor)}无权设置{jurisdiction.name}（{jurisdiction.code}）的宁静日："
                               f"纪检监察人员只能设置本辖区（{actor.jurisdiction.name}）及下级的宁静日")
    if not isinstance(first_day, int) or not isinstance(last_day, int) or not 1 <= first_day <= last_day <= 31:
        raise InvalidInput([Problem("", None, "quiet_days", f"{first_day}-{last_day}",
                                    "宁静日应为 1 至 31 日之间的连续日期，起日不晚于止日")])
    with transaction.atomic():
        row = QuietDays.objects.select_for_update().filter(jurisdiction=jurisdiction).first()
        before = [row.first_day, row.last_day] if row else None
        if row is None:
            row = QuietDays(jurisdiction=jurisdiction)
        row.first_day, row.last_day, row.updated_at = first_day, last_day, timezone.now()
        row.save()
        audit.append(actor, "supervision.quiet_days", f"jurisdiction:{jurisdiction.code}",
                     {"before": before, "after": [first_day, last_day]})
    return row
