"""An inspector lists the supervision rules from the console, changes one (disable with a reason,
severity, parameters) and sets a county's quiet days, through the same service as the page: the
version goes up and the change, with its reason, is on the transparency log. Clerks are refused and
a bad parameter is named with what is expected, in one line, without a traceback."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.core.models import AuditEntry
from powerlist.supervision.models import QuietDays, Rule


def _run(*args) -> str:
    out = io.StringIO()
    call_command("supervise", *args, stdout=out)
    return out.getvalue()


def test_inspector_lists_the_rules_as_people_read_them(users):
    text = _run("rules", "--as", "inspector1")
    assert "[红] overdue 超期办理  第 1 版  启用" in text
    assert "[黄] repeated-return 多次退回补正  第 1 版  启用  参数：max_returns=1" in text
    assert "fee-above-standard 超标准收费  第 1 版  停用（收费标准尚未结构化" in text
    assert "依据：《行政许可法》第三十二条" in text
    shaped = json.loads(_run("rules", "--json", "--as", "inspector1"))["rules"]
    assert {r["code"] for r in shaped} == set(Rule.objects.values_list("code", flat=True))
    quiet = next(r for r in shaped if r["code"] == "quiet-day-inspection")
    assert quiet["params"]["first_day"] == 1 and quiet["severity"] == "yellow" and quiet["version"] == 1


def test_inspector_changes_a_rule_and_the_reason_is_logged(users):
    text = _run("rule", "repeated-return", "--severity", "red", "--param", "max_returns=2",
                "--reason", "本县试行两次补正", "--as", "inspector1")
    assert "已改为第 2 版" in text and "[红]" in text and "max_returns=2" in text
    rule = Rule.objects.get(code="repeated-return")
    assert (rule.version, rule.severity, rule.params) == (2, "red", {"max_returns": 2})
    entry = AuditEntry.objects.get(action="supervision.rule", target="rule:repeated-return")
    assert "本县试行两次补正" in entry.payload
    _run("rule", "same-person-accept-decide", "--param", "decide_steps=决定,审批", "--as", "inspector1")
    assert Rule.objects.get(code="same-person-accept-decide").params["decide_steps"] == ["决定", "审批"]
    _run("rule", "skipped-step", "--disable", "--reason", "试运行期间暂停", "--as", "inspector1")
    skipped = Rule.objects.get(code="skipped-step")
    assert not skipped.enabled and skipped.disabled_reason == "试运行期间暂停"
    _run("rule", "skipped-step", "--enable", "--as", "admin1")
    assert Rule.objects.get(code="skipped-step").enabled
    assert "没有变化" in _run("rule", "skipped-step", "--enable", "--as", "inspector1")


def test_bad_changes_and_clerks_get_one_line_naming_what_is_expected(users):
    with pytest.raises(CommandError, match=r"params\.max_returns.*0 至 3650 的整数"):
        _run("rule", "repeated-return", "--param", "max_returns=two", "--as", "inspector1")
    with pytest.raises(CommandError, match=r"params\.colour.*可用的参数：max_returns"):
        _run("rule", "repeated-return", "--param", "colour=3", "--as", "inspector1")
    with pytest.raises(CommandError, match="参数名=值"):
        _run("rule", "repeated-return", "--param", "max_returns", "--as", "inspector1")
    with pytest.raises(CommandError, match="停用规则须写明原因"):
        _run("rule", "overdue", "--disable", "--as", "inspector1")
    with pytest.raises(CommandError, match="yellow、red 或 info"):
        _run("rule", "overdue", "--severity", "orange", "--as", "inspector1")
    with pytest.raises(CommandError, match="没有代码为 nothing 的监察规则"):
        _run("rule", "nothing", "--severity", "red", "--as", "inspector1")
    with pytest.raises(CommandError, match="无权修改监察规则"):
        _run("rule", "overdue", "--severity", "yellow", "--as", "edu_clerk")
    with pytest.raises(CommandError, match="无权查看监察规则"):
        _run("rules", "--as", "edu_clerk")
    assert set(Rule.objects.values_list("version", flat=True)) == {1}


def test_inspector_sets_a_countys_quiet_days(county, users):
    assert _run("quiet-days", "--jurisdiction", "430304", "--from", "1", "--to", "20",
                "--as", "inspector1").strip() == "岳塘区（430304）宁静日：每月 1 日至 20 日"
    row = QuietDays.objects.get(jurisdiction=county)
    assert (row.first_day, row.last_day) == (1, 20)
    with pytest.raises(CommandError, match="宁静日应为 1 至 31 日之间的连续日期"):
        _run("quiet-days", "--jurisdiction", "430304", "--from", "21", "--to", "20", "--as", "inspector1")
    with pytest.raises(CommandError, match="--from x：应为 1 至 31 的日期"):
        _run("quiet-days", "--jurisdiction", "430304", "--from", "x", "--to", "20", "--as", "inspector1")
    with pytest.raises(CommandError, match="无权设置宁静日"):
        _run("quiet-days", "--jurisdiction", "430304", "--from", "1", "--to", "9", "--as", "edu_clerk")


def test_an_inspector_sets_only_the_quiet_days_their_jurisdiction_covers(county, other_county, users):
    from powerlist.conftest import make_user
    from powerlist.core.models import Role

    make_user("inspector_yt", Role.INSPECTOR, county)
    with pytest.raises(CommandError, match=r"无权设置雨湖区（430302）的宁静日.*本辖区（岳塘区）"):
        _run("quiet-days", "--jurisdiction", "430302", "--from", "1", "--to", "20", "--as", "inspector_yt")
    assert not QuietDays.objects.filter(jurisdiction=other_county).exists()
    with pytest.raises(CommandError, match="无权设置湘潭市（4303）的宁静日"):  # the level above is not theirs
        _run("quiet-days", "--jurisdiction", "4303", "--from", "1", "--to", "20", "--as", "inspector_yt")
    _run("quiet-days", "--jurisdiction", "430304", "--from", "1", "--to", "18", "--as", "inspector_yt")
    assert QuietDays.objects.get(jurisdiction=county).last_day == 18
    _run("quiet-days", "--jurisdiction", "430302", "--from", "1", "--to", "22", "--as", "admin1")
    _run("quiet-days", "--jurisdiction", "4303", "--from", "2", "--to", "22", "--as", "inspector1")  # no jurisdiction: all
    assert QuietDays.objects.get(jurisdiction=other_county).last_day == 22
    assert AuditEntry.objects.filter(action="supervision.quiet_days").count() == 3
