"""A case's due date (办理期限) on the official working-day calendar, kept with its explanation:
the item's promised limit (承诺时限), else its statutory limit (法定时限), counted from acceptance
(受理; the next day is the first), with suspensions (中止) stopping the clock and approved
extensions (延长) added. The limit is pinned on the case at acceptance, so a later change of the
item never moves a running case's deadline."""

import datetime as dt

from powerlist.core import workdays

KINDS = {"promised": "承诺时限", "statutory": "法定时限"}
SUSPENSION_REASONS = ("补正材料", "专家评审", "听证", "检验检测")
DEFAULT_EXTENSION_DAYS = 10  # 行政许可法 第四十二条: 经本行政机关负责人批准，可以延长十日


def pin_limit(item) -> tuple[str, int | None, str]:
    """(kind, number, unit) of the limit a case accepted now runs on."""
    if item.promised_limit_days is not None and item.promised_limit_unit != workdays.NONE:
        return "promised", item.promised_limit_days, item.promised_limit_unit or workdays.WORKING_DAY
    if item.statutory_limit_days is not None and item.statutory_limit_unit != workdays.NONE:
        return "statutory", item.statutory_limit_days, item.statutory_limit_unit or workdays.WORKING_DAY
    return "", None, workdays.NONE


def compute(case, calendar=None) -> tuple[dt.date | None, str]:
    """(due date, explanation) of a case as its limit, suspensions and extensions stand."""
    start = workdays.beijing_date(case.accepted_at)
    suspensions = [tuple(s) for s in case.suspensions]
    extra = sum(int(e["days"]) for e in case.extensions)
    number = None if case.limit_days is None else case.limit_days + extra
    due = workdays.due_date(start, number, case.limit_unit or workdays.NONE, suspensions, calendar)
    words = []
    if case.limit_kind:
        words.append(f"{KINDS[case.limit_kind]} {case.limit_days}{workdays.UNIT_WORDS.get(case.limit_unit, '')}"
                     if case.limit_unit in workdays.UNIT_WORDS else f"{KINDS[case.limit_kind]} 即办")
    for e in case.extensions:
        unit = workdays.UNIT_WORDS.get(case.limit_unit, "个工作日")
        words.append(f"延长 {e['days']}{unit}（{e['reason']}，{e['approved_by']} 批准）")
    text = due.explained
    if words:
        text = "，".join(words) + "：" + text
    if case.suspended_since:
        text += f"；{case.suspension_reason or '中止'}自 {case.suspended_since.isoformat()} 起中止，恢复后顺延"
    return due.date, text
