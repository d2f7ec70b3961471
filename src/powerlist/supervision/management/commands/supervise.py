"""`powerlist supervise`: run the rules over the cases (sweep), print the stored alerts, or keep
the time-driven rules running on a schedule (watch); `watch --live` is also the live evaluator,
which evaluates each stored event's case within a second (`supervision.live`)."""

import json
import time

from django.core.management.base import CommandError

from powerlist.core.management.base import PowerlistCommand
from powerlist.core.progress import bar
from powerlist.operation import partitions
from powerlist.supervision import engine
from powerlist.supervision.services import sweeps


class Command(PowerlistCommand):
    help = "Electronic supervision (电子监察): sweep, alerts, watch."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        swept = sub.add_parser("sweep", help="run every enabled rule over the events and store the alerts")
        swept.add_argument("--jurisdiction", metavar="CODE", default=None)
        swept.add_argument("--engine", choices=sweeps.ENGINES, default="sql",
                           help="sql: on this database; spark: PySpark over the events exported as Parquet")
        swept.add_argument("--json", action="store_true")
        listed = sub.add_parser("alerts", help="the stored alerts")
        listed.add_argument("--jurisdiction", metavar="CODE", default=None)
        listed.add_argument("--json", action="store_true")
        watched = sub.add_parser("watch", help="run the time-driven rules (deadline-warning, overdue, "
                                               "suspension-too-long) every INTERVAL seconds")
        watched.add_argument("--jurisdiction", metavar="CODE", default=None)
        watched.add_argument("--interval", type=int, default=300, metavar="SECONDS")
        watched.add_argument("--once", action="store_true", help="one round, then exit")
        watched.add_argument("--enqueue", action="store_true",
                             help="hand each round to the background worker instead of running it here")
        watched.add_argument("--live", action="store_true",
                             help="between rounds, evaluate every newly stored event's case as it arrives "
                                  "(the live evaluator; several may run at once)")
        carded = sub.add_parser("cards", help="the yellow and red cards (黄红牌) in your scope")
        carded.add_argument("--jurisdiction", metavar="CODE", default=None)
        carded.add_argument("--json", action="store_true")
        appealed = sub.add_parser("appeal", help="appeal (申诉) a card given to you")
        appealed.add_argument("card", metavar="CARD")
        appealed.add_argument("--reason", required=True)
        decided = sub.add_parser("decide", help="an inspector revokes, upholds or escalates (督办) a card")
        decided.add_argument("card", metavar="CARD")
        decided.add_argument("--outcome", required=True, choices=["revoke", "uphold", "escalate"])
        decided.add_argument("--reason", required=True)
        scored = sub.add_parser("scores", help="department scores (效能) with the formula")
        scored.add_argument("--jurisdiction", metavar="CODE", default=None)
        scored.add_argument("--period", metavar="YYYY-MM", default=None)
        scored.add_argument("--json", action="store_true")
        for p in (swept, listed, watched, carded, appealed, decided, scored):
            self.add_actor_argument(p)
        from powerlist.supervision.management import rule_commands

        rule_commands.add_parsers(self, sub)

    def handle(self, *args, **options):
        actor = self.actor(options)
        command = options["command"]
        if command == "sweep":
            rules = engine.enabled_rules()
            with bar(total=len(rules), desc="监察规则", unit="条") as progress:
                found = sweeps.sweep(actor, options["jurisdiction"], options["engine"],
                                     progress=lambda rule: progress.update(1))
            self._print(engine.shape(found), options["json"])
        elif command == "alerts":
            self._print(sweeps.alerts(actor, options["jurisdiction"]), options["json"])
        elif command in ("rules", "rule", "quiet-days"):
            from powerlist.supervision.management import rule_commands

            rule_commands.run(self, actor, options)
        elif command in ("cards", "appeal", "decide", "scores"):
            from powerlist.supervision.management import card_commands

            getattr(card_commands, command)(self, actor, options)
        else:
            if options["interval"] < 1:
                raise CommandError("--interval: 应为至少 1 秒")
            stop = self._stop_on_signal() if options["live"] else None
            while True:
                if options["enqueue"]:
                    from powerlist.supervision.tasks import sweep_time_driven_rules

                    sweep_time_driven_rules.enqueue(options["jurisdiction"])
                    self.stdout.write("已交后台任务执行")
                else:
                    partitions.prepare()  # the coming months' event partitions (PostgreSQL)
                    found = sweeps.sweep(actor, options["jurisdiction"], time_driven_only=True)
                    self.stdout.write(f"时限类规则：{len(found)} 条预警")
                self.stdout.flush()
                if options["live"]:
                    from powerlist.supervision import live

                    if options["once"]:
                        self.stdout.write(f"实时监察：已评估 {len(live.drain())} 条待评估记录")
                        return
                    live.run(stop=stop, until=time.monotonic() + options["interval"])
                    if stop.is_set():
                        return
                elif options["once"]:
                    return
                else:
                    time.sleep(options["interval"])

    @staticmethod
    def _stop_on_signal():
        """SIGTERM or SIGINT ends the live evaluator after the batch in hand (its rows are then
        evaluated, or, if it is killed outright, left queued for the next evaluator)."""
        import signal
        import threading

        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_args: stop.set())
        return stop

    def _print(self, shaped: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(shaped, ensure_ascii=False, indent=2))
            return
        for a in shaped["alerts"]:
            mark = {"red": "红", "yellow": "黄", "info": "提示"}[a["severity"]]
            self.stdout.write(f"[{mark}] {a['at'][:16]} {a['case']} {a['rule']} {a['step']} {a['detail']}".rstrip())
        self.stdout.write(f"共 {len(shaped['alerts'])} 条预警")
