from django.contrib import admin
from django.urls import include, path

from powerlist.api.api import api

admin.site.site_header = admin.site.site_title = "powerlist 权力清单"
admin.site.index_title = "权力清单和责任清单管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("office/", include("powerlist.catalog.urls")),
    path("office/hall/", include("powerlist.operation.urls_hall")),  # service hall: one-window applications
    path("office/cases/", include("powerlist.operation.urls_workbench")),  # clerks' and heads' workbenches
    path("office/campaigns/", include("powerlist.cleanup.urls")),  # the reviewer's and departments' workbench
    path("office/stages/", include("powerlist.cleanup.urls_stages")),  # legality/expert review, moderation
    path("office/supervision/", include("powerlist.supervision.urls")),  # inspectors' dashboard, my cards
    path("progress/", include("powerlist.operation.urls_public")),  # applicants: progress look-up, rating
    path("consultation/", include("powerlist.cleanup.urls_public")),  # public comment on a draft list
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("transparency/", include("powerlist.core.urls_transparency")),
    path("supervision/", include("powerlist.supervision.urls_public")),  # e-supervision in aggregate figures
    path("", include("powerlist.portal.urls")),
]

handler400 = "powerlist.portal.params.bad_request"  # says which query parameter was wrong
