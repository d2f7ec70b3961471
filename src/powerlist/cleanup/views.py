"""The reviewer's workbench (清理工作台) under /office/campaigns/: the campaigns, one page per
campaign with its progress by department and round, its items filtered by check result,
department, decision and reply, decided one at a time beside the department's text, the checks
and the previous rounds, or many at once from the list. A department's clerks get the same pages
for their own items, with the reply form instead of the decision form. Every write calls
`cleanup.services.decisions`, as the console and the admin do."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powerlist.catalog.documents import document_of, field_label
from powerlist.catalog.services.requests import readable_value
from powerlist.catalog.services import items as item_services
from powerlist.cleanup import field_changes, progress_chart
from powerlist.cleanup.models import CANCEL_REASON_NAMES, DECISION_NAMES, Campaign, Decision, Reply, Signoff
from powerlist.cleanup.services import campaigns, check_cache, decisions, worklists
from powerlist.cleanup.workbench_forms import decision_fields, message_of, revision_changes, revision_rows
from powerlist.cleanup.workbench_item import citations_with_verdicts, item_fields
from powerlist.core.admin_base import role_of
from powerlist.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied

REPLY_NAMES = worklists.REPLY_NAMES
SIGNOFF_NAMES = {"approved": "通过", "objected": "有异议"}  # 合法性审查 / 专家论证
KINDS = list(DECISION_NAMES.items())  # keep, cancel, delegate, transfer, merge, amend: keys 1-6


def _office_user(request):
    if role_of(request.user) is None:
        raise Forbidden
    return request.user


def _campaign(user, campaign_id) -> Campaign:
    try:
        return campaigns.get(user, campaign_id)
    except NotFound as exc:
        raise Http404(str(exc)) from None


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, "decision_names": DECISION_NAMES,
            "reply_names": REPLY_NAMES, **extra}


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def campaign_list(request):
    user = _office_user(request)
    rows = list(worklists.visible_campaigns(user)[:200])
    return render(request, "cleanup/workbench/campaigns.html", _context(request, _("Clean-up campaigns"), rows=rows))


def campaign_page(request, campaign_id: int):
    """Progress by department and round, the deadline, the checks' counts linking to the items
    they flag; the reviewer starts the next round here, a department accepts its review."""
    user = _office_user(request)
    campaign = _campaign(user, campaign_id)
    asked = request.GET.get("round", "")
    progress = worklists.progress(user, campaign, int(asked) if asked.isascii() and asked.isdigit()
                                  and len(asked) < 4 else None)
    result = check_cache.campaign_checks(campaign)
    own = None if not worklists.is_clerk(user) else set(
        worklists.entries_for(user, campaign).values_list("item__code", flat=True))
    counts = []  # (filter, label, count or None while its check has not run)
    for name, label in check_cache.CHECK_FILTERS.items():
        if name == "only_ours" and not campaign.reference_id:
            continue
        codes = result.codes(name)
        counts.append((name, label, None if codes is None else len(codes if own is None else codes & own)))
    task = None
    if worklists.is_clerk(user):
        task = campaign.tasks.filter(organisation_id=user.organisation_id).first()
    chart = progress_chart.stacked_progress(
        progress.departments, _("Round %(n)s: decided and answered by department") % {"n": progress.round})
    return render(request, "cleanup/workbench/campaign.html", _context(
        request, str(campaign), campaign=campaign, progress=progress, chart=chart, counts=counts, result=result,
        uncarried=result.parts["mandate"].extra["uncarried"] if own is None and result.has("mandate") else None,
        groups=result.parts["duplicate"].extra["groups"] if own is None and result.has("duplicate") else None,
        is_reviewer=worklists.is_reviewer(user, campaign), is_clerk=worklists.is_clerk(user), task=task,
        is_open=campaign.state == Campaign.State.OPEN))


@require_POST
def next_round(request, campaign_id: int):
    user = _office_user(request)
    campaign = _campaign(user, campaign_id)
    try:
        campaign = decisions.start_next_round(user, campaign)
    except InvalidInput as exc:
        messages.error(request, "；".join(message_of(exc)))
    except DomainError as exc:  # not a reviewer of this jurisdiction
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Round %(n)s has started.") % {"n": campaign.current_round})
    return HttpResponseRedirect(reverse("campaigns:campaign", args=[campaign.pk]))


@require_POST
def accept_all(request, campaign_id: int):
    """The department accepts the review of its whole submission (确认)."""
    user = _office_user(request)
    campaign = _campaign(user, campaign_id)
    try:
        decisions.accept_task(user, campaign)
    except DomainError as exc:  # no task of the user's department
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your department has accepted the review of its items."))
    return HttpResponseRedirect(reverse("campaigns:campaign", args=[campaign.pk]))


def items(request, campaign_id: int):
    """The campaign's items, filtered and paged, with checkboxes for one decision on many."""
    user = _office_user(request)
    campaign = _campaign(user, campaign_id)
    filters = worklists.Filters.from_query(request.GET)
    result = _checks_for(campaign, filters)
    page, rows = worklists.page_of(user, campaign, filters, request.GET.get("page"), result)
    return render(request, "cleanup/workbench/items.html", _items_context(
        request, user, campaign, filters, page, rows, result))


def _checks_for(campaign, filters):
    """The quick checks, and the one the list is filtered by (run over the whole campaign)."""
    need = check_cache.QUICK + ((check_cache.CHECK_OF_FILTER[filters.check],) if filters.check else ())
    return check_cache.campaign_checks(campaign, need)


def _items_context(request, user, campaign, filters, page, rows, result, error=None, form=None) -> dict:
    return _context(
        request, _("Items of %(campaign)s") % {"campaign": campaign.title}, campaign=campaign, filters=filters,
        page=page, rows=rows, result=result, error=error or [], form=form or {},
        checks=[(k, v) for k, v in check_cache.CHECK_FILTERS.items() if k != "only_ours" or campaign.reference_id],
        departments=worklists.departments(user, campaign),
        decision_filters=[("undecided", _("not decided this round"))] + [(k, DECISION_NAMES[k]) for k in
                                                                          worklists.DECISION_FILTERS[1:]],
        reply_filters=[("awaiting", _("awaiting the reply"))] + [(k, REPLY_NAMES[k])
                                                                 for k in worklists.REPLY_FILTERS[1:]],
        kinds=KINDS, cancel_reasons=list(CANCEL_REASON_NAMES.items()),
        can_decide=worklists.is_reviewer(user, campaign) and campaign.state == Campaign.State.OPEN,
        query=filters.query())


@require_POST
def batch_decide(request, campaign_id: int):
    """One decision for every selected item, through `decisions.decide` in one call: all or
    nothing. Refused: the list again with the problems and the form as filled in."""
    user = _office_user(request)
    campaign = _campaign(user, campaign_id)
    codes = [c for c in request.POST.getlist("code") if c]
    errors = []
    try:
        if not codes:
            raise InvalidInput(_("Select at least one item."))
        fields = decision_fields(request.POST)
        written = decisions.decide(user, campaign, [{"code": c, **fields} for c in codes])
    except InvalidInput as exc:
        errors = message_of(exc)
    except PermissionDenied as exc:
        errors = [str(exc)]
    if not errors:
        kind = DECISION_NAMES.get(written[0].kind, written[0].kind)
        messages.success(request, _("%(kind)s recorded for %(n)s items in round %(round)s.") % {
            "kind": kind, "n": len(written), "round": campaign.current_round})
        return HttpResponseRedirect(_back(request, reverse("campaigns:items", args=[campaign.pk])))
    filters = worklists.Filters.from_query(request.POST)
    result = _checks_for(campaign, filters)
    page, rows = worklists.page_of(user, campaign, filters, request.POST.get("page"), result)
    form = {"kind": request.POST.get("kind", ""), "reason": request.POST.get("reason", ""),
            "cancel_reason": request.POST.get("cancel_reason", ""), "receiver": request.POST.get("receiver", ""),
            "merge_into": request.POST.get("merge_into", ""), "comment": request.POST.get("comment", ""),
            "changes": request.POST.get("changes", ""), "selected": set(codes)}
    return render(request, "cleanup/workbench/items.html", _items_context(
        request, user, campaign, filters, page, rows, result, error=errors, form=form), status=400)


# ---------------------------------------------------------------------------------------------
# one item

def _entry(user, campaign, code: str):
    entry = worklists.entries_for(user, campaign).filter(item__code=code).first()
    if entry is None:  # another department's item is not even confirmed to exist
        raise Http404(_("This campaign has no item with this code that you may see."))
    return entry


def _revisions(records) -> list[dict]:
    """The department's revisions of a round from the ledger, each changed field old → new."""
    from powerlist.catalog.documents import changed_fields

    out = []
    for rec in records:
        before, after = rec.before or {}, rec.after or {}
        out.append({"by": rec.actor_name, "at": rec.at, "changes": [
            (field_label(f), readable_value(f, before.get(f)), readable_value(f, after.get(f)))
            for f in changed_fields(before, after)]})
    return out


def _panel(user, campaign, entry, error=None, form=None, done: str = "", post=None) -> dict:
    """The decision (reviewer) or reply (department) panel with every round's history."""
    history = list(Decision.objects.filter(entry=entry).select_related("merge_into").prefetch_related("replies")
                   .order_by("round"))
    current = history[-1] if history and history[-1].round == campaign.current_round else None
    is_open = campaign.state == Campaign.State.OPEN
    can_decide = worklists.is_reviewer(user, campaign) and is_open
    can_reply = (worklists.is_clerk(user) and is_open and bool(history)
                 and entry.task.organisation_id == user.organisation_id)
    if form is None:
        form = {}
        if current is not None:
            form = {"kind": current.kind, "reason": current.reason, "cancel_reason": current.cancel_reason,
                    "receiver": current.receiver, "merge_into": current.merge_into.code if current.merge_into else "",
                    "comment": current.comment,
                    "changes": field_changes.as_text(current.changes or {})}
    revised = decisions.revisions(campaign, entry)
    signoffs: dict[int, list] = {}
    for so in Signoff.objects.filter(entry=entry).order_by("round", "stage"):
        signoffs.setdefault(so.round, []).append({
            "stage": so.get_stage_display(), "verdict": SIGNOFF_NAMES.get(so.verdict, so.verdict),
            "comment": so.comment, "by": so.signed_by, "at": so.signed_at})
    shown = [{"round": d.round, "kind": d.kind, "kind_name": DECISION_NAMES.get(d.kind, d.kind),
              "cancel_reason_name": CANCEL_REASON_NAMES.get(d.cancel_reason, "") if d.kind == "cancel" else "",
              "reason": d.reason, "receiver": d.receiver, "merge_into": d.merge_into.code if d.merge_into else "",
              "changes": [(field_label(f), readable_value(f, c.get("before")), readable_value(f, c.get("after")))
                          for f, c in (d.changes or {}).items()],
              "comment": d.comment, "decided_by": d.decided_by, "decided_at": d.decided_at,
              "reply_name": REPLY_NAMES.get(d.reply, ""), "reply_text": d.reply_text, "replied_by": d.replied_by,
              "replied_at": d.replied_at, "signoffs": signoffs.get(d.round, []),
              # the department's earlier replies in the round (the current one is shown above them)
              "earlier_replies": [{"name": REPLY_NAMES.get(r.answer, r.answer), "text": r.text, "by": r.replied_by,
                                   "at": r.replied_at} for r in list(d.replies.all())[:-1]],
              "revisions": _revisions(revised.get(d.round, []))} for d in history]
    return {"campaign": campaign, "entry": entry, "history": shown, "current": current, "error": error or [],
            "form": form, "done": done, "can_decide": can_decide, "can_reply": can_reply, "kinds": KINDS,
            "cancel_reasons": list(CANCEL_REASON_NAMES.items()), "decision_names": DECISION_NAMES,
            "reply_names": REPLY_NAMES,
            "revision": revision_rows(document_of(item_services.load(entry.item_id)), post) if can_reply else []}


def item(request, campaign_id: int, code: str):
    """Side by side: the department's text with its legal basis and verdicts, the automatic
    checks and their suggestions, the previous rounds, and the decision or reply form."""
    user = _office_user(request)
    campaign = _campaign(user, campaign_id)
    entry = _entry(user, campaign, code)
    return _item_page(request, user, campaign, code, _panel(user, campaign, entry))


def _answer(request, campaign_id: int, code: str, act) -> object:
    """Run `act(user, campaign, entry)`; htmx gets the panel (with the problems inline), a plain
    form the item page again."""
    user = _office_user(request)
    campaign = _campaign(user, campaign_id)
    entry = _entry(user, campaign, code)
    errors, done = [], ""
    try:
        done = act(user, campaign, entry)
    except InvalidInput as exc:
        errors = message_of(exc)
    except DomainError as exc:  # not a reviewer, not their item: said, never a 500
        errors = [str(exc)]
    form = None
    if errors:
        form = {k: request.POST.get(k, "") for k in ("kind", "reason", "cancel_reason", "receiver", "merge_into",
                                                       "comment", "changes", "reply", "reply_text")}
        form["receiver"] = request.POST.get("level") or request.POST.get("body") or form["receiver"]
    campaign.refresh_from_db()
    panel = _panel(user, campaign, _entry(user, campaign, code), error=errors, form=form, done=done,
                   post=request.POST if errors else None)
    if getattr(request, "htmx", False):
        return render(request, "cleanup/workbench/_panel.html", panel)
    if not errors:
        messages.success(request, done)
        return HttpResponseRedirect(reverse("campaigns:item", args=[campaign.pk, code]))
    response = _item_page(request, user, campaign, code, panel)  # the page again, the problems beside the form
    response.status_code = 400
    return response


def _item_page(request, user, campaign, code, panel):
    loaded = item_services.load(panel["entry"].item_id)
    result = check_cache.for_one_item(check_cache.campaign_checks(campaign), code)
    own = None if not worklists.is_clerk(user) else set(
        worklists.entries_for(user, campaign).values_list("item__code", flat=True))
    return render(request, "cleanup/workbench/item.html", _context(
        request, f"{loaded.code} {loaded.name}", fields=item_fields(document_of(loaded)),
        citations=citations_with_verdicts(loaded), findings=check_cache.findings_for(result, code, own),
        item=loaded, **panel))


@require_POST
def item_decide(request, campaign_id: int, code: str):
    def act(user, campaign, entry):
        fields = decision_fields(request.POST)
        decisions.decide(user, campaign, [{"code": code, **fields}])
        return _("Round %(round)s: %(kind)s recorded.") % {"round": campaign.current_round,
                                                           "kind": DECISION_NAMES.get(fields["kind"], fields["kind"])}
    return _answer(request, campaign_id, code, act)


@require_POST
def item_reply(request, campaign_id: int, code: str):
    def act(user, campaign, entry):
        answer = request.POST.get("reply", "")
        if answer not in REPLY_NAMES:
            raise InvalidInput(_("Choose 同意, 已修改 or 有异议."))
        changes = None
        if answer == Reply.REVISE:
            changes = revision_changes(request.POST, document_of(item_services.load(entry.item_id)))
            if not changes:
                raise InvalidInput(_("You chose 已修改: change at least one field of the item below."))
        decision = decisions.reply(user, campaign, code, answer, text=request.POST.get("reply_text", ""),
                                   changes=changes)
        return _("Your reply to round %(round)s: %(reply)s.") % {"round": decision.round,
                                                                "reply": REPLY_NAMES.get(answer, answer)}
    return _answer(request, campaign_id, code, act)


def checks_report(request, campaign_id: int):
    """The campaign's check reports: its duplicate groups (within and across departments) and the
    duties (三定) no item carries, run over the whole campaign when opened, then kept. Reviewers,
    administrators and inspectors; a department sees its findings beside its own items."""
    user = _office_user(request)
    campaign = _campaign(user, campaign_id)
    if worklists.is_clerk(user):
        raise Http404(_("The campaign's reports are for the reviewers."))
    result = check_cache.campaign_checks(campaign, check_cache.QUICK + ("duplicate", "mandate"))
    groups = [{"message": f.message, "across": len(f.evidence.get("departments", [])) > 1,
               "items": f.evidence.get("items", []), "pairs": f.evidence.get("pairs", [])}
              for f in result.parts["duplicate"].findings]
    return render(request, "cleanup/workbench/checks.html", _context(
        request, _("Check reports of %(campaign)s") % {"campaign": campaign.title}, campaign=campaign,
        groups=groups, duties=result.parts["mandate"].extra["duties"],
        not_compared=result.parts["mandate"].extra.get("not_compared", [])))
