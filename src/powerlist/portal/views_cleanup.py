"""The public page of a published clean-up campaign (晒权): what was reported, kept, cancelled,
delegated, transferred, merged and taken over, the cut ratio, by category and by department, and
what changed from the previous version; downloads as XLSX, CSV and JSON (the shape of
`powerlist campaign stats --json`). Campaigns under way are not shown at all."""

from urllib.parse import quote

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from powerlist.catalog.models import CATEGORY_NAMES
from powerlist.cleanup.services.publication import with_names
from powerlist.portal import campaign_stats, svg
from powerlist.portal.views import _jurisdiction

DOWNLOADS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv; charset=utf-8", "json": "application/json"}


def _campaign(code, campaign_id):
    j = _jurisdiction(code)
    campaign = campaign_stats.published(j, campaign_id)
    if campaign is None:
        raise Http404(_("No published clean-up campaign has this number."))
    return j, campaign


def _pct(ratio: float) -> str:
    return f"{ratio * 100:.1f}%"


def campaign_statistics(request, code, campaign_id):
    j, campaign = _campaign(code, campaign_id)
    stats = campaign.statistics
    outcomes = [(_("Kept"), stats["kept"]), (_("Cancelled"), stats["cancelled"]),
                (_("Delegated down"), stats["delegated"]), (_("Transferred"), stats["transferred"]),
                (_("Merged"), stats["merged"])]
    categories = [(n.get("name") or CATEGORY_NAMES.get(c, c), n) for c, n in with_names(stats)["by_category"].items()]
    departments = list(stats["by_department"].items())
    legend = (_("Reported"), _("Kept"))
    charts = {
        "outcomes": mark_safe(svg.bar_chart(outcomes, _("What became of the reported items"))),  # noqa: S308
        "category": mark_safe(svg.paired_bar_chart(  # noqa: S308
            [(name, c["reported"], c["kept"]) for name, c in categories], _("Reported and kept by category"),
            legend)),
        "department": mark_safe(svg.paired_bar_chart(  # noqa: S308
            [(name, c["reported"], c["kept"]) for name, c in departments], _("Reported and kept by department"),
            legend, ("#9fb3c8", "#2f855a"))),
    }
    diff = campaign_stats.version_difference(campaign)
    changes = [(_("Added"), [(c, diff["names"].get(c, ""), "") for c in diff["added"]]),
               (_("Removed"), [(c, diff["names"].get(c, ""), "") for c in diff["removed"]]),
               (_("Changed"), [(c, diff["names"].get(c, ""), "、".join(diff.get("fields", {}).get(c, [])))
                               for c in diff["changed"]])]
    return render(request, "portal/campaign_statistics.html", {
        "j": j, "campaign": campaign, "version": campaign.version, "stats": stats,
        "taken_over": stats.get("taken_over", 0), "cut_ratio": _pct(stats["cut_ratio"]), "charts": charts,
        "by_category": [(name, c, _pct(c["cut_ratio"])) for name, c in categories],
        "by_department": [(name, c, _pct(c["cut_ratio"])) for name, c in departments],
        "diff": diff, "changes": changes,
        "diff_url": reverse("portal:diff", args=[j.code, diff["previous"], campaign.version.number])
        if diff["previous"] is not None else "",
        "downloads": [(fmt.upper(), reverse("portal:campaign_statistics_download", args=[j.code, campaign.pk, fmt]))
                      for fmt in DOWNLOADS]})


def campaign_statistics_download(request, code, campaign_id, fmt):
    j, campaign = _campaign(code, campaign_id)
    if fmt not in DOWNLOADS:
        return HttpResponse(_("Unknown format."), status=404, content_type="text/plain; charset=utf-8")
    stats = with_names(campaign.statistics)
    name = f"清理统计-{j.code}-v{campaign.version.number}.{fmt}"
    if fmt == "json":
        response = JsonResponse(stats, json_dumps_params={"ensure_ascii": False})
    elif fmt == "csv":
        response = HttpResponse(campaign_stats.as_csv(stats), content_type=DOWNLOADS[fmt])
    else:
        response = HttpResponse(campaign_stats.as_xlsx(campaign, stats, campaign_stats.version_difference(campaign)),
                                content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
