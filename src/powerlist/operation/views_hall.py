"""The service hall's pages (综合窗口, 统一受理), under /office/hall/: open an application for a
package of items across departments, print its receipt, follow today's and the open applications
with each department's case. Every write goes through operation.services.applications."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied as Forbidden
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from powerlist.catalog.models import PowerItem, Status
from powerlist.core import scope
from powerlist.core.admin_base import role_of
from powerlist.core.errors import DomainError, InvalidInput
from powerlist.core.models import Jurisdiction, Role, short_code
from powerlist.operation.models import Application, ApplicationStatus, Case
from powerlist.operation.services import applications as service

HALL_ROLES = (Role.ADMIN, Role.REVIEWER, Role.HALL)


def wrap(view):
    return admin.site.admin_view(view)


def _hall_user(request):
    if role_of(request.user) not in HALL_ROLES:
        raise Forbidden
    return request.user


def _jurisdictions(user):
    """Where `user` may take applications: a hall clerk's or reviewer's own jurisdiction and those
    below with published items; every such jurisdiction for administrators."""
    qs = Jurisdiction.objects.filter(power_items__status=Status.PUBLISHED).distinct().order_by("code")
    if role_of(user) == Role.ADMIN:
        return qs
    return qs.filter(code__startswith=user.jurisdiction.code) if user.jurisdiction_id else qs.none()


def _jurisdiction(request, user) -> Jurisdiction:
    code = request.POST.get("jurisdiction") or request.GET.get("jurisdiction") or ""
    if code:
        found = Jurisdiction.objects.filter(code=short_code(code.strip())).first()
    elif getattr(user, "jurisdiction_id", None):
        found = user.jurisdiction
    else:
        found = _jurisdictions(user).first()
    if found is None:
        raise Http404(_("No jurisdiction with published items."))
    if not service.may_open(user, found):
        raise Forbidden
    return found


def index(request):
    """Today's applications and the ones still open, each with its cases' status."""
    user = _hall_user(request)
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)  # TIME_ZONE: Asia/Shanghai
    show = "open" if request.GET.get("show") == "open" else "today"
    qs = service.visible(user)
    qs = qs.filter(status=ApplicationStatus.OPEN) if show == "open" else qs.filter(received_at__gte=start)
    rows = qs.prefetch_related(Prefetch("cases", queryset=Case.objects.select_related("item", "organisation")
                                        .order_by("pk"))).order_by("-received_at")[:200]
    return render(request, "operation/hall/index.html", {
        **admin.site.each_context(request), "title": _("Service hall"), "applications": rows, "show": show,
        "shows": [("today", _("received today")), ("open", _("in progress"))],
        "status_names": service.STATUS_NAMES})


def new(request):
    """The form: items chosen by searching names (simplified and traditional alike) or from a
    package, the applicant and how they will look up the progress."""
    user = _hall_user(request)
    jurisdiction = _jurisdiction(request, user)
    error, problems = "", {}
    form = {k: request.POST.get(k, "") for k in ("title", "applicant", "phone", "id_number", "window")}
    chosen_codes = request.POST.getlist("items")
    if request.method == "POST":
        try:
            application = service.open_application(user, jurisdiction.code, item_codes=chosen_codes, **form)
        except InvalidInput as exc:
            problems = {p.field: p.expected for p in exc.problems}
            error = "；".join(p.expected for p in exc.problems)
        except DomainError as exc:
            error = str(exc)
        else:
            return HttpResponseRedirect(reverse("hall:receipt", args=[application.number]))
    chosen = list(PowerItem.objects.select_related("organisation").filter(jurisdiction=jurisdiction,
                                                                          code__in=chosen_codes))
    return render(request, "operation/hall/new.html", {
        **admin.site.each_context(request), "title": _("Open a one-window application"), "j": jurisdiction,
        "jurisdictions": _jurisdictions(user)[:200], "packages": service.packages(jurisdiction), "form": form,
        "chosen": chosen, "error": error, "items_error": problems.get("items", "")}, status=400 if error else 200)


@require_GET
def items(request):
    """htmx: the items matching what the clerk typed."""
    user = _hall_user(request)
    jurisdiction = _jurisdiction(request, user)
    q = request.GET.get("q", "")[:100]
    return render(request, "operation/hall/_items.html", {
        "j": jurisdiction, "q": q, "found": service.search_items(jurisdiction, q) if q.strip() else []})


@require_GET
def pick(request):
    """htmx: the chosen list (the items still ticked) with one item or a package's items added,
    each once."""
    user = _hall_user(request)
    jurisdiction = _jurisdiction(request, user)
    codes = [c[:100] for c in request.GET.getlist("items")[:service.MAX_ITEMS * 2]]
    package = request.GET.get("package", "")
    if package:
        codes += [i.code for p in service.packages(jurisdiction) if p["name"] == package for i in p["items"]]
    elif request.GET.get("code"):
        codes.append(request.GET["code"][:100])
    codes = list(dict.fromkeys(codes))
    found = {i.code: i for i in PowerItem.objects.select_related("organisation").filter(
        jurisdiction=jurisdiction, code__in=codes)}
    return render(request, "operation/hall/_chosen.html", {"chosen": [found[c] for c in codes if c in found]})


def _application(user, number: str) -> Application:
    found = service.visible(user).filter(number=number).first()
    if found is None:
        raise Http404(_("No such application in your scope."))
    return found


def detail(request, number: str):
    """并联审批: each department's case side by side, and the combined reply once all are in."""
    user = _hall_user(request)
    application = _application(user, number)
    return render(request, "operation/hall/detail.html", {
        **admin.site.each_context(request), "title": application.number, "a": application,
        "rows": service.progress_rows(application), "status_name": service.STATUS_NAMES[application.status],
        "notices": application.notices.select_related("organisation").order_by("pk"),
        "may_open": scope.is_reviewer_or_admin(user) or role_of(user) == Role.HALL})


def receipt(request, number: str):
    """The paper the applicant takes home (受理回执): printable."""
    user = _hall_user(request)
    application = _application(user, number)
    return render(request, "operation/hall/receipt.html", {
        **admin.site.each_context(request), "title": _("Receipt %(number)s") % {"number": application.number},
        "a": application, "rows": service.progress_rows(application),
        "lookup_url": request.build_absolute_uri(reverse("progress:lookup"))})
