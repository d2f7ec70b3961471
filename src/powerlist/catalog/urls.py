"""The back office's task pages, under /office/ (login as for the admin)."""

from django.urls import path

from powerlist.catalog import views

app_name = "office"

urlpatterns = [
    path("requests/", views.wrap(views.requests_queue), name="requests"),
    path("requests/<int:request_id>/decide/", views.wrap(views.decide), name="decide"),
    path("publish/", views.wrap(views.publish), name="publish"),
]
