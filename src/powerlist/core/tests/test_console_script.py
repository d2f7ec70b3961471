"""The `powerlist` console script as an operator runs it, in a separate process on its own
SQLite file: Django's commands and ours under one name, errors as messages with exit 1."""

import os
import subprocess
import sys

import pytest


def powerlist(tmp_path, *args, check=True):
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
                        "POWERLIST_SECRET_KEY": "test-only", "POWERLIST_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "powerlist", *args], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_operator_sets_up_imports_and_verifies_from_the_console(tmp_path):
    powerlist(tmp_path, "migrate", "-v0")
    powerlist(tmp_path, "jurisdictions", "add", "43", "湖南省")
    powerlist(tmp_path, "jurisdictions", "add", "4303", "湘潭市", "--parent", "43")
    powerlist(tmp_path, "jurisdictions", "add", "430304", "岳塘区", "--parent", "4303")
    (tmp_path / "list.csv").write_text("事项编码,权力名称,权力类别,实施机关\nA-1,民办学校设立审批,许可,岳塘区教育局\n",
                                       encoding="gb18030")
    refused = powerlist(tmp_path, "import", "list.csv", "--jurisdiction", "430304", check=False)
    assert refused.returncode == 1 and "岳塘区教育局" in refused.stderr and "Traceback" not in refused.stderr
    done = powerlist(tmp_path, "import", "list.csv", "--jurisdiction", "430304", "--create-organisations")
    assert "新建 1 项" in done.stdout and "gb18030" in done.stdout
    exported = powerlist(tmp_path, "export", "--jurisdiction", "430304", "--format", "csv", "-o", "-")
    assert "民办学校设立审批" in exported.stdout
    assert "intact" in powerlist(tmp_path, "audit", "verify").stdout
    assert "岳塘区教育局" in powerlist(tmp_path, "stats", "--jurisdiction", "430304").stdout


@pytest.mark.parametrize("args,message", [
    (("import", "nowhere.csv", "--jurisdiction", "999999"), "没有代码为 999999 的行政区划"),
    (("export", "--jurisdiction", "430304", "-o", "out.txt"), "没有代码为 430304 的行政区划"),
])
def test_console_errors_are_messages_not_tracebacks(tmp_path, args, message):
    powerlist(tmp_path, "migrate", "-v0")
    result = powerlist(tmp_path, *args, check=False)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr
