"""Hostile files against the importer's limits: each must be refused in under 5 s and under
300 MB peak memory, however much it would inflate to.

    python bench/hostile_bench.py [--keep DIR]

The files (src/powerlist/catalog/tests/hostile.py) are made once, untimed, in a temporary
directory: an XLSX whose sharedStrings.xml inflates to 1 GiB from about 3 MB, the same bomb
with a zip directory that declares 1 KB, 3 million one-letter shared strings, a sheet declaring
16,384 columns, JSON nested 100,000 deep, a CSV with a 50 MB cell on row 12, a CSV with 200,000
columns. Each is then opened and read the way `powerlist import` reads it
(`readers.open_source` and every row: where the limits act, before any database work) in a
child process of its own, which reports its wall time and its peak RSS (ru_maxrss of the child
itself, plus that of any process it started). Baselines, measured in the same run, each in a
child of its own:

- "nothing read": the child with Django set up and nothing opened (the RSS every row carries);
- "bytes read": the hostile file's bytes read once (sha256 over it), the floor of touching it;
- "normal XLSX, same size": a well-formed list of about the bomb's compressed size, read whole.

"ratio" is the refusal's time over the time to read the normal XLSX of the same size whole.
The idle child's peak varies by about 10 MB from run to run (allocator, imports), so compare
the peak column with it, not to the megabyte.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECONDS_LIMIT, RSS_LIMIT_MB = 5.0, 300.0


def _child(kind: str, path: str) -> None:
    """Runs in the child: set Django up (untimed), then the measured operation; prints JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powerlist.settings")
    import django

    django.setup()
    from powerlist.catalog import readers
    from powerlist.core.errors import InvalidInput
    from powerlist.core.files import sha256_file

    outcome, rows = "", 0
    started = time.perf_counter()
    if kind == "read":
        try:
            source = readers.open_source(path)
            for _row in source.rows:
                rows += 1
            outcome = f"read {rows} rows"
        except InvalidInput as exc:
            outcome = "refused: " + exc.problems[0].expected
    elif kind == "bytes":
        sha256_file(Path(path))
        outcome = "bytes read"
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss": own, "children_rss": children, "outcome": outcome, "rows": rows}))


def measure(kind: str, path: Path | str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=600, check=False)
    if out.returncode != 0:
        return {"seconds": float("nan"), "rss": float("nan"), "children_rss": 0.0,
                "outcome": "CRASHED: " + out.stderr.strip().splitlines()[-1][:80], "rows": 0}
    return json.loads(out.stdout.strip().splitlines()[-1])


def normal_xlsx(path: Path, size: int) -> Path:
    """A well-formed list of about `size` bytes (varied text, as real lists are)."""
    import random

    import openpyxl

    rng = random.Random(1)
    words = "受理审查决定送达许可处罚检查确认奖励征收给付强制裁决申请材料条件依据法律法规规章办理期限责任追究"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["职权编码", "事项名称", "事项类型", "实施主体", "设定依据", "申请条件"])
    n = 0
    while True:
        for _ in range(2000):
            n += 1
            ws.append([f"N{n:07d}", "".join(rng.choices(words, k=12)), "行政许可", "岳塘区教育局",
                       "".join(rng.choices(words, k=60)), "".join(rng.choices(words, k=40))])
        if n * 230 >= size:  # about 230 compressed bytes a row
            break
    wb.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", help="make the files in this directory and keep them")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    sys.path.insert(0, str(ROOT / "src"))
    from powerlist.catalog.tests import hostile

    workdir = Path(args.keep or tempfile.mkdtemp(prefix="hostile-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    files = {}
    for case, (name, make) in hostile.HOSTILE.items():
        path = workdir / name
        if not path.exists():
            make(path)
        files[case] = path
    normal = workdir / "normal.xlsx"
    if not normal.exists():
        normal_xlsx(normal, files["xlsx-shared-strings-bomb"].stat().st_size)

    idle = measure("bytes", os.devnull)
    base = measure("read", normal)
    print(f"baseline, nothing read (Django set up): peak RSS {idle['rss']:.0f} MB")
    print(f"baseline, normal XLSX of the bomb's size ({normal.stat().st_size / 1e6:.2f} MB) read whole: "
          f"{base['seconds']:.3f} s, peak RSS {base['rss'] + base['children_rss']:.0f} MB ({base['outcome']})\n")
    header = (f"{'case':32} {'file MB':>8} {'refused s':>10} {'bytes s':>8} {'ratio':>7} {'peak MB':>8} "
              f"{'<5 s, <300 MB':>14}  outcome")
    print(header)
    print("-" * len(header))
    ok = True
    for case, path in files.items():
        refused, floor = measure("read", path), measure("bytes", path)
        peak = refused["rss"] + (refused["children_rss"] if refused["children_rss"] > 1 else 0)
        passed = refused["outcome"].startswith("refused") and refused["seconds"] < SECONDS_LIMIT and peak < RSS_LIMIT_MB
        ok &= passed
        ratio = refused["seconds"] / base["seconds"]
        print(f"{case:32} {path.stat().st_size / 1e6:8.2f} {refused['seconds']:10.3f} {floor['seconds']:8.3f} "
              f"{ratio:7.3f} {peak:8.0f} {'yes' if passed else 'NO':>14}  "
              f"{refused['outcome'][9:60]}")
    print("\nall refused within the limits" if ok else "\nSOME CASE PASSED A LIMIT")


if __name__ == "__main__":
    main()
