"""All or nothing: a file with any bad row imports nothing, and the report lists every bad row
with its row number, column, value and what is expected."""

import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.catalog.models import ChangeRecord, PowerItem
from powerlist.catalog.services.imports import ImportRefused, import_file
from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.errors import InvalidInput
from powerlist.core.models import AuditEntry, Organisation
from powerlist.core.scope import SYSTEM

HEADER = "职权编码,事项名称,事项类型,实施主体,设定依据\n"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def existing(county, departments):
    return create_item(SYSTEM, county, item_document(code="OLD-1", name="已有事项"))


def snapshot():
    return (PowerItem.objects.count(), ChangeRecord.objects.count(), Organisation.objects.count(),
            AuditEntry.objects.count(), list(PowerItem.objects.values_list("code", "name", "version")))


def test_every_bad_row_is_reported_and_nothing_changes(existing, county, tmp_path):
    path = write(tmp_path, "list.csv", HEADER
                 + "A-1,民办学校设立审批,行政许可,岳塘区教育局,《民办教育促进法》第十二条\n"
                 + "A-2,教师资格认定,行政魔法,岳塘区教育局,\n"          # row 3: unknown category
                 + "A-3,,行政处罚,岳塘区教育局,\n"                     # row 4: empty name
                 + "A-1,重复编码的事项,行政检查,岳塘区教育局,\n"         # row 5: duplicate in file
                 + "OLD-1,与库中重复,行政检查,岳塘区教育局,\n"           # row 6: duplicate in jurisdiction
                 + "A-6,某项处罚,行政处罚,岳塘区不存在局,\n")            # row 7: unknown organisation
    before = snapshot()
    with pytest.raises(ImportRefused) as err:
        import_file(SYSTEM, path, county)
    found = {(p.row, p.field): p for p in err.value.report.problems}
    assert set(found) == {(3, "category"), (4, "name"), (5, "code"), (6, "code"), (7, "organisation")}
    assert found[(3, "category")].value == "行政魔法" and "行政许可" in found[(3, "category")].expected
    assert "第2行" in found[(5, "code")].expected
    assert "--update" in found[(6, "code")].expected
    assert "--create-organisations" in found[(7, "organisation")].expected
    assert all(p.file == "list.csv" for p in found.values())
    assert snapshot() == before


def test_cli_exits_non_zero_and_prints_each_problem(existing, tmp_path):
    path = write(tmp_path, "list.csv", HEADER + "B-1,,行政许可,岳塘区教育局,\nB-2,某事项,,岳塘区教育局,\n")
    with pytest.raises(CommandError) as err:
        call_command("import", str(path), "--jurisdiction", "430304")
    text = str(err.value)
    assert "未导入任何事项" in text and "第2行 [事项名称]" in text and "第3行 [事项类型]" in text


@pytest.mark.parametrize("name,content,expected", [
    ("missing.csv", None, "不存在"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    ("fake.xlsx", b"this is not a workbook", "不是 Excel"),
    ("broken.xlsx", b"PK\x03\x04garbage", "不是有效的 Excel"),
    ("binary.csv", b"\x00\x01\x02\x00" * 50, "空字节"),
    ("latin.csv", "职权编码,事项名称\n".encode() + b"\x81\x20\xff\xfe\n", "编码无法识别"),
    ("bad.json", b'{"items": [ {"code": "x", }', "不是有效的 JSON"),
    ("image.png", b"\x89PNG\r\n\x1a\n", "不支持的文件类型"),
])
def test_unreadable_files_are_refused_with_the_reason(county, tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidInput) as err:
        import_file(SYSTEM, path, county)
    assert expected in str(err.value) and name in str(err.value)
    assert PowerItem.objects.count() == 0


def test_risk_point_and_discretion_cells_must_follow_their_format(county, departments, tmp_path):
    path = write(tmp_path, "list.csv", "职权编码,事项名称,事项类型,实施主体,廉政风险点,裁量基准\n"
                 + "C-1,对无证经营的处罚,行政处罚,岳塘区市场监督管理局,高｜审查｜违规｜无,一般｜初次｜处1万元罚款\n"
                 + "C-2,对过期食品的处罚,行政处罚,岳塘区市场监督管理局,很高｜审查｜违规｜集体审议,只写了一段\n")
    with pytest.raises(ImportRefused) as err:
        import_file(SYSTEM, path, county)
    fields = sorted((p.row, p.field) for p in err.value.report.problems)
    assert fields == [(3, "discretion"), (3, "risk_points")]
    assert PowerItem.objects.count() == 0


def test_json_rows_that_are_not_objects_are_reported(county, departments, tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([item_document(code="J-1"), "oops", item_document(code="J-1")], ensure_ascii=False),
                    encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        import_file(SYSTEM, path, county)
    assert sorted((p.row, p.field) for p in err.value.report.problems) == [(2, ""), (3, "code")]


def test_xlsx_with_errors_names_sheet_rows(county, departments, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["岳塘区权力清单"])  # a title row above the header, as real files have
    ws.append(["序号", "职权编码", "权力名称", "权力类别", "实施机关"])
    ws.append([1, "X-1", "民办学校设立审批", "许可", "岳塘区教育局"])
    ws.append([2, "X-2", "某事项", 42, "岳塘区教育局"])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    with pytest.raises(ImportRefused) as err:
        import_file(SYSTEM, path, county)
    [problem] = err.value.report.problems
    assert (problem.row, problem.field, problem.value) == (4, "category", "42")


def test_values_the_database_cannot_hold_are_refused_not_crashed_on(county, departments, tmp_path):
    docs = [
        item_document(code="R-1", statutory_limit_days=10 ** 12),
        item_document(code="R-2", responsibilities=[{"phase": "before", "stage": "受" * 120, "content": "x"}]),
        item_document(code="R-3", category="02", discretion=[{"grade": "一般", "circumstance": "x", "penalty": "y",
                                                               "min_fine": "1e20", "max_fine": None}]),
        item_document(code="R-4", flowchart={"steps": 5}),
        item_document(code="R-5", discretion=[{"grade": "级" * 40, "circumstance": "x", "penalty": "y"}]),
    ]
    path = tmp_path / "list.json"
    path.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        import_file(SYSTEM, path, county)
    assert sorted(p.row for p in err.value.report.problems) == [1, 2, 3, 4, 5]
    assert PowerItem.objects.count() == 0


def test_control_characters_are_dropped_and_long_keys_fit(county, departments, tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([item_document(code="N-1", name="民办学校\x00设立\x07审批")]), encoding="utf-8")
    import_file(SYSTEM, path, county)
    assert PowerItem.objects.get(code="N-1").name == "民办学校设立审批"
    item = create_item(SYSTEM, county, item_document(code="N-2", name="㍿" * 200))
    assert len(item.name_key) == 500
