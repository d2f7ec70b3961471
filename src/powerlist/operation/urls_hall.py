"""The service hall (综合窗口), under /office/hall/ (login as for the admin)."""

from django.urls import path

from powerlist.operation import views_hall as views

app_name = "hall"

urlpatterns = [
    path("", views.wrap(views.index), name="index"),
    path("new/", views.wrap(views.new), name="new"),
    path("items/", views.wrap(views.items), name="items"),
    path("pick/", views.wrap(views.pick), name="pick"),
    path("<str:number>/", views.wrap(views.detail), name="detail"),
    path("<str:number>/receipt/", views.wrap(views.receipt), name="receipt"),
]
