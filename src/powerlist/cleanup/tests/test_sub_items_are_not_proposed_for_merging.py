"""Real lists split one matter into sub-items (子项) by a bracket: 办理（延期）, 办理（配发）. They
are not duplicates to merge; the same name with and without a level bracket still is."""

from powerlist.cleanup.checks import find_duplicate_groups, sub_item

TRANSPORT = "岳塘区交通运输局"


def doc(code, name, department=TRANSPORT):
    return {"code": code, "name": name, "organisation": department, "citations": []}


def test_sub_items_differing_in_their_bracket_stay_apart():
    groups = find_duplicate_groups([
        doc("T1", "客运车辆道路运输证办理（延期）"), doc("T2", "客运车辆道路运输证办理（配发）"),
        doc("T3", "道路客运班线经营许可（变更经营主体）"), doc("T4", "道路客运班线经营许可（变更起讫地）"),
    ])
    assert groups == []


def test_a_level_bracket_or_a_missing_one_is_still_the_same_power():
    groups = find_duplicate_groups([
        doc("A", "食品经营许可（县级）"), doc("B", "食品经营许可", "岳塘区市场监督管理局"),
        doc("C", "求職創業補貼申領（延期）"), doc("D", "求职创业补贴申领（延期）", "岳塘区教育局"),
    ])
    assert sorted(g["codes"] for g in groups) == [["A", "B"], ["C", "D"]]


def test_what_a_bracket_says_is_read_alike_in_both_scripts():
    assert sub_item("补贴申领（變更）") == sub_item("补贴申领(变更)") and sub_item("许可（市级）") == frozenset()
