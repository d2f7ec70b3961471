"""Identifier checks and masking: Unified Social Credit Code (统一社会信用代码, GB 32100-2015)
and resident identity numbers (GB 11643-1999)."""

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


_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_personal_data(text: str) -> str:
    """Mask resident ID numbers (keep region and last digit) and mobile phone numbers (keep
    first three and last four) anywhere in a text, for every public output. Office landlines
    such as supervision phones stay visible: they are published on purpose."""
    if not text:
        return text
    text = _ID_LIKE.sub(lambda m: m.group(1) + "********" + "***" + m.group(3)[-1], text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
