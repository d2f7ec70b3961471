from django.core.management.base import CommandError

from powerlist.catalog.exports import FORMATS, export
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code


class Command(PowerlistCommand):
    help = "Export a jurisdiction's power list as XLSX, CSV (UTF-8 with BOM) or JSON; -o - writes to stdout."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", required=True, metavar="CODE")
        parser.add_argument("--format", choices=FORMATS, default=None)
        parser.add_argument("-o", "--output", required=True, metavar="FILE")

    def handle(self, *args, **options):
        jurisdiction = Jurisdiction.objects.filter(code=short_code(options["jurisdiction"])).first()
        if jurisdiction is None:
            raise CommandError(f"no jurisdiction with code {options['jurisdiction']}")
        fmt = options["format"]
        if fmt is None:
            suffix = options["output"].rsplit(".", 1)[-1].lower()
            if suffix not in FORMATS:
                raise CommandError("give --format xlsx|csv|json (the output name does not tell)")
            fmt = suffix
        if fmt == "xlsx" and options["output"] == "-" and self.stdout.isatty():
            raise CommandError("refusing to write a binary XLSX to a terminal; redirect it or use -o FILE")
        n = export(jurisdiction, fmt, options["output"])
        if options["output"] != "-":
            self.stderr.write(f"{n} items of {jurisdiction.full_name()} written to {options['output']}")
