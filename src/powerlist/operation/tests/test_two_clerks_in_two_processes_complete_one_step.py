"""The same race as test_two_clerks_complete_one_step_at_once, with two operating-system processes
(each its own Python, Django and database connection) released together by a file barrier: on
SQLite the IMMEDIATE write lock, on PostgreSQL the case row lock decides; exactly one completes the
step, the other is refused, and the events are numbered without a gap or a double."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from powerlist.conftest import make_user
from powerlist.core.models import Role
from powerlist.operation.models import CaseEvent
from powerlist.operation.services import cases

WORKER = """
import json, os, sys, time
from pathlib import Path
import django
django.setup()
from powerlist.core.models import User
from powerlist.core.errors import DomainError
from powerlist.operation.services import cases
user = User.objects.get(username=sys.argv[2])
Path(sys.argv[3] + ".ready").touch()
while not Path(sys.argv[4]).exists():
    time.sleep(0.002)
try:
    event = cases.act(user, sys.argv[1], "complete", "审查")
    print(json.dumps({"ok": event.seq}))
except DomainError as exc:
    print(json.dumps({"refused": str(exc)}, ensure_ascii=False))
"""


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_exactly_one_of_two_processes_completes_the_step(licence, users, departments, tmp_path):
    make_user("edu_clerk2", Role.CLERK, licence.jurisdiction, departments["岳塘区教育局"])
    case = cases.open_case(users["clerk"], licence.code, "430304")
    env = os.environ | {"DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "powerlist.settings",
                        "POWERLIST_DATA_DIR": str(settings.POWERLIST_DATA_DIR),
                        "POWERLIST_LOG_KEY_FILE": str(settings.POWERLIST_LOG_KEY_FILE)}
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, case.number, name, str(tmp_path / name), str(go)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("edu_clerk", "edu_clerk2")]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"{n}.ready").exists() for n in ("edu_clerk", "edu_clerk2")):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    go.touch()
    outcomes = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(k for o in outcomes for k in o) == ["ok", "refused"], outcomes
    assert "当前可办理的环节：决定" in next(o["refused"] for o in outcomes if "refused" in o)
    events = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", "action", "refused"))
    assert events == [(1, "accept", False), (2, "complete", False), (3, "complete", False), (4, "complete", True)]
