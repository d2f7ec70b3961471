"""Progress bars for long console work (imports, checks, sweeps): shown only when stderr is a
terminal, so scripts, pipes and CI logs get nothing but the command's own output. tqdm draws them."""

import sys

from tqdm import tqdm


def on_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def bar(iterable=None, *, total: int | None = None, desc: str = "", unit: str = "行"):
    """Wrap an iterable (or use as a context manager and call `.update(n)`); silent off a terminal."""
    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=not on_terminal(), file=sys.stderr,
                dynamic_ncols=True, leave=False, mininterval=0.2)
