"""A province's government-service catalogue (政务服务事项目录) as it is published: time limits
written `90(工作日)`, `30个工作日`, `即办`, `20(自然日)`, `3个月`, `无`, and the service-guide
columns (办事指南) citizens look for. The rows are written here in those forms, not copied."""

import csv

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from powerlist.catalog.cells import parse_visits
from powerlist.catalog.limits import MAX_BY_UNIT, describe_limit, format_limit, parse_limit, working_days
from powerlist.catalog.models import PowerItem
from powerlist.catalog.services.imports import ImportRefused, import_file
from powerlist.core.scope import SYSTEM


@pytest.mark.parametrize(("written", "number", "unit"), [
    ("90(工作日)", 90, "working_day"), ("30（工作日）", 30, "working_day"), ("30个工作日", 30, "working_day"),
    ("三十个工作日内", 30, "working_day"), ("20日", 20, "working_day"), ("15", 15, "working_day"),
    ("即办", 0, "instant"), ("当场办结", 0, "instant"), ("即时办结", 0, "instant"),
    ("20(自然日)", 20, "calendar_day"), ("20（自然日）", 20, "calendar_day"), ("20个自然日", 20, "calendar_day"),
    ("3个月", 3, "month"), ("六个月", 6, "month"), ("无", None, "none"), ("不适用", None, "none"),
    ("60日（自然日）", 60, "calendar_day"), ("20天(工作日)", 20, "working_day"), ("5个工作日内", 5, "working_day"),
])
def test_clerk_imports_time_limit_as_the_catalogue_writes_it(written, number, unit):
    read_number, read_unit, note, ok = parse_limit(written)
    assert ok and note is None
    assert (read_number, read_unit or "working_day") == (number, unit)


def test_a_limit_with_its_conditions_keeps_them_as_the_note():
    assert parse_limit("20个工作日（不含现场勘验时间）") == (20, "working_day", "20个工作日（不含现场勘验时间）", True)
    assert parse_limit("按国家规定执行") == (None, None, "按国家规定执行", True)
    assert parse_limit("9999个工作日")[3] is False and parse_limit("200个月")[3] is False


@given(st.sampled_from(["working_day", "calendar_day", "month"]), st.integers(min_value=0, max_value=120))
def test_exported_limit_reads_back_as_the_same_period(unit, number):
    read_number, read_unit, note, ok = parse_limit(format_limit(number, unit))
    assert ok and note is None and (read_number, read_unit or "working_day") == (number, unit)


@given(st.one_of(st.text(max_size=40), st.text(alphabet="0123456789个工作日自然月天即办无()（）内十二三", max_size=12),
                 st.integers(-5, 10 ** 6), st.floats(allow_nan=True)))
def test_any_cell_reads_as_a_limit_or_a_note_never_an_error(value):
    number, unit, note, ok = parse_limit(value)
    assert unit in (None, "working_day", "calendar_day", "month", "instant", "none")
    if number is not None:
        assert ok and 0 <= number <= MAX_BY_UNIT.get(unit or "working_day", 0)
    visits, fine = parse_visits(value)
    assert visits is None or (fine and 0 <= visits <= 20)


@given(st.sampled_from(["calendar_day", "month"]), st.integers(min_value=1, max_value=120))
def test_a_calendar_period_is_shown_as_written_with_its_working_days(unit, number):
    days = working_days(number, unit)
    assert 0 < days <= (number if unit == "calendar_day" else number * 23)
    with translation.override("zh-hans"):
        text = describe_limit(number, unit)
    written = f"{number}个自然日" if unit == "calendar_day" else f"{number}个月"
    assert text.startswith(f"{written}（约{days}个工作日：按每年248个工作日折算") and "国务院关于职工工作时间的规定" in text
    with translation.override("en"):
        assert f"(about {days} working days" in describe_limit(number, unit)


def test_counting_a_calendar_period_in_working_days():
    assert working_days(20, "calendar_day") == 14  # 20 × 248 / 365
    assert working_days(3, "month") == 62  # 3 × 248 / 12
    assert (working_days(0, "instant"), working_days(None, "none"), working_days(30, "working_day")) == (0, None, 30)
    assert MAX_BY_UNIT["month"] == 120


@pytest.mark.parametrize(("written", "visits"), [
    ("0", 0), ("0次", 0), ("1次", 1), ("最多跑一次", 1), ("零跑动", 0), ("2", 2), ("跑零次", 0), (1.0, 1)])
def test_visits_in_person_as_catalogues_write_them(written, visits):
    assert parse_visits(written) == (visits, True)


def test_visits_that_are_not_a_count_are_refused():
    assert parse_visits("视情况而定") == (None, False) and parse_visits(-1) == (None, False)


HEADERS = ["序号", "事项名称", "事项类型", "实施主体", "事项编码", "法定办结时限", "承诺办结时限", "办理地点", "办理时间",
           "咨询电话", "监督投诉电话", "网上办理地址", "到办事现场次数", "服务对象"]
LIMITS = [("90(工作日)", "20(工作日)"), ("30（工作日）", "即办"), ("60个工作日", "15个工作日"), ("20(自然日)", "10(工作日)"),
          ("3个月", "30(工作日)"), ("无", "即办"), ("二十日", "当场办结"), ("20个工作日（不含专家评审时间）", "5")]
DEPARTMENTS = ["省教育厅", "省民政厅", "省自然资源厅", "省生态环境厅", "省交通运输厅", "省卫生健康委员会"]
EXPECTED = [((90, "working_day"), (20, "working_day")), ((30, "working_day"), (0, "instant")),
            ((60, "working_day"), (15, "working_day")), ((20, "calendar_day"), (10, "working_day")),
            ((3, "month"), (30, "working_day")), ((None, "none"), (0, "instant")),
            ((20, "working_day"), (0, "instant")), ((20, "working_day"), (5, "working_day"))]


def provincial_rows(n: int) -> list[list[str]]:
    rows = []
    for i in range(n):
        statutory, promised = LIMITS[i % len(LIMITS)]
        rows.append([str(i + 1), f"第{i + 1}号事项审批", ["行政许可", "行政确认", "公共服务"][i % 3],
                     DEPARTMENTS[i % len(DEPARTMENTS)], f"11430000006{i:07d}", statutory, promised,
                     f"省政务服务中心{i % 40 + 1}号窗口", "周一至周五 9:00-12:00，13:30-17:00（法定节假日除外）",
                     "0731-8899" + f"{i % 10000:04d}", "12345", f"https://zwfw.hunan.gov.cn/item/{i}",
                     ["0次", "1次", "最多跑一次"][i % 3], "自然人,企业法人"])
    return rows


@pytest.fixture
def province(db):
    from powerlist.core.services import jurisdictions as jurisdiction_services

    return jurisdiction_services.add_jurisdiction(SYSTEM, "43", "湖南省", None)


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["湖南省省级政务服务事项目录（2026年版）"], HEADERS, *rows])
    return path


def test_province_imports_its_catalogue_with_every_time_limit_read(province, tmp_path):
    rows = provincial_rows(400)
    report = import_file(SYSTEM, write_csv(tmp_path / "province.csv", rows), province, create_organisations=True)
    assert report.created == 400
    items = PowerItem.objects.filter(jurisdiction=province)
    read = items.exclude(statutory_limit_days=None, statutory_limit_unit="working_day")
    assert read.count() == 400  # every statutory limit read: a number, 即办 or 无
    assert items.exclude(promised_limit_days=None).count() == 400
    assert not items.filter(limit_note__contains="(工作日)").exists()  # 90(工作日) is a limit, never a note
    first = items.get(code="114300000060000000")
    assert (first.statutory_limit_days, first.statutory_limit_unit, first.promised_limit_days) == (90, "working_day", 20)
    for i in range(8):
        item = items.get(code=f"11430000006{i:07d}")
        got = ((item.statutory_limit_days, item.statutory_limit_unit), (item.promised_limit_days, item.promised_limit_unit))
        assert got == EXPECTED[i], rows[i]
    seventh = items.get(code="114300000060000007")
    assert seventh.limit_note == "20个工作日（不含专家评审时间）"
    assert (first.office_address, first.enquiry_phone, first.supervision_phone) == ("省政务服务中心1号窗口", "0731-88990000",
                                                                                     "12345")
    assert (first.online_url, first.onsite_visits, first.service_recipients) == (
        "https://zwfw.hunan.gov.cn/item/0", 0, "自然人,企业法人")
    assert items.get(code="114300000060000002").onsite_visits == 1  # 最多跑一次
    assert first.office_hours.startswith("周一至周五")


def test_a_limit_nobody_can_read_as_a_period_is_refused_with_its_row(province, tmp_path):
    rows = provincial_rows(3)
    rows[1][5] = "99999个工作日"
    rows[2][12] = "看情况"
    with pytest.raises(ImportRefused) as refused:
        import_file(SYSTEM, write_csv(tmp_path / "bad.csv", rows), province, create_organisations=True)
    problems = {(p.row, p.field) for p in refused.value.problems}
    assert problems == {(4, "statutory_limit_days"), (5, "onsite_visits")}
    assert not PowerItem.objects.exists()


def catalogues_with_time_limits(folder):
    from powerlist.catalog.readers import open_source
    from powerlist.core.errors import InvalidInput

    for path in sorted(folder.iterdir()):
        try:
            source = open_source(path)
        except InvalidInput:
            continue  # not a list our headers recognise without --map (e.g. the Guang'an items)
        if {"statutory_limit_days", "promised_limit_days"} & set(source.columns.values()):
            yield path, source


def unread_time_limits(source) -> tuple[int, list]:
    cells = [value for _number, row in source.rows for field, value in row.items()
             if field in ("statutory_limit_days", "promised_limit_days") and str(value or "").strip()]
    return len(cells), [v for v in cells if parse_limit(v)[:2] == (None, None)]


def test_the_check_of_real_catalogues_finds_and_reads_a_provincial_one(tmp_path):
    write_csv(tmp_path / "province.csv", provincial_rows(50))
    (tmp_path / "notes.txt").write_text("说明", encoding="utf-8")
    [(path, source)] = catalogues_with_time_limits(tmp_path)
    assert path.name == "province.csv" and unread_time_limits(source) == (100, [])


def test_every_real_catalogue_in_shared_data_has_its_time_limits_read(shared_data):
    """Runs on every real catalogue with time-limit columns in ../shared/data/power_lists."""
    found = list(catalogues_with_time_limits(shared_data / "power_lists"))
    if not found:
        pytest.skip("no real catalogue with time-limit columns in ../shared/data/power_lists")
    for path, source in found:
        total, unread = unread_time_limits(source)
        assert len(unread) <= total // 100, (path.name, total, unread[:20])


def test_reviewer_reads_a_requested_change_of_unit_in_words(county, departments, users):
    from powerlist.catalog.services import requests as request_services
    from powerlist.catalog.services.items import create_item
    from powerlist.conftest import item_document

    item = create_item(SYSTEM, county, item_document(status="published"))
    req = request_services.submit(users["clerk"], "amend", item=item, reason="按新规调整", changes={
        "statutory_limit_days": "3个月", "office_address": "岳塘区政务服务中心一楼"})
    rows = {r["field"]: r for r in request_services.describe(req, readable=True)}
    assert (rows["statutory_limit_unit"]["label"], rows["statutory_limit_unit"]["before"],
            rows["statutory_limit_unit"]["after"]) == ("法定时限单位", "工作日", "月")
    assert (rows["statutory_limit_days"]["after"], rows["office_address"]["label"]) == ("3", "办理地点")


def test_clerk_fills_in_the_service_guide_in_the_back_office(county, departments, users):
    from django.test import Client

    from powerlist.catalog.services.items import create_item
    from powerlist.conftest import item_document
    from powerlist.testing import admin_form_data

    item = create_item(SYSTEM, county, item_document())
    client = Client()
    client.force_login(users["clerk"])
    url = f"/admin/catalog/poweritem/{item.pk}/change/"
    page = client.get(url)
    assert "办事指南" in page.content.decode() and "法定时限单位" in page.content.decode()
    data = admin_form_data(page)
    data.update(statutory_limit_days="2", statutory_limit_unit="month", promised_limit_days="", promised_limit_unit="none",
                office_address="岳塘区政务服务中心一楼", office_hours="工作日9:00-17:00", onsite_visits="0",
                change_reason="补充办事指南")
    response = client.post(url, data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.statutory_limit_days, item.statutory_limit_unit, item.promised_limit_days, item.promised_limit_unit) == (
        2, "month", None, "none")
    assert (item.office_address, item.onsite_visits) == ("岳塘区政务服务中心一楼", 0)
