"""The built-in supervision rule over second approvals (复核) of high-risk steps, and the basis of
`penalty-out-of-range` now that it reads the imported discretion tables (see
supervision/rules_discretion.py). Kept here, beside the tables the two rules read."""

from django.db import migrations

SECOND = ("second-approval-missing", "高风险环节未经复核", "red",
          "廉政风险防控：权力运行流程图上的高风险点，须经本部门另一名人员复核（复核人与办理人不得为同一人）。"
          "须复核的高风险环节办结时，此前没有他人的复核记录")
PENALTY_BASIS = ("《行政处罚法》第三十四条（行政处罚裁量基准）。按事件记录的裁量情节（discretion）和基数，从当时施行的"
                 "裁量基准表重新计算允许的罚款幅度和处罚种类（不采信记录的幅度）：罚款或处罚种类在幅度之外、按比例或倍数"
                 "计算却没有记录基数、裁量情节在基准表中找不到对应的一档；没有导入裁量基准表的事项按清单中的裁量基准核对")
OLD_PENALTY_BASIS = ("《行政处罚法》第三十四条（行政处罚裁量基准）。事件记录的裁量档次（discretion）在本事项裁量基准中的罚款幅度"
                     "（最低、最高罚款）之外；按基数比例、倍数计算的幅度待裁量基准导入后核算")


def load(apps, schema_editor):
    Rule = apps.get_model("supervision", "Rule")
    code, name, severity, basis = SECOND
    Rule.objects.get_or_create(code=code, defaults={
        "name": name, "severity": severity, "time_driven": False, "params": {}, "enabled": True,
        "disabled_reason": "", "basis": basis, "version": 1})
    Rule.objects.filter(code="penalty-out-of-range", basis=OLD_PENALTY_BASIS).update(basis=PENALTY_BASIS)


def unload(apps, schema_editor):
    Rule = apps.get_model("supervision", "Rule")
    Rule.objects.filter(code=SECOND[0]).delete()
    Rule.objects.filter(code="penalty-out-of-range", basis=PENALTY_BASIS).update(basis=OLD_PENALTY_BASIS)


class Migration(migrations.Migration):
    dependencies = [("discretion", "0002_allowances_and_decisions"), ("supervision", "0003_cards_and_appeals")]
    operations = [migrations.RunPython(load, unload)]
