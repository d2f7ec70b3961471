from django.contrib import admin

from powerlist.operation.models import FlowchartVersion


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
