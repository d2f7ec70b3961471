"""The clerks' and department heads' workbenches, under /office/cases/ (login as for the admin)."""

from django.urls import path

from powerlist.catalog.views import wrap
from powerlist.operation import views_workbench as views

app_name = "cases"

urlpatterns = [
    path("", wrap(views.workbench), name="workbench"),
    path("department/", wrap(views.department), name="department"),
    path("notices/<int:notice_id>/read/", wrap(views.read_notice), name="read-notice"),
    path("<str:number>/", wrap(views.case_page), name="case"),
    path("<str:number>/act/", wrap(views.act), name="act"),
    path("<str:number>/attach/", wrap(views.attach), name="attach"),
    path("<str:number>/files/<int:attachment_id>/", wrap(views.attachment), name="attachment"),
]
