"""The applicant's side, public and without login, under /progress/: look up the progress of an
application or a case by its number and the last four digits of the applicant's phone or ID
number, and rate the service once it is completed (好差评). Nothing personal is shown, and every
answer leaves through the masking policy all the same; a wrong number and wrong digits get the
same neutral answer; look-ups and ratings are throttled per address."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from powerlist.core.errors import Conflict, InvalidInput, NotFound
from powerlist.core.masking import mask_response
from powerlist.operation.services import progress, ratings
from powerlist.operation.services.progress import Throttled


def _page(request, context: dict, status: int = 200):
    return mask_response(render(request, "operation/progress/lookup.html", context, status=status))


@require_http_methods(["GET", "POST"])
def lookup(request):
    """GET: the form. POST: the answer (the digits are never in an address or a log line)."""
    number, last4 = request.POST.get("number", "").strip()[:40], request.POST.get("last4", "").strip()[:4]
    if request.method == "GET":
        return _page(request, {"number": request.GET.get("number", "")[:40]})
    try:
        shown = progress.lookup(request, number, last4)
    except Throttled as exc:
        return _page(request, {"number": number, "error": str(exc)}, status=429)
    except NotFound as exc:
        return _page(request, {"number": number, "error": str(exc)}, status=404)
    return _page(request, {"number": number, "last4": last4, "shown": shown})


@require_POST
def rate(request):
    number, last4 = request.POST.get("number", "").strip()[:40], request.POST.get("last4", "").strip()[:4]
    try:
        ratings.rate(request, number, last4, request.POST.get("stars", ""), request.POST.get("comment", ""))
    except Throttled as exc:
        return _page(request, {"number": number, "error": str(exc)}, status=429)
    except NotFound as exc:
        return _page(request, {"number": number, "error": str(exc)}, status=404)
    except (Conflict, InvalidInput) as exc:
        found = progress.find_for_applicant(number, last4)
        message = "；".join(p.expected for p in exc.problems) if isinstance(exc, InvalidInput) else str(exc)
        return _page(request, {"number": number, "last4": last4, "rate_error": message,
                               "shown": progress.public_view(found) if found else None}, status=400)
    found = progress.find_for_applicant(number, last4)
    return _page(request, {"number": number, "last4": last4, "shown": progress.public_view(found),
                           "thanks": _("Thank you for your rating.")})
