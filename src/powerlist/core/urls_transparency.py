from django.urls import path

from powerlist.core import views_transparency as views

app_name = "transparency"

urlpatterns = [
    path("", views.help_page, name="help"),
    path("key", views.public_key, name="key"),
    path("checkpoint", views.checkpoint, name="checkpoint"),
    path("proof", views.inclusion, name="proof"),
    path("consistency", views.consistency, name="consistency"),
]
