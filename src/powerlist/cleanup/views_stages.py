"""Back-office pages of a campaign's review stages and public consultation: the sign-off queue
per stage (合法性审查 by the legal reviewers, 专家论证 by the experts): the current round's items
with their decision and the legal-basis verdicts, approved in batches or objected to one by one
with htmx; and the moderation queue of public comments (show or hide in batches, reply, adopted
or not) with the period of the consultation. Every action calls the services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from powerlist.catalog.labels import field_name
from powerlist.catalog.models import Citation
from powerlist.catalog.services.requests import readable_value
from powerlist.cleanup.models import Campaign, Comment, Entry, Stage
from powerlist.cleanup.services import consultation, stages
from powerlist.cleanup.services.decisions import final_decisions
from powerlist.core import scope
from powerlist.core.admin_base import role_of
from powerlist.core.errors import DomainError, InvalidInput
from powerlist.core.text import normalise
from powerlist.laws.labels import result_label

PER_PAGE = 50
SHOW = {"missing": gettext_lazy("not signed yet"), "objected": gettext_lazy("objection"),
        "stale": gettext_lazy("decision changed since"), "approved": gettext_lazy("approved"),
        "all": gettext_lazy("all")}
STATES = ("pending", "shown", "hidden", "all")


def _user(request):
    if role_of(request.user) is None:
        raise Forbidden
    return request.user


def _campaign(user, campaign_id) -> Campaign:
    try:
        return stages.get_campaign(user, campaign_id)
    except DomainError:
        raise Http404(_("No such campaign.")) from None


def _stage(stage: str) -> str:
    if stage not in Stage.values:
        raise Http404(_("No such review stage."))
    return stage


def _error(exc: DomainError) -> str:
    return "；".join(p.expected for p in exc.problems) if isinstance(exc, InvalidInput) else str(exc)


def _is_moderator(user, campaign) -> bool:
    return scope.is_reviewer_or_admin(user) and scope.covers_jurisdiction(user, campaign.jurisdiction)


def index(request):
    """The campaigns under way the user may review, with the state of each stage."""
    user = _user(request)
    rows = []
    for c in Campaign.objects.filter(state=Campaign.State.OPEN).select_related("jurisdiction").order_by("-opened_at"):
        if scope.reads_review_stages(user, c.jurisdiction):
            rows.append({"campaign": c, "stages": stages.counts(c), "comments": consultation.counts(c),
                         "phase": consultation.phase(c), "moderator": _is_moderator(user, c)})
    return render(request, "cleanup/stages/index.html", {
        **admin.site.each_context(request), "title": _("Review stages and consultation"), "rows": rows})


def _rows(campaign, entries, stage, final, user, errors=None, by_entry=None) -> list[dict]:
    by_entry = by_entry or stages.states(campaign, entries=entries, final=final)
    can_sign = scope.signs_off(user, campaign.jurisdiction, stages.ROLE_OF_STAGE[stage])
    out = []
    for e in entries:
        citations = [{"text": c.raw_text, "verdict": result_label(c.verification) if c.verification else _("not checked"),
                      "ok": c.verification == "ok"} for c in e.item.citations.all()]
        decision = final.get(e.pk)
        changes = [{"label": field_name(f), "before": readable_value(f, v.get("before")),
                    "after": readable_value(f, v.get("after"))} for f, v in (decision.changes if decision else {}).items()]
        out.append({"entry": e, "item": e.item, "decision": decision, "citations": citations, "changes": changes,
                    "states": by_entry[e.pk], "state": by_entry[e.pk][stage], "can_sign": can_sign,
                    "error": (errors or {}).get(e.item.code, "")})
    return out


def _queue_context(query: QueryDict, user, campaign, stage, errors=None, notice="") -> dict:
    """`query`: the queue page's own parameters (show, q, page), also when an htmx post redraws it."""
    show = query.get("show", "missing")
    show = show if show in SHOW else "missing"
    q = query.get("q", "")[:100].strip()
    final = final_decisions(campaign)
    by_entry = stages.states(campaign, final=final)
    # the queue's order and filter over ids (cheap for 13,000 entries); only a page is read in full
    ids = Entry.objects.filter(campaign=campaign).order_by("item__code")
    if q:
        ids = ids.filter(Q(item__name_key__contains=normalise(q)) | Q(item__code__icontains=q))
    ids = [i for i in ids.values_list("pk", flat=True)
           if i in final and (show == "all" or by_entry[i][stage].status == show)]
    page = Paginator(ids, PER_PAGE).get_page(query.get("page"))
    entries = {e.pk: e for e in Entry.objects.filter(pk__in=list(page.object_list)).select_related(
        "item", "task__organisation").prefetch_related(
        Prefetch("item__citations", queryset=Citation.objects.order_by("position")))}
    rows = _rows(campaign, [entries[i] for i in page.object_list], stage, final, user, errors, by_entry)
    return {"campaign": campaign, "stage": stage, "stage_name": stages.STAGE_NAMES[stage], "rows": rows,
            "page": page, "show": show, "q": q, "counts": stages.counts(campaign, final, by_entry)[stage], "notice": notice,
            "can_sign": scope.signs_off(user, campaign.jurisdiction, stages.ROLE_OF_STAGE[stage]),
            "query": query.urlencode(), "shows": list(SHOW.items()), "show_name": SHOW[show]}


def queue(request, campaign_id: int, stage: str):
    user = _user(request)
    campaign, stage = _campaign(user, campaign_id), _stage(stage)
    context = _queue_context(request.GET, user, campaign, stage)
    return render(request, "cleanup/stages/queue.html", {
        **admin.site.each_context(request), **context,
        "title": _("%(stage)s: %(campaign)s") % {"stage": context["stage_name"], "campaign": campaign.title}})


@require_POST
def sign(request, campaign_id: int, stage: str):
    """Approve the checked items, or approve / object to one item (`one`): htmx swaps the item's
    card (one) or the whole queue (batch); a plain form redirects back to the queue."""
    user = _user(request)
    campaign, stage = _campaign(user, campaign_id), _stage(stage)
    one = request.POST.get("one", "")
    codes = [one] if one else request.POST.getlist("code")
    verdict, comment = request.POST.get("verdict", ""), request.POST.get("comment", "")
    error, signed = "", []
    try:
        signed = stages.sign_off(user, campaign, codes, stage, verdict, comment)
    except DomainError as exc:
        error = _error(exc)
    campaign = Campaign.objects.select_related("jurisdiction").get(pk=campaign.pk)
    if getattr(request, "htmx", False) and one:
        final = final_decisions(campaign)
        entry = Entry.objects.filter(campaign=campaign, item__code=one).select_related(
            "item", "task__organisation").first()
        if entry is None:
            raise Http404(_("No such item in this campaign."))
        (row,) = _rows(campaign, [entry], stage, final, user, {one: error})
        return render(request, "cleanup/stages/_signoff_card.html", {"row": row, "campaign": campaign,
                                                                     "stage": stage})
    if getattr(request, "htmx", False):
        notice = _("%(n)s items signed off.") % {"n": len(signed)} if signed else ""
        query = QueryDict(request.POST.get("query", ""))
        return render(request, "cleanup/stages/_queue.html", _queue_context(
            query, user, campaign, stage, notice=notice) | {"batch_error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(n)s items signed off.") % {"n": len(signed)})
    back = reverse("stages:queue", args=[campaign.pk, stage])
    return HttpResponseRedirect(back + ("?" + request.POST["query"] if request.POST.get("query") else ""))


def _comments_context(query: QueryDict, user, campaign, error="", notice="") -> dict:
    state = query.get("state", "pending")
    state = state if state in STATES else "pending"
    qs = Comment.objects.filter(campaign=campaign).select_related("entry__item").order_by("created_at", "pk")
    if state != "all":
        qs = qs.filter(state=state)
    page = Paginator(qs, PER_PAGE).get_page(query.get("page"))
    return {"campaign": campaign, "page": page, "state": state, "counts": consultation.counts(campaign),
            "states": [("pending", _("awaiting moderation")), ("shown", _("shown")), ("hidden", _("not shown")),
                       ("all", _("all"))], "query": query.urlencode(), "error": error, "notice": notice,
            "phase": consultation.phase(campaign)}


def _moderator_campaign(request, campaign_id):
    user = _user(request)
    campaign = _campaign(user, campaign_id)
    if not _is_moderator(user, campaign):
        raise Forbidden
    return user, campaign


def comments(request, campaign_id: int):
    user, campaign = _moderator_campaign(request, campaign_id)
    return render(request, "cleanup/stages/comments.html", {
        **admin.site.each_context(request), **_comments_context(request.GET, user, campaign),
        "title": _("Public comments: %(campaign)s") % {"campaign": campaign.title},
        "by_item": list(consultation.counts_by_item(campaign).items())[:200],
        "today": timezone.localdate()})


@require_POST
def moderate(request, campaign_id: int):
    user, campaign = _moderator_campaign(request, campaign_id)
    ids = request.POST.getlist("comment")
    # only this campaign's comments: an id of another campaign is refused, not moderated here
    known = set(Comment.objects.filter(campaign=campaign, pk__in=[i for i in ids if i.isdigit()])
                .values_list("pk", flat=True))
    error, notice = "", ""
    try:
        if any(not i.isdigit() or int(i) not in known for i in ids):
            raise InvalidInput(_("Some of these comments are not in this campaign."))
        done = consultation.moderate(user, ids, request.POST.get("action", ""))
        notice = _("%(n)s comments moderated.") % {"n": len(done)}
    except DomainError as exc:
        error = _error(exc)
    if getattr(request, "htmx", False):
        return render(request, "cleanup/stages/_comments.html", _comments_context(
            QueryDict(request.POST.get("query", "")), user, campaign, error, notice))
    (messages.error if error else messages.success)(request, error or notice)
    back = reverse("stages:comments", args=[campaign.pk])
    return HttpResponseRedirect(back + ("?" + request.POST["query"] if request.POST.get("query") else ""))


@require_POST
def reply(request, campaign_id: int, comment_id: int):
    user, campaign = _moderator_campaign(request, campaign_id)
    comment = Comment.objects.filter(campaign=campaign, pk=comment_id).select_related("entry__item").first()
    if comment is None:
        raise Http404(_("No such comment."))
    adopted = {"yes": True, "no": False}.get(request.POST.get("adopted", ""))
    error = ""
    try:
        comment = consultation.reply(user, comment.pk, request.POST.get("reply", ""), adopted)
    except DomainError as exc:
        error = _error(exc) if adopted is not None else _("Say whether the comment is adopted.")
    if getattr(request, "htmx", False):
        comment = Comment.objects.select_related("entry__item").get(pk=comment.pk)
        return render(request, "cleanup/stages/_comment_card.html", {"c": comment, "campaign": campaign,
                                                                     "error": error})
    (messages.error if error else messages.success)(request, error or _("Reply saved."))
    return HttpResponseRedirect(reverse("stages:comments", args=[campaign.pk]) + "?state=shown")


@require_POST
def period(request, campaign_id: int):
    """Open (or change) the consultation period, or close it now."""
    user, campaign = _moderator_campaign(request, campaign_id)
    try:
        if request.POST.get("action") == "close":
            consultation.close_consultation(user, campaign)
            messages.success(request, _("The consultation is closed."))
        else:
            consultation.open_consultation(user, campaign, request.POST.get("opens", ""),
                                           request.POST.get("closes", ""))
            messages.success(request, _("The consultation period is set."))
    except DomainError as exc:
        messages.error(request, _error(exc))
    return HttpResponseRedirect(reverse("stages:comments", args=[campaign.pk]))


def wrap(view):
    return admin.site.admin_view(view)

