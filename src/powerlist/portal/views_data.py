"""Open-data pages and downloads."""

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from powerlist.catalog.models import ListVersion
from powerlist.portal import opendata, params
from powerlist.portal.views import _jurisdiction


def data_page(request, code):
    j = _jurisdiction(code)
    versions = list(j.list_versions.order_by("-number"))
    departments = [d for d in opendata.departments(versions[0]) if d["id"] is not None] if versions else []
    return render(request, "portal/data.html", {
        "j": j, "versions": versions, "latest": versions[0] if versions else None, "departments": departments,
        "formats": list(opendata.FORMATS)})


def download(request, code, number, fmt, org_id=None):
    """A file of a version: the whole list, or (org_id) one department's items and responsibility
    list. Made at publication; one asked for before it is ready is made now."""
    j = _jurisdiction(code)
    version = get_object_or_404(ListVersion, jurisdiction=j, number=number)
    if fmt not in opendata.FORMATS:
        return HttpResponse(_("Unknown format."), status=404, content_type="text/plain; charset=utf-8")
    department = None
    if org_id is not None:
        department = opendata.department(version, org_id)
        if department is None:
            raise Http404(_("This department has no part in this version."))
    try:
        path = opendata.artefact(version, fmt, department)
    except opendata.PdfUnavailable as exc:
        return render(request, "portal/pdf_unavailable.html", {"j": j, "version": version, "reason": str(exc)},
                      status=503)
    name, media = opendata.FORMATS[fmt]
    prefix = f"权力清单-{j.code}-v{version.number}" + (f"-部门{org_id}" if org_id is not None else "")
    response = FileResponse(path.open("rb"), content_type=media, as_attachment=fmt != "pdf",
                            filename=f"{prefix}-{name}")
    response["X-Content-SHA256"] = opendata.sha256_of(path)
    return response


def catalogue(request):
    base = request.build_absolute_uri("/").rstrip("/")
    data = opendata.catalogue(base, include_pdf=params.text(request, "pdf", 1) != "0")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False}, content_type="application/ld+json")


