"""The working-day calendar in the back office: every role reads the loaded years and their days;
administrators load a year's notice (the add page takes the JSON file of docs/calendar.md, and
loading a year again replaces it). Nothing is edited by hand: each year comes whole from a notice."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from powerlist.core import bounded, limits, workdays
from powerlist.core.admin_base import ScopedAdmin
from powerlist.core.errors import InvalidInput
from powerlist.core.models import CalendarYear, Role
from powerlist.core.services import calendar as calendar_services


class NoticeForm(forms.ModelForm):
    notice = forms.FileField(label=_("notice file (JSON)"),
                             help_text=_("The State Council's notice for one year, as docs/calendar.md writes it. "
                                         "Loading a year again replaces it."))

    class Meta:
        model = CalendarYear
        fields = ()

    def clean(self):
        upload = self.cleaned_data.get("notice")
        if upload is None:
            return self.cleaned_data
        try:
            if upload.size > limits.in_bytes("POWERLIST_MAX_JSON_MB"):
                raise limits.refusal(upload.name, "POWERLIST_MAX_JSON_MB", f"文件有 {upload.size / limits.MB:.1f}MB")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InvalidInput("JSON 文件必须是 UTF-8 编码") from None
            data = bounded.loads(text, upload.name)
            calendar_services.parse_notice(data, upload.name)
        except InvalidInput as exc:
            raise forms.ValidationError([str(p) for p in exc.problems]) from None
        self.cleaned_data["data"] = data
        return self.cleaned_data


@admin.register(CalendarYear)
class CalendarYearAdmin(ScopedAdmin):
    list_display = ("year", "source", "holiday_days", "makeup_days", "loaded_by", "loaded_at")
    readonly_fields = ("year", "source", "loaded_by", "loaded_at", "days_shown")
    form = NoticeForm
    editors = (Role.ADMIN,)

    def get_fields(self, request, obj=None):
        return ("notice",) if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)  # a year is replaced by loading it again

    def changelist_view(self, request, extra_context=None):
        first, last = workdays.PACKAGE_YEARS
        extra_context = {**(extra_context or {}), "subtitle": _(
            "%(package)s knows %(first)s–%(last)s; a year loaded here replaces it for that year.") % {
            "package": workdays.PACKAGE, "first": first, "last": last}}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("holiday days"))
    def holiday_days(self, obj):
        return obj.days.filter(is_working_day=False).count()

    @admin.display(description=_("make-up working days"))
    def makeup_days(self, obj):
        return obj.days.filter(is_working_day=True).count()

    @admin.display(description=_("days"))
    def days_shown(self, obj):
        return format_html_join("", "<div>{} {}{}</div>",
                                ((d.date.isoformat(), d.name, "（调休上班）" if d.is_working_day else "")
                                 for d in obj.days.order_by("date")))

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["notice"]
        loaded = calendar_services.load_notice(request.user, form.cleaned_data["data"], upload.name)
        obj.pk = loaded.pk
