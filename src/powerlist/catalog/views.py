"""Back-office task pages (审核工作台) for work that is more than editing one record: the queue of
change requests (动态调整申请) per jurisdiction, decided in place with htmx, and publishing a new
version of a jurisdiction's list. Every action calls the same services as the API and console."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powerlist.catalog.models import ChangeRecord, ChangeRequest, ListVersion, PowerItem, RequestStatus, Status
from powerlist.catalog.services import requests as request_services
from powerlist.catalog.services import versions as version_services
from powerlist.core import scope
from powerlist.core.admin_base import role_of
from powerlist.core.errors import DomainError, InvalidInput
from powerlist.core.models import Jurisdiction, Role, short_code

PER_PAGE = 25


def _office_user(request):
    if role_of(request.user) is None:
        raise Forbidden
    return request.user


def _card_context(req: ChangeRequest, user, error: str = "") -> dict:
    is_reviewer = scope.is_reviewer_or_admin(user) and scope.covers_jurisdiction(user, req.jurisdiction)
    return {"req": req, "changes": request_services.describe(req, readable=True), "error": error,
            "kind_name": req.get_kind_display(), "status_name": req.get_status_display(),
            "can_decide": req.status == RequestStatus.PENDING and is_reviewer,
            "can_withdraw": req.status == RequestStatus.PENDING and scope.can_edit_organisation_records(
                user, req.organisation) and not is_reviewer}


def requests_queue(request):
    """Pending requests first, per jurisdiction; a clerk sees their department's own."""
    user = _office_user(request)
    status = request.GET.get("status", RequestStatus.PENDING)
    if status not in RequestStatus.values and status != "all":
        status = RequestStatus.PENDING
    visible = request_services.visible(user)
    jurisdictions = (visible.values("jurisdiction__code", "jurisdiction__name")
                     .annotate(pending=Count("id", filter=Q(status=RequestStatus.PENDING)), total=Count("id"))
                     .order_by("jurisdiction__code"))
    code = request.GET.get("jurisdiction", "")
    qs = visible if status == "all" else visible.filter(status=status)
    if code:
        qs = qs.filter(jurisdiction__code=short_code(code))
    page = Paginator(qs.order_by("requested_at", "id") if status == RequestStatus.PENDING
                     else qs.order_by("-requested_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    cards = [_card_context(r, user) for r in page.object_list]
    return render(request, "office/requests.html", {
        **admin.site.each_context(request), "title": _("Change requests"), "cards": cards, "page": page,
        "jurisdictions": jurisdictions, "current_code": code, "status": status,
        "statuses": [("pending", _("pending")), ("approved", _("approved")), ("rejected", _("rejected")),
                     ("withdrawn", _("withdrawn")), ("all", _("all"))],
        "can_publish": scope.is_reviewer_or_admin(user)})


@require_POST
def decide(request, request_id: int):
    """Approve, reject or withdraw one request; htmx swaps the card, a plain form redirects."""
    user = _office_user(request)
    req = request_services.visible(user).filter(pk=request_id).first()
    if req is None:
        raise Forbidden
    action, note = request.POST.get("action", ""), request.POST.get("note", "")
    error = ""
    try:
        if action == "approve":
            request_services.approve(user, req.pk, note=note, via="office")
        elif action == "reject":
            request_services.reject(user, req.pk, note=note, via="office")
        elif action == "withdraw":
            request_services.withdraw(user, req.pk, via="office")
        else:
            error = _("Choose approve, reject or withdraw.")
    except InvalidInput as exc:
        error = "；".join(p.expected for p in exc.problems)
    except DomainError as exc:
        error = str(exc)
    req = request_services.load(req.pk)
    if getattr(request, "htmx", False):
        return render(request, "office/_request_card.html", _card_context(req, user, error))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Request #%(n)s: %(status)s") % {"n": req.pk, "status": req.get_status_display()})
    return HttpResponseRedirect(request.POST.get("next") or reverse("office:requests"))


def _publishable(user):
    """Jurisdictions with published items that `user` may publish: all for administrators, a
    reviewer's own and those below it."""
    qs = Jurisdiction.objects.filter(power_items__status=Status.PUBLISHED).distinct().order_by("code")
    if role_of(user) == Role.ADMIN:
        return qs
    return qs.filter(code__startswith=user.jurisdiction.code) if user.jurisdiction_id else qs.none()


def publish(request):
    """What a new version would carry (items, changes and pending requests since the last one),
    and the form that publishes it."""
    user = _office_user(request)
    if not scope.is_reviewer_or_admin(user):
        raise Forbidden
    jurisdictions = list(_publishable(user)[:500])
    code = request.POST.get("jurisdiction") or request.GET.get("jurisdiction") or (
        user.jurisdiction.code if getattr(user, "jurisdiction_id", None) else (
            jurisdictions[0].code if jurisdictions else ""))
    j = Jurisdiction.objects.filter(code=code).first()
    error, title, document = "", request.POST.get("title", ""), request.POST.get("document", "")
    if request.method == "POST" and j is not None:
        try:
            version = version_services.publish_version(user, j, title=title, document=document)
        except InvalidInput as exc:
            error = "；".join(p.expected for p in exc.problems)
        except DomainError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Published version %(n)s of %(name)s with %(count)s items.") % {
                "n": version.number, "name": j.full_name(), "count": version.item_count})
            return HttpResponseRedirect(reverse("portal:versions", args=[j.code]))
    summary = _summary(j) if j is not None and scope.covers_jurisdiction(user, j) else None
    return render(request, "office/publish.html", {
        **admin.site.each_context(request), "title": _("Publish a new version"), "jurisdictions": jurisdictions,
        "j": j, "summary": summary, "error": error, "form_title": title, "form_document": document})


def _summary(j: Jurisdiction) -> dict:
    last = ListVersion.objects.filter(jurisdiction=j).order_by("-number").first()
    changes = ChangeRecord.objects.filter(jurisdiction=j)
    if last is not None:
        changes = changes.filter(at__gt=last.published_at)
    by_action = dict(changes.values_list("action").annotate(n=Count("id")).values_list("action", "n"))
    return {
        "published": PowerItem.objects.filter(jurisdiction=j, status=Status.PUBLISHED).count(),
        "last": last, "changes": sum(by_action.values()), "created": by_action.get("create", 0),
        "updated": by_action.get("update", 0), "status_changes": by_action.get("status", 0),
        "pending": ChangeRequest.objects.filter(jurisdiction=j, status=RequestStatus.PENDING).count(),
        "recent": list(changes.select_related("item").order_by("-at", "-id")[:20]),
    }


def wrap(view):
    return admin.site.admin_view(view)
