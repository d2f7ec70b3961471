import sys

from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import AuditEntry
from powerlist.core.services import audit


class Command(PowerlistCommand):
    help = "The tamper-evident audit chain: `verify` (exit 1 and name the first broken entry) or `show`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every link of the chain")
        show = sub.add_parser("show", help="print the latest entries")
        show.add_argument("--last", type=int, default=20)

    def handle(self, *args, **options):
        if options["action"] == "verify":
            verdict = audit.verify()
            if verdict.ok:
                self.stdout.write(verdict.message)
                return
            self.stderr.write(f"audit chain BROKEN: {verdict.message}")
            sys.exit(1)
        for e in reversed(AuditEntry.objects.order_by("-seq")[: options["last"]]):
            self.stdout.write(f"#{e.seq} {e.at:%Y-%m-%d %H:%M:%S} {e.actor} {e.action} {e.target} {e.hash[:12]}")
