"""The review stages (合法性审查, 专家论证) and the moderation of public comments, under
/office/stages/ (login as for the admin)."""

from django.urls import path

from powerlist.cleanup import views_stages as views

app_name = "stages"

urlpatterns = [
    path("", views.wrap(views.index), name="index"),
    path("<int:campaign_id>/comments/", views.wrap(views.comments), name="comments"),
    path("<int:campaign_id>/comments/moderate/", views.wrap(views.moderate), name="moderate"),
    path("<int:campaign_id>/comments/<int:comment_id>/reply/", views.wrap(views.reply), name="reply"),
    path("<int:campaign_id>/consultation/", views.wrap(views.period), name="period"),
    path("<int:campaign_id>/<str:stage>/", views.wrap(views.queue), name="queue"),
    path("<int:campaign_id>/<str:stage>/sign/", views.wrap(views.sign), name="sign"),
]
