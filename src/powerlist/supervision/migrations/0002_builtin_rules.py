"""The built-in supervision rules, as data (an inspector changes them through services.rules)."""

from django.db import migrations

RULES = [
    ("deadline-warning", "临近办理期限", "yellow", True, {"working_days": 3}, True, "",
     "《行政许可法》第四十二条（办理期限）；办件的承诺时限或法定时限。距办理期限不足 N 个工作日、尚未办结的办件预警"),
    ("overdue", "超期办理", "red", True, {}, True, "",
     "《行政许可法》第四十二条、第八十二条（期限以工作日计算）；办件的承诺时限或法定时限。超过办理期限仍未办结，或办结晚于办理期限"),
    ("skipped-step", "跳过环节", "red", False, {}, True, "",
     "按图行权：办件应沿其受理时锁定的流程图版本办理（权力运行流程图）。已办理的环节之前，流程图要求的前置环节未办理"),
    ("out-of-order", "环节顺序颠倒", "red", False, {}, True, "",
     "按图行权：办件应沿其受理时锁定的流程图版本办理。流程图中位于其后的环节已先办理，或环节不在流程图上，或部门系统报送的事件顺序不符"),
    ("unlisted-power", "清单外行权", "red", False, {}, True, "",
     "按单用权：权力清单之外不得行使权力（中共中央办公厅、国务院办公厅《关于推行地方各级政府工作部门权力清单制度的指导意见》）。"
     "办件事项不在清单中、不属于办理部门、尚未公布或当时不在有效期内"),
    ("suspension-too-long", "中止时间过长", "yellow", True, {"max_days": 30}, True, "",
     "《行政许可法》第四十五条（中止所需时间不计算在期限内）；本级监察规则：中止或退回补正超过 N 个自然日仍未恢复办理"),
    ("repeated-return", "多次退回补正", "yellow", False, {"max_returns": 1}, True, "",
     "《行政许可法》第三十二条第一款第四项：申请材料不齐全或者不符合法定形式的，应当当场或者在五日内一次告知申请人需要补正的全部内容。"
     "退回补正超过 N 次"),
    ("same-person-accept-decide", "受理与决定同一人", "red", False,
     {"accept_steps": ["受理"], "decide_steps": ["决定", "审批", "裁决", "确认"]}, True, "",
     "审批分离、岗位制约（廉政风险防控）：流程图把受理与决定放在不同岗位（泳道）时，二者不得由同一人办理"),
    ("quiet-day-inspection", "宁静日例行检查", "yellow", False,
     {"first_day": 1, "last_day": 25, "inspection_steps": ["检查", "实施检查", "现场检查"]}, True, "",
     "企业宁静日制度：每月宁静日（默认 1 日至 25 日，各辖区可另设）内不得对企业实施例行检查。行政检查类事项的检查环节在宁静日办理"),
    ("fee-above-standard", "超标准收费", "red", False, {}, False,
     "收费标准尚未结构化：事项的收费标准（PowerItem.fee_standard）目前是文字，没有可比较的金额上限。收费标准表建立后启用本规则",
     "《行政许可法》第五十八条、第五十九条：依照法律、行政法规收取费用的，应当按照公布的法定项目和标准收费"),
    ("penalty-out-of-range", "罚款超出裁量基准", "red", False, {}, True, "",
     "《行政处罚法》第三十四条（行政处罚裁量基准）。事件记录的裁量档次（discretion）在本事项裁量基准中的罚款幅度（最低、最高罚款）之外；"
     "按基数比例、倍数计算的幅度待裁量基准导入后核算"),
]


def load(apps, schema_editor):
    Rule = apps.get_model("supervision", "Rule")
    for code, name, severity, time_driven, params, enabled, disabled_reason, basis in RULES:
        Rule.objects.get_or_create(code=code, defaults={
            "name": name, "severity": severity, "time_driven": time_driven, "params": params, "enabled": enabled,
            "disabled_reason": disabled_reason, "basis": basis, "version": 1})


def unload(apps, schema_editor):
    apps.get_model("supervision", "Rule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
