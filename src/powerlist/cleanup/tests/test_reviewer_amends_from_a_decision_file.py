"""A reviewer's decision file says which fields a 调整 (amend) changes: its 调整字段 column, `字段：新值`
one per line in the cell or separated by ；, the field as the list's column (承诺时限, 设定依据,
事项类型 …) or its English name. The amendment is recorded as the workbench's is (each field
before → after) and applied at publication; a field or value the item refuses, or 调整字段 on
another decision, refuses the whole file naming file, row, column and what is expected."""

import pytest
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from powerlist.cleanup import field_changes
from powerlist.cleanup.models import Decision
from powerlist.cleanup.tests.campaign_files import run, write_csv, write_xlsx
from powerlist.cleanup.tests.workbench_campaign import BASIS, EDU, MARKET, open_campaign

HEADER = ["职权编码", "决定", "理由", "承接", "合并到", "调整字段"]
NEW_BASIS = "《民办教育促进法》第十二条"


@pytest.fixture
def campaign(users, tmp_path):
    return open_campaign(tmp_path, clerks=(("edu_clerk", EDU), ("market_clerk", MARKET)))


def decide(campaign, path):
    return run("campaign", "decide", "--campaign", str(campaign.pk), "--file", str(path), "--as", "reviewer1")


@pytest.mark.parametrize("write", [write_csv, write_xlsx])
def test_reviewer_amends_fields_named_in_chinese_or_english(campaign, tmp_path, write):
    path = write(tmp_path / f"d.{'csv' if write is write_csv else 'xlsx'}", HEADER, [
        ["E1", "调整", "", "", "", f"承诺时限：15；设定依据：{NEW_BASIS}\n事项类型：行政确认"],
        ["E2", "调整", "名称不规范", "", "", "name: 教师资格认定（高级中学）; fee_standard: 不收费"],
        ["M1", "保留", "", "", "", ""]])
    assert "已记录 3 项决定" in decide(campaign, path)
    e1 = Decision.objects.get(entry__item__code="E1")
    assert e1.kind == "amend"
    assert set(e1.changes) == {"category", "citations", "promised_limit_days"}
    assert e1.changes["citations"] == {"before": [{"kind": "setting", "text": BASIS}],
                                       "after": [{"kind": "setting", "text": NEW_BASIS}]}
    assert e1.changes["promised_limit_days"]["after"] == 15 and e1.changes["category"]["after"] == "07"
    e2 = Decision.objects.get(entry__item__code="E2")
    assert e2.changes == {"name": {"before": "教师资格认定", "after": "教师资格认定（高级中学）"},
                          "fee_standard": {"before": "", "after": "不收费"}}


def test_a_bad_changed_fields_cell_refuses_the_file_naming_row_and_column(campaign, tmp_path):
    path = write_csv(tmp_path / "bad.csv", HEADER, [
        ["E1", "调整", "", "", "", "承诺时限：15"],
        ["E2", "调整", "", "", "", "颜色：红色"],
        ["E3", "调整", "", "", "", "承诺时限：99999"],
        ["M1", "保留", "", "", "", "事项名称：新名称"],
        ["M2", "调整", "", "", "", ""]])
    with pytest.raises(CommandError) as exc:
        decide(campaign, path)
    text = str(exc.value)
    assert "bad.csv 第3行 [调整字段] 值“颜色：红色”：每行写一项修改：字段：新值" in text
    assert "bad.csv 第4行 [调整字段] 值“承诺时限（工作日）：99999”" in text
    assert "bad.csv 第5行 [调整字段] 值“事项名称：新名称”：只有“调整”决定填写调整字段" in text
    assert "bad.csv 第6行 [调整字段]" in text and "调整须写明要修改的字段及新值" in text
    assert "第2行" not in text
    assert not Decision.objects.exists()


def test_the_decision_template_headers_are_read(tmp_path):
    from powerlist.cleanup import decision_files

    path = write_csv(tmp_path / "t.csv", decision_files.HEADER, [["E1", "调整", "", "", "", "承诺时限：5", "请核实"]])
    assert decision_files.read(path) == [{"row": 2, "code": "E1", "kind": "调整", "reason": "", "receiver": "",
                                          "merge_into": "", "changes": "承诺时限：5", "comment": "请核实"}]
    path = write_csv(tmp_path / "en.csv", ["code", "decision", "changed fields"], [["E1", "amend", "name：甲"]])
    assert decision_files.read(path) == [{"row": 2, "code": "E1", "kind": "amend", "changes": "name：甲"}]


NAMES = ["事项名称", "承诺时限", "承诺时限（工作日）", "设定依据", "收费标准", "事项类型", "name", "fee_basis",
         "promised_limit_days"]
VALUE = st.text(alphabet=st.characters(blacklist_characters="；;：:\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
                                       blacklist_categories=("Cs",)), max_size=20).map(str.strip)


@given(pairs=st.lists(st.tuples(st.sampled_from(NAMES), VALUE), min_size=1, max_size=6),
       separators=st.lists(st.sampled_from(["\n", "；", ";", "\r\n"]), min_size=6, max_size=6))
def test_changed_fields_read_back_whatever_the_separators(pairs, separators):
    text = pairs[0][0] + "：" + pairs[0][1]
    for (name, value), sep in zip(pairs[1:], separators, strict=False):
        text += sep + name + "：" + value
    read, unread = field_changes.parse(text)
    assert unread == []
    assert read == [(field_changes.field_of(n), v) for n, v in pairs]


def test_reviewer_amends_the_basis_on_the_workbench_and_the_form_reads_it_back(campaign, users):
    from django.test import Client

    reviewer = Client()
    reviewer.force_login(users["reviewer"])
    url = f"/office/campaigns/{campaign.pk}/items/E1/"
    response = reviewer.post(url + "decide/", {"kind": "amend", "changes": f"设定依据：{NEW_BASIS}\n承诺时限：5个自然日"},
                             HTTP_HX_REQUEST="true")
    panel = response.content.decode()
    decision = Decision.objects.get(entry__item__code="E1")
    assert set(decision.changes) == {"citations", "promised_limit_days", "promised_limit_unit"}
    assert f"<del>{BASIS}</del> → <ins>{NEW_BASIS}</ins>" in panel
    # the form shows the amendment as it is written, and sending it again records the same
    assert f"设定依据：{NEW_BASIS}\n承诺时限（工作日）：5个自然日" in panel
    reviewer.post(url + "decide/", {"kind": "amend", "changes": f"设定依据：{NEW_BASIS}\n承诺时限（工作日）：5个自然日"})
    assert Decision.objects.get(entry__item__code="E1").changes == decision.changes
