import json

import pytest
from django.core.management import call_command

from powerlist.catalog.services.items import change_status, create_item
from powerlist.catalog.stats import jurisdiction_stats
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM


@pytest.fixture
def small_list(county, departments):
    create_item(SYSTEM, county, item_document(code="A1"))
    create_item(SYSTEM, county, item_document(code="A2", name="教师资格认定", category="07"))
    create_item(SYSTEM, county, item_document(code="B1", name="对无证经营的处罚", category="02",
                                              organisation="岳塘区市场监督管理局"))
    b2 = create_item(SYSTEM, county, item_document(code="B2", name="对销售过期食品的处罚", category="02",
                                                   organisation="岳塘区市场监督管理局"))
    change_status(SYSTEM, b2, "cancelled", reason="与B1重复")
    return county


def test_stats_by_category_status_and_department(small_list):
    stats = jurisdiction_stats(small_list)
    assert stats["total"] == 4
    by_cat = {r["category"]: r["by_status"] for r in stats["by_category"]}
    assert by_cat == {"01": {"draft": 1, "cancelled": 0}, "02": {"draft": 1, "cancelled": 1},
                      "07": {"draft": 1, "cancelled": 0}}
    deps = {d["organisation"]: d["by_category"] for d in stats["by_department"]}
    assert deps == {"岳塘区教育局": {"01": 1, "07": 1}, "岳塘区市场监督管理局": {"02": 2}}


def test_stats_command_prints_tables_and_json(small_list, capsys):
    call_command("stats", "--jurisdiction", "430304")
    text = capsys.readouterr().out
    assert "权力事项 4 项" in text and "02 行政处罚" in text and "岳塘区市场监督管理局" in text
    call_command("stats", "--jurisdiction", "430304", "--json")
    assert json.loads(capsys.readouterr().out)["total"] == 4
