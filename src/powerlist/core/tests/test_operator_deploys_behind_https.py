"""An operator deploys: with POWERLIST_HTTPS=1 and a real secret key Django's deployment check
passes with no warning; without it only the HTTPS warnings remain. Whatever the commands
make lands in the data directory, never in the directory they run in. A sign-in lasts as long
as the operator says."""

import os
import re
import secrets
import subprocess
import sys

HTTPS_WARNINGS = {"security.W004", "security.W008", "security.W012", "security.W016"}


def powerlist(cwd, data_dir, *args, **env):
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("POWERLIST_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run([sys.executable, "-m", "powerlist", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=clean | {"POWERLIST_DATA_DIR": str(data_dir)} | env)


def test_deploy_check_passes_over_https(tmp_path):
    result = powerlist(tmp_path, tmp_path / "data", "check", "--deploy", "--fail-level", "WARNING",
                       POWERLIST_HTTPS="1", POWERLIST_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_https_only_the_https_warnings_remain(tmp_path):
    result = powerlist(tmp_path, tmp_path / "data", "check", "--deploy")
    warnings = set(re.findall(r"\((\w+\.[WE]\d+)\)", result.stdout + result.stderr))
    assert result.returncode == 0 and warnings == HTTPS_WARNINGS, result.stdout + result.stderr


def test_commands_leave_nothing_in_the_directory_they_run_in(tmp_path):
    cwd, data = tmp_path / "here", tmp_path / "data"
    cwd.mkdir()
    for args in (("migrate", "-v0"), ("check",), ("accounts", "locked"), ("audit", "verify")):
        result = powerlist(cwd, data, *args)
        assert result.returncode == 0, (args, result.stderr)
    assert list(cwd.iterdir()) == []
    made = {p.name for p in data.iterdir()}
    assert {"secret-key", "powerlist.sqlite3"} <= made
    assert (data / "secret-key").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_operator_sets_how_long_a_sign_in_lasts(tmp_path):
    result = powerlist(tmp_path, tmp_path / "data", "diffsettings", POWERLIST_SESSION_HOURS="2",
                       POWERLIST_SESSION_BROWSER_CLOSE="1")
    assert "SESSION_COOKIE_AGE = 7200" in result.stdout and "SESSION_EXPIRE_AT_BROWSER_CLOSE = True" in result.stdout
