"""Problem citations for reviewers (法制审核): every cited law whose check did not pass, filterable
by verdict, department and law, each linked to its item. Verdicts and channels are shown in the
reader's language (laws/labels.py, catalog/labels.py)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from powerlist.catalog.labels import VIA_LABELS
from powerlist.catalog.models import CitationReference
from powerlist.core import scope
from powerlist.core.admin_base import ReadOnlyAdmin
from powerlist.laws.labels import RESULT_LABELS, law_status_label, result_label
from powerlist.laws.models import LawStatus


class ChannelFilter(admin.SimpleListFilter):
    """The ledger's channel (ChangeRecord.via) by name: 后台, 导入, 接口, …"""

    title = _("via")
    parameter_name = "via"

    def lookups(self, request, model_admin):
        return [(code, label) for code, label in VIA_LABELS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(via=self.value()) if self.value() else queryset


class VerdictFilter(admin.SimpleListFilter):
    """Problems by default; `ok` and `all` on request."""

    title = _("result")
    parameter_name = "result"

    def lookups(self, request, model_admin):
        return [("problems", _("every problem")), *[(c, label) for c, label in RESULT_LABELS.items()
                                                    if c != "unparsed"], ("all", _("all"))]

    def choices(self, changelist):
        value = self.value() or "problems"
        for lookup, title in self.lookup_choices:
            yield {"selected": value == lookup, "display": title,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup})}

    def queryset(self, request, queryset):
        value = self.value() or "problems"
        if value == "all":
            return queryset
        if value == "problems":
            return queryset.exclude(result="ok")
        return queryset.filter(result=value)


@admin.register(CitationReference)
class ProblemCitationAdmin(ReadOnlyAdmin):
    list_display = ("item_link", "department", "cited", "verdict", "law_status", "message")
    list_filter = (VerdictFilter, ("citation__item__organisation", admin.RelatedOnlyFieldListFilter),
                   ("law", admin.RelatedOnlyFieldListFilter), "level")
    search_fields = ("title", "citation__item__code", "citation__item__name", "citation__raw_text")
    list_select_related = ("citation__item__organisation", "law_version")
    show_full_result_count = False
    list_per_page = 50

    def scope_filter(self, request, queryset):
        q = scope.organisation_filter(request.user, org_field="citation__item__organisation",
                                      jurisdiction_field="citation__item__jurisdiction")
        return queryset if q is None else queryset.filter(q)

    def get_readonly_fields(self, request, obj=None):
        return ("item_link", "department", "cited", "verdict", "law_status", "message", "quote", "diff",
                "article_snapshot", "checked_at")

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description=_("power item"), ordering="citation__item__code")
    def item_link(self, ref):
        item = ref.citation.item
        return format_html('<a href="{}">{} {}</a>', reverse("admin:catalog_poweritem_change", args=[item.pk]),
                           item.code, item.name)

    @admin.display(description=_("department"), ordering="citation__item__organisation__name")
    def department(self, ref):
        return ref.citation.item.organisation.name

    @admin.display(description=_("cited law"))
    def cited(self, ref):
        return f"《{ref.title}》{ref.article_text}"

    @admin.display(description=_("result"), ordering="result")
    def verdict(self, ref):
        return result_label(ref.result)

    @admin.display(description=_("status"))
    def law_status(self, ref):
        if ref.result == "repealed":
            return law_status_label(LawStatus.REPEALED)
        return law_status_label(ref.law_version.status) if ref.law_version else "—"
