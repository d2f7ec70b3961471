"""The reviewer's and departments' workbench for clean-up campaigns, at /office/campaigns/ (login as
for the admin)."""

from django.urls import path

from powerlist.catalog.views import wrap
from powerlist.cleanup import views

app_name = "campaigns"

urlpatterns = [
    path("", wrap(views.campaign_list), name="list"),
    path("<int:campaign_id>/", wrap(views.campaign_page), name="campaign"),
    path("<int:campaign_id>/next-round/", wrap(views.next_round), name="next_round"),
    path("<int:campaign_id>/accept/", wrap(views.accept_all), name="accept"),
    path("<int:campaign_id>/checks/", wrap(views.checks_report), name="checks"),
    path("<int:campaign_id>/items/", wrap(views.items), name="items"),
    path("<int:campaign_id>/decide/", wrap(views.batch_decide), name="batch_decide"),
    path("<int:campaign_id>/items/<str:code>/", wrap(views.item), name="item"),
    path("<int:campaign_id>/items/<str:code>/decide/", wrap(views.item_decide), name="item_decide"),
    path("<int:campaign_id>/items/<str:code>/reply/", wrap(views.item_reply), name="item_reply"),
]
