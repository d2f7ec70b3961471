"""`powerlist serve`: the site (portal, API, back office) on the database in DATABASE_URL, with
gunicorn's pre-fork workers; static files come from the package through WhiteNoise. Beside it runs
the background-job worker (django-tasks' database backend: `db_worker`), which makes the
downloads of each newly published version, and supervision's live evaluator (`supervise watch
--live`: every stored event's case evaluated within a second, the time-driven rules every five
minutes); both are stopped with the server."""

import ctypes
import multiprocessing
import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


def _die_with_parent() -> None:
    """In the helper, before it runs (Linux): if serve itself is killed outright (SIGKILL, a crash),
    the kernel sends the helper SIGTERM rather than leaving it running as an orphan."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _forward(helpers, told: set) -> None:
    """SIGTERM to each helper still running, once: a second one would make db_worker drop the job in hand."""
    for helper in helpers:
        if helper.pid not in told and helper.poll() is None:
            told.add(helper.pid)
            try:
                helper.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass


class Command(BaseCommand):
    help = "Serve the site with gunicorn on the database in DATABASE_URL."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=min(4, multiprocessing.cpu_count()))
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--no-worker", action="store_true",
                            help="do not run the background-job worker (run `powerlist db_worker` yourself)")
        parser.add_argument("--no-supervision", action="store_true",
                            help="do not run supervision's live evaluator (run `powerlist supervise watch --live` "
                                 "yourself, one or several)")

    def handle(self, *args, **options):
        from gunicorn.app.base import BaseApplication
        from gunicorn.arbiter import Arbiter

        from powerlist.wsgi import application

        helpers, told = [], set()

        class ServeArbiter(Arbiter):
            # the helpers are told at once, so they finish their job or batch while gunicorn's web
            # workers finish their requests (not one after the other)
            def handle_term(self):
                _forward(helpers, told)
                super().handle_term()

            def handle_int(self):
                _forward(helpers, told)
                super().handle_int()

            def handle_quit(self):
                _forward(helpers, told)
                super().handle_quit()

        class Server(BaseApplication):
            def run(self):
                try:
                    ServeArbiter(self).run()
                except RuntimeError as exc:
                    sys.stderr.write(f"\n无法启动网站服务：{exc}\n")
                    sys.exit(1)

            def load_config(self):
                self.cfg.set("bind", f"{options['host']}:{options['port']}")
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", options["threads"])
                self.cfg.set("accesslog", None)
                self.cfg.set("timeout", 120)  # the first PDF of a large list takes a while

            def load(self):
                return application

        def stop_now(signum, frame):
            # a signal before gunicorn has put up its own handlers (it is still starting)
            raise SystemExit(128 + signum)

        arbiter = os.getpid()
        previous = {sig: signal.signal(sig, stop_now) for sig in (signal.SIGTERM, signal.SIGINT)}
        worker = supervisor = None
        # the helpers in their own process group: Ctrl+C in the terminal reaches serve alone, which
        # tells each helper once (SIGINT to them too would be a second signal: db_worker's "force")
        own_group = {"process_group": 0}
        try:
            if not options["no_worker"]:
                # its own process (same settings and database): jobs never hold a web worker
                worker = subprocess.Popen([sys.executable, "-m", "powerlist", "db_worker", "--interval", "2"],
                                          preexec_fn=_die_with_parent, **own_group)
                helpers.append(worker)
            if not options["no_supervision"]:
                supervisor = subprocess.Popen([sys.executable, "-m", "powerlist", "supervise", "watch", "--live"],
                                              preexec_fn=_die_with_parent, **own_group)
                helpers.append(supervisor)
            self.stdout.write(f"网站服务：http://{options['host']}:{options['port']}/（{options['workers']} 个网页进程"
                              f"{'，后台任务进程' if worker else ''}{'，实时监督' if supervisor else ''}；"
                              f"按 Ctrl+C 停止）")
            self.stdout.flush()
            Server().run()
        finally:
            # gunicorn's forked web workers leave through here too: only the arbiter stops the helpers
            if os.getpid() == arbiter:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
                # db_worker finishes the job in hand on SIGTERM, the live evaluator its batch; then they exit
                _forward(helpers, told)
                for helper in helpers:
                    try:
                        helper.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        helper.kill()  # a killed evaluator's batch rolls back and stays queued
