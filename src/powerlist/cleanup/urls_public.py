"""Public consultation (公开征求意见) on draft lists, under /consultation/ (no login)."""

from django.urls import path

from powerlist.cleanup import views_public as views

app_name = "consultation"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:campaign_id>/", views.campaign_page, name="campaign"),
    path("<int:campaign_id>/items/<int:entry_id>/", views.item_page, name="item"),
]
