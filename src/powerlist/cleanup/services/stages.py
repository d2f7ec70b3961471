"""The review stages of a campaign: legality review (合法性审查, by the legal reviewers, 法制审核)
and expert review (专家论证, by the expert reviewers), signed off per item or in batches.

A sign-off is for one entry in one round (the round open when it was given) and signs the
decision that entry has then. When the reviewer changes the decision afterwards in the same
round, or a new round starts, the sign-off no longer covers what will be published and the item
must be signed again. Publication needs, in the final round, legality approval of every item
kept or amended and no standing objection on any item (`publication_blockers`)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from powerlist.cleanup.models import DECISION_NAMES, Campaign, Decision, DecisionKind, Entry, Signoff, Stage
from powerlist.cleanup.services.campaigns import require_open
from powerlist.cleanup.services.decisions import final_decisions
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.models import Role
from powerlist.core.services import audit

ROLE_OF_STAGE = {Stage.LEGALITY: Role.LEGAL, Stage.EXPERT: Role.EXPERT}
STAGE_NAMES = {Stage.LEGALITY: "合法性审查", Stage.EXPERT: "专家论证"}
VERDICT_NAMES = {Signoff.Verdict.APPROVED: "通过", Signoff.Verdict.OBJECTED: "有异议"}
KEPT = (DecisionKind.KEEP, DecisionKind.AMEND)
COMMENT_MAX = 2000


@dataclass(frozen=True)
class StageState:
    """One stage of one entry in the current round."""

    signoff: Signoff | None
    stale: bool  # the decision changed after this sign-off: sign again

    @property
    def status(self) -> str:
        """missing | approved | objected | stale"""
        if self.signoff is None:
            return "missing"
        return "stale" if self.stale else self.signoff.verdict


def get_campaign(actor, campaign_id) -> Campaign:
    """A campaign whose stages the actor may read (signers, its reviewers, inspectors)."""
    try:
        campaign = Campaign.objects.select_related("jurisdiction").get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"清理工作 {campaign_id} 不存在") from None
    if not scope.reads_review_stages(actor, campaign.jurisdiction):
        raise NotFound(f"清理工作 {campaign_id} 不存在")
    return campaign


def require_signer(actor, campaign: Campaign, stage: str) -> None:
    if not scope.signs_off(actor, campaign.jurisdiction, ROLE_OF_STAGE[stage]):
        who = "法制审核人员" if stage == Stage.LEGALITY else "专家"
        raise PermissionDenied(f"{audit.actor_name(actor)}无权签署{STAGE_NAMES[stage]}：只有{campaign.jurisdiction.name}"
                               f"的{who}和管理员可以")


def _check(stage, verdict, comment, codes) -> list[Problem]:
    problems = []
    if stage not in Stage.values:
        problems.append(Problem("", None, "stage", str(stage), "阶段应为 legality（合法性审查）或 expert（专家论证）"))
    if verdict not in Signoff.Verdict.values:
        problems.append(Problem("", None, "verdict", str(verdict), "结论应为 approved（通过）或 objected（有异议）"))
    if verdict == Signoff.Verdict.OBJECTED and not comment.strip():
        problems.append(Problem("", None, "comment", "", "提出异议须写明意见"))
    if len(comment) > COMMENT_MAX:
        problems.append(Problem("", None, "comment", comment[:60], f"意见不超过 {COMMENT_MAX} 字"))
    if "\x00" in comment:
        problems.append(Problem("", None, "comment", "", "意见中不能含有空字符"))
    if not codes:
        problems.append(Problem("", None, "职权编码", "", "请选择至少一个事项"))
    return problems


def sign_off(actor, campaign: Campaign, codes, stage: str, verdict: str, comment: str = "") -> list[Signoff]:
    """Sign off the entries with these codes in the current round, all or nothing: every code
    must be an entry of the campaign with a decision. Signing again in the same round replaces
    the earlier sign-off of that stage (the audit log keeps both)."""
    comment = comment or ""
    codes = list(dict.fromkeys(str(c).strip() for c in (codes or []) if str(c).strip()))
    problems = _check(stage, verdict, comment, codes)
    if problems:
        raise InvalidInput(problems)
    require_signer(actor, campaign, stage)
    now, name = timezone.now(), audit.actor_name(actor)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("jurisdiction").get(pk=campaign.pk)
        require_open(campaign)
        entries = {e.item.code: e for e in Entry.objects.filter(campaign=campaign, item__code__in=codes)
                   .select_related("item")}
        decided = set(Decision.objects.filter(entry__in=entries.values()).values_list("entry_id", flat=True))
        for code in codes:
            if code not in entries:
                problems.append(Problem("", None, "职权编码", code, "本次清理工作中没有这个职权编码的事项"))
            elif entries[code].pk not in decided:
                problems.append(Problem("", None, "职权编码", code, "该事项尚无审核决定，审查签署的是审核决定"))
        if problems:
            raise InvalidInput(problems)
        rows = [Signoff(entry=entries[c], round=campaign.current_round, stage=stage, verdict=verdict,
                        comment=comment.strip(), signed_by=name, signed_at=now) for c in codes]
        before = {(s.entry.item.code): s.verdict for s in Signoff.objects.filter(
            entry__in=entries.values(), round=campaign.current_round, stage=stage).select_related("entry__item")}
        Signoff.objects.bulk_create(rows, update_conflicts=True, unique_fields=["entry", "round", "stage"],
                                    update_fields=["verdict", "comment", "signed_by", "signed_at"])
        audit.append(actor, "campaign.signoff", f"campaign:{campaign.pk}", {
            "round": campaign.current_round, "stage": stage, "verdict": verdict, "comment": comment.strip(),
            "codes": codes, "replaced": before})
    return list(Signoff.objects.filter(entry__in=[entries[c] for c in codes], round=campaign.current_round,
                                       stage=stage).select_related("entry__item"))


def states(campaign: Campaign, entries=None, final: dict | None = None) -> dict[int, dict[str, StageState]]:
    """entry id -> {stage: StageState} in the campaign's current round (for the given entries,
    default all). `final` (entry id -> latest decision) may be passed when already read."""
    final = final_decisions(campaign) if final is None else final
    qs = Signoff.objects.filter(entry__campaign=campaign, round=campaign.current_round)
    if entries is not None:
        qs = qs.filter(entry__in=entries)
    ids = [e.pk for e in entries] if entries is not None else list(
        Entry.objects.filter(campaign=campaign).values_list("pk", flat=True))
    signed = {(s.entry_id, s.stage): s for s in qs}
    out = {}
    for entry_id in ids:
        decision = final.get(entry_id)
        row = {}
        for stage in Stage.values:
            s = signed.get((entry_id, stage))
            row[stage] = StageState(s, s is not None and (decision is None or decision.decided_at > s.signed_at))
        out[entry_id] = row
    return out


def counts(campaign: Campaign, final: dict | None = None, by_entry: dict | None = None) -> dict[str, dict[str, int]]:
    """{stage: {"missing", "approved", "objected", "stale"}} over the entries with a decision
    (`final` and `by_entry`, from final_decisions and states, may be passed when already read)."""
    final = final_decisions(campaign) if final is None else final
    by_entry = states(campaign, final=final) if by_entry is None else by_entry
    out = {stage: dict.fromkeys(("missing", "approved", "objected", "stale"), 0) for stage in Stage.values}
    for entry_id, row in by_entry.items():
        if entry_id in final:
            for stage, state in row.items():
                out[stage][state.status] += 1
    return out


def publication_blockers(campaign: Campaign) -> list[str]:
    """Why the campaign may not be published yet, one line per item (empty: nothing blocks):
    in the final (current) round every item kept or amended needs the legality review's
    approval of its decision as it stands, and no item may carry a standing objection of
    either stage. Called by publication before it writes anything."""
    final = final_decisions(campaign)
    entries = list(Entry.objects.filter(campaign=campaign).select_related("item").order_by("item__code"))
    by_entry = states(campaign, entries=entries, final=final)
    blockers = []
    for e in entries:
        decision, row = final.get(e.pk), by_entry[e.pk]
        what = f"{e.item.code} {e.item.name}"
        kind = DECISION_NAMES.get(decision.kind, decision.kind) if decision else ""
        for stage, state in row.items():
            if state.status == "objected":
                blockers.append(f"{what}（{kind}）：第{campaign.current_round}轮{STAGE_NAMES[stage]}有异议"
                                f"（{state.signoff.signed_by}：{state.signoff.comment}）")
        if decision is not None and decision.kind in KEPT:
            legality = row[Stage.LEGALITY].status
            if legality == "missing":
                blockers.append(f"{what}（{kind}）：第{campaign.current_round}轮尚未通过合法性审查")
            elif legality == "stale":
                blockers.append(f"{what}（{kind}）：合法性审查签署后审核决定已改变，须重新审查")
    return blockers + stale_amendments(campaign, entries, final)


def stale_amendments(campaign: Campaign, entries, final: dict) -> list[str]:
    """An amend decision records each field's value "before" (as decided) and "after". When the
    item changed after the decision (the department revised it in its reply), applying the
    decision would silently undo that change: such an item blocks publication until the reviewer
    decides again. A field already at the decided value is no conflict."""
    from powerlist.catalog.documents import document_of, field_label
    from powerlist.catalog.services import items as item_services
    from powerlist.catalog.services.requests import readable_value

    out = []
    for e in entries:
        d = final.get(e.pk)
        if d is None or not d.changes:
            continue
        now = document_of(item_services.load(e.item_id))
        for f, c in d.changes.items():
            if now.get(f) != c.get("before") and now.get(f) != c.get("after"):
                out.append(f"{e.item.code} {e.item.name}（{DECISION_NAMES[d.kind]}）：第{d.round}轮调整决定把"
                           f"{field_label(f)}定为{readable_value(f, c.get('after'))}（决定时为"
                           f"{readable_value(f, c.get('before'))}），但决定后事项已改为{readable_value(f, now.get(f))}；"
                           f"公布将撤销这一修改，请在第{campaign.current_round}轮重新作出决定")
    return out
