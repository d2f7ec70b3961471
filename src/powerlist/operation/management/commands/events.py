"""`powerlist events import FILE.csv`: case events from a department's own case system, by file.
The whole file is checked first: a bad row exits 1 naming file, row, field and what is expected,
and nothing is stored. Prints what was stored, the duplicates skipped (a file imported again
stores nothing twice) and the flagged events by flag."""

import hashlib
import json
from pathlib import Path

from django.core.management.base import CommandError

from powerlist.core import progress
from powerlist.core.management.base import PowerlistCommand
from powerlist.operation.services import event_files, ingest


class Command(PowerlistCommand):
    help = "Case events pushed by departments' own systems: import a CSV or XLSX file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        imp = sub.add_parser("import", help="store the events of a file (columns "
                                            + ",".join(ingest.FIELDS) + ")")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--json", action="store_true", help="print the counts as JSON")
        self.add_actor_argument(imp)

    def handle(self, *args, **options):
        actor = self.actor(options)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        rows = event_files.count_rows(path) if progress.on_terminal() else None
        # one bar: each row is checked, then stored (or skipped as a duplicate)
        with progress.bar(total=rows * 2 if rows else None, desc=f"导入 {path.name}") as shown:
            result = ingest.record_events(actor, _counted(event_files.read(path), shown), source="file",
                                          file=path.name, progress=shown.update)
        counts = {"file": path.name, "stored": result.stored, "duplicates": result.duplicates,
                  "cases_opened": result.cases_opened, "flagged": dict(sorted(result.flagged.items())),
                  "file_sha256": _file_sha256(path), "stored_sha256": result.sha256}
        if options["json"]:
            self.stdout.write(json.dumps(counts, ensure_ascii=False))
            return
        self.stdout.write(f"{path.name}: stored {result.stored}, duplicates skipped {result.duplicates}, "
                          f"cases opened {result.cases_opened}")
        flagged = "; ".join(f"{flag} {n}" for flag, n in sorted(result.flagged.items())) or "none"
        self.stdout.write(f"flagged: {flagged}")


def _counted(rows, bar):
    for row in rows:
        bar.update(1)
        yield row


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
