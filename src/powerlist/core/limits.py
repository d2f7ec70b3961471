"""How much input the system accepts: one place for every limit on what a file or a request may
make us read. Each limit is a setting of the same name (tests change it with the `settings`
fixture), else an environment variable, else the default below; the README lists them.

A refusal names the limit and the variable that raises it, so the clerk who sent a file that is
merely big knows whom to ask, and an attacker's bomb is refused before it costs memory.
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from powerlist.core.errors import InvalidInput, Problem

# name: (default, unit, what it bounds)
LIMITS: dict[str, tuple[int, str, str]] = {
    "POWERLIST_MAX_UPLOAD_MB": (200, "MB", "导入文件大小"),
    "POWERLIST_MAX_ZIP_PART_MB": (512, "MB", "压缩包中单个部件（工作表、法律库）解压后的大小"),
    "POWERLIST_MAX_ZIP_TOTAL_MB": (2048, "MB", "压缩包解压后的总大小"),
    "POWERLIST_MAX_ZIP_ENTRIES": (10_000, "个", "压缩包中的部件数"),
    "POWERLIST_MAX_XLSX_META_MB": (20, "MB", "工作簿中样式、目录等整体读入的部件解压后的大小"),
    "POWERLIST_MAX_SHARED_STRINGS_MB": (100, "MB", "工作簿共享字符串表（sharedStrings.xml）解压后的大小"),
    "POWERLIST_MAX_SHARED_STRINGS": (2_000_000, "条", "工作簿共享字符串的条数"),
    "POWERLIST_MAX_CELL_CHARS": (100_000, "个字符", "单元格长度"),
    "POWERLIST_MAX_ROWS": (1_000_000, "行", "行数"),
    "POWERLIST_MAX_COLUMNS": (1_000, "列", "列数"),
    "POWERLIST_MAX_JSON_MB": (100, "MB", "JSON 文件大小"),
    "POWERLIST_MAX_JSON_DEPTH": (32, "层", "JSON 嵌套层数"),
    "POWERLIST_MAX_XML_ELEMENTS": (50_000, "个", "XML 文件（BPMN 流程图）的元素数"),
    "POWERLIST_MAX_XML_DEPTH": (64, "层", "XML 文件（BPMN 流程图）的嵌套层数"),
}
MB = 1024 * 1024


def get(name: str) -> int:
    """The limit's value: the setting, else the environment variable, else the default."""
    default = LIMITS[name][0]
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "").strip() or default
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be positive, got {value}")
    return value


def in_bytes(name: str) -> int:
    return get(name) * MB if LIMITS[name][1] == "MB" else get(name)


def describe(name: str) -> str:
    """`单元格长度上限 100000 个字符（POWERLIST_MAX_CELL_CHARS）`"""
    _default, unit, what = LIMITS[name]
    sep = "" if unit == "MB" else " "
    return f"{what}上限 {get(name)}{sep}{unit}（可由 {name} 调整）"


def refusal(file: str, name: str, found: str, row: int | None = None, field: str = "", value: str = "") -> InvalidInput:
    """The InvalidInput for input past limit `name`; `found` says what was there (in Chinese)."""
    return InvalidInput([Problem(file, row, field, value, f"{found}，超过{describe(name)}")])
