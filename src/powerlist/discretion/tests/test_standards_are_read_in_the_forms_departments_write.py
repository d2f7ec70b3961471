"""裁量标准 texts in the forms departments write them are read into ranges; what cannot be read is
said so, never guessed."""

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.discretion.parse import parse, penalty_types_in

FORMS = [
    ("处二万元以上十万元以下罚款", [("absolute", "20000", "100000", "")], []),
    ("处一万元以下罚款", [("absolute", "0", "10000", "")], []),
    ("处五万元以上罚款", [("absolute", "50000", None, "")], []),
    ("处五千元罚款", [("absolute", "5000", "5000", "")], []),
    ("处2万元至5万元罚款", [("absolute", "20000", "50000", "")], []),
    ("处１．５万元以上３万元以下罚款", [("absolute", "15000", "30000", "")], []),
    ("处建设项目总投资额百分之一以上百分之五以下的罚款", [("percent", "0.01", "0.05", "建设项目总投资额")], []),
    ("处货值金额1%以上5%以下罚款", [("percent", "0.01", "0.05", "货值金额")], []),
    ("处所收费用三倍以上四倍以下", [("multiple", "3", "4", "所收费用")], []),
    ("处货值金额百分之五十以上三倍以下罚款", [("multiple", "0.5", "3", "货值金额")], []),
    ("没收违法所得，并处违法所得50%以上2倍以下的罚款", [("multiple", "0.5", "2", "违法所得")], ["没收违法所得"]),
    ("没收违法所得，并处违法所得一倍以上三倍以下的罚款", [("multiple", "1", "3", "违法所得")], ["没收违法所得"]),
    ("责令停产整治，处十万元以上一百万元以下的罚款", [("absolute", "100000", "1000000", "")], ["责令停产整治"]),
    ("给予警告，可以并处五千元以下罚款", [("absolute", "0", "5000", "")], ["警告"]),
    ("吊销排污许可证", [], ["吊销许可证件"]),
]


@pytest.mark.parametrize(("text", "fines", "measures"), FORMS)
def test_each_written_form_is_read(text, fines, measures):
    got = parse(text)
    assert not got.needs_person, got.why
    assert [(f["kind"], f["min"], f["max"], f["base"]) for f in got.as_dict()["fines"]] == fines
    assert got.measures == measures


def test_daily_penalties_are_recognised():
    got = parse("责令改正；拒不改正的，依法作出处罚决定的行政机关可以自责令改正之日的次日起，按日连续处罚")
    assert got.daily and got.measures == ["责令改正"] and not got.needs_person


@pytest.mark.parametrize("text", ["处以罚款", "依法从重处理", "", "按有关规定处理"])
def test_what_cannot_be_read_waits_for_a_person(text):
    got = parse(text)
    assert got.needs_person and got.why


@settings(max_examples=200, deadline=None)
@given(low=st.integers(1, 4999), span=st.integers(1, 4999), unit=st.sampled_from(["元", "万元", "千元"]),
       chinese=st.booleans())
def test_any_amount_range_reads_back(low, span, unit, chinese):
    high = low + span
    chinese = chinese and unit != "千元"  # nobody writes 十七千元 or 一万万元: below 万 in words
    write = (lambda n: cn2an.an2cn(n)) if chinese else str
    got = parse(f"处{write(low)}{unit}以上{write(high)}{unit}以下罚款")
    scale = {"元": 1, "万元": 10_000, "千元": 1_000}[unit]
    fine = got.fines[0]
    assert (fine.minimum, fine.maximum) == (Decimal(low * scale), Decimal(high * scale))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_or_handed_to_a_person_never_an_error(text):
    got = parse(text)
    assert got.needs_person or got.fines or got.measures or got.daily


@pytest.mark.parametrize(("written", "types"), [
    ("警告、罚款", ["警告", "罚款"]),
    ("罚款并处没收违法所得", ["罚款", "没收违法所得"]),
    ("罚款+没收违法所得（没收非法财物）", ["罚款", "没收违法所得", "没收非法财物"]),
    ("罚款和罚款", ["罚款"]),
    ("", []),
])
def test_several_penalty_types_in_one_field_are_read_one_by_one(written, types):
    """The case page, the console and a department's pushed events write several types in one field
    alike; the 决定 step and supervision read them with the same separators."""
    assert penalty_types_in(written) == types
