"""`powerlist serve`: the site (portal, API, back office) on the database in DATABASE_URL, with
gunicorn's pre-fork workers; static files come from the package through WhiteNoise. Beside it runs
the background-job worker (django-tasks' database backend: `db_worker`), which makes the
downloads of each newly published version, and supervision's live evaluator (`supervise watch
--live`: every stored event's case evaluated within a second, the time-driven rules every five
minutes); both are stopped with the server."""

import multiprocessing
import os
import subprocess
import sys

from django.core.management.base import BaseCommand


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

        from powerlist.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{options['host']}:{options['port']}")
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", options["threads"])
                self.cfg.set("accesslog", None)
                self.cfg.set("timeout", 120)  # the first PDF of a large list takes a while

            def load(self):
                return application

        worker, arbiter = None, os.getpid()
        if not options["no_worker"]:
            # its own process (same settings and database): jobs never hold a web worker
            worker = subprocess.Popen([sys.executable, "-m", "powerlist", "db_worker", "--interval", "2"])
        supervisor = None
        if not options["no_supervision"]:
            supervisor = subprocess.Popen([sys.executable, "-m", "powerlist", "supervise", "watch", "--live"])
        helpers = [p for p in (worker, supervisor) if p is not None]
        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/ "
                          f"({options['workers']} workers{', background-job worker' if worker else ''}"
                          f"{', live supervision' if supervisor else ''}; Ctrl+C to stop)")
        self.stdout.flush()
        try:
            Server().run()
        finally:
            # gunicorn's forked web workers leave through here too: only the arbiter stops the helpers
            if os.getpid() == arbiter:
                for helper in helpers:
                    # db_worker finishes the job in hand on SIGTERM, the live evaluator its batch; then they exit
                    helper.terminate()
                for helper in helpers:
                    try:
                        helper.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        helper.kill()  # a killed evaluator's batch rolls back and stays queued
