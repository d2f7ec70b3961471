"""powerlist signoff: a legal reviewer (合法性审查) or an expert (专家论证) signs off items of a
campaign's current round, named by code or all that have a decision, all or nothing."""

from django.core.management.base import CommandError

from powerlist.cleanup.models import Campaign, Decision, Signoff, Stage
from powerlist.cleanup.services import stages
from powerlist.core.management.base import PowerlistCommand


class Command(PowerlistCommand):
    help = "Sign off the legality review or the expert review of a campaign's items (current round)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, metavar="ID")
        parser.add_argument("--stage", required=True, choices=Stage.values)
        parser.add_argument("--verdict", required=True, choices=Signoff.Verdict.values)
        parser.add_argument("--code", action="append", default=[], metavar="CODE",
                            help="an item's power code (职权编码); repeatable")
        parser.add_argument("--all", action="store_true",
                            help="every item of the campaign that has a decision, except those this stage objected "
                                 "to in this round (name them with --code to change an objection)")
        parser.add_argument("--comment", default="", metavar="C", help="required with --verdict objected")
        self.add_actor_argument(parser)

    def handle(self, *args, **o):
        actor = self.actor(o)
        if bool(o["code"]) == bool(o["all"]):
            raise CommandError("请用 --code CODE（可重复）指明事项，或用 --all，二者只选其一")
        campaign = Campaign.objects.select_related("jurisdiction").filter(pk=_int(o["campaign"])).first()
        if campaign is None:
            raise CommandError(f"没有编号为 {o['campaign']} 的清理工作")
        stages.require_signer(actor, campaign, o["stage"])
        codes = o["code"] or list(Decision.objects.filter(entry__campaign=campaign).order_by("entry__item__code")
                                  .values_list("entry__item__code", flat=True).distinct())
        kept = []
        if o["all"] and o["verdict"] != "objected":
            # a batch approval never silently overrides an objection: that takes naming the item
            kept = sorted(Signoff.objects.filter(entry__campaign=campaign, round=campaign.current_round,
                                                 stage=o["stage"], verdict=Signoff.Verdict.OBJECTED)
                          .values_list("entry__item__code", flat=True))
            codes = [c for c in codes if c not in set(kept)]
        signed = stages.sign_off(actor, campaign, codes, o["stage"], o["verdict"], o["comment"]) if codes else []
        self.stdout.write(f"{stages.STAGE_NAMES[o['stage']]} {stages.VERDICT_NAMES[o['verdict']]}："
                          f"第{campaign.current_round}轮 {len(signed)} 项")
        if kept:
            self.stdout.write(f"有异议的 {len(kept)} 项未改动（要改为通过，请用 --code 逐项指明）：" + "、".join(kept[:50]))
        self.stdout.write(str(len(signed)))


def _int(value) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None
