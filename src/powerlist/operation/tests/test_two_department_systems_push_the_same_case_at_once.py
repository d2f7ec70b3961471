"""Two processes (each its own Python, Django and database connection) push events at the same
moment: for the same new case, both batches are stored, in one case, numbered without a gap or a
double; the same event with the same idempotency key, sent twice at once, is stored once and both
senders get an answer (stored, or already stored)."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from powerlist.conftest import make_user
from powerlist.core.models import Role
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.tests.test_two_clerks_in_two_processes_complete_one_step import database_url

WORKER = """
import json, sys, time
from pathlib import Path
import django
django.setup()
from powerlist.core.models import User
from powerlist.core.errors import DomainError
from powerlist.operation.services import ingest
user = User.objects.get(username=sys.argv[1])
rows = json.loads(sys.argv[2])
Path(sys.argv[3] + ".ready").touch()
while not Path(sys.argv[4]).exists():
    time.sleep(0.002)
try:
    result = ingest.record_events(user, list(enumerate(rows, start=1)), source="api")
    print(json.dumps({"stored": result.stored, "duplicates": result.duplicates}))
except DomainError as exc:
    print(json.dumps({"refused": str(exc)}, ensure_ascii=False))
"""


def event(case, step, action, at, key):
    return {"case": case, "item_code": "430304-JY-XK-001", "jurisdiction": "430304", "step": step,
            "action": action, "actor": "张科员", "at": at, "idempotency_key": key}


def race(tmp_path, batches: list[tuple[str, list]]) -> list[dict]:
    env = os.environ | {"DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "powerlist.settings",
                        "POWERLIST_DATA_DIR": str(settings.POWERLIST_DATA_DIR),
                        "POWERLIST_LOG_KEY_FILE": str(settings.POWERLIST_LOG_KEY_FILE)}
    go = tmp_path / "go"
    names = [f"w{i}" for i in range(len(batches))]
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, user, json.dumps(rows), str(tmp_path / name), str(go)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name, (user, rows) in zip(names, batches)]
    deadline = time.monotonic() + 90
    while not all((tmp_path / f"{n}.ready").exists() for n in names):
        assert time.monotonic() < deadline, [p.stderr.read() for p in procs if p.poll() is not None]
        time.sleep(0.01)
    go.touch()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


@pytest.mark.django_db(transaction=True)
def test_two_batches_for_the_same_new_case_make_one_case_without_gaps(licence, users, departments, tmp_path):
    make_user("edu_clerk2", Role.CLERK, licence.jurisdiction, departments["岳塘区教育局"])
    first = [event("R-1", "", "accept", "2026-10-12T09:00:00+08:00", "a0"),
             event("R-1", "受理", "complete", "2026-10-12T10:00:00+08:00", "a1")]
    second = [event("R-1", "审查", "complete", "2026-10-13T09:00:00+08:00", "b0"),
              event("R-1", "决定", "complete", "2026-10-14T09:00:00+08:00", "b1")]
    answers = race(tmp_path, [("edu_clerk", first), ("edu_clerk2", second)])
    assert answers == [{"stored": 2, "duplicates": 0}] * 2
    case = Case.objects.get(number="EXT-430304-R-1")
    seqs = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4] and case.event_count == 4


@pytest.mark.django_db(transaction=True)
def test_the_same_event_sent_twice_at_once_is_stored_once(licence, users, tmp_path):
    same = [event("S-1", "", "accept", "2026-10-12T09:00:00+08:00", "same-key")]
    answers = race(tmp_path, [("edu_clerk", same), ("edu_clerk", same)])
    assert sorted(a["stored"] for a in answers) == [0, 1] and sorted(a["duplicates"] for a in answers) == [0, 1]
    assert CaseEvent.objects.filter(case__number="EXT-430304-S-1").count() == 1
