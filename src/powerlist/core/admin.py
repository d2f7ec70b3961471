import copy

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from powerlist.core import admin_calendar  # noqa: F401  (registers the working-day calendar)
from powerlist.core import scope
from powerlist.core.admin_base import ReadOnlyAdmin, ScopedAdmin, role_of
from powerlist.core.models import AuditEntry, Jurisdiction, Organisation, Role, SearchSynonym, User
from powerlist.core.services import jurisdictions as jurisdiction_services
from powerlist.core.services import organisations as org_services
from powerlist.core.services import synonyms as synonym_services
from powerlist.core.services import users as user_services


admin.site.unregister(Group)  # roles and scopes live on the user; groups would be a second, unused system


@admin.register(Jurisdiction)
class JurisdictionAdmin(ScopedAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    ordering = ("code",)
    fields = ("code", "name", "parent")
    autocomplete_fields = ("parent",)
    editors = (Role.ADMIN, Role.REVIEWER)
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def save_model(self, request, obj, form, change):
        created = jurisdiction_services.add_jurisdiction(
            request.user, obj.code, obj.name, obj.parent.code if obj.parent_id else None)
        obj.pk = created.pk


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ("name", "short_name", "kind", "jurisdiction", "uscc", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "uscc", "jurisdiction__code")
    autocomplete_fields = ("jurisdiction", "parent")
    fields = ("jurisdiction", "name", "short_name", "kind", "uscc", "code", "parent", "phone", "valid_from",
              "valid_to", "source")
    editors = (Role.ADMIN, Role.REVIEWER)

    def scope_filter(self, request, queryset):
        if role_of(request.user) == Role.CLERK:
            return queryset.filter(pk=request.user.organisation_id)
        q = scope.jurisdiction_filter(request.user)
        return queryset if q is None else queryset.filter(q)

    def may_edit(self, user, obj):
        return scope.covers_jurisdiction(user, obj.jurisdiction)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data.get(f) for f in org_services.ORG_FIELDS if f in form.cleaned_data}
        if change:
            org_services.update_organisation(request.user, Organisation.objects.get(pk=obj.pk),
                                             **{f: data[f] for f in form.changed_data if f in data})
        else:
            created = org_services.create_organisation(request.user, form.cleaned_data["jurisdiction"], **data)
            obj.pk = created.pk


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    list_display = ("username", "first_name", "role", "jurisdiction", "organisation", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("jurisdiction", "organisation")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Role and scope"), {"fields": ("role", "jurisdiction", "organisation")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Permissions"), {"fields": ("is_active", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "jurisdiction",
                                                  "organisation")}),
    )
    readonly_fields = ("last_login", "date_joined")
    editors = (Role.ADMIN,)
    readers = (Role.ADMIN,)

    def save_model(self, request, obj, form, change):
        user_services.save_user(request.user, obj)  # records what changed, before and after

    def user_change_password(self, request, id, form_url=""):
        actor = request.user

        class ServiceForm(AdminPasswordChangeForm):
            def save(self, commit=True):
                return user_services.save_user(actor, self.user, password=self.cleaned_data["password1"])

        bound = copy.copy(self)
        bound.change_password_form = ServiceForm
        return DjangoUserAdmin.user_change_password(bound, request, id, form_url)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(ScopedAdmin):
    """Words people type and the words of the lists (低保 -> 最低生活保障): used by the next search.
    Entries are switched off (active), never deleted, so the audit log explains every change."""

    list_display = ("term", "expansions_shown", "note", "active", "updated_at")
    list_filter = ("active",)
    search_fields = ("term", "expansions", "note")
    fields = ("term", "expansions", "note", "active")
    editors = (Role.ADMIN,)

    @admin.display(description=_("words of the lists"))
    def expansions_shown(self, obj):
        return " / ".join(obj.expansion_list())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = synonym_services.save_synonym(
            request.user, data["term"], data["expansions"], note=data.get("note", ""), active=data.get("active", True),
            synonym=SearchSynonym.objects.get(pk=obj.pk) if change else None)
        obj.pk = saved.pk


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "actor", "action", "target", "short_hash")
    list_filter = ("action",)
    search_fields = ("actor", "action", "target")
    readers = (Role.ADMIN, Role.INSPECTOR)
    show_full_result_count = False

    @admin.display(description=_("leaf hash"))
    def short_hash(self, obj):
        return obj.leaf_hash[:16]
