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
            raise CommandError(f"没有代码为 {options['jurisdiction']} 的行政区划")
        fmt = options["format"]
        if fmt is None:
            suffix = options["output"].rsplit(".", 1)[-1].lower()
            if suffix not in FORMATS:
                raise CommandError("请用 --format xlsx|csv|json 指明格式（从输出文件名看不出）")
            fmt = suffix
        if fmt == "xlsx" and options["output"] == "-" and self.stdout.isatty():
            raise CommandError("不向终端输出二进制的 XLSX：请重定向到文件，或用 -o FILE")
        n = export(jurisdiction, fmt, options["output"])
        if options["output"] != "-":
            self.stderr.write(f"已将{jurisdiction.full_name()}的 {n} 项写入 {options['output']}")
