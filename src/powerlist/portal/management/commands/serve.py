"""`powerlist serve`: the site (portal, API, back office) on the database in DATABASE_URL, with
gunicorn's pre-fork workers; static files come from the package through WhiteNoise."""

import multiprocessing

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with gunicorn on the database in DATABASE_URL."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=min(4, multiprocessing.cpu_count()))
        parser.add_argument("--threads", type=int, default=1)

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

        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/ "
                          f"({options['workers']} workers; Ctrl+C to stop)")
        self.stdout.flush()
        Server().run()
