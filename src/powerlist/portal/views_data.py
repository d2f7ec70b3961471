"""Open-data pages and downloads."""

from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from powerlist.catalog.models import ListVersion
from powerlist.portal import opendata, params
from powerlist.portal.views import _jurisdiction


def data_page(request, code):
    j = _jurisdiction(code)
    return render(request, "portal/data.html", {"j": j, "versions": j.list_versions.order_by("-number"),
                                                "formats": list(opendata.FORMATS)})


def download(request, code, number, fmt):
    j = _jurisdiction(code)
    version = get_object_or_404(ListVersion, jurisdiction=j, number=number)
    if fmt not in opendata.FORMATS:
        return HttpResponse(_("Unknown format."), status=404, content_type="text/plain; charset=utf-8")
    try:
        path = opendata.artefact(version, fmt)
    except opendata.PdfUnavailable as exc:
        return render(request, "portal/pdf_unavailable.html", {"j": j, "version": version, "reason": str(exc)},
                      status=503)
    name, media = opendata.FORMATS[fmt]
    response = FileResponse(path.open("rb"), content_type=media, as_attachment=fmt != "pdf",
                            filename=f"权力清单-{j.code}-v{version.number}-{name}")
    response["X-Content-SHA256"] = opendata.sha256_of(path)
    return response


def catalogue(request):
    base = request.build_absolute_uri("/").rstrip("/")
    data = opendata.catalogue(base, include_pdf=params.text(request, "pdf", 1) != "0")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False}, content_type="application/ld+json")


