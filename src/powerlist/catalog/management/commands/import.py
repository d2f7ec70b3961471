import json

from django.core.management.base import CommandError

from powerlist.catalog.services.imports import ImportRefused, import_file
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code


def parse_maps(values: list[str]) -> dict[str, str]:
    mapping = {}
    for value in values or []:
        field, sep, header = value.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise CommandError(f"--map expects FIELD=HEADER, got {value!r}")
        mapping[field.strip()] = header.strip()
    return mapping


class Command(PowerlistCommand):
    help = ("Import a power list from XLSX, CSV (UTF-8 or GB18030/GBK) or JSON into a jurisdiction. "
            "All or nothing: any bad row and nothing is stored; every bad row is reported.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--jurisdiction", required=True, metavar="CODE", help="division code, e.g. 430304")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                            help="read FIELD from the column HEADER (e.g. --map name=item_name); repeatable")
        parser.add_argument("--create-organisations", action="store_true",
                            help="create departments named in the file that do not exist yet")
        parser.add_argument("--update", action="store_true",
                            help="rows whose code already exists change that item (recorded in the ledger)")
        parser.add_argument("--reason", default="", help="reason recorded in the ledger")
        parser.add_argument("--document", default="", help="approving document recorded in the ledger")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--campaign", metavar="ID",
                            help="a department's self-report into this clean-up campaign: items in review")
        self.add_actor_argument(parser)

    def handle(self, *args, **options):
        jurisdiction = Jurisdiction.objects.filter(code=short_code(options["jurisdiction"])).first()
        if jurisdiction is None:
            raise CommandError(f"no jurisdiction with code {options['jurisdiction']}: "
                               f"load divisions first (powerlist jurisdictions load DIR)")
        try:
            if options["campaign"]:
                report = self._self_report(jurisdiction, options)
            else:
                report = import_file(self.actor(options), options["file"], jurisdiction,
                                     mapping=parse_maps(options["map"]),
                                     create_organisations=options["create_organisations"], update=options["update"],
                                     reason=options["reason"], document=options["document"])
        except ImportRefused as exc:
            report = exc.report
            if options["json"]:
                self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
            raise CommandError(
                f"{report.file}: {report.problem_count} problem(s) in {report.rows} row(s); nothing was imported\n"
                + exc.summary(limit=200)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{report.file} ({report.format}{', ' + report.encoding if report.encoding else ''}): "
                          f"{report.rows} rows, {report.created} items created, {report.updated} updated, "
                          f"{report.unchanged} unchanged")
        if report.change_requests:
            self.stdout.write(f"{len(report.change_requests)} change requests filed for review (rows for published "
                              f"items, or new items meant for the published list): "
                              + ", ".join(f"#{n}" for n in report.change_requests[:50])
                              + (" …" if len(report.change_requests) > 50 else ""))
        if report.organisations_created:
            self.stdout.write(f"{len(report.organisations_created)} organisations created: "
                              + "、".join(report.organisations_created))
        if report.ignored_columns:
            self.stdout.write("columns not imported: " + ", ".join(report.ignored_columns))

    def _self_report(self, jurisdiction, options):
        # the one place catalog reaches up to cleanup: the console verb `import --campaign`
        from powerlist.cleanup.services import campaigns

        actor = self.actor(options)
        campaign = campaigns.get(actor, options["campaign"])
        if campaign.jurisdiction_id != jurisdiction.pk:
            raise CommandError(f"campaign {campaign.pk} is for {campaign.jurisdiction.name}, "
                               f"not {jurisdiction.name}")
        if options["update"]:
            raise CommandError("--update cannot be used with --campaign: a self-report adds new items")
        return campaigns.self_report(actor, campaign, options["file"], mapping=parse_maps(options["map"]),
                                     reason=options["reason"], create_organisations=options["create_organisations"])
