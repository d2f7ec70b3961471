import sys
from pathlib import Path

from powerlist.core import notes
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import AuditEntry
from powerlist.core.services import audit, audit_verify, checkpoints


class Command(PowerlistCommand):
    help = ("The audit log, a transparency log: `verify [--checkpoint FILE]`, `checkpoint [-o FILE]`, "
            "`public-key`, `show`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check every entry, subtree hash, the head and every checkpoint "
                                               "this installation signed; exit 1 naming the problem")
        verify.add_argument("--checkpoint", metavar="FILE",
                            help="also prove that today's log is an append-only extension of this older "
                                 "signed checkpoint (exit 1 if rewritten, truncated, rolled back or wiped)")
        checkpoint = sub.add_parser("checkpoint", help="print the current signed checkpoint")
        checkpoint.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead")
        sub.add_parser("public-key", help="print the verifier key of the log's signing key (vkey)")
        show = sub.add_parser("show", help="print the latest entries")
        show.add_argument("--last", type=int, default=20)

    def handle(self, *args, **options):
        action = options["action"]
        if action == "verify":
            return self.verify(options.get("checkpoint"))
        if action == "checkpoint":
            text = checkpoints.current()
            if options.get("output"):
                try:
                    Path(options["output"]).write_text(text, encoding="utf-8")
                except OSError as exc:
                    self.stderr.write(f"无法写入 {options['output']}：{exc.strerror}")
                    sys.exit(2)
            else:
                self.stdout.write(text, ending="")
            return
        if action == "public-key":
            self.stdout.write(checkpoints.verifier().vkey())
            return
        for e in reversed(AuditEntry.objects.order_by("-seq")[: options["last"]]):
            self.stdout.write(f"#{e.seq} {e.at:%Y-%m-%d %H:%M:%S} {e.actor} {e.action} {e.target} {e.leaf_hash[:12]}")

    def verify(self, checkpoint_file):
        if checkpoint_file:
            try:
                text = Path(checkpoint_file).read_text(encoding="utf-8")
            except OSError as exc:
                self.stderr.write(f"无法读取检查点文件 {checkpoint_file}：{exc.strerror}")
                sys.exit(2)
            except UnicodeDecodeError:
                self.stderr.write(f"{checkpoint_file} 不是检查点文件（不是 UTF-8 文本）")
                sys.exit(2)
            try:
                notes.parse_checkpoint(text)
            except notes.NoteError as exc:
                self.stderr.write(f"{checkpoint_file} 不是签名的检查点：{exc}")
                sys.exit(2)
            verdict = audit_verify.against_checkpoint(text)
        else:
            verdict = audit.verify()
        if verdict.ok:
            self.stdout.write(verdict.message)
            return
        self.stderr.write(f"审计日志已被破坏：{verdict.message}")
        sys.exit(1)
