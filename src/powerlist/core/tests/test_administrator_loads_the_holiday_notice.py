"""The State Council publishes next year's holidays in November; until then chinese-calendar does
not know the year, and a deadline reaching into it is refused. An administrator loads the notice
(console or back office), checked as a whole, and deadlines then count on it. Nobody else may load
it, and every load is in the audit log."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from powerlist.core.errors import InvalidInput, PermissionDenied
from powerlist.core.models import AuditEntry, CalendarDay, CalendarYear
from powerlist.core.scope import SYSTEM
from powerlist.core.services import calendar as calendar_services
from powerlist.core import workdays
from powerlist.core.workdays import UnknownYear, add_working_days, is_working_day

D = dt.date
# a year chinese-calendar will not know for a long time: the tests do not change when it learns 2027
NOTICE = {
    "year": 2099,
    "source": "国务院办公厅关于2099年部分节假日安排的通知（试用）",
    "holidays": [{"name": "元旦", "first": "2099-01-01", "last": "2099-01-03"},
                 {"name": "春节", "first": "2099-02-09", "last": "2099-02-16"},
                 {"name": "端午节", "first": "2099-06-09"}],
    "workdays": [{"date": "2099-02-07", "name": "春节"}],
}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_administrator_loads_a_year_and_deadlines_count_on_it(users):
    with pytest.raises(UnknownYear, match="2099"):
        add_working_days(D(2099, 2, 5), 5)
    loaded = calendar_services.load_notice(users["admin"], NOTICE)
    assert loaded.loaded_by == "admin1" and loaded.days.count() == 13
    due = add_working_days(D(2099, 2, 5), 5)  # 02-06 Fri, 02-07 Sat (调休), 春节, 02-17, 02-18, 02-19
    assert due.date == D(2099, 2, 19)
    assert due.explained == "受理 2099-02-05 + 5 个工作日；春节 02-09…02-16 不计，02-07 调休上班 → 2099-02-19"
    assert is_working_day(D(2099, 2, 7)) and not is_working_day(D(2099, 2, 10)) and not is_working_day(D(2099, 6, 9))
    assert not is_working_day(D(2099, 2, 8)) and is_working_day(D(2099, 6, 10))  # the five-day week elsewhere
    entry = AuditEntry.objects.filter(action="calendar.load").latest("seq")
    assert entry.actor == "admin1" and entry.target == "calendar:2099"
    assert "2099-02-07 春节" in entry.payload and '"before":null' in entry.payload


@pytest.mark.skipif(workdays.Calendar(loaded={}).knows(2027), reason="chinese-calendar knows 2027 now")
def test_in_december_the_next_years_notice_lets_deadlines_cross_the_new_year(users):
    with pytest.raises(UnknownYear, match="2027"):
        add_working_days(D(2026, 12, 20), 20)
    calendar_services.load_notice(users["admin"], {
        "year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知（试用）",
        "holidays": [{"name": "元旦", "first": "2027-01-01", "last": "2027-01-03"}]})
    due = add_working_days(D(2026, 12, 20), 20)
    # 12-21…12-31: 9 working days; 元旦 off; 01-04…01-15: 10; 01-18 the 20th
    assert due.date == D(2027, 1, 18)
    assert due.explained == "受理 2026-12-20 + 20 个工作日；元旦 2027-01-01…2027-01-03 不计 → 2027-01-18"


def test_a_loaded_notice_takes_precedence_over_the_package_and_loading_again_replaces_it(users):
    assert not is_working_day(D(2026, 10, 7))
    corrected = {"year": 2026, "source": "更正", "workdays": [],
                 "holidays": [{"name": "国庆节", "first": "2026-10-01", "last": "2026-10-06"}]}
    calendar_services.load_notice(SYSTEM, corrected)
    assert is_working_day(D(2026, 10, 7)) and not is_working_day(D(2026, 10, 10))  # the notice alone rules 2026
    calendar_services.load_notice(SYSTEM, {**corrected, "holidays": [{"name": "国庆节", "first": "2026-10-01",
                                                                      "last": "2026-10-07"}]})
    assert not is_working_day(D(2026, 10, 7)) and CalendarYear.objects.filter(year=2026).count() == 1
    replaced = AuditEntry.objects.filter(action="calendar.load").latest("seq")
    assert replaced.actor == "system" and "2026-10-06 国庆节" in replaced.payload and '"before":{' in replaced.payload


@pytest.mark.parametrize("who", ["clerk", "reviewer", "inspector", "legal"])
def test_only_administrators_load_the_calendar(users, who):
    with pytest.raises(PermissionDenied, match="需要管理员"):
        calendar_services.load_notice(users[who], NOTICE)
    assert not CalendarYear.objects.exists()


def test_a_notice_with_mistakes_loads_nothing_and_names_every_one(db):
    bad = {"year": 2027, "source": "试用",
           "holidays": [{"name": "春节", "first": "2027-02-05", "last": "2027-02-12"},
                        {"name": "元宵", "first": "2027-02-12", "last": "2027-02-13"},  # overlaps 春节
                        {"name": "元旦", "first": "2026-12-31", "last": "2027-01-01"},  # not in 2027
                        {"name": "", "first": "2027-05-01", "last": "2027-04-30"}],
           "workdays": [{"date": "2027-02-10", "name": "春节"},  # inside the holiday
                        {"date": "2027-02-15", "name": "春节"},  # a Monday
                        {"date": "2027-2-20", "name": "春节"}]}  # not a date
    with pytest.raises(InvalidInput) as refused:
        calendar_services.load_notice(SYSTEM, bad, "2027.json")
    fields = [p.field for p in refused.value.problems]
    assert fields == ["holidays[2]", "holidays[3].first", "holidays[4].name", "holidays[4].last",
                      "workdays[1].date", "workdays[2].date", "workdays[3].date"]
    text = refused.value.summary()
    assert "与 holidays[1]（春节）重叠" in text and "日期应在通知所属的2027年内" in text
    assert "同一天不能既放假又上班" in text and "调休上班日应是星期六或星期日" in text
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()
    with pytest.raises(InvalidInput, match="year"):
        calendar_services.load_notice(SYSTEM, {"year": "2027", "source": "x", "holidays": NOTICE["holidays"]})
    with pytest.raises(InvalidInput, match="JSON 对象"):
        calendar_services.load_notice(SYSTEM, [NOTICE])


def test_administrator_loads_the_notice_in_the_back_office(users):
    client = login(users["admin"])
    assert "notice" in client.get("/admin/core/calendaryear/add/").content.decode()
    upload = SimpleUploadedFile("2099.json", json.dumps(NOTICE, ensure_ascii=False).encode("utf-8"))
    response = client.post("/admin/core/calendaryear/add/", {"notice": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2099)
    assert year.loaded_by == "admin1" and AuditEntry.objects.filter(action="calendar.load").exists()
    listing = client.get("/admin/core/calendaryear/").content.decode()
    assert "国务院办公厅关于2099年部分节假日安排的通知" in listing and "chinese-calendar" in listing
    assert "放假天数" in listing and "调休上班天数" in listing  # the back office speaks Chinese
    page = client.get(f"/admin/core/calendaryear/{year.pk}/change/").content.decode()
    assert "2099-02-07 春节" in page

    broken = SimpleUploadedFile("2028.json", b'{"year": 2028, "source": "x", "holidays": []}')
    refused = client.post("/admin/core/calendaryear/add/", {"notice": broken})
    assert refused.status_code == 200 and "应列出每个放假期间" in refused.content.decode()
    assert not CalendarYear.objects.filter(year=2028).exists()


def test_a_clerk_reads_the_calendar_in_the_back_office_but_cannot_load_it(users):
    client = login(users["clerk"])
    calendar_services.load_notice(SYSTEM, NOTICE)
    assert client.get("/admin/core/calendaryear/").status_code == 200
    assert client.get("/admin/core/calendaryear/add/").status_code == 403
    upload = SimpleUploadedFile("2027.json", json.dumps(NOTICE).encode("utf-8"))
    assert client.post("/admin/core/calendaryear/add/", {"notice": upload}).status_code == 403
    assert CalendarYear.objects.get(year=2099).loaded_by == "system"
