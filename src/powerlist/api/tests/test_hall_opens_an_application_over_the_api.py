"""The one-window API: a hall clerk's system opens an application with a token (all or nothing,
errors naming the field or the item), reads it back within its scope, and anyone looks up the
progress by number and last four digits: public, nothing personal, one neutral 404, throttled."""

import json

import pytest
from django.test import Client

from powerlist.catalog.models import PowerItem
from powerlist.operation.models import Application, Case
from powerlist.operation.tests.package import APPLICANT, ID_NUMBER, PHONE, business_package


@pytest.fixture
def package(county, departments):
    return business_package(county, departments)


def post(headers, body):
    return Client().post("/api/applications", json.dumps(body), content_type="application/json", **headers)


def test_hall_opens_reads_and_the_applicant_looks_up(package, token_for, users):
    hall = token_for(package["hall"])
    answer = post(hall, {"jurisdiction": "430304", "items": package["codes"], "applicant": APPLICANT, "phone": PHONE,
                         "id_number": ID_NUMBER, "title": "企业开办"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    number = body["number"]
    assert body["status"] == "open" and body["applicant"] == APPLICANT and len(body["cases"]) == 4
    assert [c["code"] for c in body["cases"]] == package["codes"] and all(c["ready"] == ["审查"] for c in body["cases"])
    assert len(body["notices"]) == 4 and all(c["due"] for c in body["cases"])
    read = Client().get(f"/api/applications/{number}", **hall)
    assert read.status_code == 200 and read.json()["number"] == number
    assert Client().get(f"/api/applications/{number}", **token_for(users["clerk"])).status_code == 404  # not its case
    assert Client().get(f"/api/applications/{number}").status_code == 401

    public = Client(REMOTE_ADDR="10.1.0.1").get("/api/progress", {"number": number, "last4": PHONE[-4:]})
    assert public.status_code == 200
    shown = public.json()
    assert [c["item"] for c in shown["cases"]] == [i.name for i in package["items"]]
    assert all(c["steps"] == ["审查"] for c in shown["cases"]) and shown["status_name"] == "办理中"
    text = public.content.decode()
    for personal in (APPLICANT, PHONE, ID_NUMBER, "hall1"):
        assert personal not in text
    wrong = [Client(REMOTE_ADDR="10.1.0.1").get("/api/progress", {"number": n, "last4": d})
             for n, d in ((number, "0000"), (number[:-1] + "7", PHONE[-4:]), ("x", ID_NUMBER[-4:]))]
    assert {w.status_code for w in wrong} == {404} and len({w.content for w in wrong}) == 1


def test_one_item_not_in_force_and_bad_bodies_create_nothing(package, token_for, users):
    PowerItem.objects.filter(code=package["codes"][3]).update(status="delegated")
    refused = post(token_for(package["hall"]), {"jurisdiction": "430304", "items": package["codes"],
                                                "applicant": APPLICANT, "phone": PHONE})
    assert refused.status_code == 403 and "430304-GA-XK-004" in refused.json()["detail"]
    bad = post(token_for(package["hall"]), {"jurisdiction": "430304", "items": package["codes"][:1],
                                            "applicant": APPLICANT, "phone": "call me"})
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "phone"
    empty = post(token_for(package["hall"]), {"jurisdiction": "430304", "items": [], "applicant": APPLICANT})
    assert empty.status_code == 422
    clerk = post(token_for(users["clerk"]), {"jurisdiction": "430304", "items": package["codes"][:1],
                                             "applicant": APPLICANT, "phone": PHONE})
    assert clerk.status_code == 403 and "无权" in clerk.json()["detail"]
    anonymous = post({}, {"jurisdiction": "430304", "items": package["codes"][:1], "applicant": APPLICANT})
    assert anonymous.status_code == 401
    assert not Application.objects.exists() and not Case.objects.exists()


def test_the_public_look_up_is_throttled(package, token_for, settings):
    settings.POWERLIST_PROGRESS_LOOKUPS = (2, 600)
    number = post(token_for(package["hall"]), {"jurisdiction": "430304", "items": package["codes"][:1],
                                               "applicant": APPLICANT, "phone": PHONE}).json()["number"]
    client = Client(REMOTE_ADDR="10.1.0.2")
    assert [client.get("/api/progress", {"number": number, "last4": "9999"}).status_code for _ in range(2)] == [404] * 2
    late = client.get("/api/progress", {"number": number, "last4": PHONE[-4:]})
    assert late.status_code == 429 and "过于频繁" in late.json()["detail"]
