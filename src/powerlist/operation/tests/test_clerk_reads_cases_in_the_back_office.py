"""The back office lists cases and their events read-only, each user within their scope: a clerk
their department's, another department's clerk none of them; nobody adds, changes or deletes."""

from django.test import Client

from powerlist.operation.services import cases


def page(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_cases_and_events_are_listed_within_scope(licence, users):
    case = cases.open_case(users["clerk"], licence.code, "430304", applicant="张三")
    cases.act(users["clerk"], case.number, "complete", "审查")  # the opening accepted it (受理)
    for name in ("clerk", "reviewer", "inspector"):
        assert case.number in page(users[name], "/admin/operation/case/").content.decode()
        assert "受理" in page(users[name], "/admin/operation/caseevent/").content.decode()
    assert case.number not in page(users["market_clerk"], "/admin/operation/case/").content.decode()
    assert case.number not in page(users["market_clerk"], "/admin/operation/caseevent/").content.decode()
    detail = page(users["clerk"], f"/admin/operation/case/{case.pk}/change/")
    assert detail.status_code == 200 and "张三" in detail.content.decode()
    assert page(users["market_clerk"], f"/admin/operation/case/{case.pk}/change/").status_code in (302, 404)
    assert page(users["clerk"], "/admin/operation/case/add/").status_code == 403
