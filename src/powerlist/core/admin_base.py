"""What every powerlist admin page shares: permissions come from role and scope (not Django's
per-model permission table), lists are filtered to what the user may see, nothing is deleted
from the admin, and domain errors from services come back as messages, never as a 500."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from powerlist.core.errors import DomainError, PermissionDenied
from powerlist.core.models import Role


def role_of(user) -> str | None:
    if not user.is_active or not user.is_staff:
        return None
    return Role.ADMIN if user.is_superuser else user.role


class ScopedAdmin(admin.ModelAdmin):
    """Subclasses set `editors` (roles that may add and change) and implement `scope_filter`."""

    editors: tuple[str, ...] = (Role.ADMIN,)
    readers: tuple[str, ...] = tuple(Role.values)

    def scope_filter(self, request, queryset):
        return queryset

    def get_queryset(self, request):
        return self.scope_filter(request, super().get_queryset(request))

    def has_module_permission(self, request):
        return role_of(request.user) is not None

    def has_view_permission(self, request, obj=None):
        return role_of(request.user) in self.readers

    def has_add_permission(self, request):
        return role_of(request.user) in self.editors

    def has_change_permission(self, request, obj=None):
        if role_of(request.user) not in self.editors:
            return False
        return obj is None or self.may_edit(request.user, obj)

    def may_edit(self, user, obj) -> bool:
        return True

    def has_delete_permission(self, request, obj=None):
        # records are retired by status and dates through services, never deleted from the admin
        return False

    def response_action(self, request, queryset):
        """An action the user may not run answers 403 with the service's reason; any other
        refusal comes back as a message on the list."""
        try:
            return super().response_action(request, queryset)
        except PermissionDenied as exc:
            context = {**self.admin_site.each_context(request), "opts": self.model._meta, "message": str(exc),
                       "title": self.model._meta.verbose_name_plural}
            return TemplateResponse(request, "admin/action_refused.html", context, status=403)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(ScopedAdmin):
    editors = ()

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
