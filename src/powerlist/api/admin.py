"""API tokens in the back office: a read-only list for administrators; a new token is made with
the add form (the key is shown once, in the confirmation message) and revoked with an action.
Both go through `powerlist.api.services`."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from powerlist.api import services
from powerlist.api.models import ApiToken
from powerlist.core.admin_base import ScopedAdmin
from powerlist.core.errors import DomainError
from powerlist.core.models import Role


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("user", "name")


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = ("name", "user", "created_at", "last_used_at")
    search_fields = ("name", "user__username")
    autocomplete_fields = ("user",)
    readonly_fields = ("user", "name", "created_at", "last_used_at")
    form = TokenForm
    actions = ["revoke"]
    editors = (Role.ADMIN,)
    readers = (Role.ADMIN,)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ("user", "name")

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token, key = services.create_token(request.user, form.cleaned_data["user"], form.cleaned_data["name"])
        obj.pk = token.pk
        self.message_user(request, _("API token created. Copy the key now, it is not shown again: %(key)s")
                          % {"key": key}, messages.WARNING)

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_post_save_add(request, obj)

    def log_addition(self, request, obj, message):
        pass  # the audit chain records it

    @admin.action(description=_("Revoke selected API tokens"))
    def revoke(self, request, queryset):
        try:
            for token in list(queryset):
                services.revoke_token(request.user, token.pk)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("Tokens revoked."), messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        return actions if self.has_add_permission(request) else {}
