"""An operator (or systemd) stops `powerlist serve` with SIGTERM: the web workers, the
background-job worker and the live evaluator all stop with it; none is left running. Run as the
operator runs it: a separate process on its own SQLite file; the children found through /proc."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """One migrated SQLite file, copied for each run (migrating is the slow part)."""
    where = tmp_path_factory.mktemp("serve")
    env = os.environ | {"DATABASE_URL": f"sqlite:///{where / 'serve.sqlite3'}", "POWERLIST_SECRET_KEY": "test-only",
                        "POWERLIST_DATA_DIR": str(where / "data")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "-m", "powerlist", "migrate", "-v0"], cwd=where, env=env, check=True, timeout=300)
    return where / "serve.sqlite3"


@pytest.mark.parametrize("how,when", [(signal.SIGTERM, "serving"), (signal.SIGINT, "serving"),
                                      (signal.SIGTERM, "starting")])
def test_operator_stops_serve_and_every_helper_stops_with_it(migrated, tmp_path, how, when):
    shutil.copy(migrated, tmp_path / "serve.sqlite3")
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}", "POWERLIST_SECRET_KEY": "test-only",
                        "POWERLIST_DATA_DIR": str(tmp_path / "data")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "powerlist", "serve", "--port", str(port), "--workers", "1"],
                             cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    helpers: set[int] = set()
    try:
        if when == "serving":
            # the site answers, and beside gunicorn's web worker run db_worker and the live evaluator
            assert until(lambda: answers(port) and len(children(serve.pid)) >= 3, 120), serve.pid
        else:  # the helpers are up, gunicorn is still starting
            assert until(lambda: len(children(serve.pid)) >= 2, 120), serve.pid
        helpers = children(serve.pid)
        commands = {p: (Path("/proc") / str(p) / "cmdline").read_bytes().replace(b"\0", b" ") for p in helpers}
        assert any(b"db_worker" in c for c in commands.values())
        assert any(b"supervise watch" in c for c in commands.values())
        serve.send_signal(how)
        assert serve.wait(timeout=60) is not None
        assert until(lambda: not any(running(p) for p in helpers), 10), [
            c for p, c in commands.items() if running(p)]
        assert not answers(port)
        out = serve.stdout.read().decode()
        assert "网站服务" in out and "Traceback" not in out
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        for p in helpers:
            if running(p):
                os.kill(p, signal.SIGKILL)
