"""What arrives from 30-70 departments: GB18030 and UTF-8 (with or without BOM) CSV, XLSX with
title rows, JSON, categories written every way, traditional characters and full-width forms."""

import json

import openpyxl
import pytest

from powerlist.catalog.documents import normalise_choice
from powerlist.catalog.models import PowerItem
from powerlist.catalog.services.imports import import_file

from powerlist.core.scope import SYSTEM

ROWS = [
    ["职权编码", "权力名称", "权力类别", "实施机关", "设定依据", "法定时限", "承诺时限", "责任事项", "追责情形", "监督电话"],
    ["JY-001", "民办学校設立審批", "1", "岳塘區教育局", "《中华人民共和国民办教育促进法》第十二条", "20个工作日", "10",
     "1.受理责任：公示材料目录。2.审查责任：审查申请材料。3.事后监管责任：年度检查。", "1.不予受理的；2.超期办理的", "0731-58550000"],
    ["SC-001", "对无证经营的处罚", "行政处罚", "岳塘区市场监督管理局", "", "90", "", "", "", ""],
    ["WJ-001", "医疗机构执业登记", "０７", "岳塘区卫生健康局", "", "即办", "", "", "", ""],
]


def as_csv(rows) -> str:
    return "\n".join(",".join(f'"{c}"' for c in r) for r in rows) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_any_usual_encoding(county, departments, tmp_path, encoding):
    path = tmp_path / "list.csv"
    path.write_text(as_csv(ROWS), encoding=encoding)
    report = import_file(SYSTEM, path, county)
    assert report.created == 3
    item = PowerItem.objects.get(code="JY-001")
    assert item.name == "民办学校設立審批"  # stored as written
    assert item.organisation.name == "岳塘区教育局"  # matched across scripts
    assert (item.category, item.statutory_limit_days, item.promised_limit_days) == ("01", 20, 10)
    phases = list(item.responsibilities.values_list("phase", "stage"))
    assert phases == [("before", "受理责任"), ("during", "审查责任"), ("after", "事后监管责任")]
    assert list(item.accountability.values_list("text", flat=True)) == ["不予受理的", "超期办理的"]
    assert PowerItem.objects.get(code="WJ-001").category == "07"
    instant = PowerItem.objects.get(code="WJ-001")
    assert (instant.statutory_limit_days, instant.statutory_limit_unit, instant.limit_note) == (0, "instant", "")


def test_xlsx_with_title_rows_and_numbers(county, departments, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["本表为填报说明"])
    data = wb.create_sheet("权力清单")
    data.append(["湘潭市岳塘区权力清单（2024年）"])
    data.append([])
    for r in ROWS:
        data.append([int(c) if c.isdigit() and len(c) < 4 else c for c in r])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    report = import_file(SYSTEM, path, county)
    assert report.created == 3 and report.format == "xlsx"
    assert PowerItem.objects.get(code="JY-001").category == "01"


def test_json_with_chinese_keys(county, departments, tmp_path):
    path = tmp_path / "list.json"
    records = [dict(zip(ROWS[0], r, strict=True)) for r in ROWS[1:]]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert import_file(SYSTEM, path, county).created == 3


def test_header_mapping_overrides(county, departments, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("id,title,type,dept\nA1,教师资格认定,确认,岳塘区教育局\n", encoding="utf-8")
    report = import_file(SYSTEM, path, county, mapping={"code": "id", "name": "title", "category": "type",
                                                        "organisation": "dept"})
    assert report.created == 1 and PowerItem.objects.get().category == "07"


@pytest.mark.parametrize("value,code", [
    ("1", "01"), ("01", "01"), (1, "01"), (1.0, "01"), ("行政许可", "01"), ("许可", "01"), ("行政許可", "01"),
    ("行政处罚", "02"), ("处罚类", "02"), ("行政强制措施", "03"), ("征收", "04"), ("行政给付", "05"),
    ("检查", "06"), ("行政确认", "07"), ("奖励", "08"), ("行政裁决", "09"), ("其他行政权力", "10"), ("10", "10"),
    ("公共服务", "20"), ("20", "20"), ("０２", "02"), ("01 行政许可", "01"),
])
def test_categories_are_normalised(value, code):
    assert normalise_choice("category", value) == code


@pytest.mark.parametrize("value", ["行政魔法", "11", "0", ""])
def test_unknown_categories_are_not_guessed(value):
    assert normalise_choice("category", value) is None
