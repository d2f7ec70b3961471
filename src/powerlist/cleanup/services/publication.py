"""Publishing a campaign: apply every final decision through the item service (ledgered, with
the reason), freeze a ListVersion through versions.publish_version (sha256, checkpoint) and the
statistics in the form governments report them."""

from django.db import transaction

from powerlist.catalog.models import CATEGORY_NAMES, ListVersion, ListVersionEntry, Status
from powerlist.catalog.services import items as item_services
from powerlist.catalog.services.versions import publish_version
from powerlist.cleanup.models import CANCEL_REASON_NAMES, DECISION_NAMES, Campaign, Decision, DecisionKind, Entry
from powerlist.cleanup.services import stages
from powerlist.cleanup.services.campaigns import require_open, require_reviewer
from powerlist.cleanup.services.decisions import final_decisions
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.services import audit

STATUS_OF = {DecisionKind.KEEP: Status.PUBLISHED, DecisionKind.AMEND: Status.PUBLISHED,
             DecisionKind.CANCEL: Status.CANCELLED, DecisionKind.DELEGATE: Status.DELEGATED,
             DecisionKind.TRANSFER: Status.TRANSFERRED, DecisionKind.MERGE: Status.MERGED}
# the counters of `campaign stats --json`, by decision; amended items are kept
COUNTER = {"keep": "kept", "amend": "kept", "cancel": "cancelled", "delegate": "delegated",
           "transfer": "transferred", "merge": "merged"}
KEYS = ("reported", "kept", "cancelled", "delegated", "transferred", "merged")
# 承接: of the reported, the items the upper level delegated down for this level to take over
TAKEN_OVER = "taken_over"


def _blank() -> dict:
    return dict.fromkeys(KEYS, 0) | {"cut_ratio": 0.0, TAKEN_OVER: 0}


def _ratio(counts: dict) -> None:
    # 精简比例 = (reported − kept) / reported
    counts["cut_ratio"] = round((counts["reported"] - counts["kept"]) / counts["reported"], 4) \
        if counts["reported"] else 0.0


def statistics(campaign: Campaign) -> dict:
    """{"reported", "kept", "cancelled", "delegated", "transferred", "merged", "cut_ratio",
    "taken_over", "by_category": {code: {…}}, "by_department": {name: {…}}}. An item merged into
    another counts as merged, the item absorbing it as kept; an item not decided yet counts as kept
    (nothing is cut until decided); an item taken over from the upper level (承接) counts as
    reported and by its decision, and also as taken_over. Frozen at publication (statistics frozen
    before taken_over existed lack the key: read it with .get)."""
    if campaign.statistics is not None:
        return with_names(campaign.statistics)
    # plain rows, not model instances: 13,000 entries in well under a second (bench/campaign_bench.py)
    final = dict(Decision.objects.filter(entry__campaign=campaign).order_by("entry_id", "round")
                 .values_list("entry_id", "kind"))  # the latest round's kind wins
    total, by_category, by_department = _blank(), {}, {}
    rows = Entry.objects.filter(campaign=campaign).values_list("pk", "item__category", "task__organisation__name",
                                                               "upper_item_id")
    for entry_id, category, department, upper_item_id in rows.iterator(chunk_size=5000):
        counter = COUNTER[final[entry_id]] if entry_id in final else "kept"
        for counts in (total, by_category.setdefault(category, _blank()),
                       by_department.setdefault(department, _blank())):
            counts["reported"] += 1
            counts[counter] += 1
            counts[TAKEN_OVER] += upper_item_id is not None
    for counts in [total, *by_category.values(), *by_department.values()]:
        _ratio(counts)
    return with_names(total | {"by_category": dict(sorted(by_category.items())),
                               "by_department": dict(sorted(by_department.items()))})


def with_names(stats: dict) -> dict:
    """The statistics with each category's name beside its code (by_category: {"01": {"name":
    "行政许可", "reported": …}}); by_department is keyed by the department's name already.
    Statistics frozen before the names were added get them when read."""
    return stats | {"by_category": {code: {"name": CATEGORY_NAMES.get(code, code or "未分类")} | counts
                                    for code, counts in stats.get("by_category", {}).items()}}


def _ledger_reason(campaign: Campaign, d) -> str:
    words = [f"清理工作“{campaign.title}”第{d.round}轮决定：{DECISION_NAMES[d.kind]}"]
    if d.cancel_reason:
        words.append(CANCEL_REASON_NAMES[d.cancel_reason])
    if d.receiver:
        words.append(f"承接：{d.receiver}")
    if d.merge_into_id:
        words.append(f"整合到 {d.merge_into.code}")
    if d.reason:
        words.append(d.reason)
    return "；".join(words)


def publish(actor, campaign: Campaign, *, title: str, document: str = "") -> ListVersion:
    """Apply the final decisions and publish the jurisdiction's list as a new version. Refused,
    naming them, while any item has no decision or is merged into an item not kept, and then
    while the review stages block it (stages.publication_blockers: legality approval in the
    final round of every item kept, no standing objection)."""
    require_reviewer(actor, campaign, "公布清理结果")
    campaign = Campaign.objects.get(pk=campaign.pk)
    require_open(campaign)
    final = final_decisions(campaign)
    entries = list(Entry.objects.filter(campaign=campaign).select_related("item"))
    problems = []
    by_item = {e.item_id: final.get(e.pk) for e in entries}
    for e in entries:
        d = final.get(e.pk)
        if d is None:
            problems.append(Problem("", None, "职权编码", e.item.code, "尚无审核决定"))
        elif d.kind == DecisionKind.MERGE:
            target = by_item.get(d.merge_into_id)
            if target is None or target.kind not in (DecisionKind.KEEP, DecisionKind.AMEND):
                problems.append(Problem("", None, "合并到", d.merge_into.code, f"{e.item.code} 整合到的事项须保留或调整"))
    if problems:
        raise InvalidInput(problems)
    # the review stages: legality approval of every item kept, no standing objection (stages.py)
    blockers = [b.partition("：") for b in stages.publication_blockers(campaign)]
    if blockers:
        raise InvalidInput([Problem("", None, "审查", head, tail) for head, _sep, tail in blockers])
    with transaction.atomic():
        # amendments one by one (they change fields), every other decision as one batch of status changes
        statuses = []
        for e in entries:
            d = final[e.pk]
            if d.changes:
                changes = {f: v["after"] for f, v in d.changes.items()}
                item_services.update_item(actor, e.item, changes | {"status": STATUS_OF[d.kind]},
                                          reason=_ledger_reason(campaign, d), document=document, via="cleanup")
            elif e.item.status != STATUS_OF[d.kind]:
                statuses.append((e.item, STATUS_OF[d.kind], _ledger_reason(campaign, d)))
        item_services.change_statuses(actor, statuses, document=document, via="cleanup")
        version = publish_version(actor, campaign.jurisdiction, title=title, document=document)
        campaign.statistics = None
        stats = statistics(campaign)
        campaign.statistics, campaign.version, campaign.state = stats, version, Campaign.State.PUBLISHED
        campaign.save(update_fields=["statistics", "version", "state"])
        audit.append(actor, "campaign.publish", f"campaign:{campaign.pk}", {
            "version": version.number, "sha256": version.sha256, "statistics": stats,
            "difference": difference(version)})
    return version


def difference(version: ListVersion) -> dict:
    """What changed from the jurisdiction's previous version: {"previous": N or None, "added",
    "removed", "changed": [codes]}."""
    previous = ListVersion.objects.filter(jurisdiction=version.jurisdiction, number__lt=version.number
                                          ).order_by("-number").first()
    now = dict(ListVersionEntry.objects.filter(version=version).values_list("code", "sha256"))
    before = dict(ListVersionEntry.objects.filter(version=previous).values_list("code", "sha256")) if previous else {}
    return {"previous": previous.number if previous else None,
            "added": sorted(set(now) - set(before)), "removed": sorted(set(before) - set(now)),
            "changed": sorted(c for c in set(now) & set(before) if now[c] != before[c])}
