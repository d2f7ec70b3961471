from django.core.management.base import CommandError

from powerlist.catalog.services.versions import publish_version
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code


class Command(PowerlistCommand):
    help = "Publish the items of a jurisdiction now in status 'published' as a new immutable list version."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", required=True, metavar="CODE")
        parser.add_argument("--title", required=True)
        parser.add_argument("--document", default="", help="approving document, e.g. 岳政发〔2024〕1号")
        self.add_actor_argument(parser)

    def handle(self, *args, **options):
        jurisdiction = Jurisdiction.objects.filter(code=short_code(options["jurisdiction"])).first()
        if jurisdiction is None:
            raise CommandError(f"没有代码为 {options['jurisdiction']} 的行政区划")
        # the console has no worker to wait for: every download of the version is made before
        # the command returns, so the first citizen never waits
        version = publish_version(self.actor(options), jurisdiction, title=options["title"],
                                  document=options["document"], build_now=True)
        self.stdout.write(f"已发布{jurisdiction.full_name()}第 {version.number} 版："
                          f"{version.item_count} 项，sha256 {version.sha256}；下载文件已生成")
