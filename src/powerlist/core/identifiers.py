"""Identifier checks: Unified Social Credit Code (统一社会信用代码, GB 32100-2015)
and resident identity numbers (GB 11643-1999). Masking for the public: powerlist.core.masking."""

import re

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

# GB 32100-2015 第4.1条: the first character is the registration authority (1-9, A-G for other
# authorities, N for 农业, Y for others); python-stdnum wants the first eight characters to be
# digits and so rejects valid codes of 民政 (5...), 工商 (9...) it accepts, but A/N/Y ones it
# rejects. The check digit it computes is right for all of them, so we check the layout here
# and reuse its check digit.
_USCC_LAYOUT = re.compile(r"^[1-9A-GNY][0-9A-HJ-NP-RTUW-Y][0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$")


class InvalidIdentifier(ValueError):
    pass


def validate_uscc(value: str) -> str:
    code = uscc.compact(value or "")
    if len(code) != 18:
        raise InvalidIdentifier(f"统一社会信用代码应为18位，实际{len(code)}位：{value!r}")
    if not _USCC_LAYOUT.match(code):
        raise InvalidIdentifier(f"统一社会信用代码格式不符合 GB 32100-2015：{value!r}")
    if uscc.calc_check_digit(code) != code[-1]:
        raise InvalidIdentifier(f"统一社会信用代码校验位错误：{value!r}")
    return code


def validate_resident_id(value: str) -> str:
    try:
        return ric.validate(value)
    except stdnum_errors.ValidationError as exc:
        raise InvalidIdentifier(f"居民身份证号码无效：{exc}") from exc

