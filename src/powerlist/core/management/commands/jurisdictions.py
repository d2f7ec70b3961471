from django.core.management.base import CommandError

from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code
from powerlist.core.services import jurisdictions


class Command(PowerlistCommand):
    help = ("Administrative divisions. `load DIR|FILE` loads provinces/cities/areas/streets/villages CSV "
            "files (NBS codes); `add CODE NAME --parent CODE` adds a community or village; `show CODE`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load or refresh divisions from CSV files")
        load.add_argument("path")
        add = sub.add_parser("add", help="add one division (e.g. a community)")
        add.add_argument("code")
        add.add_argument("name")
        add.add_argument("--parent", default=None, help="code of the division above (none for a province)")
        show = sub.add_parser("show", help="print one division and its children")
        show.add_argument("code")
        for p in (load, add):
            self.add_actor_argument(p)

    def handle(self, *args, **options):
        if options["action"] == "load":
            report = jurisdictions.load_divisions(self.actor(options), options["path"])
            self.stdout.write(str(report))
        elif options["action"] == "add":
            j = jurisdictions.add_jurisdiction(self.actor(options), options["code"], options["name"],
                                               options["parent"])
            self.stdout.write(f"added {j}")
        else:
            j = Jurisdiction.objects.filter(code=short_code(options["code"])).first()
            if j is None:
                raise CommandError(f"没有代码为 {options['code']} 的行政区划")
            self.stdout.write(f"{j} level {j.get_level_display()}")
            for child in j.children.all():
                self.stdout.write(f"  {child.code} {child.name}")
