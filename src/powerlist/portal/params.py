"""Query parameters of the public pages, checked before anything uses them. The rule, the same on
every page:

- a parameter with control characters (NUL, ...), longer than it can sensibly be, or a number
  that is not a whole number in range gets 400 with a message saying which one;
- a page number past the last page gets 404 (page 1 always exists, even when empty);
- repeated parameters (`q=a&q=b`): the last one counts, as Django reads them.
"""

import re

from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

MAX_TEXT = 100  # a search is a few words; the API allows the same
MAX_PAGE = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # a tab is kept (pasted from a spreadsheet) and read as a space


class BadParameter(BadRequest):
    pass


def text(request, name: str, max_length: int = MAX_TEXT) -> str:
    value = request.GET.get(name, "")
    if _CONTROL.search(value):
        raise BadParameter(_("The parameter “%(name)s” contains control characters.") % {"name": name})
    if len(value) > max_length:
        raise BadParameter(_("The parameter “%(name)s” is longer than %(n)s characters.") % {"name": name,
                                                                                            "n": max_length})
    return value.replace("\t", " ").strip()


def number(request, name: str, maximum: int, minimum: int = 1) -> int | None:
    """A whole number written with the digits 0-9, or None when the parameter is absent or empty."""
    value = text(request, name, 20)
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not minimum <= int(value) <= maximum:
        raise BadParameter(_("The parameter “%(name)s” should be a whole number from %(min)s to %(max)s.")
                           % {"name": name, "min": minimum, "max": maximum})
    return int(value)


def page(request) -> int:
    return number(request, "page", MAX_PAGE) or 1


def check_page(result) -> None:
    """404 for a page past the last of a search result (anything with `page` and `pages`)."""
    if result.page > result.pages:
        raise Http404(_("There is no page %(page)s: the list has %(pages)s pages.") % {"page": result.page,
                                                                                    "pages": result.pages})


def bad_request(request, exception=None):
    """handler400: the page says which parameter was wrong."""
    message = str(exception) if isinstance(exception, BadParameter) else _("The request could not be understood.")
    return render(request, "400.html", {"message": message}, status=400)
