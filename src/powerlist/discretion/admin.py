"""Read only: tables arrive through `powerlist discretion import` (the service), never by hand
editing a row, so every row keeps the file it came from."""

from django.contrib import admin

from powerlist.core import scope
from powerlist.core.admin_base import ReadOnlyAdmin
from powerlist.discretion.models import Benchmark, TableImport


@admin.register(Benchmark)
class BenchmarkAdmin(ReadOnlyAdmin):
    list_display = ("item", "grade", "circumstances", "standard", "needs_person", "in_force")
    list_filter = ("in_force", "needs_person")
    search_fields = ("item__code", "item__name", "violation", "standard")
    list_select_related = ("item",)

    def scope_filter(self, request, queryset):
        q = scope.organisation_filter(request.user, "item__organisation", "item__jurisdiction")
        return queryset if q is None else queryset.filter(q)


@admin.register(TableImport)
class TableImportAdmin(ReadOnlyAdmin):
    list_display = ("filename", "jurisdiction", "format", "rows", "items", "needs_person", "imported_by",
                    "imported_at")

    def scope_filter(self, request, queryset):
        q = scope.jurisdiction_filter(request.user)
        return queryset if q is None else queryset.filter(q)
