"""The back office (Django admin, in Chinese), scoped by role: a clerk of 区教育局 sees and edits
only that department's items; reviewers see their jurisdiction; inspectors read everything."""

import pytest
from django.test import Client

from powerlist.catalog.models import ChangeRecord, PowerItem
from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.testing import admin_form_data


@pytest.fixture
def items(county, other_county, departments, users):
    from powerlist.core.services.organisations import create_organisation

    create_organisation(SYSTEM, other_county, name="雨湖区教育局")
    return {
        "edu": create_item(SYSTEM, county, item_document()),
        "market": create_item(SYSTEM, county, item_document(code="SC-1", name="对无证经营的处罚", category="02",
                                                            organisation="岳塘区市场监督管理局")),
        "other": create_item(SYSTEM, other_county, item_document(code="YH-1", name="雨湖区的事项",
                                                                 organisation="雨湖区教育局")),
    }


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed_codes(client) -> set[str]:
    page = client.get("/admin/catalog/poweritem/")
    assert page.status_code == 200
    return {code for code in ("430304-JY-XK-001", "SC-1", "YH-1") if code in page.content.decode()}


def test_admin_is_in_chinese(items, users):
    page = login(users["admin"]).get("/admin/")
    text = page.content.decode()
    assert page.status_code == 200 and "权力事项" in text and "权责清单" in text and "部门责任清单" in text
    client = login(users["admin"])
    assert "权力事项" in client.get("/admin/", headers={"accept-language": "en-US,en"}).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert "Power items" in client.get("/admin/").content.decode()


def test_each_role_sees_its_scope(items, users):
    assert listed_codes(login(users["clerk"])) == {"430304-JY-XK-001"}
    assert listed_codes(login(users["reviewer"])) == {"430304-JY-XK-001", "SC-1"}
    assert listed_codes(login(users["inspector"])) == {"430304-JY-XK-001", "SC-1", "YH-1"}
    assert listed_codes(login(users["admin"])) == {"430304-JY-XK-001", "SC-1", "YH-1"}


def test_clerk_cannot_open_another_departments_item(items, users):
    response = login(users["clerk"]).get(f"/admin/catalog/poweritem/{items['market'].pk}/change/")
    assert response.status_code == 302  # the admin redirects away from objects outside the queryset


def test_inspector_reads_but_cannot_change(items, users):
    client = login(users["inspector"])
    page = client.get(f"/admin/catalog/poweritem/{items['edu'].pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/admin/catalog/poweritem/add/").status_code == 403


def _form_data(client, item) -> dict:
    """The change form as the browser would submit it, inline formsets included."""
    page = client.get(f"/admin/catalog/poweritem/{item.pk}/change/")
    data = admin_form_data(page)
    data["flowchart"] = '{"steps": [{"id": "s1", "name": "受理"}, {"id": "s2", "name": "决定"}]}'
    return data


def test_clerk_edits_own_item_in_admin_and_history_shows_it(items, users):
    client = login(users["clerk"])
    item = items["edu"]
    data = _form_data(client, item)
    data.update(name="民办学校设立、变更审批", change_reason="按法规修订更正名称", promised_limit_days=8)
    response = client.post(f"/admin/catalog/poweritem/{item.pk}/change/", data)
    assert response.status_code == 302, (response.context["adminform"].form.errors, [f.formset.errors for f in response.context["inline_admin_formsets"]])
    item.refresh_from_db()
    assert item.name == "民办学校设立、变更审批" and item.promised_limit_days == 8 and item.version == 2
    rec = ChangeRecord.objects.filter(item=item).order_by("-id").first()
    assert rec.via == "admin" and rec.reason == "按法规修订更正名称" and rec.actor == users["clerk"]
    assert item.citations.count() == 1 and item.responsibilities.count() == 3  # elements kept
    page = client.get(f"/admin/catalog/poweritem/{item.pk}/change/").content.decode()
    assert "按法规修订更正名称" in page and "民办学校设立审批" in page  # history shows before and after


def test_clerk_posting_to_another_departments_item_changes_nothing(items, users):
    client = login(users["market_clerk"])
    item = items["edu"]
    response = client.post(f"/admin/catalog/poweritem/{item.pk}/change/", {"name": "篡改"})
    assert response.status_code in (302, 403)
    assert PowerItem.objects.get(pk=item.pk).name == "民办学校设立审批"


def test_admin_change_with_a_bad_value_shows_a_form_error(items, users):
    client = login(users["clerk"])
    item = items["edu"]
    data = _form_data(client, item)
    data["flowchart"] = '{not json'
    response = client.post(f"/admin/catalog/poweritem/{item.pk}/change/", data, follow=True)
    assert response.status_code == 200
    assert PowerItem.objects.get(pk=item.pk).version == 1


@pytest.mark.parametrize("url", ["/admin/core/organisation/", "/admin/catalog/changerecord/",
                                 "/admin/catalog/departmentresponsibility/", "/admin/catalog/listversion/",
                                 "/admin/core/jurisdiction/"])
def test_every_list_page_opens_for_every_role(items, users, url):
    for role in ("admin", "reviewer", "clerk", "inspector", "legal"):
        assert login(users[role]).get(url).status_code == 200, (role, url)


def test_reform_office_uploads_a_list_and_sees_every_bad_row(items, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(users["reviewer"])
    assert "导入" in client.get("/admin/catalog/poweritem/").content.decode()
    bad = "职权编码,事项名称,事项类型,实施主体\nU-1,,行政许可,岳塘区教育局\nU-2,教师资格认定,魔法,岳塘区教育局\n"
    page = client.post("/admin/catalog/poweritem/import/", {
        "file": SimpleUploadedFile("教育局.csv", bad.encode("gb18030")), "jurisdiction": "430304"})
    text = page.content.decode()
    assert page.status_code == 200 and "魔法" in text and "事项名称不能为空" in text
    assert not PowerItem.objects.filter(code__startswith="U-").exists()
    good = "职权编码,事项名称,事项类型,实施主体\nU-1,学校安全检查,检查,岳塘区教育局\n"
    page = client.post("/admin/catalog/poweritem/import/", {
        "file": SimpleUploadedFile("教育局.csv", good.encode("utf-8")), "jurisdiction": "430304"})
    assert page.status_code == 200 and PowerItem.objects.get(code="U-1").category == "06"


def test_clerk_exports_only_own_department(items, users):
    client = login(users["clerk"])
    response = client.post("/admin/catalog/poweritem/export/", {"jurisdiction": "430304", "format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200 and "430304-JY-XK-001" in body and "SC-1" not in body


def test_inspector_cannot_import(items, users):
    assert login(users["inspector"]).get("/admin/catalog/poweritem/import/").status_code == 403


def test_saving_an_item_in_admin_keeps_its_second_approver(items, users):
    """A high risk point whose step waits for another person's 复核 keeps that requirement when an
    administrator saves the item for something else; the list cell says it as a fifth part."""
    from powerlist.catalog.cells import format_risk_points, parse_risk_points

    point = {"level": "high", "step": "审查", "description": "降低条件审批", "prevention": "集体审议",
             "second_approver": True}
    item = create_item(SYSTEM, items["edu"].jurisdiction, item_document(code="JY-2", risk_points=[point]))
    client = login(users["admin"])
    data = _form_data(client, item)
    assert any(k.endswith("-second_approver") for k in data)
    data.update(promised_limit_days=7, change_reason="压缩承诺时限")
    response = client.post(f"/admin/catalog/poweritem/{item.pk}/change/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.promised_limit_days == 7
    assert list(item.risk_points.values_list("step", "second_approver")) == [("审查", True)]
    cell = format_risk_points([point])
    assert cell == "高｜审查｜降低条件审批｜集体审议｜须复核" and parse_risk_points(cell) == ([point], [])
    assert parse_risk_points("中｜审查｜降低条件审批｜集体审议｜须复核")[1] == [
        "“中｜审查｜降低条件审批｜集体审议｜须复核”：只有高风险点可以要求复核（须复核）"]
