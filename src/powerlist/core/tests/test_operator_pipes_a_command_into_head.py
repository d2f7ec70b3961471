"""An operator pipes a command into a reader that stops early (`powerlist campaign stats | head`):
the command stops quietly, no BrokenPipeError traceback on the terminal."""

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("args", [("help",), ("help", "campaign")])
def test_a_reader_that_goes_away_leaves_no_traceback(tmp_path, args):
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "POWERLIST_SECRET_KEY": "test-only",
                        "POWERLIST_DATA_DIR": str(tmp_path / "data")}
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first line: every write meets a broken pipe
    try:
        result = subprocess.run([sys.executable, "-m", "powerlist", *args], cwd=tmp_path, env=env, stdout=write,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr
    assert result.stderr == ""
