"""The masking policy itself: every way of writing a resident ID or mobile number is masked,
office phones, hotlines, codes, dates and amounts stay as written."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.core.masking import mask_data, mask_text
from powerlist.core.tests.numbers import PUBLIC_NUMBERS, leaked, mobiles, personal_texts, resident_ids, written


@settings(max_examples=300, deadline=None)
@given(personal_texts(count=4))
def test_every_written_form_of_an_id_or_mobile_is_masked(case):
    text, numbers = case
    masked = mask_text(text)
    assert leaked(numbers, masked) == [], masked
    assert "****" in masked
    assert mask_text(masked) == masked  # masking twice changes nothing


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_masked_number_keeps_a_recognisable_shape(data):
    number = data.draw(st.one_of(mobiles(), resident_ids()))
    masked = mask_text("联系人：" + data.draw(written(number)) + "。")
    shape = {11: f"{number[:3]}****{number[-4:]}", 15: f"{number[:4]}{'*' * 8}{number[-3:]}",
             18: f"{number[:4]}{'*' * 10}{number[-4:]}"}[len(number)]
    assert shape in masked.upper()


@pytest.mark.parametrize("public", PUBLIC_NUMBERS)
def test_supervision_phones_hotlines_codes_dates_and_amounts_stay(public):
    text = f"投诉举报：{public}，受理时间工作日"
    assert mask_text(text) == text


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**20), st.sampled_from(["元", "万元", "号", "条", "年"]))
def test_amounts_that_cannot_be_a_phone_or_id_stay(amount, unit):
    text = f"罚款{amount}{unit}"
    digits = str(amount)
    could_be_personal = (len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789") or len(digits) in (15, 18)
    if not could_be_personal:
        assert mask_text(text) == text


def test_structured_data_keeps_identifiers_and_masks_every_text():
    doc = {"code": "13912345678", "conditions": "联系13912345678", "risk_points": [{"prevention": "430302199001011234"}]}
    assert mask_data(doc) == {"code": "13912345678", "conditions": "联系139****5678",
                              "risk_points": [{"prevention": "4303**********1234"}]}
