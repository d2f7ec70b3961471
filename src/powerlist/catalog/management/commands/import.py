import dataclasses
import json

from django.core.management.base import CommandError

from powerlist.catalog.documents import field_label
from powerlist.catalog.services.imports import ImportRefused, import_file
from powerlist.core.errors import InvalidInput
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code


def parse_maps(values: list[str]) -> dict[str, str]:
    mapping = {}
    for value in values or []:
        field, sep, header = value.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise CommandError(f"--map 应为 字段=列名（例如 --map name=事项名称），而不是“{value}”")
        mapping[field.strip()] = header.strip()
    return mapping


# what a person calls the fields a self-report's problems name beside the list's columns
OTHER_LABELS = {"campaign": "清理工作", "title": "标题", "deadline": "截止日期", "reference": "参照清单",
                "file": "文件"}


def labelled(problems, limit: int = 200) -> str:
    """The problems as the file and the people name the columns (职权编码, not code)."""
    lines = [str(dataclasses.replace(p, field=OTHER_LABELS.get(p.field) or field_label(p.field)))
             for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"……另有 {len(problems) - limit} 处问题")
    return "\n".join(lines)


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
            raise CommandError(f"没有代码为 {options['jurisdiction']} 的行政区划："
                               f"请先载入行政区划（powerlist jurisdictions load DIR）")
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
                f"{report.file}：{report.rows} 行中发现 {report.problem_count} 处问题，未导入任何事项\n"
                + labelled(exc.problems)) from None
        except InvalidInput as exc:
            raise CommandError(labelled(exc.problems)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{report.file}（{report.format}{'，' + report.encoding if report.encoding else ''}）："
                          f"{report.rows} 行，新建 {report.created} 项，修改 {report.updated} 项，"
                          f"未变 {report.unchanged} 项")
        if report.change_requests:
            self.stdout.write(f"已提交 {len(report.change_requests)} 份动态调整申请待审核（已发布事项的行，"
                              f"或拟列入已发布清单的新事项）："
                              + "、".join(f"#{n}" for n in report.change_requests[:50])
                              + ("……" if len(report.change_requests) > 50 else ""))
        if report.organisations_created:
            self.stdout.write(f"新建部门 {len(report.organisations_created)} 个："
                              + "、".join(report.organisations_created))
        if report.ignored_columns:
            self.stdout.write("未导入的列：" + "、".join(report.ignored_columns))

    def _self_report(self, jurisdiction, options):
        # the one place catalog reaches up to cleanup: the console verb `import --campaign`
        from powerlist.cleanup.services import campaigns

        actor = self.actor(options)
        campaign = campaigns.get(actor, options["campaign"])
        if campaign.jurisdiction_id != jurisdiction.pk:
            raise CommandError(f"清理工作 {campaign.pk} 属于{campaign.jurisdiction.name}，"
                               f"不是{jurisdiction.name}")
        if options["update"]:
            raise CommandError("--update 不能与 --campaign 同用：自报的新编码新增事项，已纳入本次清理工作的事项"
                               "（campaign open --include-list）按编码直接修改，无须 --update")
        return campaigns.self_report(actor, campaign, options["file"], mapping=parse_maps(options["map"]),
                                     reason=options["reason"], create_organisations=options["create_organisations"])
