"""The service hall's pages: the clerk searches items by name (traditional characters find the
simplified names), adds a package, opens the application, prints the receipt (numbers, items,
departments, due dates and how they were reached, how to look up the progress) and follows
today's applications with each department's case."""

import pytest
from django.test import Client

from powerlist.catalog.models import PowerItem
from powerlist.operation.models import Application, Case
from powerlist.operation.services import cases
from powerlist.operation.tests.package import APPLICANT, PHONE, business_package


@pytest.fixture
def package(county, departments):
    return business_package(county, departments)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_hall_clerk_finds_items_by_name_in_traditional_characters(package):
    hall = signed_in(package["hall"])
    found = hall.get("/office/hall/items/", {"q": "稅務登記", "jurisdiction": "430304"}, HTTP_HX_REQUEST="true")
    assert found.status_code == 200 and "税务登记证核发" in found.content.decode()
    assert "刻章许可" not in found.content.decode()
    picked = hall.get("/office/hall/pick/", {"package": "企业开办", "jurisdiction": "430304",
                                             "items": [package["codes"][2]]}).content.decode()
    for code in package["codes"]:  # the package's items, each once, after the one already chosen
        assert picked.count(f'value="{code}"') == 1
    assert picked.index(package["codes"][2]) < picked.index(package["codes"][0])


def test_hall_clerk_opens_an_application_and_prints_the_receipt(package):
    hall = signed_in(package["hall"])
    form = hall.get("/office/hall/new/").content.decode()
    assert "企业开办" in form and 'hx-get="/office/hall/items/' in form
    answer = hall.post("/office/hall/new/", {"jurisdiction": "430304", "items": package["codes"],
                                             "applicant": APPLICANT, "phone": PHONE, "title": "企业开办",
                                             "window": "3号窗口"})
    application = Application.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/office/hall/{application.number}/receipt/"
    receipt = hall.get(answer["Location"]).content.decode()
    assert application.number in receipt and "@media print" in receipt and "/progress/" in receipt
    for case in Case.objects.filter(application=application):
        assert case.number in receipt and case.organisation.name in receipt and case.item.name in receipt
        assert case.due.isoformat() in receipt and "个工作日" in receipt
    listed = hall.get("/office/hall/").content.decode()
    assert application.number in listed and "岳塘区公安分局" in listed
    first = Case.objects.filter(application=application).order_by("pk").first()
    cases.act(package["clerks"][first.organisation.name], first.number, "complete", "审查")
    detail = hall.get(f"/office/hall/{application.number}/").content.decode()
    assert "决定" in detail and APPLICANT in detail and "岳塘区税务局" in detail


def test_an_item_not_in_force_is_named_on_the_form_and_nothing_opens(package):
    PowerItem.objects.filter(code=package["codes"][1]).update(status="cancelled")
    answer = signed_in(package["hall"]).post("/office/hall/new/", {
        "jurisdiction": "430304", "items": package["codes"], "applicant": APPLICANT, "phone": PHONE})
    html = answer.content.decode()
    assert answer.status_code == 400 and "430304-ZJ-XK-002" in html and "整件申请未受理" in html
    assert 'value="430304-SW-QT-003" checked' in html  # the chosen items stay chosen
    assert not Application.objects.exists() and not Case.objects.exists()


def test_department_clerks_and_other_counties_do_not_use_the_hall(package, users):
    clerk = signed_in(package["clerks"]["岳塘区税务局"])
    assert clerk.get("/office/hall/new/").status_code == 403
    assert clerk.get("/office/hall/").status_code == 403
    assert Client().get("/office/hall/").status_code == 302  # to the sign-in page
