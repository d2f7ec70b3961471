"""The public portal (晒权): no login, only what has been published, personal data masked on the way out
(portal.middleware)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from powerlist.catalog import search as catalog_search
from powerlist.catalog import search_hints
from powerlist.catalog.diff import diff_versions
from powerlist.catalog.labels import field_name
from powerlist.catalog.models import (
    CATEGORY_NAMES, PHASE_NAMES, RISK_LEVEL_NAMES, Citation, CitationReference, DepartmentResponsibility, DutyKind,
    ListVersion, PowerItem, Status,
)
from powerlist.catalog.services.requests import readable_value
from powerlist.core.masking import IDENTIFIER_KEYS, mask_data, mask_response, mask_text
from powerlist.core.models import Jurisdiction, Level, Organisation, short_code
from powerlist.operation.services import flowcharts
from powerlist.portal import params, svg

PER_PAGE = 20


def _published(jurisdiction=None):
    qs = PowerItem.objects.filter(status=Status.PUBLISHED)
    return qs.filter(jurisdiction=jurisdiction) if jurisdiction is not None else qs


def _jurisdiction(code: str) -> Jurisdiction:
    j = Jurisdiction.objects.filter(code=short_code(code)).first()
    if j is None:
        raise Http404(_("No jurisdiction has this code."))
    return j


def healthz(request):
    """For load balancers and monitoring: the process answers (no database query)."""
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    published = (ListVersion.objects.values("jurisdiction").annotate(n=Count("id")).values_list("jurisdiction",
                                                                                                 flat=True))
    jurisdictions = []
    for j in Jurisdiction.objects.filter(pk__in=list(published)).order_by("code"):
        latest = j.list_versions.order_by("-number").first()
        items = _published(j)
        jurisdictions.append({"j": j, "latest": latest, "items": items.count(),
                              "departments": items.values("organisation").distinct().count()})
    totals = {"items": sum(x["items"] for x in jurisdictions),
              "departments": sum(x["departments"] for x in jurisdictions), "jurisdictions": len(jurisdictions)}
    return render(request, "portal/home.html", {"jurisdictions": jurisdictions, "totals": totals,
                                                "categories": CATEGORY_NAMES})


def jurisdiction(request, code):
    j = _jurisdiction(code)
    items = _published(j)
    departments = (Organisation.objects.filter(jurisdiction=j, power_items__status=Status.PUBLISHED)
                   .annotate(n=Count("power_items")).order_by("-n", "name"))
    categories = [(c, CATEGORY_NAMES[c], n) for c, n in
                  items.values_list("category").annotate(n=Count("id")).order_by("category")]
    return render(request, "portal/jurisdiction.html", {
        "j": j, "total": items.count(), "departments": departments, "categories": categories,
        "latest": j.list_versions.order_by("-number").first(), "campaigns": _published_campaigns(j)})


def _published_campaigns(j):
    """The clean-up campaigns whose results are published (their statistics page), newest first."""
    from powerlist.cleanup.models import Campaign

    return (Campaign.objects.filter(jurisdiction=j, state=Campaign.State.PUBLISHED, version__isnull=False)
            .select_related("version").order_by("-version__number"))


def department(request, code, org_id):
    j = _jurisdiction(code)
    org = get_object_or_404(Organisation, pk=org_id, jurisdiction=j)
    items = _published(j).filter(organisation=org).order_by("category", "code")
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.category, []).append(item)
    duties: dict[str, list] = {k: [] for k in DutyKind.values}
    for entry in (DepartmentResponsibility.objects.filter(organisation=org, status=Status.PUBLISHED)
                  .prefetch_related("related_organisations").order_by("kind", "position")):
        duties[entry.kind].append(entry)
    return render(request, "portal/department.html", {
        "j": j, "org": org, "groups": [(c, CATEGORY_NAMES[c], groups[c]) for c in sorted(groups)],
        "duties": [(k, DutyKind(k).label, duties[k]) for k in DutyKind.values if duties[k]],
        "total": items.count()})


def category(request, code, category):
    j = _jurisdiction(code)
    if category not in CATEGORY_NAMES:
        raise Http404(_("Unknown category."))
    result = catalog_search.search("", jurisdiction=j, category=category, page=params.page(request),
                                   per_page=PER_PAGE)
    params.check_page(result)
    return render(request, "portal/category.html", {"j": j, "category": category, "name": CATEGORY_NAMES[category],
                                                    "result": result})


def switch_language(request, language):
    """A plain link switches the language (remembered in a cookie), so pages carry no form
    token and can be served from the cache."""
    if language not in dict(settings.LANGUAGES):
        raise Http404(_("Unknown language."))
    target = params.text(request, "next", 2000) or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


FRESH_SECONDS = 30  # a public page may lag a change by this much; the back office never does


def item(request, item_id):
    """The page of a published item. Pages are kept in memory and served without touching the
    database for FRESH_SECONDS; after that the item's change time and the time its legal basis
    was last verified are checked, and the page is drawn again only if either moved."""
    key = f"portal:item:{item_id}:{request.LANGUAGE_CODE}"
    entry = cache.get(key)
    now = time.monotonic()
    if entry is not None and now - entry["checked"] < FRESH_SECONDS:
        return _masked_page(entry["html"])
    stamp = (PowerItem.objects.filter(pk=item_id, status=Status.PUBLISHED)
             .annotate(verified=Max("citations__checked_at")).values_list("updated_at", "verified").first())
    if stamp is None:
        cache.delete(key)
        raise Http404(_("No published item has this number."))
    if entry is None or entry["stamp"] != stamp:
        # masked once when drawn, not on every request (MaskPersonalDataMiddleware skips it)
        entry = {"html": mask_response(_render_item(request, item_id)).content, "stamp": stamp}
    entry["checked"] = now
    cache.set(key, entry, 24 * 3600)
    return _masked_page(entry["html"])


def _masked_page(html: bytes) -> HttpResponse:
    response = HttpResponse(html)
    response.personal_data_masked = True
    return response


def _render_item(request, item_id):
    citations = Citation.objects.prefetch_related(Prefetch(
        "references", queryset=CitationReference.objects.select_related("law_article", "law_version")))
    item = get_object_or_404(
        PowerItem.objects.select_related("organisation", "jurisdiction").prefetch_related(
            Prefetch("citations", queryset=citations), "responsibilities", "accountability", "risk_points",
            "discretion"),
        pk=item_id, status=Status.PUBLISHED)
    phases = [(p, PHASE_NAMES[p], [r for r in item.responsibilities.all() if r.phase == p]) for p in PHASE_NAMES]
    risks = [(RISK_LEVEL_NAMES[r.level], r) for r in item.risk_points.all()]
    return render(request, "portal/item.html", {
        "item": item, "j": item.jurisdiction, "category_name": CATEGORY_NAMES[item.category],
        "phases": [p for p in phases if p[2]], "risks": risks,
        # masked before drawing: the picture may wrap a number across two lines of text
        # every flowchart is drawn by the operation app's renderer: an imported BPMN with its
        # diagram layout, a list of steps or the category's template with the computed layout
        "flowchart": mark_safe(flowcharts.portal_svg(item, mask=mask_text) or svg.flowchart(  # noqa: S308
            mask_data(item.flowchart, IDENTIFIER_KEYS | {"id", "flows"}), item.name)),
    })


def search(request):
    q = params.text(request, "q")
    code = params.text(request, "j", 12)
    if code and not (code.isascii() and code.isdigit()):
        raise params.BadParameter(_("The parameter “%(name)s” should be a division code of digits.") % {"name": "j"})
    j = Jurisdiction.objects.filter(code=short_code(code)).first() if code else None
    dept = params.number(request, "dept", 2**62)
    # a department alone names its jurisdiction too; one of another jurisdiction is ignored
    org = Organisation.objects.select_related("jurisdiction").filter(pk=dept).first() if dept else None
    if org is not None and j is None and not code:
        j = org.jurisdiction
    elif org is not None and org.jurisdiction_id != getattr(j, "pk", None):
        org = None
    category = params.text(request, "cat", 10)
    category = category if category in CATEGORY_NAMES else None
    level = params.number(request, "level", 5)
    result = catalog_search.search(q, jurisdiction=j, organisation=org, category=category, level=level,
                                   page=params.page(request), per_page=PER_PAGE)
    params.check_page(result)
    for i in result.items:  # masked before marking: a mark must not split a number the policy masks
        i.name_html = search_hints.highlight(mask_text(i.name), result.phrases)
        i.plain_html = search_hints.highlight(mask_text(i.plain_name), result.phrases)
    departments = _departments_with_items(j) if j is not None else []
    kept = {k: v for k, v in (("q", q), ("j", j.code if j else code), ("dept", org.pk if org else None),
                              ("cat", category), ("level", level)) if v}
    context = {
        "querystring": urlencode(kept) + "&" if kept else "",
        "q": q, "result": result, "j": j, "org": org, "category": category, "level": level,
        "categories": CATEGORY_NAMES, "levels": Level.choices, "departments": departments,
        "jurisdictions": Jurisdiction.objects.filter(list_versions__isnull=False).distinct().order_by("code")}
    if q and not result.total:
        context.update(_nothing_found(result, j))
    return render(request, "portal/search.html", context)


def _departments_with_items(j):
    return (Organisation.objects.filter(jurisdiction=j, power_items__status=Status.PUBLISHED)
            .annotate(n=Count("power_items")).order_by("name"))


def _nothing_found(result, j) -> dict:
    """What helps after a search that found nothing: the nearest names (each a search of its
    own, filters kept), the synonyms that were tried, and the ways to browse."""
    base = {k: v for k, v in (("j", j.code if j else None),) if v}
    names = search_hints.suggestions(result.phrases, j)
    categories, jurisdictions = [], []
    if j is not None:
        categories = [(c, CATEGORY_NAMES[c], n) for c, n in _published(j).values_list("category")
                      .annotate(n=Count("id")).order_by("category")]
    else:
        jurisdictions = list(Jurisdiction.objects.select_related("parent__parent__parent__parent")
                             .filter(pk__in=_published().values("jurisdiction"))
                             .order_by("code")[:50])
    return {"suggestions": [(name, urlencode({"q": name, **base})) for name in names],
            "tried": [(term, " / ".join(expansions)) for term, expansions in result.tried],
            "browse_categories": categories, "browse_jurisdictions": jurisdictions}


def versions(request, code):
    j = _jurisdiction(code)
    numbers = set(j.list_versions.values_list("number", flat=True))
    a, b = request.GET.get("older", ""), request.GET.get("newer", "")
    if a.isdigit() and b.isdigit() and int(a) in numbers and int(b) in numbers and a != b:  # the compare form
        return HttpResponseRedirect(reverse("portal:diff", args=[j.code, min(int(a), int(b)), max(int(a), int(b))]))
    listed = list(j.list_versions.order_by("-number"))
    campaigns = {c.version_id: c for c in _published_campaigns(j)}
    for v in listed:
        v.published_campaign = campaigns.get(v.pk)
    return render(request, "portal/versions.html", {
        "j": j, "versions": listed, "numbers": [v.number for v in listed],
        "newest": max(numbers, default=None), "previous": max(numbers - {max(numbers, default=None)}, default=None)})


def version_diff(request, code, older, newer):
    """What changed between any two versions, field by field as people read them, each item linked
    to its page while it is published."""
    j = _jurisdiction(code)
    a = get_object_or_404(ListVersion, jurisdiction=j, number=older)
    b = get_object_or_404(ListVersion, jurisdiction=j, number=newer)
    diff = diff_versions(a, b)
    codes = [d["code"] for d in diff.added + diff.removed] + [c["code"] for c in diff.changed]
    links = dict(_published(j).filter(code__in=codes).values_list("code", "pk"))
    changed = [{"code": c["code"], "name": c["name"], "item_id": links.get(c["code"]),
                "fields": [{"label": field_name(f["field"]), "before": readable_value(f["field"], f["before"]),
                            "after": readable_value(f["field"], f["after"])} for f in c["fields"]]}
               for c in diff.changed]
    added, removed = ([{"code": d["code"], "name": d["name"], "item_id": links.get(d["code"])} for d in docs]
                      for docs in (diff.added, diff.removed))
    return render(request, "portal/diff.html", {
        "j": j, "diff": diff, "sections": [(_("Added"), added), (_("Removed"), removed)], "changed": changed,
        "versions": j.list_versions.order_by("-number").values_list("number", flat=True)})


def statistics(request, code):
    """Charts drawn on the server, readable at phone width: every department, each bar linked to
    the department's page (and each category to its page)."""
    j = _jurisdiction(code)
    published = _published(j)
    categories = list(published.values_list("category").annotate(n=Count("id")).order_by("category"))
    by_category = [(CATEGORY_NAMES[c], n) for c, n in categories]
    departments = list(published.values_list("organisation_id", "organisation__name").annotate(n=Count("id"))
                       .order_by("-n", "organisation__name"))
    by_department = [(name, n, reverse("portal:department", args=[j.code, org])) for org, name, n in departments]
    history = [(_("Version %(n)s") % {"n": v.number}, v.item_count) for v in j.list_versions.order_by("number")]
    charts = {
        "category": mark_safe(svg.bar_chart(by_category, _("Items by category"), links=[  # noqa: S308
            reverse("portal:category", args=[j.code, c]) for c, _n in categories])),
        "department": mark_safe(svg.bar_chart([(name, n) for name, n, _u in by_department],  # noqa: S308
                                              _("Items by department"), "#2f855a", [u for _d, _n, u in by_department])),
        "history": mark_safe(svg.bar_chart(history, _("Items in each published version"), "#975a16")),  # noqa: S308
    }
    return render(request, "portal/statistics.html", {
        "j": j, "charts": charts, "by_category": by_category, "by_department": by_department,
        "history": history})
