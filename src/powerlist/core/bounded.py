"""Reading untrusted files within the limits of `powerlist.core.limits`, checked while streaming,
before the memory is spent: a zip is measured part by part through a counting read (declared
sizes can lie) before anyone parses it, and JSON has its nesting depth scanned before
`json.loads` recurses into it."""

import json
import re
import zipfile
import zlib
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

from powerlist.core import limits
from powerlist.core.errors import InvalidInput, Problem

CHUNK = 1 << 20


def check_size(path: Path, limit: str = "POWERLIST_MAX_UPLOAD_MB") -> int:
    size = path.stat().st_size
    if size > limits.in_bytes(limit):
        raise limits.refusal(path.name, limit, f"文件有 {size / limits.MB:.1f}MB")
    return size


# ---------------------------------------------------------------------------------------------
# zip (XLSX workbooks, law wheels)

def _corrupt(path: Path, why: str) -> InvalidInput:
    return InvalidInput([Problem(path.name, None, "", "", f"不是有效的 Excel 工作簿或 zip 压缩包，可能已损坏（{why}）")])


def scan_zip(path: Path, part_limit: Callable[[str], str] = lambda name: "POWERLIST_MAX_ZIP_PART_MB",
             visit: Callable[[str, bytes], None] | None = None) -> dict[str, int]:
    """Decompress every part once, counting, and refuse the file as soon as a part or the whole
    passes its limit. `part_limit(name)` names the limit of a part; `visit(name, chunk)` sees every
    decompressed chunk (to count shared strings) and may raise InvalidInput. Returns the sizes."""
    try:
        with path.open("rb") as fh:
            end = zipfile._EndRecData(fh)  # the entry count, read before ZipFile builds one object per entry
    except OSError as exc:
        raise _corrupt(path, exc.__class__.__name__) from None
    if end is None:
        raise _corrupt(path, "找不到目录")
    if end[zipfile._ECD_ENTRIES_TOTAL] > limits.get("POWERLIST_MAX_ZIP_ENTRIES"):
        raise limits.refusal(path.name, "POWERLIST_MAX_ZIP_ENTRIES", f"压缩包有 {end[zipfile._ECD_ENTRIES_TOTAL]} 个部件")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _corrupt(path, exc.__class__.__name__) from None
    with zf:
        infos = zf.infolist()
        total_limit = limits.in_bytes("POWERLIST_MAX_ZIP_TOTAL_MB")
        # what the directory declares, first: a bomb that tells the truth costs nothing
        for info in infos:
            limit = part_limit(info.filename)
            if info.file_size > limits.in_bytes(limit):
                raise limits.refusal(path.name, limit, f"部件 {info.filename[:80]} 解压后有 "
                                                       f"{info.file_size / limits.MB:.0f}MB", field=info.filename[:80])
        declared = sum(i.file_size for i in infos)
        if declared > total_limit:
            raise limits.refusal(path.name, "POWERLIST_MAX_ZIP_TOTAL_MB", f"解压后共 {declared / limits.MB:.0f}MB")
        # then what decompression really gives (zipfile also stops at the declared size and
        # checks the CRC, so a lying header ends as a corrupt file)
        sizes, total = {}, 0
        for info in infos:
            limit, name = part_limit(info.filename), info.filename
            size = 0
            try:
                with zf.open(info) as part:
                    while chunk := part.read(CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > limits.in_bytes(limit):
                            raise limits.refusal(path.name, limit, f"部件 {name[:80]} 解压后超过声明的大小",
                                                 field=name[:80])
                        if total > total_limit:
                            raise limits.refusal(path.name, "POWERLIST_MAX_ZIP_TOTAL_MB", "解压后的总大小",
                                                 field=name[:80])
                        if visit is not None:
                            visit(name, chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
                raise _corrupt(path, f"{name[:80]}: {exc}") from None
            sizes[name] = size
        return sizes


# ---------------------------------------------------------------------------------------------
# JSON

_ESCAPES = re.compile(r"\\.", re.S)
_STRINGS = re.compile(r'"[^"]*"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, brackets inside strings not counted. Escapes go
    first, so every string is a plain `"..."` and the scan stays linear; regular expressions and
    `accumulate` do the work in C."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", _ESCAPES.sub("", text)))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _line_past_depth(text: str, limit: int) -> int | None:
    """The line where nesting first passes `limit` (for the message; looks at the first 10 MB)."""
    depth, in_string, escaped, line = 0, False, False, 1
    for ch in text[:10 * limits.MB]:
        if ch == "\n":
            line += 1
        elif in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return line
        elif ch in "]}":
            depth -= 1
    return None


def loads(text: str, file: str):
    """json.loads within POWERLIST_MAX_JSON_DEPTH; every failure is an InvalidInput naming the line."""
    limit = limits.get("POWERLIST_MAX_JSON_DEPTH")
    if json_depth(text) > limit:
        line = _line_past_depth(text, limit)
        raise limits.refusal(file, "POWERLIST_MAX_JSON_DEPTH", "数组和对象嵌套过深", row=line)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput([Problem(file, exc.lineno, "", "", f"不是有效的 JSON：{exc.msg}（第{exc.lineno}行第{exc.colno}列）")]) from None
    except RecursionError:  # only if the depth limit is set above what Python can recurse
        raise limits.refusal(file, "POWERLIST_MAX_JSON_DEPTH", "数组和对象嵌套过深") from None


def load_json_file(path: Path):
    """A JSON file (UTF-8, with or without BOM) within POWERLIST_MAX_JSON_MB and the depth limit."""
    check_size(path, "POWERLIST_MAX_JSON_MB")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([Problem(path.name, None, "", "", "JSON 文件必须是 UTF-8 编码")]) from None
    return loads(text, path.name)
