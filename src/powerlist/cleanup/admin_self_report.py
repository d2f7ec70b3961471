"""The back office's self-report page: a department uploads its spreadsheet into a campaign,
through the same service as `powerlist import FILE --campaign ID`."""

import tempfile
from pathlib import Path

from django import forms
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from powerlist.catalog.admin_transfer import ImportForm
from powerlist.catalog.services.imports import ImportRefused
from powerlist.cleanup.services import campaigns
from powerlist.core.errors import DomainError, InvalidInput


class SelfReportForm(forms.Form):
    file = ImportForm.base_fields["file"]
    mapping = ImportForm.base_fields["mapping"]
    clean_mapping = ImportForm.clean_mapping
    clean_file = ImportForm.clean_file


def self_report_view(model_admin, request, campaign_id: int):
    try:
        campaign = campaigns.get(request.user, campaign_id)
    except DomainError:
        raise Http404 from None
    form = SelfReportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (Path(upload.name).stem[:80] + Path(upload.name).suffix[:10])
            with path.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            try:
                report = campaigns.self_report(request.user, campaign, path, mapping=form.cleaned_data["mapping"])
            except ImportRefused as exc:
                report = exc.report
            except InvalidInput as exc:
                form.add_error("file", exc.summary())
            except DomainError as exc:
                form.add_error(None, str(exc))
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "form": form,
               "report": report, "title": _("Self-report into %(campaign)s") % {"campaign": campaign},
               "submit_label": _("Import")}
    return TemplateResponse(request, "admin/catalog/poweritem/transfer.html", context)
