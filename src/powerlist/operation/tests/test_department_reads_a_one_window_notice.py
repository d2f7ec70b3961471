"""抄告相关 on the workbench: a one-window application naming items of two departments notifies
each; a department's clerk sees only their own notice and marks it read (htmx, audited, once);
another department's clerk cannot read it or mark it."""

import pytest
from django.test import Client

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied
from powerlist.core.models import AuditEntry
from powerlist.core.scope import SYSTEM
from powerlist.operation.models import Notice
from powerlist.operation.services import applications, notices


@pytest.fixture
def application(licence, users, county):
    create_item(SYSTEM, county, item_document(code="430304-SC-XK-001", name="食品经营许可",
                                              organisation="岳塘区市场监督管理局", status="published"))
    return applications.open_application(users["reviewer"], "430304", title="开办民办培训学校",
                                         item_codes=[licence.code, "430304-SC-XK-001"], applicant="李四",
                                         phone="13900001111")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_clerk_sees_their_notice_and_marks_it_read(application, users):
    mine = Notice.objects.get(application=application, organisation=users["clerk"].organisation)
    theirs = Notice.objects.get(application=application, organisation=users["market_clerk"].organisation)
    client = client_of(users["clerk"])
    assert "1</span>" in client.get("/office/cases/").content.decode()  # the unread count on the tab
    page = client.get("/office/cases/?tab=notices").content.decode()
    assert application.number in page and f"notice-{mine.pk}" in page and f"notice-{theirs.pk}" not in page
    response = client.post(f"/office/cases/notices/{mine.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "edu_clerk" in response.content.decode()
    first = Notice.objects.get(pk=mine.pk)
    assert first.read_by == "edu_clerk" and first.read_at is not None
    again = notices.read_notice(users["clerk"], mine.pk)  # once read, stays as first read
    assert again.read_at == first.read_at
    assert AuditEntry.objects.filter(action="notice.read", target=f"notice:{mine.pk}").count() == 1


def test_another_departments_clerk_cannot_read_it(application, users):
    mine = Notice.objects.get(application=application, organisation=users["clerk"].organisation)
    assert client_of(users["market_clerk"]).post(f"/office/cases/notices/{mine.pk}/read/").status_code == 404
    with pytest.raises(NotFound):
        notices.read_notice(users["market_clerk"], mine.pk)
    with pytest.raises(PermissionDenied):
        notices.read_notice(users["inspector"], mine.pk)  # inspectors see it, but do not sign for a department
    seen = client_of(users["inspector"]).get("/office/cases/?tab=notices").content.decode()
    assert f"notice-{mine.pk}" in seen and f"/notices/{mine.pk}/read/" not in seen
    with pytest.raises(InvalidInput):
        notices.read_notice(users["clerk"], "1; drop")
    assert Notice.objects.get(pk=mine.pk).read_at is None
    notices.read_notice(users["reviewer"], mine.pk)  # the jurisdiction's reviewer may
    assert Notice.objects.get(pk=mine.pk).read_by == "reviewer1"
