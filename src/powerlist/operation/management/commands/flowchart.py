"""`powerlist flowchart`: import an item's flowchart from BPMN 2.0 (bpmn.io, Camunda Modeler,
Activiti/Flowable designers), export it, draw it as SVG, or print the BPMN it gets without one
(its steps in order, else its category's template)."""

from pathlib import Path

from django.core.management.base import CommandError

from powerlist.core import bounded
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code
from powerlist.operation.bpmn import graph
from powerlist.operation.services import flowcharts


class Command(PowerlistCommand):
    help = "Flowcharts (流程图) as BPMN 2.0: import, export, render, template."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="check a BPMN file and store it as the item's next flowchart version")
        imp.add_argument("file")
        imp.add_argument("--reason", default="")
        exp = sub.add_parser("export", help="write the item's flowchart in force as BPMN")
        ren = sub.add_parser("render", help="draw the item's flowchart as SVG")
        tpl = sub.add_parser("template", help="the BPMN an item gets without an imported flowchart")
        for p in (exp, ren, tpl):
            p.add_argument("-o", "--output", default="-", help="file to write (- for stdout)")
        for p in sub.choices.values():
            p.add_argument("--item", required=True, metavar="CODE", help="the item's power code (职权编码)")
            p.add_argument("--jurisdiction", metavar="CODE")
            self.add_actor_argument(p)

    def handle(self, *args, **options):
        actor = self.actor(options)
        jurisdiction = None
        if options["jurisdiction"]:
            jurisdiction = Jurisdiction.objects.filter(code=short_code(options["jurisdiction"])).first()
            if jurisdiction is None:
                raise CommandError(f"no jurisdiction with code {options['jurisdiction']}")
        item = flowcharts.find_item(jurisdiction, options["item"])
        action = options["action"]
        if action == "import":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
            bounded.check_size(path)
            version = flowcharts.import_flowchart(actor, item, path.read_bytes(), filename=path.name,
                                                  reason=options["reason"], via="cli")
            steps = " → ".join(s["name"] for s in graph.steps(version.parsed)["steps"])
            state = (f"awaiting review (change request #{version.change_request_id})" if version.status == "pending"
                     else f"in force, pinned to item version {version.item_version}")
            self.stdout.write(f"{item.code} flowchart version {version.number}: {state}\n{steps}")
            return
        if action == "render":
            text = flowcharts.svg(item)
        else:
            text = flowcharts.flowchart(item)["bpmn"] if action == "export" else flowcharts.built(item)[0]
        if options["output"] == "-":
            self.stdout.write(text)
        else:
            try:
                Path(options["output"]).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"{options['output']}: 无法写入（{exc.strerror}）") from None
            self.stdout.write(f"已写入 {options['output']}")
