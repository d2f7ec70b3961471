"""The campaign records in the back office, read-only: every change goes through
powerlist.cleanup.services (the workbench comes later). A clerk sees only their own
department's task, entries and decisions."""

from django.contrib import admin, messages
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from powerlist.cleanup import admin_self_report
from powerlist.cleanup.models import Campaign, Decision, Entry, Task
from powerlist.cleanup.services import decisions
from powerlist.core import scope
from powerlist.core.admin_base import ScopedAdmin
from powerlist.core.errors import DomainError
from powerlist.core.models import Role


class _ReadOnly(ScopedAdmin):
    editors = ()
    # a clerk's records: the department's own; others: the jurisdiction's (reviewers) or all
    org_path = "organisation"
    jurisdiction_path = "campaign__jurisdiction"

    def scope_filter(self, request, queryset):
        user = request.user
        if not user.is_superuser and user.role == Role.CLERK:
            return queryset.filter(**{f"{self.org_path}_id": user.organisation_id})
        q = scope.jurisdiction_filter(user, self.jurisdiction_path)
        return queryset if q is None else queryset.filter(q)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(_ReadOnly):
    list_display = ("title", "jurisdiction", "deadline", "current_round", "state", "opened_by", "self_report_link")
    list_filter = ("state",)
    jurisdiction_path = "jurisdiction"
    org_path = "tasks__organisation"
    actions = ["next_round"]

    def scope_filter(self, request, queryset):
        return super().scope_filter(request, queryset).distinct()

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("<int:campaign_id>/self-report/", wrap(self.self_report_view),
                     name="cleanup_campaign_self_report")] + super().get_urls()

    def self_report_view(self, request, campaign_id):
        return admin_self_report.self_report_view(self, request, campaign_id)

    @admin.display(description=_("self-report"))
    def self_report_link(self, obj):
        return format_html('<a href="{}/self-report/">{}</a>', obj.pk, _("upload a spreadsheet"))

    @admin.action(description=_("Start the next review round"))
    def next_round(self, request, queryset):
        for campaign in queryset:
            try:
                decisions.start_next_round(request.user, campaign)
            except DomainError as exc:
                self.message_user(request, str(exc), messages.ERROR)


@admin.register(Task)
class TaskAdmin(_ReadOnly):
    list_display = ("organisation", "campaign", "state", "submitted_at")
    list_filter = ("state",)


@admin.register(Entry)
class EntryAdmin(_ReadOnly):
    list_display = ("item", "task", "reported_at")
    org_path = "task__organisation"
    search_fields = ("item__code", "item__name")


@admin.register(Decision)
class DecisionAdmin(_ReadOnly):
    list_display = ("entry", "round", "kind", "cancel_reason", "receiver", "merge_into", "decided_by", "reply")
    list_filter = ("round", "kind", "reply")
    org_path = "entry__task__organisation"
    jurisdiction_path = "entry__campaign__jurisdiction"
