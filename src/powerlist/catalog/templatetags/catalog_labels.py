"""`{% load catalog_labels %}`: `{{ p.field|field_name }}` (承诺时限（工作日） for promised_limit_days,
also for a path such as flowchart.steps[0].name) and `{{ record.via|channel }}` (后台, 导入, …)."""

import re

from django import template

from powerlist.catalog.labels import field_name as _field_name
from powerlist.catalog.labels import impact_label, via_label

register = template.Library()
_PATH = re.compile(r"^([a-z_]+)((?:[.\[].*)?)$")


@register.filter
def field_name(field) -> str:
    text = str(field or "")
    m = _PATH.match(text)
    if not m:
        return text
    head, rest = m.groups()
    return _field_name(head) + rest


@register.filter
def channel(via: str) -> str:
    return via_label(via)


@register.filter
def law_change(change: str) -> str:
    """repealed / article-removed / article-changed as people read them."""
    return impact_label(change)
