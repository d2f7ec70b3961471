"""Every answer of the public portal leaves through the masking policy (powerlist.core.masking):
pages, search results, the department responsibility list, versions and diffs, the catalogue.
One place, so a new page or a new field cannot show a resident ID or mobile number."""

from powerlist.core.masking import mask_response


class MaskPersonalDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.namespace == "portal":
            mask_response(response)
        return response
