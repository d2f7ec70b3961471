"""powerlist campaign open|decide|reply|accept|next-round|publish|stats|dedupe|takeover|export:
the clean-up campaign from the console. Each subcommand is one small handler calling the services.
"""

import json

from django.core.management.base import CommandError

from powerlist.catalog.models import ListVersion
from powerlist.cleanup import decision_files
from powerlist.cleanup.services import campaigns, decisions, publication
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, short_code


def _jurisdiction(code: str) -> Jurisdiction:
    jurisdiction = Jurisdiction.objects.filter(code=short_code(code)).first()
    if jurisdiction is None:
        raise CommandError(f"没有代码为 {code} 的行政区划")
    return jurisdiction


def do_open(cmd, actor, o):
    from powerlist.core.services import organisations as org_services

    jurisdiction = _jurisdiction(o["jurisdiction"])
    orgs = []
    for name in o["department"] or []:
        org = org_services.find(jurisdiction, name)
        if org is None:
            raise CommandError(f"{jurisdiction.name}没有部门“{name}”")
        orgs.append(org)
    reference = _jurisdiction(o["reference"]) if o["reference"] else None
    nobody_yet = not orgs and not org_services.current(jurisdiction).exists()
    campaign = campaigns.open_campaign(actor, jurisdiction, title=o["title"], deadline=o["deadline"],
                                       organisations=orgs or None, reference=reference,
                                       include_list=o["include_list"])
    cmd.stdout.write(f"已为{jurisdiction.name}开启清理工作“{campaign.title}”：{campaign.tasks.count()} 个部门参加，"
                     f"截止日期 {campaign.deadline}")
    if nobody_yet:
        cmd.stderr.write(f"{jurisdiction.name}还没有部门：各部门自报导入时加入本次清理工作"
                         f"（powerlist import FILE --jurisdiction {jurisdiction.code} --campaign {campaign.pk} "
                         f"--create-organisations），或先录入部门再用 --department 指明参加的部门")
    if o["include_list"]:
        cmd.stdout.write(f"已纳入已公布清单中现行有效的事项 {campaign.included} 项")
    if campaign.takeover is not None:
        _write_takeover(cmd, reference, campaign.takeover)
    if reference is not None and not ListVersion.objects.filter(jurisdiction=reference).exists():
        cmd.stderr.write(f"注意：{reference.full_name()}（{reference.code}）还没有发布清单，本次没有从它下放、"
                         f"需要承接的事项；待其发布后运行 powerlist campaign takeover --campaign {campaign.pk}")
    cmd.stdout.write(str(campaign.pk))


def _write_takeover(cmd, reference, report):
    cmd.stdout.write(f"参照清单：{reference.full_name()}（{reference.code}）；已录入待承接的下放事项 {len(report.entered)} 项"
                     + (f"，此前已承接 {len(report.already)} 项" if report.already else "")
                     + (f"，未录入 {len(report.unmatched)} 项：" if report.unmatched else ""))
    for u in report.unmatched:
        cmd.stdout.write(f"  {u['code']} {u['name']}（{u['department']}）：{u['why']}")


def do_takeover(cmd, actor, o):
    from powerlist.cleanup.services import levels

    campaign = campaigns.get(actor, o["campaign"])
    report = levels.take_over(actor, campaign)
    if o["json"]:
        cmd.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        return
    _write_takeover(cmd, campaign.reference, report)


def do_export(cmd, actor, o):
    from powerlist.cleanup import upper_export

    campaign = campaigns.get(actor, o["campaign"])
    try:
        n = upper_export.export(campaign, o["format"], o["output"])
    except OSError as exc:
        raise CommandError(f"无法写入 {o['output']}：{exc.strerror}") from None
    cmd.stdout.write(f"已将第 {campaign.version.number} 版的 {n} 项写入 {o['output']}")


def do_reply(cmd, actor, o):
    campaign = campaigns.get(actor, o["campaign"])
    changes = None
    if o["changes"]:
        try:
            changes = json.loads(o["changes"])
        except json.JSONDecodeError as exc:
            raise CommandError(f"--changes 不是 JSON（{exc.msg}）：请给出要修改的字段，"
                               f"例如 '{{\"承诺时限\": 5}}'") from None
        if not isinstance(changes, dict):
            raise CommandError("--changes 应为 JSON 对象：字段及其新值")
    decision = decisions.reply(actor, campaign, o["code"], o["answer"], text=o["text"], changes=changes)
    cmd.stdout.write(f"{o['code']}：已记录对第 {decision.round} 轮决定的答复“{decision.get_reply_display()}”")


def do_accept(cmd, actor, o):
    task = decisions.accept_task(actor, campaigns.get(actor, o["campaign"]))
    cmd.stdout.write(f"{task.organisation.name}已确认对本部门事项的审核决定")


def do_decide(cmd, actor, o):
    campaign = campaigns.get(actor, o["campaign"])
    from pathlib import Path

    rows = decision_files.read(o["file"])
    written = decisions.decide(actor, campaign, rows, file=Path(o["file"]).name)
    cmd.stdout.write(f"第 {campaign.current_round} 轮已记录 {len(written)} 项决定")


def do_next_round(cmd, actor, o):
    campaign = decisions.start_next_round(actor, campaigns.get(actor, o["campaign"]))
    cmd.stdout.write(f"第 {campaign.current_round} 轮审核已开始")


def do_publish(cmd, actor, o):
    campaign = campaigns.get(actor, o["campaign"])
    version = publication.publish(actor, campaign, title=o["title"], document=o["document"])
    campaign.refresh_from_db()
    s = campaign.statistics
    diff = publication.difference(version)
    cmd.stdout.write(f"已发布第 {version.number} 版：{version.item_count} 项，sha256 {version.sha256}")
    cmd.stdout.write(f"自报 {s['reported']}，保留 {s['kept']}，取消 {s['cancelled']}，下放 {s['delegated']}，"
                     f"转移 {s['transferred']}，整合 {s['merged']}，精简比例 {s['cut_ratio']:.2%}")
    since = f"与第 {diff['previous']} 版相比" if diff["previous"] is not None else "首次发布"
    cmd.stdout.write(f"{since}：新增 {len(diff['added'])} 项，删除 {len(diff['removed'])} 项，"
                     f"变更 {len(diff['changed'])} 项")


def do_stats(cmd, actor, o):
    stats = publication.statistics(campaigns.get(actor, o["campaign"]))
    if o["json"]:
        cmd.stdout.write(json.dumps(stats, ensure_ascii=False))
        return

    def line(c):
        return (f"自报 {c['reported']}，保留 {c['kept']}，取消 {c['cancelled']}，下放 {c['delegated']}，"
                f"转移 {c['transferred']}，整合 {c['merged']}，精简比例 {c['cut_ratio']:.2%}")

    cmd.stdout.write("合计：" + line(stats))
    cmd.stdout.write("按类别：")
    for code, c in stats["by_category"].items():
        cmd.stdout.write(f"  {c.get('name', code)}：" + line(c))
    cmd.stdout.write("按部门：")
    for name, c in stats["by_department"].items():
        cmd.stdout.write(f"  {name}：" + line(c))


def do_dedupe(cmd, actor, o):
    """Duplicate groups among the campaign's items the actor may see (checks.find_duplicate_groups)."""
    from powerlist.catalog.models import PowerItem
    from powerlist.cleanup.checks import find_duplicate_groups

    campaign = campaigns.get(actor, o["campaign"])
    items = PowerItem.objects.filter(pk__in=campaigns.entries_for(actor, campaign).values("item_id"))
    groups = find_duplicate_groups(items)
    if o["json"]:
        cmd.stdout.write(json.dumps(groups, ensure_ascii=False, indent=1))
        return
    cmd.stdout.write(f"重复事项 {len(groups)} 组")
    for g in groups:
        cmd.stdout.write(("跨部门 " if g["across_departments"] else "") + "、".join(
            f"{i['code']} {i['name']}（{i['department']}）" for i in g["items"]))
        for p in g["pairs"]:
            cmd.stdout.write(f"    {p['a']} ~ {p['b']} {p['score']:.2f} {'、'.join(p['shared_citations'])}")


SUBCOMMANDS = {"open": do_open, "decide": do_decide, "reply": do_reply, "accept": do_accept,
               "next-round": do_next_round, "publish": do_publish, "stats": do_stats, "dedupe": do_dedupe,
               "takeover": do_takeover, "export": do_export}


class Command(PowerlistCommand):
    help = ("Clean-up campaigns (清理工作): open, decide from a file, the department's reply and acceptance, "
            "next round, publish, statistics, duplicates, taking over delegated items, export for the upper platform.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        p = sub.add_parser("open", help="open a campaign; prints its id on the last line")
        p.add_argument("--jurisdiction", required=True, metavar="CODE")
        p.add_argument("--title", required=True)
        p.add_argument("--deadline", required=True, metavar="YYYY-MM-DD")
        p.add_argument("--department", action="append", metavar="NAME",
                       help="a department taking part (repeatable; default: every department)")
        p.add_argument("--reference", metavar="CODE",
                       help="the upper level (city or province) whose published list is the reference: check (e) "
                            "compares against it and the items it delegated down are entered to take over (承接)")
        p.add_argument("--include-list", action="store_true",
                       help="re-clean the published list: enter every published item in force of the departments "
                            "taking part as reported (the items themselves; decisions apply to them at publication)")
        p = sub.add_parser("decide", help="record decisions from a CSV/XLSX: 职权编码, 决定, 理由, 承接, 合并到, "
                                               "调整字段 (字段：新值, one per line), 意见")
        p.add_argument("--campaign", required=True, metavar="ID")
        p.add_argument("--file", required=True)
        p = sub.add_parser("reply", help="the department's reply to the current decision on one of its items")
        p.add_argument("--campaign", required=True, metavar="ID")
        p.add_argument("--code", required=True, metavar="CODE")
        p.add_argument("--answer", required=True, choices=["accept", "revise", "object"])
        p.add_argument("--text", default="", help="the reason of an objection, or what was revised")
        p.add_argument("--changes", default="", metavar="JSON",
                       help='revise: the fields changed, as JSON, by English name or Chinese column '
                            '(e.g. \'{"promised_limit_days": 5}\' or \'{"承诺时限": 5, "设定依据": "《…》第十二条"}\')')
        p = sub.add_parser("accept", help="the department accepts every decision on its items (确认)")
        p.add_argument("--campaign", required=True, metavar="ID")
        p = sub.add_parser("next-round", help="start the next review round")
        p.add_argument("--campaign", required=True, metavar="ID")
        p = sub.add_parser("publish", help="apply the final decisions and publish the list version")
        p.add_argument("--campaign", required=True, metavar="ID")
        p.add_argument("--title", required=True)
        p.add_argument("--document", default="")
        p = sub.add_parser("stats", help="reported, kept, cancelled, … and the cut ratio")
        p.add_argument("--campaign", required=True, metavar="ID")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("dedupe", help="duplicate groups among the campaign's items, with codes and evidence")
        p.add_argument("--campaign", required=True, metavar="ID")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("takeover", help="enter the items the reference level delegated down (承接)")
        p.add_argument("--campaign", required=True, metavar="ID")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("export", help="the published list as a file for the upper platform (录入省平台)")
        p.add_argument("--campaign", required=True, metavar="ID")
        p.add_argument("--format", required=True, choices=["json", "xlsx"])
        p.add_argument("-o", "--output", required=True, metavar="FILE")
        for p in sub.choices.values():
            self.add_actor_argument(p)

    def handle(self, *args, **options):
        SUBCOMMANDS[options["sub"]](self, self.actor(options), options)
