"""powerlist consultation open|close|comments: public consultation (公开征求意见) on a campaign's
draft list from the console. The comment list carries no name and no address."""

import json

from django.core.management.base import CommandError
from django.utils import timezone

from powerlist.cleanup.models import Campaign, Comment
from powerlist.cleanup.services import consultation
from powerlist.cleanup.services.campaigns import require_reviewer
from powerlist.core.management.base import PowerlistCommand


def _campaign(value) -> Campaign:
    try:
        campaign = Campaign.objects.select_related("jurisdiction").filter(pk=int(value)).first()
    except ValueError:
        campaign = None
    if campaign is None:
        raise CommandError(f"没有编号为 {value} 的清理工作")
    return campaign


def _local(moment) -> str:
    return timezone.localtime(moment, consultation.SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


def do_open(cmd, actor, o):
    campaign = consultation.open_consultation(actor, _campaign(o["campaign"]), o["opens"], o["closes"])
    cmd.stdout.write(f"“{campaign.title}”公开征求意见：{_local(campaign.consultation_opens)} 至 "
                     f"{_local(campaign.consultation_closes)}")


def do_close(cmd, actor, o):
    campaign = consultation.close_consultation(actor, _campaign(o["campaign"]))
    cmd.stdout.write(f"“{campaign.title}”征求意见已于 {_local(campaign.consultation_closes)} 结束")


def do_comments(cmd, actor, o):
    campaign = _campaign(o["campaign"])
    require_reviewer(actor, campaign, "查看公众意见")
    comments = Comment.objects.filter(campaign=campaign).select_related("entry__item").order_by("created_at", "pk")
    listed = [{"id": c.pk, "code": c.entry.item.code, "state": c.state, "received": c.created_at.isoformat(),
               "text": c.text, "reply": c.reply, "adopted": c.adopted} for c in comments]
    counts = consultation.counts(campaign)
    if o["json"]:
        cmd.stdout.write(json.dumps({"campaign": campaign.pk, "phase": consultation.phase(campaign),
                                     "opens": campaign.consultation_opens and campaign.consultation_opens.isoformat(),
                                     "closes": campaign.consultation_closes and campaign.consultation_closes.isoformat(),
                                     "counts": counts, "by_item": consultation.counts_by_item(campaign),
                                     "comments": listed}, ensure_ascii=False, indent=1))
        return
    cmd.stdout.write(f"收到 {counts['received']} 条，待审 {counts['pending']} 条，已公开 {counts['shown']} 条，"
                     f"不予公开 {counts['hidden']} 条，采纳 {counts['adopted']} 条，未采纳 {counts['not_adopted']} 条")
    for c, comment in zip(listed, comments):
        adopted = {True: "采纳", False: "未采纳", None: ""}[c["adopted"]]
        cmd.stdout.write(f"#{c['id']} {c['code']} {comment.get_state_display()} {adopted} “{c['text']}”"
                         .replace("  ", " "))


SUBCOMMANDS = {"open": do_open, "close": do_close, "comments": do_comments}


class Command(PowerlistCommand):
    help = "Public consultation on a campaign's draft list: open, close, the comments received."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        p = sub.add_parser("open", help="open the draft for comment (dates in Asia/Shanghai; --closes to the end of that day)")
        p.add_argument("--campaign", required=True, metavar="ID")
        p.add_argument("--opens", required=True, metavar="DATE")
        p.add_argument("--closes", required=True, metavar="DATE")
        p = sub.add_parser("close", help="end the consultation now")
        p.add_argument("--campaign", required=True, metavar="ID")
        p = sub.add_parser("comments", help="counts received, shown, adopted, and the comments")
        p.add_argument("--campaign", required=True, metavar="ID")
        p.add_argument("--json", action="store_true")
        for p in sub.choices.values():
            self.add_actor_argument(p)

    def handle(self, *args, **options):
        SUBCOMMANDS[options["sub"]](self, self.actor(options), options)
