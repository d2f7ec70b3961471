"""The inspectors' dashboard and the clerk's cards, under /office/supervision/ (login as for the admin)."""

from django.urls import path

from powerlist.catalog.views import wrap
from powerlist.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", wrap(views.dashboard), name="dashboard"),
    path("mine/", wrap(views.mine), name="mine"),
    path("alerts/<int:alert_id>/", wrap(views.alert_page), name="alert"),
    path("cards/<int:card_id>/<str:verb>/", wrap(views.act), name="act"),
    path("rules/", wrap(views.rules_page), name="rules"),
    path("rules/quiet-days/", wrap(views.quiet_days_change), name="quiet_days"),
    path("rules/<str:code>/", wrap(views.rule_change), name="rule"),
]
