import json
from pathlib import Path

from django.utils import timezone

from powerlist.core import workdays
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import CalendarYear
from powerlist.core.services import calendar as calendar_services


def _count(text: str) -> int:
    if not text.strip().isascii() or not text.strip().isdigit():
        raise InvalidInput([Problem("", None, "N", text, f"应为 0 至 {workdays.MAX_DAYS} 的整数（工作日数）")])
    return int(text)


def _suspension(text: str) -> workdays.Suspension:
    first, _, rest = text.partition(":")
    last, _, reason = rest.partition(":")
    if not (first and last):
        raise InvalidInput([Problem("", None, "--suspend", text, "应为 起:止:原因，如 2026-10-14:2026-10-16:补正材料")])
    return workdays.Suspension(workdays.beijing_date(first), workdays.beijing_date(last), reason.strip() or "中止")


class Command(PowerlistCommand):
    help = ("The official working-day calendar (工作日, with 调休). `load FILE` loads the State Council's "
            "notice for a year (docs/calendar.md; administrators; audited), `show YEAR` lists a year's "
            "holidays and make-up working days and where they come from, `add-working-days DATE N` "
            "prints the date N working days after DATE (counting from the next day), explained.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load (or replace) a year from the notice FILE (JSON)")
        load.add_argument("file", type=Path)
        self.add_actor_argument(load)
        show = sub.add_parser("show", help="a year's holidays and make-up working days")
        show.add_argument("year")
        add = sub.add_parser("add-working-days", help="the date N working days after DATE")
        add.add_argument("date", help="the day of acceptance (受理), YYYY-MM-DD")
        add.add_argument("n", metavar="N", help="working days")
        add.add_argument("--suspend", action="append", default=[], metavar="FROM:TO:REASON",
                         help="a suspension (中止) stopping the clock, dates included, e.g. "
                              "2026-10-14:2026-10-16:补正材料; repeatable")
        add.add_argument("--json", action="store_true", help='print {"start", "days", "due", "explained"}')

    def handle(self, *args, **options):
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _load(self, options):
        loaded = calendar_services.load_notice_file(self.actor(options), options["file"])
        days = list(loaded.days.all())
        rest = sum(not d.is_working_day for d in days)
        self.stdout.write(f"{loaded.year}年：载入放假 {rest} 天、调休上班 {len(days) - rest} 天（来源：{loaded.source}）")

    def _show(self, options):
        text = options["year"].strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise InvalidInput([Problem("", None, "YEAR", text, "应为四位年份，如 2026")])
        source, periods, makeup = workdays.Calendar().year(int(text))
        loaded = CalendarYear.objects.filter(year=int(text)).first()
        if loaded is not None:
            source += f"（{loaded.loaded_by} 载入于 {timezone.localtime(loaded.loaded_at):%Y-%m-%d %H:%M}）"
        self.stdout.write(f"{text}\t{source}")
        rows = [(first, "放假", last, name) for name, first, last in periods]
        rows += [(date, "上班", date, f"{name}（调休上班）") for name, date in makeup]
        for first, kind, last, name in sorted(rows):  # in date order: 放假/上班 FIRST LAST DAYS NAME
            self.stdout.write(f"{kind}\t{first.isoformat()}\t{last.isoformat()}\t{(last - first).days + 1}\t{name}")

    def _add_working_days(self, options):
        start = workdays.beijing_date(options["date"])
        due = workdays.add_working_days(start, _count(options["n"]),
                                        [_suspension(s) for s in options["suspend"]])
        if options["json"]:
            self.stdout.write(json.dumps({"start": start.isoformat(), "days": due.days, "due": due.date.isoformat(),
                                          "explained": due.explained}, ensure_ascii=False))
        else:
            self.stdout.write(due.explained)
            self.stdout.write(due.date.isoformat())
