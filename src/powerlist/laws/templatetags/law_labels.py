"""`{% load law_labels %}`: `{{ ref.result|verdict }}` (核验通过, 已废止, …) and
`{{ ref|law_status }}` (现行有效 / 已废止 / 已修改) for any template that shows citations."""

from django import template

from powerlist.laws.labels import law_status_label, result_label
from powerlist.laws.models import LawStatus

register = template.Library()


@register.filter
def verdict(code: str) -> str:
    return result_label(code)


@register.filter
def law_status(ref) -> str:
    """The status of the law a citation reference was checked against; a repealed law (also one
    cited by a former name, with no law version) reads 已废止. Empty when the law is not known."""
    if getattr(ref, "result", "") == "repealed":
        return law_status_label(LawStatus.REPEALED)
    version = getattr(ref, "law_version", None)
    return law_status_label(version.status) if version is not None else ""
