from django.contrib import admin

from powerlist.core import scope
from powerlist.core.admin_base import ReadOnlyAdmin
from powerlist.operation.models import Case, CaseEvent, FlowchartVersion


@admin.register(FlowchartVersion)
class FlowchartVersionAdmin(admin.ModelAdmin):
    """Read only: versions are made by `powerlist flowchart import` through the service."""

    list_display = ("item", "number", "status", "item_version", "created_at", "created_by_name")
    list_filter = ("status",)
    search_fields = ("item__code", "item__name")
    readonly_fields = [f.name for f in FlowchartVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _scoped(request, queryset, prefix=""):
    """Clerks see their department's cases, reviewers their jurisdiction's, inspectors all."""
    q = scope.organisation_filter(request.user, f"{prefix}organisation", f"{prefix}jurisdiction")
    return queryset if q is None else queryset.filter(q)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("seq", "step", "action", "actor", "at", "refused", "payload")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Read only: cases move through `powerlist case` and the case service."""

    list_display = ("number", "item", "organisation", "status", "accepted_at", "due")
    list_filter = ("status",)
    search_fields = ("number", "item__code", "item__name")
    exclude = ("state",)
    inlines = [CaseEventInline]

    def scope_filter(self, request, queryset):
        return _scoped(request, queryset.select_related("item", "organisation"))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Case._meta.fields if f.name != "state"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("case", "seq", "step", "action", "actor", "at", "refused")
    list_filter = ("action", "refused")
    search_fields = ("case__number", "step", "actor")

    def scope_filter(self, request, queryset):
        return _scoped(request, queryset.select_related("case"), "case__")
