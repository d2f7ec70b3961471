import pytest
from stdnum.cn import uscc

from powerlist.core.identifiers import InvalidIdentifier, validate_uscc
from powerlist.core.text import normalise


def with_check_digit(code17: str) -> str:
    return code17 + uscc.calc_check_digit(code17)


@pytest.mark.parametrize("first", ["1", "5", "9", "A", "N", "Y"])
def test_uscc_of_every_registration_authority_is_accepted(first):
    code = with_check_digit(first + "1430304" + "MA4L0001" + "2")
    assert validate_uscc(code.lower()) == code


def test_uscc_from_the_guangan_list_is_valid():
    assert validate_uscc("11511301008778183N") == "11511301008778183N"


@pytest.mark.parametrize("bad", ["11511301008778183A", "1151130100877818", "I1511301008778183N", ""])
def test_bad_uscc_is_refused_with_a_reason(bad):
    with pytest.raises(InvalidIdentifier):
        validate_uscc(bad)


def test_matching_key_ignores_script_width_and_spaces():
    assert normalise("區教育局") == normalise("区教育局") == normalise(" 区 教育局 ")
    assert normalise("行政許可（ＡＢＣ）") == normalise("行政许可(abc)")
