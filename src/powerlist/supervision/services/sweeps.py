"""Sweeps: every enabled rule over every case of a jurisdiction (or all), on the database or on
Spark; the time-driven rules alone on a schedule. Inspectors and administrators run them; each
sweep goes on the transparency log with what it found."""

from collections import Counter

from powerlist.core import scope
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.services import audit
from powerlist.supervision import engine
from powerlist.supervision.models import Rule
from powerlist.supervision.services.rules import _require_inspector

ENGINES = ("sql", "spark")


def sweep(actor, jurisdiction: str | None = None, engine_name: str = "sql", time_driven_only: bool = False,
          progress=None, timings: dict | None = None) -> list[dict]:
    _require_inspector(actor, "运行电子监察")
    if engine_name not in ENGINES:
        raise InvalidInput([Problem("", None, "--engine", engine_name, "应为 sql 或 spark")])
    ids = engine.jurisdiction_ids(jurisdiction) if jurisdiction else None
    codes = set(Rule.objects.filter(time_driven=True).values_list("code", flat=True)) if time_driven_only else None
    found = engine.evaluate(jurisdictions=ids, engine=engine_name, codes=codes, progress=progress, timings=timings)
    audit.append(actor, "supervision.sweep", f"jurisdiction:{jurisdiction}" if jurisdiction else "all",
                 {"engine": engine_name, "time_driven_only": time_driven_only, "alerts": len(found),
                  "by_rule": dict(sorted(Counter(f["rule"] for f in found).items())),
                  "by": scope._name(actor)})
    return found


def alerts(actor, jurisdiction: str | None = None) -> dict:
    _require_inspector(actor, "查看监察预警")
    return engine.stored(jurisdictions=engine.jurisdiction_ids(jurisdiction) if jurisdiction else None)
