"""The back office's menu of task pages, shown on every back-office page: each person sees the
pages of their role (a clerk: requests, campaigns, cases; the service hall: the hall; a legal or
expert reviewer: the review stages; inspectors: what they read). Pages not installed are left out."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from powerlist.core.models import Role

register = template.Library()

A, R, C, L, E, H, I = Role.ADMIN, Role.REVIEWER, Role.CLERK, Role.LEGAL, Role.EXPERT, Role.HALL, Role.INSPECTOR
PAGES = [
    ("office:requests", _("Change requests"), {A, R, C}),
    ("office:publish", _("Publish the list"), {A, R}),
    ("campaigns:list", _("Clean-up campaigns"), {A, R, C, I}),
    ("stages:index", _("Review stages and public comment"), {A, R, L, E}),
    ("hall:index", _("Service hall"), {A, R, H}),
    ("cases:workbench", _("Cases"), {A, R, C, I}),
    ("cases:department", _("Department performance"), {A, R, C, I}),
    ("supervision:dashboard", _("Electronic supervision"), {A, R, I}),
    ("supervision:rules", _("Supervision rules"), {A, I}),
    ("supervision:mine", _("My alerts and cards"), {C}),
]


@register.simple_tag(takes_context=True)
def office_links(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    role = Role.ADMIN if user.is_superuser else user.role
    path = request.path
    links = []
    for name, label, roles in PAGES:
        if role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "label": label, "current": False})
    # the page is under the longest matching address: /office/cases/department/ is 部门效能, not 办件
    here = max((link for link in links if path.startswith(link["url"])), key=lambda link: len(link["url"]),
               default=None)
    if here is not None:
        here["current"] = True
    return links
