"""按日连续处罚 as an Allowance row (`kind` daily) of every benchmark row whose structured standard
allows it, so the rule `penalty-out-of-range` checks a daily penalty's per-day amount; and the
rule's basis saying so (several penalty types each checked, the per-day amount, the days)."""

from django.db import migrations

PENALTY_BASIS = ("《行政处罚法》第三十四条（行政处罚裁量基准）。按事件记录的裁量情节（discretion）和基数，从当时施行的"
                 "裁量基准表重新计算允许的罚款幅度和处罚种类（不采信记录的幅度）：罚款或处罚种类在幅度之外（同时给予几种"
                 "处罚的，逐一核对；按日连续处罚的，核对每日罚款额）、按比例或倍数计算却没有记录基数、按日连续处罚没有记录"
                 "天数、裁量情节在基准表中找不到对应的一档；没有导入裁量基准表的事项按清单中的裁量基准核对")
OLD_PENALTY_BASIS = ("《行政处罚法》第三十四条（行政处罚裁量基准）。按事件记录的裁量情节（discretion）和基数，从当时施行的"
                     "裁量基准表重新计算允许的罚款幅度和处罚种类（不采信记录的幅度）：罚款或处罚种类在幅度之外、按比例或倍数"
                     "计算却没有记录基数、裁量情节在基准表中找不到对应的一档；没有导入裁量基准表的事项按清单中的裁量基准核对")


def load(apps, schema_editor):
    Benchmark = apps.get_model("discretion", "Benchmark")
    Allowance = apps.get_model("discretion", "Allowance")
    rows, done = [], set(Allowance.objects.filter(kind="daily").values_list("benchmark_id", flat=True))
    for pk, parsed in Benchmark.objects.values_list("pk", "parsed").iterator(chunk_size=2000):
        if isinstance(parsed, dict) and parsed.get("daily") and pk not in done:
            rows.append(Allowance(benchmark_id=pk, kind="daily", name="按日连续处罚"))
    Allowance.objects.bulk_create(rows, batch_size=1000)
    Rule = apps.get_model("supervision", "Rule")
    Rule.objects.filter(code="penalty-out-of-range", basis=OLD_PENALTY_BASIS).update(basis=PENALTY_BASIS)


def unload(apps, schema_editor):
    apps.get_model("discretion", "Allowance").objects.filter(kind="daily").delete()
    Rule = apps.get_model("supervision", "Rule")
    Rule.objects.filter(code="penalty-out-of-range", basis=PENALTY_BASIS).update(basis=OLD_PENALTY_BASIS)


class Migration(migrations.Migration):
    dependencies = [("discretion", "0003_second_approval_rule"),
                    ("supervision", "0006_transitions_rebuilt_with_the_opening")]
    operations = [migrations.RunPython(load, unload)]
