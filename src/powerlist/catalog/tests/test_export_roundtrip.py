"""Lists travel between governments as files: export then import gives identical items, and
exported spreadsheets cannot carry live formulas."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from powerlist.catalog.documents import document_of
from powerlist.catalog.models import PowerItem
from powerlist.catalog.services.items import create_item
from powerlist.catalog.services.imports import import_file
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM


def documents(jurisdiction):
    return [document_of(i) for i in PowerItem.objects.filter(jurisdiction=jurisdiction).order_by("code")]


@pytest.fixture
def rich_list(county, departments):
    create_item(SYSTEM, county, item_document(
        statutory_limit_days="20个自然日", promised_limit_days="即办", office_address="岳塘区政务服务中心一楼3号窗口",
        office_hours="工作日上午9:00-12:00，下午13:30-17:00（法定节假日除外）", enquiry_phone="0731-58551234",
        online_url="https://www.hunanzwfw.gov.cn/item/430304-JY-XK-001", onsite_visits="最多跑一次",
        service_recipients="法人,其他组织"))
    create_item(SYSTEM, county, item_document(
        code="430304-SC-CF-001", name="对未取得食品经营许可从事食品经营活动的处罚", category="02",
        organisation="岳塘区市场监督管理局", statutory_limit_days="3个月", promised_limit_days="无", onsite_visits=0,
        plain_name="无证卖食品的处罚", handling_office="执法大队", fee_standard="不收费", status="published",
        citations=[{"kind": "setting", "text": "《中华人民共和国食品安全法》第一百二十二条第一款：违反本法规定，"
                                               "未取得食品生产经营许可从事食品生产经营活动……"},
                   {"kind": "implementing", "text": "【规章】《食品经营许可和备案管理办法》第五十条"}],
        discretion=[{"grade": "一般", "circumstance": "货值金额不足一万元", "penalty": "处五万元以上十万元以下罚款",
                     "min_fine": "50000", "max_fine": "100000"},
                    {"grade": "严重", "circumstance": "货值金额一万元以上", "penalty": "处货值金额十五倍以上二十倍以下罚款"}],
        valid_from="2024-03-01"))
    create_item(SYSTEM, county, item_document(
        code="=HYPERLINK(\"http://evil\")", name="+cmd|' /C calc'!A0", organisation="岳塘区卫生健康局",
        category="07", materials="-1+1\n@SUM(1,2)\n1. 申请表", accountability=["=1+1"]))
    return county


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_gives_identical_items(rich_list, other_county, tmp_path, fmt):
    out = tmp_path / f"list.{fmt}"
    call_command("export", "--jurisdiction", "430304", "--format", fmt, "-o", str(out))
    report = import_file(SYSTEM, out, other_county, create_organisations=True)
    assert report.created == 3
    first, second = documents(rich_list), documents(other_county)
    for before, after in zip(first, second, strict=True):
        assert [(k, after[k]) for k in before] == [(k, before[k]) for k in before]
    limits = [(d["statutory_limit_days"], d["statutory_limit_unit"], d["promised_limit_days"], d["promised_limit_unit"])
              for d in second]
    assert limits[:2] == [(20, "calendar_day", 0, "instant"), (3, "month", None, "none")]
    assert (second[0]["onsite_visits"], second[0]["office_address"]) == (1, "岳塘区政务服务中心一楼3号窗口")


def test_csv_cells_that_could_be_formulas_are_neutralised(rich_list, tmp_path):
    out = tmp_path / "list.csv"
    call_command("export", "--jurisdiction", "430304", "-o", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(\"http://evil\")" in cells and "'+cmd|' /C calc'!A0" in cells
    assert "'=1+1" in cells and "'-1+1\n@SUM(1,2)\n1. 申请表" in cells


def test_xlsx_cells_are_text_never_formulas(rich_list, tmp_path):
    out = tmp_path / "list.xlsx"
    call_command("export", "--jurisdiction", "430304", "-o", str(out))
    ws = openpyxl.load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type == "s" for c in cells)
    assert not [c.value for c in cells if str(c.value)[:1] in ("=", "+", "-", "@")]


def test_export_to_stdout(rich_list, capsys):
    call_command("export", "--jurisdiction", "430304", "--format", "json", "-o", "-")
    data = json.loads(capsys.readouterr().out)
    assert data["jurisdiction"]["code"] == "430304" and len(data["items"]) == 3
