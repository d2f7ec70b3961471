"""Public consultation (公开征求意见) on the portal: the campaigns whose draft is or was open for
comment, the draft's items, and an item's page with the comment form (no login) and the
comments a reviewer has let through, with their replies. Everything leaves through the
masking policy; comment text is escaped by the templates (never marked safe).

The draft shows every item of the campaign with its proposed decision (拟保留, 拟取消, 拟下放 …),
not only the kept ones: a citizen comments as much on a power about to be cancelled, delegated
to the street office or handed to an association as on one that stays (龙岗's 8,250 comments
were largely about what was to go), and the published draft lists of 清理 campaigns carry the
cancelled and delegated items as well. A filter narrows the list to one decision."""

from functools import wraps
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.cleanup.models import Campaign, Comment, Decision, DecisionKind, Entry
from powerlist.cleanup.services import consultation
from powerlist.core.errors import InvalidInput
from powerlist.core.masking import mask_name, mask_response
from powerlist.core.text import normalise
from powerlist.portal import params

PER_PAGE = 20
HONEYPOT = "website"  # a field people never see and bots fill in


def _masked(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return mask_response(view(request, *args, **kwargs))
    return wrapped


def _public_campaigns():
    """Campaigns whose consultation has begun (open now or over): a scheduled one is not public yet."""
    return Campaign.objects.filter(consultation_opens__isnull=False, consultation_opens__lte=timezone.now()
                                   ).select_related("jurisdiction")


def _campaign(campaign_id: int) -> Campaign:
    campaign = _public_campaigns().filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404(_("No public consultation has this number."))
    return campaign


@_masked
def index(request):
    campaigns = list(_public_campaigns().annotate(
        received=Count("comments"), adopted=Count("comments", filter=Q(comments__adopted=True)))
        .order_by("-consultation_opens")[:200])
    now = timezone.now()
    for c in campaigns:
        c.phase = consultation.phase(c, now)
    return render(request, "cleanup/consultation/index.html", {
        "open": [c for c in campaigns if c.phase == "open"], "closed": [c for c in campaigns if c.phase != "open"]})


@_masked
def campaign_page(request, campaign_id: int):
    campaign = _campaign(campaign_id)
    q = params.text(request, "q")
    kind = params.text(request, "decision", 20)
    kind = kind if kind in DecisionKind.values else ""
    # each entry's latest decision, in the query: the draft is read a page at a time
    latest = Decision.objects.filter(entry=OuterRef("pk")).order_by("-round")
    entries = Entry.objects.filter(campaign=campaign).select_related("item", "task__organisation").annotate(
        decision_kind=Subquery(latest.values("kind")[:1]),
        shown=Count("comments", filter=Q(comments__state=Comment.State.SHOWN))).order_by("item__code")
    if q:
        # simplified and traditional, full and half width alike: the item's name key, or its code
        entries = entries.filter(Q(item__name_key__contains=normalise(q)) | Q(item__code__icontains=q.strip()))
    if kind:
        entries = entries.filter(decision_kind=kind)
    paginator = Paginator(entries, PER_PAGE)
    number = params.page(request)
    if number > max(paginator.num_pages, 1):
        raise Http404(_("There is no page %(page)s: the list has %(pages)s pages.") % {
            "page": number, "pages": paginator.num_pages})
    page = paginator.get_page(number)
    decisions = {}
    for d in Decision.objects.filter(entry__in=list(page.object_list)).select_related("merge_into").order_by("round"):
        decisions[d.entry_id] = d
    for e in page.object_list:
        e.decision = decisions.get(e.pk)
    kept = {k: v for k, v in (("q", q), ("decision", kind)) if v}
    return render(request, "cleanup/consultation/campaign.html", {
        "campaign": campaign, "phase": consultation.phase(campaign), "counts": consultation.counts(campaign),
        "page": page, "q": q, "kind": kind, "kinds": DecisionKind.choices,
        "result": {"page": page.number, "pages": paginator.num_pages},
        "querystring": urlencode(kept) + "&" if kept else "", "total": paginator.count})


def _comments(entry: Entry) -> list[Comment]:
    comments = list(entry.comments.filter(state=Comment.State.SHOWN).order_by("created_at", "pk"))
    for c in comments:
        c.public_name = mask_name(c.name) or _("anonymous")
    return comments


@_masked
def item_page(request, campaign_id: int, entry_id: int):
    campaign = _campaign(campaign_id)
    entry = Entry.objects.filter(campaign=campaign, pk=entry_id).select_related(
        "item__organisation", "task__organisation").first()
    if entry is None:
        raise Http404(_("This item is not in the draft."))
    errors, form, status = [], {"text": "", "name": ""}, 200
    if request.method == "POST":
        form = {"text": request.POST.get("text", ""), "name": request.POST.get("name", "")}
        if request.POST.get(HONEYPOT):
            # a bot filled the hidden field: answered like a person, nothing stored
            return HttpResponseRedirect(reverse("consultation:item", args=[campaign.pk, entry.pk]) + "?sent=1")
        try:
            consultation.submit_comment(request, campaign, entry.item.code, form["text"], form["name"])
        except InvalidInput as exc:
            errors, status = [p.expected for p in exc.problems], 400
        except consultation.TooManyComments as exc:
            errors, status = [str(exc)], 429
        else:
            return HttpResponseRedirect(reverse("consultation:item", args=[campaign.pk, entry.pk]) + "?sent=1")
    decision = entry.decisions.order_by("-round").select_related("merge_into").first()
    counts = consultation.counts_by_item(campaign).get(entry.item.code, {})
    return render(request, "cleanup/consultation/item.html", {
        "campaign": campaign, "entry": entry, "item": entry.item, "decision": decision,
        "citations": entry.item.citations.order_by("position"), "comments": _comments(entry),
        "is_open": consultation.is_open(campaign), "phase": consultation.phase(campaign), "counts": counts,
        "errors": errors, "form": form, "sent": request.GET.get("sent") == "1", "honeypot": HONEYPOT,
        "text_max": consultation.TEXT_MAX, "name_max": consultation.NAME_MAX}, status=status)
