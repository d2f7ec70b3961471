"""The applicant, without logging in, looks up the progress with the receipt number (or a case
number) and the last four digits of their phone or ID number: items, departments, current steps,
dates and status, and nothing personal. A wrong number and wrong digits get the same neutral
answer; too many look-ups from one address are refused for a while. Once everything is done the
applicant rates the service once (好差评); the comment is shown escaped."""

import re

import pytest
from django.test import Client

from powerlist.core.errors import Conflict
from powerlist.operation.models import Case, Rating
from powerlist.operation.services import applications, cases, progress, ratings
from powerlist.operation.tests.package import APPLICANT, ID_NUMBER, PHONE, business_package


@pytest.fixture
def application(county, departments):
    package = business_package(county, departments)
    opened = applications.open_application(package["hall"], "430304", item_codes=package["codes"][:3],
                                           applicant=APPLICANT, phone=PHONE, id_number=ID_NUMBER)
    opened.package = package
    return opened


def look(number, last4, address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post("/progress/", {"number": number, "last4": last4})


def finish(application):
    for case in Case.objects.filter(application=application):
        clerk = application.package["clerks"][case.organisation.name]
        for step in ["审查", "决定", "送达"]:  # 受理: done with the hall's opening
            cases.act(clerk, case.number, "complete", step, reason="准予许可" if step == "送达" else "")


def test_applicant_sees_each_department_and_nothing_personal(application):
    market = Case.objects.filter(application=application).order_by("pk").first()
    cases.act(application.package["clerks"][market.organisation.name], market.number, "complete", "审查")
    for last4 in (PHONE[-4:], ID_NUMBER[-4:]):
        page = look(application.number, last4)
        html = page.content.decode()
        assert page.status_code == 200 and application.number in html
        for name in ("企业设立登记（营业执照）", "组织机构代码证核发", "税务登记证核发", "岳塘区税务局"):
            assert name in html
        assert "决定" in html and "办理中" in html  # the market case moved on, the others wait at 审查
        for personal in (APPLICANT, PHONE, PHONE[-4:], ID_NUMBER, "hall1", "clerk0"):
            assert personal not in html.replace(f'value="{PHONE[-4:]}"', "").replace(f'value="{ID_NUMBER[-4:]}"', "")
    one = look(market.number, PHONE[-4:]).content.decode()  # a case number works as well
    assert "企业设立登记（营业执照）" in one and "税务登记证核发" not in one and APPLICANT not in one


def test_wrong_number_or_digits_get_the_same_neutral_answer(application):
    answers = [look(application.number, "0000"), look(application.number[:-1] + "9", PHONE[-4:]),
               look("no-such-thing", "1234"), look(application.number, "")]
    assert {a.status_code for a in answers} == {404}
    asked = re.compile(f'value="({application.number[:-1]}.|no-such-thing)"|name="csrfmiddlewaretoken" value="[^"]*"')
    bodies = {asked.sub("", a.content.decode()) for a in answers}
    assert len(bodies) == 1 and progress.NEUTRAL in bodies.pop()


def test_too_many_look_ups_from_one_address_are_refused_for_a_while(application, settings):
    settings.POWERLIST_PROGRESS_LOOKUPS = (3, 600)
    assert [look(application.number, "0000", "10.0.0.9").status_code for _ in range(3)] == [404] * 3
    refused = look(application.number, PHONE[-4:], "10.0.0.9")  # right digits, too late
    assert refused.status_code == 429 and "过于频繁" in refused.content.decode()
    assert look(application.number, PHONE[-4:], "10.0.0.10").status_code == 200  # another address


def test_applicant_rates_once_after_completion_and_the_comment_is_escaped(application):
    with pytest.raises(Conflict, match="尚未办结"):
        ratings.rate("10.0.0.2", application.number, PHONE[-4:], 5, "好")
    assert "Rate the service" not in look(application.number, PHONE[-4:]).content.decode()
    finish(application)
    page = look(application.number, PHONE[-4:]).content.decode()
    assert 'name="stars"' in page and "已全部办结" in page
    client = Client(REMOTE_ADDR="10.0.0.3")
    wrong = client.post("/progress/rate/", {"number": application.number, "last4": "0000", "stars": "5"})
    assert wrong.status_code == 404 and not Rating.objects.exists()
    comment = '<script>alert("x")</script> 窗口一次办好，电话13800138000'
    done = client.post("/progress/rate/", {"number": application.number, "last4": PHONE[-4:], "stars": "4",
                                           "comment": comment})
    html = done.content.decode()
    assert done.status_code == 200 and "&lt;script&gt;" in html and "<script>alert" not in html
    assert "13800138000" not in html and "138****8000" in html  # masked on the way out, stored as given
    rating = Rating.objects.get()
    assert (rating.application, rating.stars, rating.comment) == (application, 4, comment)
    assert rating.address_hash and "10.0.0.3" not in rating.address_hash
    hall = Client()
    hall.force_login(application.package["hall"])
    seen = hall.get(f"/office/hall/{application.number}/").content.decode()  # the hall reads it, escaped
    assert "4 ★" in seen and "&lt;script&gt;" in seen and "<script>alert" not in seen
    again = client.post("/progress/rate/", {"number": application.number, "last4": PHONE[-4:], "stars": "1"})
    assert again.status_code == 400 and "已评价过" in again.content.decode() and Rating.objects.count() == 1
    case = Case.objects.filter(application=application).first()
    with pytest.raises(Conflict, match="已评价过"):  # by a case number of the application: the same rating
        ratings.rate("10.0.0.4", case.number, ID_NUMBER[-4:], 2)


@pytest.mark.parametrize("stars", ["0", "6", "", "x", "3.5"])
def test_stars_out_of_range_are_refused(application, stars):
    finish(application)
    answer = Client(REMOTE_ADDR="10.0.0.5").post("/progress/rate/", {"number": application.number,
                                                                      "last4": PHONE[-4:], "stars": stars})
    assert answer.status_code == 400 and "1 至 5 星" in answer.content.decode() and not Rating.objects.exists()


def test_ratings_are_throttled_per_address(application, settings):
    settings.POWERLIST_RATINGS_PER_ADDRESS = (2, 3600)
    client = Client(REMOTE_ADDR="10.0.0.6")
    for _ in range(2):
        client.post("/progress/rate/", {"number": application.number, "last4": "0000", "stars": "5"})
    assert client.post("/progress/rate/", {"number": application.number, "last4": PHONE[-4:],
                                           "stars": "5"}).status_code == 429
