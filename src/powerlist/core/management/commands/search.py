from pathlib import Path

from powerlist.core import synonyms
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import SearchSynonym
from powerlist.core.services import synonyms as synonym_services


class Command(PowerlistCommand):
    help = ("Search synonyms (低保 -> 最低生活保障). `synonyms load [FILE]` adds the shipped entries (or "
            "those of FILE: TERM<TAB>EXPANSION/EXPANSION<TAB>NOTE a line) whose term is missing, leaving "
            "entries already there as they are (idempotent, audited); `synonyms list` prints the table.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        syn = sub.add_parser("synonyms", help="the synonym and abbreviation table")
        actions = syn.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="add the missing entries of the shipped table or of FILE")
        load.add_argument("file", nargs="?", type=Path)
        self.add_actor_argument(load)
        actions.add_parser("list", help="print the table")

    def handle(self, *args, **options):
        if options["action"] == "load":
            entries = synonyms.parse(options["file"].read_text("utf-8")) if options["file"] else None
            added = synonym_services.load_defaults(self.actor(options), entries)
            self.stdout.write(f"新增同义词 {added} 条，同义词表共 {SearchSynonym.objects.count()} 条")
        else:
            for s in SearchSynonym.objects.order_by("term_key"):
                self.stdout.write(f"{s.term}\t{'/'.join(s.expansion_list())}\t{'' if s.active else '已停用'}")
