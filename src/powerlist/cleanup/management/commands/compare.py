"""`powerlist compare --ours A --theirs B [--json]`: check (e), our list against another
(a jurisdiction code: its published list; or a file in the importer's formats). Reads only."""

import json

from powerlist.cleanup.compare import compare_lists, load_list
from powerlist.cleanup.matching import MATCH_THRESHOLD
from powerlist.core.management.base import PowerlistCommand


def _mapping(pairs: list[str]) -> dict[str, str]:
    return dict(p.split("=", 1) for p in pairs if "=" in p)


class Command(PowerlistCommand):
    help = ("Compare two lists: matched items with their score (0-1), only ours, only theirs. A list is a "
            "jurisdiction code (its latest published version) or a file (XLSX/CSV/JSON). Items are named by "
            f"code (a string), or by row number (an int) where a file has no codes. One-to-one, threshold "
            f"{MATCH_THRESHOLD}.")

    def add_arguments(self, parser):
        parser.add_argument("--ours", required=True, metavar="CODE|FILE")
        parser.add_argument("--theirs", required=True, metavar="CODE|FILE")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                            help="a header of the files, as for import (e.g. name=item_name)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        mapping = _mapping(options["map"])
        ours, theirs = load_list(options["ours"], mapping), load_list(options["theirs"], mapping)
        result = compare_lists(ours, theirs)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
            return
        names_ours = {e.id: e.name for e in ours.entries}
        names_theirs = {e.id: e.name for e in theirs.entries}
        w = self.stdout.write
        w(f"我方 {ours.label} {len(ours.entries)} 项；对方 {theirs.label} {len(theirs.entries)} 项")
        w(f"匹配 {len(result.matched)} 项，仅我方有 {len(result.only_ours)} 项，仅对方有 {len(result.only_theirs)} 项"
          f"（阈值 {MATCH_THRESHOLD}）")
        w("\n匹配")
        for m in result.matched:
            w(f"  {m['score']:.2f}  {m['ours']} {names_ours[m['ours']]}  ↔  {m['theirs']} {names_theirs[m['theirs']]}")
        w("\n仅我方有")
        for code in result.only_ours:
            w(f"  {code} {names_ours[code]}")
        w("\n仅对方有")
        for code in result.only_theirs:
            w(f"  {code} {names_theirs[code]}")
