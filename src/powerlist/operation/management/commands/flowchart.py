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
        sub.add_parser("steps", help="each step's post and time limit, and which template step they came from")
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
                raise CommandError(f"没有代码为 {options['jurisdiction']} 的行政区划")
        item = flowcharts.find_item(jurisdiction, options["item"])
        action = options["action"]
        if action == "import":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"{path}：找不到这个文件")
            bounded.check_size(path)
            version = flowcharts.import_flowchart(actor, item, path.read_bytes(), filename=path.name,
                                                  reason=options["reason"], via="cli")
            steps = " → ".join(s["name"] for s in graph.steps(version.parsed)["steps"])
            state = (f"待审核（变更申请 #{version.change_request_id}），审核通过后生效" if version.status == "pending"
                     else f"已生效，对应事项第 {version.item_version} 版")
            self.stdout.write(f"{item.code} 流程图第 {version.number} 版：{state}\n{steps}")
            return
        if action == "steps":
            lines = flowcharts.step_origins(flowcharts.flowchart(item)["model"]) or [
                "此事项的流程图为导入的 BPMN，岗位和时限取自图中的泳道和 powerlist:timeLimitDays"]
            for line in lines:
                self.stdout.write(line)
            return
        if action == "render":
            text = flowcharts.svg(item)
        else:
            text = flowcharts.exported(item) if action == "export" else flowcharts.built(item)[0]
        if options["output"] == "-":
            self.stdout.write(text)
        else:
            try:
                Path(options["output"]).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"{options['output']}: 无法写入（{exc.strerror}）") from None
            what = "流程图（SVG）" if action == "render" else "流程图（BPMN 2.0）"
            self.stdout.write(f"已写入{what} {options['output']}")
