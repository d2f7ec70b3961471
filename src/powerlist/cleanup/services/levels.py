"""Levels (上下级): a campaign's reference is the upper level's (city's, province's) published list.
Check (e) compares against it; the items that level delegated down to this one enter the campaign
as items to take over (承接); the published list goes up again as a file for the upper platform
(录入省平台, exports.py).

An upper item is delegated to this level when it is in status delegated and the receiver of its
delegation (the 承接 of its latest 下放 decision) names this jurisdiction, or names this level
(县级, 区县, 乡镇, …) without naming another jurisdiction under the reference. Its department is
found by name with the places stripped (湘潭市市场监督管理局 ~ 岳塘区市场监督管理局); the receiver may
also name the department itself. An item whose department is not found, or not taking part, goes
into the report and is not entered at all; running the take-over again enters the rest.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from powerlist.catalog.documents import PREFETCH, document_of
from powerlist.catalog.models import PowerItem, Status
from powerlist.catalog.services import items as item_services
from powerlist.cleanup.models import Campaign, Decision, DecisionKind, Entry, Task
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.models import Jurisdiction, Level
from powerlist.core.services import audit
from powerlist.core.services import organisations as org_services
from powerlist.core.text import normalise

# how a receiver names a level (承接: 县级, 县（市、区）, 乡镇（街道）, …), after normalise()
LEVEL_WORDS = {
    Level.CITY: ("市级", "设区的市", "地级市", "市州", "市(州)"),
    Level.COUNTY: ("县级", "区县", "县区", "县(市、区)", "县(市,区)", "县市区", "县(区)", "县(市)", "区级", "区(县)"),
    Level.TOWNSHIP: ("乡镇", "街道", "乡级", "镇级", "乡(镇)"),
    Level.COMMUNITY: ("村", "社区"),
}


@dataclass
class TakeoverReport:
    entered: list[str] = field(default_factory=list)  # codes entered now
    already: list[str] = field(default_factory=list)  # upper codes taken over before
    unmatched: list[dict] = field(default_factory=list)  # {"code", "name", "department", "receiver", "why"}

    def as_dict(self) -> dict:
        return {"entered": self.entered, "already": self.already, "unmatched": self.unmatched}


def ancestors(jurisdiction: Jurisdiction) -> list[Jurisdiction]:
    out, node = [], jurisdiction.parent
    while node is not None and len(out) < 6:
        out.append(node)
        node = node.parent
    return out


def check_reference(jurisdiction: Jurisdiction, reference: Jurisdiction | None) -> list[Problem]:
    if reference is None:
        return []
    if reference.pk not in {a.pk for a in ancestors(jurisdiction)}:
        return [Problem("", None, "reference", reference.code,
                        f"参照清单应为{jurisdiction.name}的上级（市级或省级）行政区划")]
    return []


def _places(jurisdiction: Jurisdiction) -> list[str]:
    return sorted({normalise(j.name) for j in [jurisdiction, *ancestors(jurisdiction)] if j.name}, key=len,
                  reverse=True)


def department_key(name: str, places: list[str]) -> str:
    """A department's name without the places in front: 湘潭市市场监督管理局 -> 市场监督管理局."""
    key = re.sub(r"[()（）\s]", "", normalise(name))
    changed = True
    while changed:
        changed = False
        for p in places:
            if key.startswith(p) and len(key) > len(p) + 1:
                key, changed = key[len(p):], True
    return key


def names_this_level(receiver: str, jurisdiction: Jurisdiction, reference: Jurisdiction) -> bool:
    key = normalise(receiver)
    if not key:
        return False
    if normalise(jurisdiction.name) in key or normalise(jurisdiction.full_name()) in key:
        return True
    # another jurisdiction at our level under the reference is named: not ours
    others = Jurisdiction.objects.filter(code__startswith=reference.code, level=jurisdiction.level).exclude(
        pk=jurisdiction.pk).values_list("name", flat=True)
    if any(normalise(n) in key for n in others if len(normalise(n)) >= 2):
        return False
    return any(w in key for w in LEVEL_WORDS.get(jurisdiction.level, ()))


def delegated_down(campaign: Campaign) -> list[tuple[PowerItem, str]]:
    """The reference's items in status delegated whose receiver names this level: (item, receiver)."""
    reference = campaign.reference
    if reference is None:
        return []
    items = list(PowerItem.objects.filter(jurisdiction=reference, status=Status.DELEGATED)
                 .select_related("organisation").order_by("code"))
    receivers = {}
    for item_id, receiver in (Decision.objects.filter(entry__item__in=items, kind=DecisionKind.DELEGATE)
                              .order_by("decided_at", "round").values_list("entry__item_id", "receiver")):
        receivers[item_id] = receiver  # the latest delegation wins
    return [(i, receivers.get(i.pk, "")) for i in items
            if names_this_level(receivers.get(i.pk, "") or i.exercise_levels, campaign.jurisdiction, reference)]


def _department_for(campaign: Campaign, upper: PowerItem, receiver: str, tasks: dict):
    """(organisation, why-not) for an upper item: named in the receiver, else by name."""
    ours = list(org_services.current(campaign.jurisdiction))
    places = _places(campaign.jurisdiction)
    key_receiver = normalise(receiver)
    named = [o for o in ours if len(o.name_key) >= 3 and o.name_key in key_receiver]
    if len(named) == 1:
        org = named[0]
    else:
        wanted = department_key(upper.organisation.name, places)
        same = [o for o in ours if department_key(o.name, places) == wanted]
        if len(same) != 1:
            return None, (f"{campaign.jurisdiction.name}没有与“{upper.organisation.name}”对应的部门" if not same
                          else f"{campaign.jurisdiction.name}有多个部门与“{upper.organisation.name}”对应")
        org = same[0]
    if org.pk not in tasks and not campaign.all_departments:
        return None, f"{org.name}不在本次清理工作的参与部门中"
    return org, ""


def take_over(actor, campaign: Campaign) -> TakeoverReport:
    """Enter the items the reference delegated down to this level, each as a new item in review for
    the matching department with Entry.upper_item set. Called inside open_campaign's transaction and
    by `powerlist campaign takeover`; items entered before are skipped. Reviewers only."""
    from powerlist.cleanup.services.campaigns import require_open, require_reviewer

    require_reviewer(actor, campaign, "承接上级下放事项")
    require_open(campaign)
    report = TakeoverReport()
    if campaign.reference_id is None:
        raise InvalidInput([Problem("", None, "reference", "", "本次清理工作没有设定上级参照清单（--reference）")])
    with transaction.atomic():
        # the campaign row alone (PostgreSQL locks no nullable side of a join: the reference is read after)
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        tasks = {t.organisation_id: t for t in Task.objects.filter(campaign=campaign)}
        taken = set(Entry.objects.filter(campaign__jurisdiction=campaign.jurisdiction, upper_item__isnull=False)
                    .values_list("upper_item_id", flat=True))
        codes = set(PowerItem.objects.filter(jurisdiction=campaign.jurisdiction).values_list("code", flat=True))
        now = timezone.now()
        for upper, receiver in delegated_down(campaign):
            where = {"code": upper.code, "name": upper.name, "department": upper.organisation.name,
                     "receiver": receiver}
            if upper.pk in taken:
                report.already.append(upper.code)
                continue
            org, why = _department_for(campaign, upper, receiver, tasks)
            if org is None:
                report.unmatched.append(where | {"why": why})
                continue
            if upper.code in codes:
                report.unmatched.append(where | {"why": f"{campaign.jurisdiction.name}已有职权编码为 {upper.code} 的事项"})
                continue
            doc = document_of(PowerItem.objects.prefetch_related(*PREFETCH).select_related("organisation")
                              .get(pk=upper.pk))
            doc |= {"organisation": org.name, "status": Status.IN_REVIEW}
            item = item_services.create_item(
                actor, campaign.jurisdiction, doc, via="cleanup",
                reason=f"清理工作“{campaign.title}”承接{campaign.reference.name}下放事项 {upper.code}")
            if org.pk not in tasks:
                tasks[org.pk] = Task.objects.create(campaign=campaign, organisation=org)
            Entry.objects.create(campaign=campaign, task=tasks[org.pk], item=item, reported_at=now, upper_item=upper)
            codes.add(upper.code)
            report.entered.append(item.code)
        audit.append(actor, "campaign.take_over", f"campaign:{campaign.pk}", {
            "reference": campaign.reference.code, **report.as_dict()})
    return report


def comparison_findings(items, theirs, *, places=(), only_department: str = "") -> tuple[list, dict]:
    """Check (e) over PowerItems against a loaded list (compare.LoadedList: the reference's
    published list, a peer's, or a file): findings for the items only we have and those only they
    have, and the summary {"theirs", "matched": [{"ours", "theirs", "score"}], "only_ours",
    "only_theirs"}. With `only_department` (a clerk's), their list is cut to the department of
    the same name (places stripped) and the findings are that department's alone."""
    from powerlist.cleanup.checks import Finding
    from powerlist.cleanup.compare import ListEntry, compare_entries

    ours = [ListEntry(i.code, i.name, i.organisation.name, tuple(c.raw_text for c in i.citations.all()))
            for i in items.select_related("organisation").prefetch_related("citations").order_by("code")]
    entries = theirs.entries
    places = sorted({normalise(p) for p in [*places, *theirs.places] if p}, key=len, reverse=True)
    if only_department:
        wanted = department_key(only_department, places)
        entries = [e for e in entries if department_key(e.organisation, places) == wanted]
    departments = {e.organisation for e in ours} | {e.organisation for e in entries if e.organisation}
    result = compare_entries(ours, entries, places=places, departments=departments)
    by_id = {e.id: e for e in ours}
    theirs_by_id = {e.id: e for e in entries}
    # an item taken over from the upper level (承接) is not on its list any more: it was delegated down
    taken_over = set(items.filter(campaign_entries__upper_item__isnull=False).values_list("code", flat=True))
    found = [Finding("comparison", "only-ours", f"{theirs.label}中没有对应事项：请核实是否应保留", "review",
                     str(code), by_id[code].name, by_id[code].organisation, {"theirs": theirs.label})
             for code in result.only_ours if code not in taken_over]
    found += [Finding("comparison", "only-theirs", f"{theirs.label}有而本级没有：是否漏报或应承接", "review",
                      str(code), theirs_by_id[code].name, only_department or theirs_by_id[code].organisation,
                      {"theirs": theirs.label, "their_department": theirs_by_id[code].organisation})
              for code in result.only_theirs]
    summary = {"theirs": theirs.label, "matched": result.matched, "only_ours": len(result.only_ours),
               "only_theirs": len(result.only_theirs)}
    return found, summary


def reference_list(campaign: Campaign):
    """The reference's published list (compare.LoadedList), or None without a reference."""
    from powerlist.cleanup.compare import jurisdiction_list

    return jurisdiction_list(campaign.reference.code) if campaign.reference_id else None
