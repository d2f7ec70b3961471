"""Long console work draws a progress bar on a terminal and nothing when piped or scripted."""

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

SCRIPT = "from powerlist.core.progress import bar\nfor _ in bar(range(3), total=3, desc='导入'): pass\nprint('done')\n"


def test_piped_output_has_no_progress_bar():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert out.stdout == "done\n" and out.stderr == ""


def test_a_terminal_sees_the_progress_bar():
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal has a size
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait()
    assert "导入".encode() in seen and b"/3" in seen
