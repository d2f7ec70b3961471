"""Every answer of the public portal leaves through the masking policy (powerlist.core.masking):
pages, search results, the department responsibility list, versions and diffs, the catalogue.
One place, so a new page or a new field cannot show a resident ID or mobile number."""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from powerlist.core.masking import mask_response
from powerlist.core.models import short_code


class MaskPersonalDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.namespace == "portal":
            mask_response(response)
        return response


class CanonicalCodeMiddleware:
    """A portal address with another official form of a division code (`/j/440700/`: GB/T 2260's
    six digits for 江门市, or the 12-digit padded form) redirects to the one with the stored code
    (`/j/4407/`), so each page has one address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        code = view_kwargs.get("code")
        if match is None or match.namespace != "portal" or not code or short_code(code) == code:
            return None
        url = reverse(match.view_name, kwargs=view_kwargs | {"code": short_code(code)})
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
