"""An environmental and a price department import their discretion tables as they keep them
(merged cells, one sheet per law); the officer at the 决定 step is shown the range for the facts
picked, and the rows a machine cannot read wait for a person."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied
from powerlist.core.models import AuditEntry
from powerlist.core.scope import SYSTEM
from powerlist.core.services import organisations as org_services
from powerlist.discretion.models import Benchmark
from powerlist.discretion.services import tables
from powerlist.discretion.tests.tables import ENVIRONMENT, PRICES, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def penalties(county, departments):
    eco = org_services.create_organisation(SYSTEM, county, name="湘潭市生态环境局岳塘分局")
    made = {}
    for code, name, org in [
        ("430304-HB-CF-001", "对未依法取得排污许可证排放污染物的处罚", eco.name),
        ("430304-HB-CF-002", "对建设项目未依法进行环境影响评价擅自开工建设的处罚", eco.name),
        ("430304-HB-CF-003", "对拒不改正违法排放污染物行为的处罚", eco.name),
        ("430304-SC-CF-001", "违反规定收取费用的处罚", "岳塘区市场监督管理局"),
    ]:
        made[code] = create_item(SYSTEM, county, item_document(code=code, name=name, category="02", organisation=org,
                                                                 status="published"))
    return made


def test_reviewer_imports_a_table_with_merged_cells_and_the_officer_sees_the_range(tmp_path, penalties, users):
    path = write(tmp_path / "裁量基准.xlsx", {"环境保护法": ("生态环境行政处罚裁量基准（环境保护法）", ENVIRONMENT),
                                             "价格法": ("价格行政处罚裁量基准", PRICES)})
    report = tables.import_table(users["reviewer"], path, "430304")
    assert report.rows == 8 and report.items == 4
    # the violation's name, number and basis were written once for its grades: each grade has them
    rows = Benchmark.objects.filter(item=penalties["430304-HB-CF-001"]).order_by("row")
    assert [r.grade for r in rows] == ["轻微", "一般", "严重"]
    assert {r.basis for r in rows} == {"《中华人民共和国环境保护法》第六十三条"}
    assert rows[0].sheet == "生态环境行政处罚裁量基准（环境保护法）"

    serious = tables.allowed_range(penalties["430304-HB-CF-001"], "严重")
    assert serious["fines"][0]["min_yuan"] == "100000" and serious["fines"][0]["max_yuan"] == "1000000"
    assert serious["measures"] == ["责令停产整治"]
    assert tables.within(penalties["430304-HB-CF-001"], "一般", 80000)
    assert not tables.within(penalties["430304-HB-CF-001"], "轻微", 80000)  # above 轻微's five ten-thousands

    # a percentage of the investment: needs the base, then it is yuan
    eia = penalties["430304-HB-CF-002"]
    assert tables.allowed_range(eia, "一般")["fines"][0]["needs_base"] == "建设项目总投资额"
    ranged = tables.allowed_range(eia, "严重", base="2000000")
    assert (Decimal(ranged["fines"][0]["min_yuan"]), Decimal(ranged["fines"][0]["max_yuan"])) == (60000, 100000)
    assert tables.allowed_range(penalties["430304-HB-CF-003"], "一般")["daily"] is True
    fees = tables.allowed_range(penalties["430304-SC-CF-001"], "一般", base=1000)
    assert fees["measures"] == ["没收违法所得"] and fees["fines"][0]["max_yuan"] == "4000"

    # what could not be read is listed, never dropped, and refuses to give a range
    assert [n["standard"] for n in report.needs_person] == ["依法从重处理"]
    with pytest.raises(NotFound, match="还没有结构化"):
        tables.allowed_range(penalties["430304-SC-CF-001"], "严重")
    with pytest.raises(NotFound, match="没有与“特别严重”对应的一档"):
        tables.allowed_range(penalties["430304-HB-CF-001"], "特别严重")
    assert AuditEntry.objects.filter(action="discretion.import").count() == 1


def test_a_table_with_an_unmatched_violation_imports_nothing(tmp_path, penalties, users):
    unknown = [("9", "未按规定公示收费标准的违法行为", "《价格法》", [("一般", "", "处五千元以下罚款", "")])]
    path = write(tmp_path / "t.xlsx", {"价格法": ("价格", PRICES + unknown)})
    with pytest.raises(InvalidInput) as refused:
        tables.import_table(users["reviewer"], path, "430304")
    problem = refused.value.problems[0]
    assert (problem.file, problem.field) == ("t.xlsx", "价格法/违法行为") and problem.row == 5
    assert Benchmark.objects.count() == 0


def test_overlapping_grades_of_one_violation_are_refused(tmp_path, penalties, users):
    twice = [("1", "违反规定收取费用", "《价格法》", [("一般", "", "处一万元以下罚款", ""),
                                                   ("一般", "", "处二万元以下罚款", "")])]
    with pytest.raises(InvalidInput, match="不能重叠"):
        tables.import_table(users["reviewer"], write(tmp_path / "t.xlsx", {"s": ("t", twice)}), "430304")


def test_a_clerk_imports_only_its_own_departments_table(tmp_path, penalties, users):
    path = write(tmp_path / "t.xlsx", {"价格法": ("价格", PRICES)})
    with pytest.raises(PermissionDenied):
        tables.import_table(users["clerk"], path, "430304")  # the education bureau's clerk
    assert tables.import_table(users["market_clerk"], path, "430304").rows == 2


def test_a_new_import_supersedes_the_old_rows_of_its_items(tmp_path, penalties, users):
    tables.import_table(users["reviewer"], write(tmp_path / "a.xlsx", {"价格法": ("价格", PRICES)}), "430304")
    cheaper = [("1", "违反规定收取费用", "《价格法》第三十九条", [("一般", "", "处所收费用一倍以上二倍以下的罚款", "")])]
    tables.import_table(users["reviewer"], write(tmp_path / "b.xlsx", {"价格法": ("价格", cheaper)}), "430304")
    item = penalties["430304-SC-CF-001"]
    assert tables.allowed_range(item, "一般", base=100)["fines"][0]["max_yuan"] == "200"
    assert Benchmark.objects.filter(item=item, in_force=False).count() == 2  # kept, no longer in force


def test_the_table_goes_to_dmn_and_back(tmp_path, penalties, users):
    tables.import_table(users["reviewer"], write(tmp_path / "t.xlsx", {"环境保护法": ("环保", ENVIRONMENT)}), "430304")
    out = tmp_path / "t.dmn"
    call_command("discretion", "export", "--jurisdiction", "430304", "-o", str(out))
    assert b"hitPolicy=\"UNIQUE\"" in out.read_bytes()
    before = {(b.item_id, b.grade, b.standard) for b in Benchmark.objects.filter(in_force=True)}
    tables.import_table(users["reviewer"], out, "430304")
    after = {(b.item_id, b.grade, b.standard) for b in Benchmark.objects.filter(in_force=True)}
    assert before == after


def test_a_dmn_table_with_a_gap_or_an_overlap_is_refused(tmp_path, penalties, users):
    tables.import_table(users["reviewer"], write(tmp_path / "t.xlsx", {"环境保护法": ("环保", ENVIRONMENT)}), "430304")
    out = tmp_path / "t.dmn"
    call_command("discretion", "export", "--jurisdiction", "430304", "--item", "430304-HB-CF-001", "-o", str(out))
    text = out.read_text()
    gap = tmp_path / "gap.dmn"
    gap.write_text(text.replace('"轻微","一般","严重"', '"轻微","一般","较重","严重"'))
    with pytest.raises(InvalidInput, match="较重.*no row matches"):
        tables.import_table(users["reviewer"], gap, "430304")
    overlap = tmp_path / "overlap.dmn"
    overlap.write_text(text.replace("<text>&quot;严重&quot;</text>", "<text>-</text>").replace(
        '<text>"严重"</text>', "<text>-</text>"))
    with pytest.raises(InvalidInput, match="重叠"):
        tables.import_table(users["reviewer"], overlap, "430304")


def test_hostile_dmn_is_refused_without_being_parsed(tmp_path, penalties, users):
    bomb = tmp_path / "bomb.dmn"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
                    '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/">&a;</definitions>')
    with pytest.raises(InvalidInput, match="DTD"):
        tables.import_table(users["reviewer"], bomb, "430304")


def test_the_console_imports_and_shows_the_range(tmp_path, penalties, users, capsys):
    path = write(tmp_path / "t.xlsx", {"价格法": ("价格", PRICES)}, merge=False)
    call_command("discretion", "import", str(path), "--jurisdiction", "430304", "--as", "reviewer1", "--json")
    assert json.loads(capsys.readouterr().out)["rows"] == 2
    call_command("discretion", "range", "--jurisdiction", "430304", "--item", "430304-SC-CF-001", "--facts", "一般",
                 "--base", "500", "--json")
    assert json.loads(capsys.readouterr().out)["fines"][0]["max_yuan"] == "2000"
    call_command("discretion", "range", "--jurisdiction", "430304", "--item", "430304-SC-CF-001", "--facts", "一般")
    shown = capsys.readouterr().out  # without the base: the share as the standard writes it
    assert "需给出基数" in shown and ("倍" in shown or "%" in shown) and "multiple" not in shown and "percent" not in shown
    call_command("discretion", "check", "--jurisdiction", "430304", "--json")
    assert [n["standard"] for n in json.loads(capsys.readouterr().out)["needs_person"]] == ["依法从重处理"]
    with pytest.raises(CommandError, match="没有与“轻微”对应"):
        call_command("discretion", "range", "--jurisdiction", "430304", "--item", "430304-SC-CF-001", "--facts", "轻微")


def test_a_daily_penalty_row_is_stored_for_the_supervision_rule_also_for_earlier_imports(tmp_path, penalties, users):
    """按日连续处罚 allowed by a row is an allowance row of kind `daily` (what penalty-out-of-range joins);
    the migration gives it to rows imported before."""
    import importlib

    from django.apps import apps

    from powerlist.discretion.models import Allowance
    from powerlist.supervision.models import Rule

    tables.import_table(users["reviewer"], write(tmp_path / "裁量基准.xlsx", {
        "环境保护法": ("生态环境行政处罚裁量基准（环境保护法）", ENVIRONMENT)}), "430304")
    daily = Benchmark.objects.get(item=penalties["430304-HB-CF-003"])
    assert daily.parsed["daily"] and set(daily.allowances.values_list("kind", "name")) == {
        ("measure", "责令改正"), ("daily", "按日连续处罚")}
    assert not Allowance.objects.filter(kind="daily").exclude(benchmark=daily).exists()

    migration = importlib.import_module("powerlist.discretion.migrations.0004_daily_allowances")
    Allowance.objects.filter(kind="daily").delete()  # as imported before the migration
    Rule.objects.filter(code="penalty-out-of-range").update(basis=migration.OLD_PENALTY_BASIS)
    migration.load(apps, None)
    migration.load(apps, None)  # run twice: still one
    assert list(Allowance.objects.filter(kind="daily").values_list("benchmark_id", flat=True)) == [daily.pk]
    assert "按日连续处罚的，核对每日罚款额" in Rule.objects.get(code="penalty-out-of-range").basis
