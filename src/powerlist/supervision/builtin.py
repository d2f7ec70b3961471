"""The built-in rules (as data: the migration loads them; an inspector changes severity,
parameters and enabled through services.rules) and how each finding reads."""

from decimal import Decimal, InvalidOperation

PENALTY_BASIS = ("《行政处罚法》第三十四条（行政处罚裁量基准）。按事件记录的裁量情节（discretion）和基数，从当时施行的"
                 "裁量基准表重新计算允许的罚款幅度和处罚种类（不采信记录的幅度）：罚款或处罚种类在幅度之外（同时给予几种"
                 "处罚的，逐一核对；按日连续处罚的，核对每日罚款额）、按比例或倍数计算却没有记录基数、按日连续处罚没有记录"
                 "天数、裁量情节在基准表中找不到对应的一档；没有导入裁量基准表的事项按清单中的裁量基准核对")
SECOND_APPROVAL_BASIS = ("廉政风险防控：权力运行流程图上的高风险点，须经本部门另一名人员复核（复核人与办理人不得为同一人）。"
                         "须复核的高风险环节办结时，此前没有他人的复核记录")
RULES = [
    {"code": "deadline-warning", "name": "临近办理期限", "severity": "yellow", "time_driven": True,
     "params": {"working_days": 3},
     "basis": "《行政许可法》第四十二条（办理期限）；办件的承诺时限或法定时限。距办理期限不足 N 个工作日、尚未办结的办件预警"},
    {"code": "overdue", "name": "超期办理", "severity": "red", "time_driven": True, "params": {},
     "basis": "《行政许可法》第四十二条、第八十二条（期限以工作日计算）；办件的承诺时限或法定时限。"
              "超过办理期限仍未办结，或办结晚于办理期限"},
    {"code": "skipped-step", "name": "跳过环节", "severity": "red", "params": {},
     "basis": "按图行权：办件应沿其受理时锁定的流程图版本办理（权力运行流程图）。已办理的环节之前，流程图要求的前置环节未办理"},
    {"code": "out-of-order", "name": "环节顺序颠倒", "severity": "red", "params": {},
     "basis": "按图行权：办件应沿其受理时锁定的流程图版本办理。流程图中位于其后的环节已先办理，或环节不在流程图上，"
              "或部门系统报送的事件顺序不符"},
    {"code": "unlisted-power", "name": "清单外行权", "severity": "red", "params": {},
     "basis": "按单用权：权力清单之外不得行使权力（中共中央办公厅、国务院办公厅《关于推行地方各级政府工作部门权力清单制度的指导意见》）。"
              "办件事项不在清单中、不属于办理部门、尚未公布或当时不在有效期内"},
    {"code": "suspension-too-long", "name": "中止时间过长", "severity": "yellow", "time_driven": True,
     "params": {"max_days": 30},
     "basis": "《行政许可法》第四十五条（中止所需时间不计算在期限内）；本级监察规则：中止或退回补正超过 N 个自然日仍未恢复办理"},
    {"code": "repeated-return", "name": "多次退回补正", "severity": "yellow", "params": {"max_returns": 1},
     "basis": "《行政许可法》第三十二条第一款第四项：申请材料不齐全或者不符合法定形式的，应当当场或者在五日内一次告知申请人"
              "需要补正的全部内容。退回补正超过 N 次"},
    {"code": "same-person-accept-decide", "name": "受理与决定同一人", "severity": "red",
     "params": {"accept_steps": ["受理"], "decide_steps": ["决定", "审批", "裁决", "确认"]},
     "basis": "审批分离、岗位制约（廉政风险防控）：流程图把受理与决定放在不同岗位（泳道）时，二者不得由同一人办理"},
    {"code": "quiet-day-inspection", "name": "宁静日例行检查", "severity": "yellow",
     "params": {"first_day": 1, "last_day": 25, "inspection_steps": ["检查", "实施检查", "现场检查"]},
     "basis": "企业宁静日制度：每月宁静日（默认 1 日至 25 日，各辖区可另设）内不得对企业实施例行检查。"
              "行政检查类事项的检查环节在宁静日办理"},
    {"code": "fee-above-standard", "name": "超标准收费", "severity": "red", "params": {}, "enabled": False,
     "disabled_reason": "收费标准尚未结构化：事项的收费标准（PowerItem.fee_standard）目前是文字，没有可比较的金额上限。"
                        "收费标准表建立后启用本规则",
     "basis": "《行政许可法》第五十八条、第五十九条：依照法律、行政法规收取费用的，应当按照公布的法定项目和标准收费"},
    {"code": "penalty-out-of-range", "name": "罚款超出裁量基准", "severity": "red", "params": {},
     "basis": PENALTY_BASIS},
    {"code": "second-approval-missing", "name": "高风险环节未经复核", "severity": "red", "params": {},
     "basis": SECOND_APPROVAL_BASIS},
]


def _money(value) -> str:
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


UNLISTED = {"missing": "事项 {v1} 不在权力清单中", "department": "事项 {v1} 不属于办理部门",
            "draft": "事项 {v1} 尚未公布（草稿）", "in_review": "事项 {v1} 尚未公布（审核中）",
            "before": "事项 {v1} 此时尚未生效", "after": "事项 {v1} 此时已失效",
            "reported": "部门系统报送的办件，事项 {v1} 不在权力清单中或不在有效期内"}


def detail(code: str, params: dict, step: str, day, v1, v2) -> str:
    """The finding in words (Chinese), from the values the rule's SQL selected."""
    if code == "skipped-step":
        return (f"“{step}”办理前，流程图要求的前置环节未办理（上一个办理的环节：“{v1}”）" if v1
                else f"“{step}”办理前，流程图要求的前置环节未办理")
    if code == "out-of-order":
        if v2 == "reported":
            return f"部门系统报送的事件“{step}”不符合流程图的顺序"
        if v2 == "unknown":
            return f"“{step}”不是本办件流程图上的环节"
        return f"“{step}”在流程图中位于其后的环节“{v2}”已办理之后才办理"
    if code == "unlisted-power":
        return UNLISTED.get(v2, UNLISTED["missing"]).format(v1=v1 or "（无编码）")
    if code == "overdue":
        return f"办结于 {v1}，晚于办理期限 {day}" if v1 else f"办理期限 {day} 已过，尚未办结"
    if code == "deadline-warning":
        return f"距办理期限 {day} 不足 {params['working_days']} 个工作日"
    if code == "suspension-too-long":
        return (f"中止已 {v1} 日仍未恢复（上限 {params['max_days']} 日）" if v2 == "open"
                else f"中止 {v1} 日后才恢复（上限 {params['max_days']} 日）")
    if code == "repeated-return":
        return f"第 {v1} 次退回补正：应一次告知需要补正的全部内容（至多 {params['max_returns']} 次）"
    if code == "same-person-accept-decide":
        return f"“{v1}”与“{step}”由同一人（{v2}）办理，流程图要求分岗办理"
    if code == "quiet-day-inspection":
        return f"{day} 在宁静日（每月 {v1} 日至 {v2} 日）内实施例行检查"
    if code == "penalty-out-of-range":
        return _penalty(v1, v2)
    if code == "second-approval-missing":
        return (f"高风险环节“{step}”由 {v1} 办理，复核人与办理人为同一人" if v2 == "same"
                else f"高风险环节“{step}”由 {v1} 办理，此前没有本部门其他人员的复核")
    return ""


PENALTY_KINDS = {"range": "罚款 {amount} 元超出裁量基准“{facts}”档的幅度",
                 "no-base": "罚款 {amount} 元无法核对：裁量基准“{facts}”档按基数的比例或倍数计算，没有记录基数",
                 "daily": "按日连续处罚 {days} 日共 {amount} 元，每日罚款 {per_day} 元超出裁量基准“{facts}”档的幅度",
                 "no-days": "按日连续处罚罚款 {amount} 元无法核对：没有记录处罚天数（应写作“按日连续处罚N日”）",
                 "type": "处罚种类“{v1}”不在裁量基准“{facts}”档允许的处罚种类之中",
                 "no-row": "裁量基准中没有与“{facts}”对应的一档",
                 "unstructured": "裁量基准“{facts}”档的裁量标准尚未结构化，无法核对罚款 {amount} 元"}


def _penalty(v1, v2) -> str:
    """v2 is `kind:facts` (see rules_discretion); a bare grade reads as `range`."""
    kind, sep, facts = (v2 or "").partition(":")
    if not sep or kind not in PENALTY_KINDS:
        kind, facts = "range", v2 or ""
    if kind == "daily":  # v1 is `total×days`
        total, _sep, days = (v1 or "").partition("×")
        try:
            per_day = _money(Decimal(total) / int(days))
        except (InvalidOperation, ValueError, ZeroDivisionError):
            per_day = "（无法计算）"
        return PENALTY_KINDS[kind].format(amount=_money(total), days=days, per_day=per_day, facts=facts)
    amount = _money(v1) if v1 not in (None, "") else "（未填）"
    return PENALTY_KINDS[kind].format(amount=amount, facts=facts, v1=v1 or "")
