"""Opening a campaign and the departments' self-reports into it."""

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from powerlist.catalog.models import PowerItem, Status
from powerlist.catalog.services import imports
from powerlist.cleanup.models import Campaign, Entry, Task
from powerlist.core import scope
from powerlist.core.scope import SYSTEM
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.models import Jurisdiction, Role
from powerlist.core.services import audit
from powerlist.core.services import organisations as org_services


def require_reviewer(actor, campaign_or_jurisdiction, what: str) -> None:
    """Campaigns are run by the reviewers (编办/审改办) of the jurisdiction and administrators."""
    jurisdiction = getattr(campaign_or_jurisdiction, "jurisdiction", campaign_or_jurisdiction)
    if not (scope.is_reviewer_or_admin(actor) and scope.covers_jurisdiction(actor, jurisdiction)):
        raise PermissionDenied(f"{audit.actor_name(actor)}无权{what}：只有{jurisdiction.name}的审核人员和管理员可以")


def get(actor, campaign_id) -> Campaign:
    """A campaign the actor may see: reviewers of its jurisdiction, administrators, inspectors,
    and the clerks of a department taking part (who see only their own task)."""
    try:
        campaign = Campaign.objects.select_related("jurisdiction").get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"清理工作 {campaign_id} 不存在") from None
    q = scope.jurisdiction_filter(actor)
    if q is None or Campaign.objects.filter(q, pk=campaign.pk).exists():
        return campaign
    org_id = getattr(actor, "organisation_id", None)
    if org_id and (campaign.all_departments or campaign.tasks.filter(organisation_id=org_id).exists()) \
            and campaign.jurisdiction_id == actor.organisation.jurisdiction_id:
        return campaign
    if org_id and campaign.jurisdiction_id == actor.organisation.jurisdiction_id:
        raise NotFound(f"{actor.organisation.name}不是清理工作“{campaign.title}”（编号 {campaign.pk}）的参与部门："
                       f"不能查看或报送，请向组织清理工作的审核人员确认参与部门")
    raise NotFound(f"清理工作 {campaign_id} 不存在")


def entries_for(actor, campaign: Campaign):
    """The entries the actor may see: a clerk only their own department's."""
    qs = Entry.objects.filter(campaign=campaign).select_related("item", "task__organisation")
    if getattr(actor, "role", None) == Role.CLERK and not getattr(actor, "is_superuser", False):
        return qs.filter(task__organisation_id=actor.organisation_id)
    return qs


def open_campaign(actor, jurisdiction: Jurisdiction, *, title: str, deadline, organisations=None,
                  reference: Jurisdiction | None = None, include_list: bool = False) -> Campaign:
    """Open a campaign; each department taking part gets a task. Without `organisations`, every
    current department of the jurisdiction takes part (and one created later gets its task when
    it first reports). With `reference` (an upper level: city or province), its published list is
    what check (e) compares against, and the items it delegated down to this level are entered at
    once as items to take over (承接, services.levels; the report is `campaign.takeover`). With
    `include_list` (the next clean-up of a published list: 三上三下 again), every published item
    in force of the departments taking part is entered as reported, the item itself (not a copy):
    it stays in force until publication applies the campaign's decision to it
    (`campaign.included` is how many)."""
    from powerlist.cleanup.services import levels

    require_reviewer(actor, jurisdiction, "开展清理工作")
    problems = []
    if not (title or "").strip():
        problems.append(Problem("", None, "title", "", "清理工作需要标题"))
    if isinstance(deadline, str):
        try:
            deadline = dt.date.fromisoformat(deadline.strip())
        except ValueError:
            problems.append(Problem("", None, "deadline", deadline, "截止日期应为 YYYY-MM-DD"))
    orgs = list(organisations) if organisations else list(org_services.current(jurisdiction))
    for org in orgs:
        if org.jurisdiction_id != jurisdiction.pk:
            problems.append(Problem("", None, "organisation", org.name, f"不是{jurisdiction.name}的部门"))
    problems += levels.check_reference(jurisdiction, reference)
    included = _published_in_force(jurisdiction, orgs) if include_list else []
    if included:
        busy = (Entry.objects.filter(item__in=included, campaign__state=Campaign.State.OPEN)
                .values_list("campaign__title", "campaign_id").distinct())
        for other_title, other_id in busy:
            problems.append(Problem("", None, "include_list", other_title,
                                    f"已公布的事项已在进行中的清理工作“{other_title}”（编号 {other_id}）中，"
                                    f"同一事项不能同时在两次清理工作中审核"))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            jurisdiction=jurisdiction, title=title.strip(), deadline=deadline, opened_by=audit.actor_name(actor),
            opened_at=timezone.now(), all_departments=not organisations, reference=reference)
        Task.objects.bulk_create([Task(campaign=campaign, organisation=o) for o in orgs])
        audit.append(actor, "campaign.open", f"campaign:{campaign.pk}", {
            "jurisdiction": jurisdiction.code, "title": campaign.title, "deadline": deadline.isoformat(),
            "departments": sorted(o.name for o in orgs), "reference": reference.code if reference else None})
        if included:
            _enter_existing(actor, campaign, included)
        takeover = levels.take_over(actor, campaign) if reference is not None else None
    campaign.takeover, campaign.included = takeover, len(included)
    return campaign


def _published_in_force(jurisdiction: Jurisdiction, orgs) -> list[PowerItem]:
    today = timezone.localdate()
    return list(PowerItem.objects.filter(jurisdiction=jurisdiction, organisation__in=orgs, status=Status.PUBLISHED)
                .exclude(valid_from__gt=today).exclude(valid_to__lt=today).select_related("organisation")
                .order_by("code"))


def _enter_existing(actor, campaign: Campaign, items: list[PowerItem]) -> None:
    """The published list's items entered as the departments' reported items (their tasks count
    as submitted: the list is their report, which they revise in their self-report or replies)."""
    now = timezone.now()
    tasks = {t.organisation_id: t for t in Task.objects.filter(campaign=campaign)}
    Entry.objects.bulk_create([Entry(campaign=campaign, task=tasks[i.organisation_id], item=i, reported_at=now)
                               for i in items], batch_size=1000)
    Task.objects.filter(campaign=campaign, organisation_id__in={i.organisation_id for i in items}).update(
        state=Task.State.SUBMITTED, submitted_at=now)
    audit.append(actor, "campaign.include_list", f"campaign:{campaign.pk}", {
        "items": len(items), "departments": sorted({i.organisation.name for i in items})})


def require_open(campaign: Campaign) -> None:
    if campaign.state != Campaign.State.OPEN:
        raise InvalidInput([Problem("", None, "campaign", str(campaign.pk), "该清理工作已公布，不能再修改")])


def self_report(actor, campaign: Campaign, path: str | Path, *, mapping=None, reason: str = "",
                create_organisations: bool = False) -> imports.ImportReport:
    """A department's self-report (自报): its spreadsheet through the importer, all or nothing.
    The rows become items in status "in review" linked to the campaign; a clerk reports only
    for their own department (the importer refuses other departments' rows)."""
    campaign = get(actor, campaign.pk)
    require_open(campaign)
    if not (getattr(actor, "role", None) == Role.CLERK or scope.is_reviewer_or_admin(actor)):
        raise PermissionDenied(f"{audit.actor_name(actor)}无权报送清理事项：由参与部门的经办人或审核人员报送")

    reported: list[str] = []

    def link(codes: list[str]) -> None:
        _link(actor, campaign, codes, Path(path).name)
        reported.extend(codes)

    # the campaign's own items (its published list entered with include_list, or an earlier
    # self-report) are revised by the rows with their codes; any other existing code is refused
    entered = set(Entry.objects.filter(campaign=campaign).values_list("item__code", flat=True))
    report = imports.import_file(actor, path, campaign.jurisdiction, mapping=mapping, reason=reason or
                                 f"清理工作“{campaign.title}”自报", create_organisations=create_organisations,
                                 status=Status.IN_REVIEW, on_created=link, update_codes=entered)
    verify_reported(campaign, reported)
    return report


def verify_reported(campaign: Campaign, codes: list[str]) -> None:
    """Check (a) needs verdicts: the self-reported items' citations are verified against the law
    corpus as soon as they arrive, so the reviewer never meets “依据尚未核验”. Only verdicts are
    written (as `powerlist laws check` would, audited as the system's follow-up of the import);
    without a loaded corpus nothing is judged: every law would look unknown."""
    from powerlist.catalog.services import citations
    from powerlist.laws.models import Law

    if not codes or not Law.objects.exists():
        return
    citations.check_items(SYSTEM, PowerItem.objects.filter(jurisdiction=campaign.jurisdiction, code__in=codes))


def _link(actor, campaign: Campaign, codes: list[str], file: str) -> None:
    items = list(PowerItem.objects.filter(jurisdiction=campaign.jurisdiction, code__in=codes)
                 .select_related("organisation"))
    tasks = {t.organisation_id: t for t in Task.objects.select_for_update().filter(campaign=campaign)}
    problems = []
    for item in items:
        if item.organisation_id not in tasks:
            if not campaign.all_departments:
                problems.append(Problem(file, None, "organisation", item.organisation.name,
                                        "该部门不在本次清理工作的参与部门中"))
                continue
            tasks[item.organisation_id] = Task.objects.create(campaign=campaign, organisation=item.organisation)
    if problems:
        raise InvalidInput(sorted(set(problems), key=str))
    now = timezone.now()
    Entry.objects.bulk_create([Entry(campaign=campaign, task=tasks[i.organisation_id], item=i, reported_at=now)
                               for i in items])
    touched = {i.organisation_id for i in items}
    Task.objects.filter(campaign=campaign, organisation_id__in=touched, state=Task.State.NOT_STARTED).update(
        state=Task.State.SUBMITTED, submitted_at=now)
    audit.append(actor, "campaign.self_report", f"campaign:{campaign.pk}", {
        "file": file, "items": len(items), "departments": sorted({i.organisation.name for i in items})})
