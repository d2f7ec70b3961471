"""`powerlist calendar …` as an operator or a script uses it: the due date alone on the last line
(or JSON), a year's holidays with their source, the notice loaded from a file; bad input is a
message and a non-zero exit, never a traceback."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from powerlist.core import workdays
from powerlist.core.models import AuditEntry, CalendarYear

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_add_working_days_prints_the_date_alone_on_its_last_line():
    lines = run("add-working-days", "2026-09-28", "20", "--suspend", "2026-10-14:2026-10-16:补正材料").splitlines()
    assert lines[-1] == "2026-11-04"
    assert lines[0] == ("受理 2026-09-28 + 20 个工作日；国庆节 10-01…10-07 不计，10-10 调休上班；"
                        "中止 3 个工作日（补正材料 10-14…10-16）→ 2026-11-04")


def test_add_working_days_as_json():
    printed = json.loads(run("add-working-days", "2025-09-26", "20", "--json"))
    assert printed == {"start": "2025-09-26", "days": 20, "due": "2025-10-30",
                       "explained": "受理 2025-09-26 + 20 个工作日；国庆节、中秋节 10-01…10-08 不计，09-28、10-11 调休上班 → 2025-10-30"}


def test_show_lists_a_years_holidays_and_makeup_days_with_their_source():
    lines = run("show", "2026").splitlines()
    assert lines[0] == f"2026\t{workdays.PACKAGE}" and workdays.PACKAGE.startswith("chinese-calendar 1.")
    assert "放假\t2026-02-15\t2026-02-23\t9\t春节" in lines
    assert "上班\t2026-10-10\t2026-10-10\t1\t国庆节（调休上班）" in lines


def test_load_then_show_and_count_into_the_loaded_year(tmp_path, users):
    notice = tmp_path / "2099.json"
    notice.write_text(json.dumps({"year": 2099, "source": "2099年通知",
                                  "holidays": [{"name": "元旦", "first": "2099-01-01", "last": "2099-01-03"}],
                                  "workdays": []}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="需要管理员"):
        run("load", str(notice), "--as", "edu_clerk")
    assert "2099年：载入放假 3 天、调休上班 0 天" in run("load", str(notice), "--as", "admin1")
    assert run("show", "2099").splitlines()[0].startswith("2099\t2099年通知（admin1 载入于 ")
    assert run("add-working-days", "2099-01-01", "1").splitlines()[-1] == "2099-01-05"  # Thursday 元旦 to Monday
    assert AuditEntry.objects.filter(action="calendar.load", actor="admin1").count() == 1


@pytest.mark.parametrize("args,message", [
    (("add-working-days", "2026-13-01", "3"), "应为日期"),
    (("add-working-days", "2026-09-28", "-3"), "0 至 3650 的整数"),
    (("add-working-days", "2026-09-28", "三"), "0 至 3650 的整数"),
    (("add-working-days", "2026-09-28", "3", "--suspend", "2026-10-14"), "起:止:原因"),
    (("add-working-days", "2098-12-20", "20"), "2098年的工作日历尚未载入"),
    (("show", "2099"), "powerlist calendar load"),
    (("show", "next"), "四位年份"),
    (("load", "missing.json"), "找不到这个文件"),
])
def test_bad_input_is_a_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not CalendarYear.objects.exists()


def test_the_console_script_exits_non_zero_without_a_traceback(tmp_path):
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "POWERLIST_SECRET_KEY": "test-only",
                        "POWERLIST_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "powerlist", "calendar", "add-working-days", "2026-09-28", "x"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "0 至 3650 的整数" in result.stderr and "Traceback" not in result.stderr
