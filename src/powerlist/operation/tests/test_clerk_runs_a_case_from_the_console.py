"""`powerlist case open|act|show` as scripts and outside checks use them: the number alone on the
last line, a refusal as a non-zero exit with the reason, and the JSON shape of `show --json`."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from powerlist.operation.models import Case


def run(capsys, *args):
    call_command("case", *args)
    return capsys.readouterr().out


def test_open_act_show(licence, users, capsys):
    out = run(capsys, "open", "--item", licence.code, "--jurisdiction", "430304", "--applicant", "张三",
              "--phone", "13812345678", "--as", "edu_clerk")
    number = out.strip().splitlines()[-1]
    assert re.fullmatch(r"430304-\d{8}-0001", number)
    assert Case.objects.get(number=number).applicant_phone == "13812345678"
    for step in ("审查",):  # opening the case accepted it: 受理 is done with the opening
        run(capsys, "act", number, "--step", step, "--action", "complete", "--as", "edu_clerk")
    shown = json.loads(run(capsys, "show", number, "--json"))
    assert set(shown) == {"case", "item", "status", "ready", "done", "due", "due_explained", "events"}
    assert shown["case"] == number and shown["item"] == licence.code and shown["status"] == "open"
    assert shown["ready"] == ["决定"] and shown["done"] == ["受理", "审查"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown["due"]) and shown["due_explained"].endswith(shown["due"])
    assert [set(e) for e in shown["events"]] == [{"step", "action", "actor", "at"}] * 3
    assert [(e["step"], e["action"], e["actor"]) for e in shown["events"]] == [
        ("", "accept", "edu_clerk"), ("受理", "complete", "edu_clerk"), ("审查", "complete", "edu_clerk")]
    assert shown["events"][0]["at"] == shown["events"][1]["at"]  # 受理 completed by the opening itself
    text = json.dumps(shown, ensure_ascii=False)
    assert "张三" not in text and "13812345678" not in text
    for step in ("决定", "送达"):
        run(capsys, "act", number, "--step", step, "--action", "complete", "--as", "edu_clerk")
    assert json.loads(run(capsys, "show", number, "--json"))["status"] == "closed"


def test_refusals_exit_non_zero_with_the_reason(licence, users, capsys):
    number = run(capsys, "open", "--item", licence.code, "--jurisdiction", "430304", "--as",
                 "edu_clerk").strip().splitlines()[-1]
    with pytest.raises(CommandError, match="当前可办理的环节：审查"):
        call_command("case", "act", number, "--step", "送达", "--action", "complete", "--as", "edu_clerk")
    with pytest.raises(CommandError, match="无权办理"):
        call_command("case", "act", number, "--step", "审查", "--action", "complete", "--as", "market_clerk")
    with pytest.raises(CommandError, match="当前可办理的环节：审查"):  # the opening accepted it: not twice
        call_command("case", "act", number, "--step", "受理", "--action", "complete", "--as", "edu_clerk")
    with pytest.raises(CommandError, match="本部门"):
        call_command("case", "open", "--item", licence.code, "--jurisdiction", "430304", "--as", "market_clerk")
    with pytest.raises(CommandError, match="没有编号"):
        call_command("case", "show", "430304-20000101-9999", "--json")
