"""A reviewer compares the county's list with a peer county's published list, or with a file
(`powerlist compare`): matched with a score, only ours, only theirs."""

import csv
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.catalog.models import PowerItem
from powerlist.catalog.services.items import create_item
from powerlist.catalog.services.versions import publish_version
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.core.services import organisations as org_services

OURS = [("Y1", "民办学校设立审批", "01"), ("Y2", "对无证经营的处罚", "02"), ("Y3", "教师资格认定", "07"),
        ("Y4", "燃气经营许可", "01")]
THEIRS = [("H1", "雨湖区教育局民办学校设立审批（县级）", "01"), ("H2", "對無證經營違法行為的處罰", "02"),
          ("H3", "教师资格认定（含变更）", "07"), ("H4", "殡葬设施建设审批", "01")]


@pytest.fixture
def two_counties(county, other_county, departments):
    org_services.create_organisation(SYSTEM, other_county, name="雨湖区教育局")
    for code, name, category in OURS:
        create_item(SYSTEM, county, item_document(code=code, name=name, category=category, status="published"))
    for code, name, category in THEIRS:
        create_item(SYSTEM, other_county, item_document(code=code, name=name, category=category,
                                                        organisation="雨湖区教育局", status="published"))
    publish_version(SYSTEM, other_county, title="雨湖区权力清单")  # theirs from a version, ours from published items
    return county, other_county


EXPECTED = {"matched": [{"ours": "Y1", "theirs": "H1"}, {"ours": "Y2", "theirs": "H2"},
                        {"ours": "Y3", "theirs": "H3"}], "only_ours": ["Y4"], "only_theirs": ["H4"]}


def _pairs(result):
    return {"matched": [{"ours": m["ours"], "theirs": m["theirs"]} for m in result["matched"]],
            "only_ours": result["only_ours"], "only_theirs": result["only_theirs"]}


def test_compare_two_jurisdictions_as_json(two_counties, capsys):
    call_command("compare", "--ours", "430304", "--theirs", "430302", "--json")
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"matched", "only_ours", "only_theirs"}
    assert _pairs(result) == EXPECTED
    assert all(0.85 <= m["score"] <= 1 for m in result["matched"])


def test_compare_prints_a_readable_report(two_counties, capsys):
    call_command("compare", "--ours", "430304", "--theirs", "430302")
    text = capsys.readouterr().out
    assert "匹配 3 项，仅我方有 1 项，仅对方有 1 项" in text
    assert "Y4 燃气经营许可" in text and "H4 殡葬设施建设审批" in text


def test_compare_with_a_file_without_codes_names_rows(two_counties, tmp_path, capsys):
    path = tmp_path / "peer.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["序号", "事项名称", "实施主体"])  # the importer wants two columns it knows
        for n, (_code, name, _cat) in enumerate(THEIRS, 1):
            writer.writerow([n, name, "雨湖区教育局"])
    call_command("compare", "--ours", "430304", "--theirs", str(path), "--json")
    result = json.loads(capsys.readouterr().out)
    # row numbers as a spreadsheet shows them (the header is row 1), as ints
    assert _pairs(result) == {"matched": [{"ours": "Y1", "theirs": 2}, {"ours": "Y2", "theirs": 3},
                                          {"ours": "Y3", "theirs": 4}], "only_ours": ["Y4"], "only_theirs": [5]}


def test_compare_two_files_exported_by_powerlist(two_counties, tmp_path, capsys):
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.xlsx"
    call_command("export", "--jurisdiction", "430304", "--format", "json", "-o", str(ours))
    call_command("export", "--jurisdiction", "430302", "--format", "xlsx", "-o", str(theirs))
    capsys.readouterr()
    call_command("compare", "--ours", str(ours), "--theirs", str(theirs), "--json")
    assert _pairs(json.loads(capsys.readouterr().out)) == EXPECTED
    assert PowerItem.objects.count() == 8  # read only


def test_compare_refuses_what_is_neither_a_list_nor_a_jurisdiction(two_counties, tmp_path):
    with pytest.raises(CommandError, match="还没有已公布的清单"):
        call_command("compare", "--ours", "430304", "--theirs", "4303")
    with pytest.raises(CommandError, match="不存在"):
        call_command("compare", "--ours", "430304", "--theirs", str(tmp_path / "missing.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="找不到表头"):
        call_command("compare", "--ours", "430304", "--theirs", str(bad))


def test_two_files_match_across_city_and_county_prefixes(county, tmp_path, capsys):
    def write(name, rows):
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["职权编码", "事项名称"])
            w.writerows(rows)
        return str(path)

    ours = write("o.csv", [["A1", "教师资格认定"], ["A2", "客运班线延续经营许可"]])
    theirs = write("t.csv", [["B1", "湘潭市教师资格认定"], ["B2", "湖南省湘潭市客運班线延續經營許可（市级/县级）"]])
    call_command("compare", "--ours", ours, "--theirs", theirs, "--json")
    result = json.loads(capsys.readouterr().out)
    assert sorted((m["ours"], m["theirs"]) for m in result["matched"]) == [("A1", "B1"), ("A2", "B2")]
    assert result["only_ours"] == [] and result["only_theirs"] == []
