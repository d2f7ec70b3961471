"""The public page of electronic supervision (电子监察公开): per jurisdiction, alerts and cards by
month and by department, the departments' on-time rates and scores with the formula. Aggregates
only: no person's name, no case number, nothing about one case."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from powerlist.core.errors import NotFound
from powerlist.core.models import Jurisdiction
from powerlist.portal import svg
from powerlist.supervision import engine, figures
from powerlist.supervision.models import Alert


def index(request):
    """The jurisdictions with alerts, each with its count of live ones (已解除 left out)."""
    counts = dict(Alert.objects.filter(withdrawn_at__isnull=True).values_list("jurisdiction_id")
                  .annotate(n=Count("pk")).order_by())
    having = Alert.objects.values("jurisdiction_id")  # a place whose alerts were all withdrawn shows 0
    places = [(j, counts.get(j.pk, 0)) for j in Jurisdiction.objects.filter(pk__in=having).order_by("code")]
    return render(request, "supervision/public_index.html", {"places": places})


def jurisdiction(request, code: str):
    try:
        ids = engine.jurisdiction_ids(code)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    j = Jurisdiction.objects.get(pk=ids[0])
    data = figures.public(ids)
    charts = {
        "months": mark_safe(svg.paired_bar_chart(  # noqa: S308
            [(m["month"], m["alerts"], m["cards"]) for m in data["months"]], _("Alerts and cards by month"),
            (_("alerts"), _("cards")))),
        "departments": mark_safe(svg.paired_bar_chart(  # noqa: S308
            [(d["department"], d["alerts"], d["cards"]) for d in data["departments"]],
            _("Alerts and cards by department"), (_("alerts"), _("cards")), ("#f6ad55", "#c53030"))),
        "scores": mark_safe(svg.bar_chart([(s["department"], s["score"]) for s in data["scores"]],  # noqa: S308
                                          _("Department scores"), "#2f855a")),
    }
    return render(request, "supervision/public.html", {"j": j, "data": data, "charts": charts})
