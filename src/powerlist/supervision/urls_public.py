"""Electronic supervision in figures, public, under /supervision/: aggregates only."""

from django.urls import path

from powerlist.supervision import views_public as views

app_name = "supervision_public"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.jurisdiction, name="jurisdiction"),
]
