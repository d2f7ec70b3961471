from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.contrib import messages
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from powerlist.catalog import admin_transfer
from powerlist.catalog.admin_citations import ChannelFilter
from powerlist.catalog.documents import changed_fields
from powerlist.catalog.flowchart_field import FlowchartField
from powerlist.catalog.labels import field_name, field_names, via_label
from powerlist.catalog.models import (
    AccountabilitySituation, ChangeRecord, ChangeRequest, Citation, DepartmentResponsibility, DiscretionBenchmark,
    ListVersion, PowerItem, ResponsibilityItem, RiskPoint, STATUS_NAMES,
)
from powerlist.catalog.services import citations as citation_services
from powerlist.catalog.services import items as item_services
from powerlist.catalog.services import requests as request_services
from powerlist.catalog.services.requests import readable_value
from powerlist.catalog.services import responsibilities as responsibility_services
from powerlist.catalog.services import successors as successor_services
from powerlist.core import scope
from powerlist.core.admin_base import ReadOnlyAdmin, ScopedAdmin, role_of
from powerlist.core.errors import DomainError
from powerlist.core.models import Organisation, Role
from powerlist.laws.labels import result_label

ITEM_EDITORS = (Role.ADMIN, Role.REVIEWER, Role.CLERK)


def scoped_items(request, queryset):
    q = scope.organisation_filter(request.user)
    return queryset if q is None else queryset.filter(q)


class ElementInline(admin.TabularInline):
    """An element of a power item; saved with the item through the item service."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return role_of(request.user) is not None

    def has_add_permission(self, request, obj=None):
        return role_of(request.user) in ITEM_EDITORS and (obj is None or _may_edit_item(request.user, obj))

    has_change_permission = has_add_permission

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


class CitationInline(ElementInline):
    model = Citation
    fields = ("kind", "raw_text")


class ResponsibilityInline(ElementInline):
    model = ResponsibilityItem
    fields = ("phase", "stage", "content")


class AccountabilityInline(ElementInline):
    model = AccountabilitySituation
    fields = ("text",)


class RiskPointInline(ElementInline):
    model = RiskPoint
    fields = ("level", "step", "description", "prevention", "second_approver")


class DiscretionInline(ElementInline):
    model = DiscretionBenchmark
    fields = ("grade", "circumstance", "penalty", "min_fine", "max_fine")


class ChangeRecordInline(admin.TabularInline):
    """The item's history (台账): every change with before/after, reason, who and when; field names
    and channels as people read them, each difference wrapped in its cell (the page fits 1,280 px)."""

    model = ChangeRecord
    fk_name = "item"
    extra = 0
    fields = ("at", "action", "changed", "reason", "document", "channel", "actor_name", "difference")
    readonly_fields = fields
    verbose_name_plural = _("history of changes")
    can_delete = False
    classes = ("ledger",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return role_of(request.user) is not None

    @admin.display(description=_("changed fields"))
    def changed(self, rec):
        return field_names(rec.changed_fields)

    @admin.display(description=_("via"))
    def channel(self, rec):
        return via_label(rec.via)

    @admin.display(description=_("difference"))
    def difference(self, rec):
        return ledger_difference(rec)


def ledger_difference(rec) -> str:
    """Each changed field: its name, the old value struck through, the new one, as lines that wrap."""
    if rec.before is None:
        return "—"
    rows = [(field_name(f), _short(readable_value(f, rec.before.get(f))), _short(readable_value(f, rec.after.get(f))))
            for f in changed_fields(rec.before, rec.after)]
    return format_html_join("", '<div class="ledger-change" style="max-width:34em;overflow-wrap:anywhere;'
                            'white-space:pre-wrap;margin-bottom:.4em"><b>{}</b>\n<del>{}</del>\n<ins>{}</ins></div>',
                            rows)


def _short(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 300 else text[:297] + "..."


def _may_edit_item(user, item) -> bool:
    return scope.can_edit_organisation_records(user, item.organisation)


class PowerItemForm(forms.ModelForm):
    change_reason = forms.CharField(label=_("reason for the change"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}), help_text=_("recorded in the item's ledger"))
    change_document = forms.CharField(label=_("approving document"), required=False, max_length=300)
    # one row per step (a textarea of lines without JavaScript), not raw JSON
    flowchart = FlowchartField(label=_("flowchart"), required=False)
    # the version the person opened: a save over a newer version is refused (no lost update)
    opened_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            opened = data.get("opened_version")
            current = PowerItem.objects.filter(pk=self.instance.pk).first()
            if current is not None and opened is not None and current.version != opened:
                # the service checks again under the row lock; this names who changed what, early
                raise forms.ValidationError(item_services.stale_message(current, opened))
            status = current.status if current is not None else None
            user = getattr(self, "acting_user", None)
            if user is not None and (item_services.needs_review(user, status)
                                     or item_services.needs_review(user, data.get("status"))):
                if not (data.get("change_reason") or "").strip():
                    self.add_error("change_reason", _("A change to a published item is filed as a change request "
                                                      "(动态调整申请): give the reason and, if any, its basis."))
        return data

    class Meta:
        model = PowerItem
        exclude = ("jurisdiction", "name_key", "version", "created_at", "updated_at")
        widgets = {
            "name": forms.TextInput(attrs={"size": 90}), "plain_name": forms.TextInput(attrs={"size": 90}),
            "main_item": forms.TextInput(attrs={"size": 90}),
            **{f: forms.Textarea(attrs={"rows": 3, "cols": 90}) for f in (
                "fee_basis", "fee_standard", "conditions", "materials", "result_documents")},
        }


@admin.register(PowerItem)
class PowerItemAdmin(ScopedAdmin):
    form = PowerItemForm
    list_display = ("code", "name", "category", "organisation", "status")
    list_filter = ("category", "status", "list_kind")
    search_fields = ("code", "name", "plain_name", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    readonly_fields = ("version", "updated_at", "legal_basis")
    actions = ["check_legal_basis"]
    inlines = [CitationInline, ResponsibilityInline, AccountabilityInline, RiskPointInline, DiscretionInline,
               ChangeRecordInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "plain_name", "main_item", "category", "list_kind", "organisation",
                           "handling_office", "exercise_levels", "power_source", "status")}),
        (_("Time limits and fees"), {"fields": (("statutory_limit_days", "statutory_limit_unit"),
                                                ("promised_limit_days", "promised_limit_unit"), "limit_note",
                                                "fee_basis", "fee_standard")}),
        (_("Conditions, materials, results"), {"fields": ("conditions", "materials", "result_documents",
                                                          "flowchart")}),
        (_("Service guide (办事指南)"), {"fields": ("office_address", "office_hours", "enquiry_phone",
                                                  "supervision_phone", "online_url", "onsite_visits",
                                                  "service_recipients")}),
        (_("Validity"), {"fields": ("valid_from", "valid_to", "source", "version", "updated_at")}),
        (_("Legal basis check"), {"fields": ("legal_basis",)}),
        (_("This change"), {"fields": ("change_reason", "change_document")}),
    )
    editors = ITEM_EDITORS
    show_full_result_count = False

    class Media:
        css = {"all": ("catalog/item_form.css",)}  # the form fits 1,280 px

    def scope_filter(self, request, queryset):
        return scoped_items(request, queryset)

    def may_edit(self, user, obj):
        return _may_edit_item(user, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.acting_user = request.user
        return form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.get_object(request, object_id)
        notice = ""
        if item is not None and item_services.needs_review(request.user, item.status):
            pending = ChangeRequest.objects.filter(item=item, status="pending").first()
            notice = _("This item is %(status)s: your changes will be filed as a change request (动态调整申请) and "
                       "take effect only when a reviewer approves them.") % {"status": STATUS_NAMES[item.status]}
            if pending is not None:
                notice += " " + _("Request #%(n)s is still pending.") % {"n": pending.pk}
        if notice:
            self.message_user(request, notice, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        filed = getattr(request, "_powerlist_change_request", None)
        if filed is None:
            return super().response_change(request, obj)
        self.message_user(request, _("Change request #%(n)s filed: a reviewer will approve or reject it; the item "
                                     "is unchanged until then.") % {"n": filed.pk}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:catalog_changerequest_change", args=[filed.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        filed = getattr(request, "_powerlist_change_request", None)
        if filed is None:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, _("Change request #%(n)s filed to add this item to the published list: a "
                                     "reviewer will approve or reject it.") % {"n": filed.pk}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:catalog_changerequest_change", args=[filed.pk]))

    def log_addition(self, request, obj, message):
        if obj.pk is not None:  # an add request creates no item yet
            return super().log_addition(request, obj, message)

    @admin.display(description=_("verification against the law"))
    def legal_basis(self, item):
        """Each citation as written, each law it cites with the verdict and the article's text."""
        if item is None or item.pk is None:
            return "—"
        citations = list(item.citations.prefetch_related("references__law_article", "references__law_version"))
        for citation in citations:
            for ref in citation.references.all():
                ref.successors = successor_services.successors_of(ref)
        return render_to_string("admin/catalog/poweritem/legal_basis.html", {
            "citations": citations, "item": item, "can_replace": getattr(item, "_powerlist_may_edit", False)})

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:  # the legal-basis display offers one-click replacements to those who may edit
            obj._powerlist_may_edit = self.may_edit(request.user, obj)
        return obj

    def replace_citation_view(self, request, item_id):
        """One click: cite the successor article instead of a repealed or changed one (a reviewer's
        change is applied with its reason in the ledger; a clerk's becomes a change request)."""
        item = self.get_queryset(request).filter(pk=item_id).first()
        if request.method != "POST" or item is None:
            raise Forbidden
        back = request.POST.get("next") or reverse("admin:catalog_poweritem_change", args=[item.pk])
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("admin:catalog_poweritem_change", args=[item.pk])
        ref_id, _sep, article = request.POST.get("successor", "").partition(":")
        if not (ref_id.isdigit() and article.isdigit()) or not item.citations.filter(references__pk=ref_id).exists():
            self.message_user(request, _("Choose one of the successor articles offered."), messages.ERROR)
            return HttpResponseRedirect(back)
        try:
            outcome = successor_services.replace_with_successor(request.user, int(ref_id), int(article), via="admin")
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(back)
        if outcome.pending:
            self.message_user(request, _("Change request #%(n)s filed: the citation changes when a reviewer approves "
                                         "it.") % {"n": outcome.request.pk}, messages.SUCCESS)
        else:
            self.message_user(request, _("The citation now cites the successor article; the change is in the "
                                         "ledger."), messages.SUCCESS)
        return HttpResponseRedirect(back)

    @admin.action(description=_("Verify the legal basis of the selected items"))
    def check_legal_basis(self, request, queryset):
        report = citation_services.check_items(request.user, queryset)
        summary = ", ".join(f"{result_label(r)} {n}" for r, n in report.by_result.most_common())
        self.message_user(request, _("Checked %(n)s cited laws: %(summary)s") % {"n": report.references,
                                                                                   "summary": summary},
                          messages.SUCCESS)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("law-impact/", wrap(self.impact_view), name="catalog_poweritem_law_impact"),
            path("<int:item_id>/replace-citation/", wrap(self.replace_citation_view),
                 name="catalog_poweritem_replace_citation"),
            path("import/", wrap(self.import_view), name="catalog_poweritem_import"),
            path("export/", wrap(self.export_view), name="catalog_poweritem_export"),
        ] + super().get_urls()

    def impact_view(self, request):
        if role_of(request.user) not in (Role.ADMIN, Role.REVIEWER, Role.LEGAL, Role.INSPECTOR):
            raise Forbidden
        return admin_transfer.impact_view(self, request)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise Forbidden
        return admin_transfer.import_view(self, request)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise Forbidden
        return admin_transfer.export_view(self, request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import": self.has_add_permission(request),
                         "can_publish": scope.is_reviewer_or_admin(request.user),
                         "can_see_impact": role_of(request.user) != Role.CLERK} | (extra_context or {})
        return super().changelist_view(request, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and role_of(request.user) == Role.CLERK:
            kwargs["queryset"] = Organisation.objects.filter(pk=request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Saved in save_related, with its elements, through the item service."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        doc = {f: data.get(f) for f in item_services.SCALAR_COLUMNS if f in data}
        doc["organisation"] = data["organisation"].name
        lists = {"citations": [], "responsibilities": [], "accountability": [], "risk_points": [], "discretion": []}
        for formset in formsets:
            # the admin's change message reads these; the service, not the formset, saves the rows
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is ChangeRecord:
                continue
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            if formset.model is Citation:
                lists["citations"] = [{"kind": r["kind"], "text": r["raw_text"]} for r in rows]
            elif formset.model is ResponsibilityItem:
                lists["responsibilities"] = [{k: r[k] for k in ("phase", "stage", "content")} for r in rows]
            elif formset.model is AccountabilitySituation:
                lists["accountability"] = [r["text"] for r in rows]
            elif formset.model is RiskPoint:
                lists["risk_points"] = [{**{k: r[k] for k in ("level", "step", "description", "prevention")},
                                         **({"second_approver": True} if r.get("second_approver") else {})}
                                        for r in rows]
            elif formset.model is DiscretionBenchmark:
                lists["discretion"] = [{k: r[k] for k in ("grade", "circumstance", "penalty", "min_fine", "max_fine")}
                                       for r in rows]
        doc |= lists
        reason, document = data.get("change_reason", ""), data.get("change_document", "")
        if change:
            outcome = request_services.change_item(request.user, PowerItem.objects.get(pk=form.instance.pk), doc,
                                                   reason=reason, document=document, via="admin",
                                                   expected_version=data.get("opened_version"))
        else:
            jurisdiction = data["organisation"].jurisdiction
            outcome = request_services.add_item(request.user, jurisdiction, doc, reason=reason, document=document,
                                                via="admin")
        if outcome.pending:
            request._powerlist_change_request = outcome.request
            if not change:
                form.instance.pk = None
            return
        form.instance.pk = outcome.item.pk
        form.instance.jurisdiction = outcome.item.jurisdiction


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    """动态调整申请: the record of every request; reviewers decide on the review page (/office/requests/)."""

    list_display = ("id", "requested_at", "kind", "code", "name", "organisation", "status", "requested_by_name",
                    "decided_by_name")
    list_filter = ("status", "kind", "jurisdiction")
    search_fields = ("code", "name", "reason", "requested_by_name")
    list_select_related = ("organisation", "jurisdiction")
    readonly_fields = ("kind", "status", "jurisdiction", "organisation", "item", "code", "name", "requested",
                       "reason", "basis", "channel", "requested_by_name", "requested_at", "decided_by_name",
                       "decided_at",
                       "decision_note", "change_record")
    fields = readonly_fields
    change_list_template = "admin/catalog/changerequest/change_list.html"

    def scope_filter(self, request, queryset):
        q = scope.organisation_filter(request.user)
        return queryset if q is None else queryset.filter(q)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    channel = ChangeRecordInline.channel

    @admin.display(description=_("requested changes"))
    def requested(self, req):
        rows = [(c["label"], _short(c["before"]), _short(c["after"]))
                for c in request_services.describe(req, readable=True)]
        return format_html_join("", "<div><b>{}</b>: <del>{}</del> → <ins>{}</ins></div>", rows)


@admin.register(DepartmentResponsibility)
class DepartmentResponsibilityAdmin(ScopedAdmin):
    list_display = ("title", "kind", "organisation", "status")
    list_filter = ("kind", "status")
    search_fields = ("title", "content", "organisation__name")
    autocomplete_fields = ("organisation", "related_organisations")
    fields = ("organisation", "kind", "title", "content", "basis", "related_organisations", "status", "position")
    editors = ITEM_EDITORS

    def scope_filter(self, request, queryset):
        return scoped_items(request, queryset)

    def may_edit(self, user, obj):
        return scope.can_edit_organisation_records(user, obj.organisation)

    def save_model(self, request, obj, form, change):
        """Saved with its related departments in save_related."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        entry = DepartmentResponsibility.objects.get(pk=form.instance.pk) if change else None
        saved = responsibility_services.save_responsibility(
            request.user, data["organisation"], {k: data.get(k) for k in responsibility_services.FIELDS if k in data},
            related=data.get("related_organisations") or [], entry=entry)
        form.instance.pk = saved.pk


@admin.register(ListVersion)
class ListVersionAdmin(ReadOnlyAdmin):
    list_display = ("jurisdiction", "number", "title", "published_at", "item_count", "sha256")
    search_fields = ("title", "jurisdiction__code")

    def scope_filter(self, request, queryset):
        q = scope.jurisdiction_filter(request.user)
        if role_of(request.user) == Role.CLERK and request.user.jurisdiction_id:
            return queryset.filter(jurisdiction_id=request.user.jurisdiction_id)
        return queryset if q is None else queryset.filter(q)


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "item", "action", "changed", "reason", "channel", "actor_name")
    list_filter = ("action", ChannelFilter)
    search_fields = ("item__code", "item__name", "reason", "actor_name")
    list_select_related = ("item",)
    show_full_result_count = False
    readonly_fields = ("at", "item", "action", "changed", "difference", "reason", "document", "channel", "actor_name")
    fields = readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def scope_filter(self, request, queryset):
        q = scope.organisation_filter(request.user, org_field="item__organisation")
        return queryset if q is None else queryset.filter(q)

    changed = ChangeRecordInline.changed
    channel = ChangeRecordInline.channel
    difference = ChangeRecordInline.difference
