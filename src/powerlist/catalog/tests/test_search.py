"""Search as citizens use it: any fragment of a name (two characters too), simplified or
traditional, full- or half-width, codes, legal basis; exact and prefix matches first."""

import pytest

from powerlist.catalog import search
from powerlist.catalog.services.items import create_item, update_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM


@pytest.fixture
def items(county, departments):
    docs = [
        item_document(code="430304-JY-XK-001", name="民办学校设立审批", status="published"),
        item_document(code="430304-JY-XK-002", name="教师资格认定", category="07", status="published"),
        item_document(code="430304-SC-CF-001", name="对未取得食品经营许可从事食品经营活动的处罚", category="02",
                      organisation="岳塘区市场监督管理局", status="published",
                      citations=[{"kind": "setting", "text": "《中华人民共和国食品安全法》第一百二十二条"}]),
        item_document(code="430304-SC-XK-001", name="食品经营许可", organisation="岳塘区市场监督管理局", status="published"),
        item_document(code="430304-SC-XK-002", name="食品经营许可（仅销售预包装食品）备案", organisation="岳塘区市场监督管理局",
                      status="published", plain_name="卖包装食品备案"),
        item_document(code="430304-WJ-XK-001", name="权力清单公开查询服务", category="20", organisation="岳塘区卫生健康局",
                      status="published"),
        item_document(code="430304-WJ-XK-002", name="草稿中的许可", organisation="岳塘区卫生健康局"),
    ]
    return {d["code"]: create_item(SYSTEM, county, d) for d in docs}


def codes(result):
    return [i.code for i in result.items]


def test_two_character_queries_find_every_item_containing_them(items):
    result = search.search("许可")
    assert result.total == 3 and "430304-WJ-XK-002" not in codes(result)  # drafts are not public


def test_traditional_and_full_width_queries(items):
    assert codes(search.search("權力清單")) == ["430304-WJ-XK-001"]
    assert codes(search.search("食品經營許可")) == ["430304-SC-XK-001", "430304-SC-XK-002", "430304-SC-CF-001"]
    assert codes(search.search("（仅销售预包装食品）")) == ["430304-SC-XK-002"]


def test_exact_then_prefix_then_the_rest(items):
    result = search.search("食品经营许可")
    assert codes(result) == ["430304-SC-XK-001", "430304-SC-XK-002", "430304-SC-CF-001"]


def test_plain_names_codes_and_legal_basis(items):
    assert codes(search.search("包装食品备案")) == ["430304-SC-XK-002"]
    assert codes(search.search("430304-JY")) == ["430304-JY-XK-001", "430304-JY-XK-002"]
    assert codes(search.search("食品安全法")) == ["430304-SC-CF-001"]


def test_no_match_and_substrings_across_fields_do_not_match(items):
    assert search.search("教育局审批").total == 0  # department names are not item text
    assert search.search("不存在的事项").total == 0


def test_filters_and_pages(items, departments):
    market = departments["岳塘区市场监督管理局"]
    assert search.search("食品", organisation=market, category="01").total == 2
    assert search.search("", category="02").total == 1
    first = search.search("", per_page=2, page=1)
    second = search.search("", per_page=2, page=2)
    assert first.total == 6 and first.pages == 3 and not set(codes(first)) & set(codes(second))


def test_one_character_query(items):
    assert search.search("师").total == 1


def test_index_follows_changes(items):
    item = items["430304-JY-XK-002"]
    update_item(SYSTEM, item, {"name": "中小学教师资格认定"}, reason="规范名称")
    assert codes(search.search("中小学")) == ["430304-JY-XK-002"]
    assert search.search("教师资格认定").items[0].name == "中小学教师资格认定"
