"""Import and export pages of the back office: what a reform office does with the files that
30-70 departments send in. Both call the same services as the command line."""

import tempfile
from pathlib import Path

from django import forms
from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from powerlist.catalog.exports import FORMATS, export
from powerlist.catalog.services.imports import ImportRefused, import_file
from powerlist.core import limits
from powerlist.core.errors import InvalidInput, PermissionDenied
from powerlist.core.models import Jurisdiction


class JurisdictionField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label=_("jurisdiction"), max_length=12, help_text=_("division code, e.g. 430304"), **kwargs)

    def clean(self, value):
        code = super().clean(value).strip()
        j = Jurisdiction.objects.filter(code=code).first()
        if j is None:
            raise forms.ValidationError(_("No jurisdiction has this code."))
        return j


class ImportForm(forms.Form):
    file = forms.FileField(label=_("file"), help_text=_("XLSX, CSV (UTF-8 or GB18030/GBK) or JSON"))
    jurisdiction = JurisdictionField()
    mapping = forms.CharField(label=_("column mappings"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("one FIELD=HEADER per line, e.g. name=item_name"))
    create_organisations = forms.BooleanField(label=_("create departments that do not exist yet"), required=False)
    update = forms.BooleanField(label=_("change items whose code already exists"), required=False)
    reason = forms.CharField(label=_("reason for the change"), required=False, max_length=500)

    def clean_mapping(self):
        mapping = {}
        for line in self.cleaned_data["mapping"].splitlines():
            if not line.strip():
                continue
            field, sep, header = line.partition("=")
            if not sep or not field.strip() or not header.strip():
                raise forms.ValidationError(_("Each line must be FIELD=HEADER."))
            mapping[field.strip()] = header.strip()
        return mapping

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > limits.in_bytes("POWERLIST_MAX_UPLOAD_MB"):
            raise forms.ValidationError(limits.refusal(upload.name, "POWERLIST_MAX_UPLOAD_MB",
                                                       f"文件有 {upload.size / limits.MB:.1f}MB").summary())
        return upload


class ExportForm(forms.Form):
    jurisdiction = JurisdictionField()
    format = forms.ChoiceField(label=_("format"), choices=[(f, f.upper()) for f in FORMATS])


def _too_big(request) -> bool:
    """An upload announced larger than the limit is refused before its body is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limits.in_bytes("POWERLIST_MAX_UPLOAD_MB") + 64 * 1024  # room for the other fields


def import_view(model_admin, request):
    if request.method == "POST" and _too_big(request):
        form = ImportForm(data={})
        form.full_clean()
        form._errors = forms.utils.ErrorDict()  # only the size is wrong, not the (unread) fields
        form.add_error("file", "上传的文件超过" + limits.describe("POWERLIST_MAX_UPLOAD_MB"))
        context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "form": form,
                   "report": None, "title": _("Import a list"), "submit_label": _("Import")}
        return TemplateResponse(request, "admin/catalog/poweritem/transfer.html", context, status=413)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        suffix = Path(upload.name).suffix[:10]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (Path(upload.name).stem[:80] + suffix)
            with path.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            try:
                report = import_file(request.user, path, data["jurisdiction"], mapping=data["mapping"],
                                     create_organisations=data["create_organisations"], update=data["update"],
                                     reason=data["reason"])
            except ImportRefused as exc:
                report = exc.report
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except InvalidInput as exc:
                form.add_error("file", exc.summary())
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "form": form,
               "report": report, "title": _("Import a list"), "submit_label": _("Import")}
    return TemplateResponse(request, "admin/catalog/poweritem/transfer.html", context)


def export_view(model_admin, request):
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        jurisdiction, fmt = form.cleaned_data["jurisdiction"], form.cleaned_data["format"]
        items = model_admin.get_queryset(request).filter(jurisdiction=jurisdiction)
        tmp = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)  # noqa: SIM115 - FileResponse closes it
        tmp.close()
        export(jurisdiction, fmt, tmp.name, queryset=items)
        response = FileResponse(open(tmp.name, "rb"), as_attachment=True,  # noqa: SIM115
                                filename=f"权力清单-{jurisdiction.code}.{fmt}")
        Path(tmp.name).unlink()  # the open handle keeps the data readable until the response closes it
        return response
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "form": form,
               "report": None, "title": _("Export"), "submit_label": _("Export")}
    return TemplateResponse(request, "admin/catalog/poweritem/transfer.html", context)



def impact_view(model_admin, request):
    """Items whose cited articles changed, grouped by department; reviewers flag them for review."""
    import datetime as dt

    from django.contrib import messages

    from powerlist.catalog.services import citations
    from powerlist.core import scope

    try:
        since = dt.date.fromisoformat(request.GET["since"]) if request.GET.get("since") else None
    except ValueError:
        since = None
    can_flag = scope.is_reviewer_or_admin(request.user)
    if request.method == "POST" and can_flag:
        ids = [int(i) for i in request.POST.getlist("item") if i.isdigit()]
        allowed = set(model_admin.get_queryset(request).filter(pk__in=ids).values_list("pk", flat=True))
        try:
            n = citations.flag_for_review(request.user, sorted(allowed), request.POST.get("reason", ""))
            model_admin.message_user(request, _("%(n)s items flagged for review.") % {"n": n}, messages.SUCCESS)
        except (InvalidInput, PermissionDenied) as exc:
            model_admin.message_user(request, str(exc), messages.ERROR)
    visible = set(model_admin.get_queryset(request).values_list("pk", flat=True))
    impacts = [i for i in citations.impact(since) if i.item_id in visible]
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "impacts": impacts,
               "since": since, "can_flag": can_flag, "title": _("Impact of law changes")}
    return TemplateResponse(request, "admin/catalog/poweritem/law_impact.html", context)
