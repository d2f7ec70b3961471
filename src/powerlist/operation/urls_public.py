"""The applicant's progress look-up and rating (好差评), public, under /progress/."""

from django.urls import path

from powerlist.operation import views_public as views

app_name = "progress"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("rate/", views.rate, name="rate"),
]
