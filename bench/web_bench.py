"""Item pages under load, against a trivial view as the ceiling, in the same run.

    python bench/web_bench.py [--seconds 15] [--connections 16] [--workers 2]

Builds the demo county on a fresh SQLite file, starts `powerlist serve` (gunicorn, sync
workers) on 127.0.0.1, and runs wrk (Debian package) from a second process: first /healthz
(a Django view that touches no database: the ceiling), then the public pages of 500 different
items in turn. Prints requests/s, p50/p99 latency and errors; nothing is asserted.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def wrk(url: str, seconds: int, connections: int, script: str | None = None) -> dict:
    cmd = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": latency(50), "p99": latency(99), "errors": errors, "requests": total}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8099)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="powerlist-web-"))
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp}/web.sqlite3", "POWERLIST_SECRET_KEY": "bench",
                        "POWERLIST_DATA_DIR": str(tmp / "data")}
    powerlist = [sys.executable, "-m", "powerlist"]
    subprocess.run([*powerlist, "demo", "--no-serve"], env=env, cwd=tmp, check=True, capture_output=True)
    ids = subprocess.run([sys.executable, "-c", (
        "import os;os.environ['DJANGO_SETTINGS_MODULE']='powerlist.settings';import django;django.setup();"
        "from powerlist.catalog.models import PowerItem;"
        "print('\\n'.join(str(i) for i in PowerItem.objects.filter(status='published')"
        ".order_by('?').values_list('pk', flat=True)[:500]))")], env=env, cwd=tmp, check=True, capture_output=True,
        text=True).stdout.split()
    paths = tmp / "paths.txt"
    paths.write_text("\n".join(f"/item/{i}/" for i in ids) + "\n")
    script = tmp / "items.lua"
    script.write_text(LUA % paths)
    server = subprocess.Popen([*powerlist, "serve", "--port", str(args.port), "--workers", str(args.workers)],
                              env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        # steady state of a public portal: every page has been seen since it last changed (each
        # worker keeps its own cache, so two passes); a cold render is measured separately
        t = time.perf_counter()
        for _ in range(args.workers):
            for i in ids:
                urllib.request.urlopen(f"{base}/item/{i}/", timeout=30).read()
        cold_ms = (time.perf_counter() - t) / (len(ids) * args.workers) * 1000
        ceiling = wrk(base + "/healthz", args.seconds, args.connections)
        items = wrk(base + "/", args.seconds, args.connections, str(script))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"gunicorn {args.workers} sync workers, wrk c={args.connections} for {args.seconds}s each, SQLite demo "
          f"county (1,414 items), python {sys.version.split()[0]}, {os.cpu_count()} cpus\n")
    print(f"warm-up: {len(ids) * args.workers} item requests, first renders included, {cold_ms:.1f} ms each on "
          f"average (one at a time)\n")
    print("| page | requests/s | p50 ms | p99 ms | requests | errors | ratio to ceiling |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, r in (("trivial Django view /healthz (ceiling)", ceiling), ("item pages, 500 different items", items)):
        print(f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['requests']:,} | {r['errors']} | "
              f"{r['rps'] / ceiling['rps']:.2f} |")


if __name__ == "__main__":
    main()
