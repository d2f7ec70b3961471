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
            raise CommandError(f"{path}：找不到这个文件")
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
        self.stdout.write(f"{path.name}：存入 {result.stored} 条，跳过重复 {result.duplicates} 条，"
                          f"新建办件 {result.cases_opened} 件")
        flagged = "；".join(f"{FLAG_WORDS.get(flag, flag)}（{flag}）{n} 条" for flag, n in sorted(result.flagged.items()))
        self.stdout.write(f"标记：{flagged or '无'}")


FLAG_WORDS = {"unlisted-power": "未列入清单的权力", "out-of-order": "不符合流程顺序", "unknown-step": "流程图中没有此环节",
              "no-branch": "网关无可走的分支", "late": "晚到（时间早于已存的事件）"}


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
