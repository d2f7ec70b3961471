"""What the workbench reads (never writes): the campaigns a person may open, a campaign's progress
by department and round, and a filtered, paged list of its items in a bounded number of queries
whatever the campaign's size (龙岗: 13,000 items); the checks come from `check_cache`."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery

from powerlist.cleanup.models import DECISION_NAMES, Campaign, Decision, Entry, Reply, Task
from powerlist.cleanup.services.campaigns import entries_for
from powerlist.cleanup.services.check_cache import CHECK_FILTERS, CampaignChecks
from powerlist.core import scope
from powerlist.core.models import Role
from powerlist.core.text import clean_cell, normalise

PER_PAGE = 50

DECISION_FILTERS = ("undecided", "keep", "cancel", "delegate", "transfer", "merge", "amend")
REPLY_FILTERS = ("awaiting", "accept", "revise", "object")
REPLY_NAMES = {"accept": "同意", "revise": "已修改", "object": "有异议"}


def is_reviewer(user, campaign: Campaign) -> bool:
    return scope.is_reviewer_or_admin(user) and scope.covers_jurisdiction(user, campaign.jurisdiction)


def is_clerk(user) -> bool:
    return getattr(user, "role", None) == Role.CLERK and not getattr(user, "is_superuser", False)


def visible_campaigns(user):
    """Reviewers their jurisdiction's (and below), administrators and inspectors all, clerks the
    campaigns their department takes part in."""
    qs = Campaign.objects.select_related("jurisdiction").order_by("-opened_at")
    if is_clerk(user):
        org = user.organisation
        if org is None:
            return qs.none()
        return qs.filter(Q(tasks__organisation=org) | Q(all_departments=True, jurisdiction_id=org.jurisdiction_id)
                         ).distinct()
    q = scope.jurisdiction_filter(user)
    return qs if q is None else qs.filter(q)


# ---------------------------------------------------------------------------------------------
# progress by department and round

@dataclass
class DepartmentProgress:
    organisation_id: int
    name: str
    state: str
    state_name: str
    reported: int = 0
    decided: int = 0  # decided in the current round
    replied: int = 0
    accepted: int = 0  # replied 同意
    revised: int = 0
    objected: int = 0

    @property
    def awaiting_reply(self) -> int:
        return self.decided - self.replied

    @property
    def undecided(self) -> int:
        return self.reported - self.decided


@dataclass
class Progress:
    departments: list[DepartmentProgress]
    rounds: list[dict]  # {"round", "decided", "replied", "accepted", "objected", "revised"}
    total: DepartmentProgress = field(default=None)
    round: int = 1  # the round the departments' figures are of


def progress(user, campaign: Campaign, round_no: int | None = None) -> Progress:
    """Each department's figures in one round (the current one by default) and every round's
    totals: three queries whatever the campaign's size (tasks, entries per task, decisions per
    task, round and reply)."""
    round_no = round_no if round_no and 1 <= round_no <= campaign.current_round else campaign.current_round
    tasks = Task.objects.filter(campaign=campaign).select_related("organisation").order_by("organisation__name")
    if is_clerk(user):
        tasks = tasks.filter(organisation_id=user.organisation_id)
    rows = {t.pk: DepartmentProgress(t.organisation_id, t.organisation.name, t.state, t.get_state_display())
            for t in tasks}
    for task_id, n in (Entry.objects.filter(campaign=campaign, task_id__in=list(rows)).values_list("task_id")
                       .annotate(n=Count("id")).values_list("task_id", "n")):
        rows[task_id].reported = n
    rounds = {r: {"round": r, "decided": 0, "replied": 0, "accepted": 0, "revised": 0, "objected": 0}
              for r in range(1, campaign.current_round + 1)}
    decided = (Decision.objects.filter(entry__campaign=campaign, entry__task_id__in=list(rows))
               .values_list("entry__task_id", "round", "reply").annotate(n=Count("id")).order_by())
    kind_of_reply = {Reply.ACCEPT: "accepted", Reply.REVISE: "revised", Reply.OBJECT: "objected"}
    for task_id, rnd, reply, n in decided:
        counts = rounds.setdefault(rnd, {"round": rnd, "decided": 0, "replied": 0, "accepted": 0, "revised": 0,
                                         "objected": 0})
        keys = ["decided"] + (["replied", kind_of_reply[reply]] if reply in kind_of_reply else [])
        for k in keys:
            counts[k] += n
            if rnd == round_no:
                setattr(rows[task_id], k, getattr(rows[task_id], k) + n)
    departments = list(rows.values())
    total = DepartmentProgress(0, "合计", "", "")
    for d in departments:
        for k in ("reported", "decided", "replied", "accepted", "revised", "objected"):
            setattr(total, k, getattr(total, k) + getattr(d, k))
    return Progress(departments, [rounds[r] for r in sorted(rounds)], total, round_no)


# ---------------------------------------------------------------------------------------------
# the items list

@dataclass
class Filters:
    check: str = ""
    department: int | None = None
    decision: str = ""
    reply: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params) -> "Filters":
        """Unknown values are dropped (the page then shows every item, saying which filters apply)."""
        check = params.get("check", "")
        decision = params.get("decision", "")
        reply = params.get("reply", "")
        department = params.get("department", "")
        return cls(check=check if check in CHECK_FILTERS else "",
                   department=int(department) if department.isascii() and department.isdigit()
                   and len(department) < 10 else None,
                   decision=decision if decision in DECISION_FILTERS else "",
                   reply=reply if reply in REPLY_FILTERS else "",
                   q=clean_cell(params.get("q", "")).strip()[:100])

    def query(self, **override) -> str:
        from urllib.parse import urlencode

        values = {"check": self.check, "department": self.department or "", "decision": self.decision,
                  "reply": self.reply, "q": self.q} | override
        return urlencode({k: v for k, v in values.items() if v})


def _last(field_name: str):
    return Subquery(Decision.objects.filter(entry=OuterRef("pk")).order_by("-round").values(field_name)[:1])


def filtered(user, campaign: Campaign, filters: Filters):
    """The entries the person may see, narrowed by every filter the database can apply."""
    qs = entries_for(user, campaign)
    if filters.decision or filters.reply:  # the latest decision, read only when filtered on
        qs = qs.annotate(last_kind=_last("kind"), last_round=_last("round"), last_reply=_last("reply"))
    if filters.department:
        qs = qs.filter(task__organisation_id=filters.department)
    if filters.q:
        key = normalise(filters.q)
        qs = qs.filter(Q(item__name_key__contains=key) | Q(item__code__icontains=filters.q))
    if filters.decision == "undecided":
        qs = qs.filter(Q(last_round__isnull=True) | Q(last_round__lt=campaign.current_round))
    elif filters.decision:
        qs = qs.filter(last_kind=filters.decision)
    if filters.reply == "awaiting":
        qs = qs.filter(last_round=campaign.current_round, last_reply="")
    elif filters.reply:
        qs = qs.filter(last_reply=filters.reply)
    return qs.order_by("task__organisation__name", "item__code")


@dataclass
class Row:
    entry: Entry
    findings: list[str]  # short labels of the checks that flag it
    last: Decision | None
    decided_this_round: bool

    @property
    def kind_name(self) -> str:
        return DECISION_NAMES.get(self.last.kind, self.last.kind) if self.last else ""

    @property
    def reply_name(self) -> str:
        return REPLY_NAMES.get(self.last.reply, self.last.reply) if self.last else ""


def page_of(user, campaign: Campaign, filters: Filters, page_number, result: CampaignChecks):
    """(page, rows): the filtered entries, PER_PAGE at a time. With a check filter the ordered
    ids are read (one query) and filtered by the checks' codes in memory; the page's entries and
    their decisions are then read by id (two queries)."""
    qs = filtered(user, campaign, filters)
    wanted = result.codes(filters.check) if filters.check else None
    if wanted is not None:
        ids = [pk for pk, code in qs.values_list("pk", "item__code") if code in wanted]
        page = Paginator(ids, PER_PAGE).get_page(page_number)
    else:
        page = Paginator(qs.values_list("pk", flat=True), PER_PAGE).get_page(page_number)
    ids_on_page = list(page.object_list)
    entries = {e.pk: e for e in Entry.objects.filter(pk__in=ids_on_page).select_related("item", "task__organisation")}
    decisions = defaultdict(list)
    for d in Decision.objects.filter(entry_id__in=ids_on_page).select_related("merge_into").order_by("round"):
        decisions[d.entry_id].append(d)
    rows = []
    for pk in ids_on_page:
        e = entries[pk]
        last = decisions[pk][-1] if decisions[pk] else None
        rows.append(Row(e, result.labels(e.item.code), last, bool(last and last.round == campaign.current_round)))
    return page, rows


def departments(user, campaign: Campaign) -> list[tuple[int, str]]:
    tasks = Task.objects.filter(campaign=campaign)
    if is_clerk(user):
        tasks = tasks.filter(organisation_id=user.organisation_id)
    return list(tasks.order_by("organisation__name").values_list("organisation_id", "organisation__name"))
