"""Links to a department's files of the latest published version, for the department page."""

from django import template

from powerlist.portal import opendata

register = template.Library()


@register.inclusion_tag("portal/department_downloads.html")
def department_downloads(j, org):
    version = j.list_versions.order_by("-number").first()
    part = opendata.department(version, org.pk) if version is not None else None
    return {"j": j, "org": org, "version": version if part is not None else None, "formats": list(opendata.FORMATS)}
