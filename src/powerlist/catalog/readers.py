"""Reading lists as governments send them: XLSX, CSV (UTF-8 with or without BOM, GB18030/GBK)
and JSON. Rows are streamed, so a 100,000-row file does not sit in memory.

A reader yields (row number as a person sees it in a spreadsheet, {field: value}). Whatever
makes a file unreadable is raised as InvalidInput naming the file. Every file is read within
the limits of `powerlist.core.limits` (size, decompressed parts, shared strings, cell length,
rows, columns, JSON depth), checked while streaming: a bomb is refused before it costs memory.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from powerlist.catalog.documents import MAP_FIELDS, match_headers
from powerlist.core import bounded, limits
from powerlist.core.errors import InvalidInput, Problem

HEADER_SEARCH_ROWS = 10  # real files often carry a title row or two above the header
FORMULA_STARTS = "=+-@\t\r"  # what spreadsheets evaluate (OWASP CSV injection)
ROW_CELLS = 10  # a CSV line may hold this many cells of the longest length, and no more
# the columns an import needs; reading a list only to compare it (cleanup's compare) needs the name alone
IMPORT_REQUIRED = ("code", "name", "category", "organisation")


@dataclass
class Source:
    path: Path
    format: str
    encoding: str = ""
    header_row: int = 0
    columns: dict[int, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    nested: bool = False  # JSON documents in our own nested shape
    rows: Iterator = iter(())


def _refuse(path: Path, expected: str, row: int | None = None, value: str = "") -> InvalidInput:
    return InvalidInput([Problem(path.name, row, "", value, expected)])


def sniff_format(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise _refuse(path, "文件不存在") from None
    except IsADirectoryError:
        raise _refuse(path, "是一个目录，不是文件") from None
    except OSError as exc:
        raise _refuse(path, f"无法读取文件（{exc.strerror}）") from None
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(path, "是旧版 Excel（.xls）或其他 Office 二进制文件：请在 Excel/WPS 中另存为 .xlsx 后再导入")
    if suffix in (".xlsx", ".xlsm"):
        raise _refuse(path, "扩展名是 .xlsx，但内容不是 Excel 工作簿（文件已损坏或不是电子表格）")
    if suffix == ".json" or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "json"
    if suffix in (".csv", ".txt", ".tsv", ""):
        return "csv"
    raise _refuse(path, "不支持的文件类型：应为 .xlsx、.csv 或 .json")


def detect_encoding(path: Path) -> str:
    """utf-8-sig if the whole file decodes as UTF-8, else gb18030 (a superset of GBK and GB2312,
    which most government systems export); otherwise the file is refused with the line of the
    first bad byte. Decoding runs in C over 1 MB chunks."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        offset = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    if b"\x00" in chunk:
                        raise _refuse(path, "含有空字节：这不是文本格式的 CSV 文件（是否为其他二进制文件？）")
                    decoder.decode(chunk)
                    offset += len(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as exc:
            bad_at = offset + exc.start
            continue
    with path.open("rb") as fh:
        line = fh.read(bad_at).count(b"\n") + 1
    raise _refuse(path, "编码无法识别：既不是 UTF-8 也不是 GB18030/GBK，请另存为 UTF-8 编码的 CSV", row=line)


def _find_header(rows: list[list], mapping: dict[str, str]) -> tuple[int, dict[int, str], list[str]]:
    best = (-1, {}, [])
    for idx, row in enumerate(rows):
        headers = ["" if v is None else str(v) for v in row]
        columns, ignored = match_headers(headers, mapping)
        if len(columns) > len(best[1]):
            best = (idx, columns, ignored)
    return best


def _check_columns(path: Path, number: int, row, max_columns: int) -> None:
    if len(row) > max_columns:
        raise limits.refusal(path.name, "POWERLIST_MAX_COLUMNS", f"这一行有 {len(row)} 列", row=number)


def _check_rows(path: Path, number: int, max_rows: int) -> None:
    if number > max_rows:
        raise limits.refusal(path.name, "POWERLIST_MAX_ROWS", f"文件超过 {max_rows} 行", row=number)


class _LineTooLong(Exception):
    pass


def _bounded_lines(fh, max_chars: int):
    """The lines of a text file, none longer than `max_chars`: a 50 MB line is refused after
    reading `max_chars` of it, not after holding all of it."""
    while line := fh.readline(max_chars + 1):
        if len(line) > max_chars:
            raise _LineTooLong
        yield line


def _check_header(path: Path, source: Source, mapping: dict[str, str], headers_seen: list,
                  required: tuple = IMPORT_REQUIRED) -> None:
    fields = set(source.columns.values())
    unknown_maps = sorted(f for f in mapping if f not in MAP_FIELDS)
    if unknown_maps:
        raise _refuse(path, f"--map 中的字段名 {', '.join(unknown_maps)} 无效；可用字段：{', '.join(MAP_FIELDS)}")
    flat_headers = {str(h) for row in headers_seen for h in row if h not in (None, "")}
    missing_maps = [f"{f}={h}" for f, h in mapping.items() if h not in flat_headers]
    if missing_maps:
        raise _refuse(path, f"--map 指定的列在文件中不存在：{', '.join(missing_maps)}")
    needed = [f for f in required if f not in fields]
    if "name" not in fields or len(fields) < 2:
        raise _refuse(path, "找不到表头：前10行中没有“事项名称/权力名称”等可识别的列名；"
                            "请检查文件，或用 --map 字段=列名 指定（如 --map name=item_name）",
                      row=1, value=", ".join(str(h) for h in (headers_seen[0] if headers_seen else [])[:8]))
    if needed:
        raise _refuse(path, "缺少必需的列：" + "、".join(needed) + "；可用 --map 字段=列名 指定",
                      row=source.header_row)


def open_csv(path: Path, mapping: dict[str, str], required: tuple = IMPORT_REQUIRED) -> Source:
    encoding = detect_encoding(path)
    max_cell, max_rows = limits.get("POWERLIST_MAX_CELL_CHARS"), limits.get("POWERLIST_MAX_ROWS")
    max_columns = limits.get("POWERLIST_MAX_COLUMNS")
    # a line longer than ROW_CELLS cells is refused as it is read; a cell within it, but past the
    # limit, is refused by _cells naming its column
    csv.field_size_limit(max_cell * ROW_CELLS)
    fh = path.open(encoding=encoding, newline="")
    first_line = fh.readline(max_cell * ROW_CELLS)
    fh.seek(0)
    # tab-separated exports (.tsv, or a header with tabs and no commas) are common from WPS
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in first_line and "," not in first_line) else ","
    reader = csv.reader(_bounded_lines(fh, max_cell * ROW_CELLS), delimiter=delimiter)

    def refused(number: int, exc: Exception) -> InvalidInput:
        if isinstance(exc, _LineTooLong):
            found = f"这一行超过 {max_cell * ROW_CELLS} 个字符（{ROW_CELLS} 个最长的单元格）"
        elif "field larger" in str(exc):
            found = "这一行有过长的单元格"
        else:
            return _refuse(path, f"不是有效的 CSV（{exc}）", row=number)
        return limits.refusal(path.name, "POWERLIST_MAX_CELL_CHARS", found, row=number)

    head = []
    try:
        for row in reader:
            head.append(row)
            _check_columns(path, len(head), row, max_columns)
            if len(head) >= HEADER_SEARCH_ROWS:
                break
    except (csv.Error, _LineTooLong) as exc:
        fh.close()
        raise refused(len(head) + 1, exc) from None
    except InvalidInput:
        fh.close()
        raise
    idx, columns, ignored = _find_header(head, mapping)
    source = Source(path, "csv", encoding, idx + 1, columns, ignored)
    try:
        _check_header(path, source, mapping, head, required)
    except InvalidInput:
        fh.close()
        raise

    def rows():
        number = idx + 1
        try:
            for row in head[idx + 1:]:
                number += 1
                _check_rows(path, number, max_rows)
                yield number, row
            for row in reader:
                number += 1
                _check_rows(path, number, max_rows)
                _check_columns(path, number, row, max_columns)
                yield number, row
        except (csv.Error, _LineTooLong) as exc:
            raise refused(number + 1, exc) from None
        finally:
            fh.close()

    source.rows = (_cells(path, n, row, columns, max_cell) for n, row in rows() if any(v.strip() for v in row))
    return source


def _unguard(value):
    """Undo the export's formula guard: `'=SUM(A1)` was written for the text `=SUM(A1)`."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def _cells(path: Path, number: int, row, columns: dict[int, str], max_cell: int) -> tuple[int, dict]:
    n = len(row)
    cells = {f: _unguard(row[i]) for i, f in columns.items() if i < n and row[i] is not None}
    for i, f in columns.items():
        if isinstance(cells.get(f), str) and len(cells[f]) > max_cell:
            raise limits.refusal(path.name, "POWERLIST_MAX_CELL_CHARS", f"第{i + 1}列的单元格有 {len(cells[f])} 个字符",
                                 row=number, field=f, value=cells[f][:40])
    return number, cells


def open_xlsx(path: Path, mapping: dict[str, str], required: tuple = IMPORT_REQUIRED) -> Source:
    import openpyxl  # imported here: the CSV path should not pay for it

    import powerlist.catalog.xlsx_reader  # noqa: F401 - opens sheets without reading them whole

    _scan_xlsx(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever a malformed workbook makes openpyxl raise
        raise _refuse(path, f"不是有效的 Excel 工作簿（{exc.__class__.__name__}）") from None
    best = None
    try:
        for ws in wb.worksheets:
            head = []
            for number, r in enumerate(ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1):
                _check_columns(path, number, r, limits.get("POWERLIST_MAX_COLUMNS"))
                head.append(list(r))
            idx, columns, ignored = _find_header(head, mapping)
            if best is None or len(columns) > len(best[2]):
                best = (ws, idx, columns, ignored, head)
    except InvalidInput:
        wb.close()
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet openpyxl cannot read
        wb.close()
        raise _refuse(path, f"读取工作表时出错（{exc.__class__.__name__}）") from None
    if best is None:
        wb.close()
        raise _refuse(path, "工作簿中没有工作表")
    ws, idx, columns, ignored, head = best
    source = Source(path, "xlsx", "", idx + 1, columns, ignored)
    try:
        _check_header(path, source, mapping, head, required)
    except InvalidInput:
        wb.close()
        raise

    sheet = wb.worksheets.index(ws)
    wb.close()
    source.rows = _xlsx_rows(path, sheet, idx + 2, columns)
    return source


_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3}\d*(?::[A-Z]{1,3}\d*)?)\"")


def _xlsx_part_limit(name: str) -> str:
    """Worksheets are streamed; every other part (shared strings, styles, the workbook) openpyxl
    reads whole, so those get the smaller limits."""
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return "POWERLIST_MAX_ZIP_PART_MB"
    if name.endswith("sharedStrings.xml"):
        return "POWERLIST_MAX_SHARED_STRINGS_MB"
    if name.endswith((".xml", ".rels", ".vml")):
        return "POWERLIST_MAX_XLSX_META_MB"
    return "POWERLIST_MAX_ZIP_PART_MB"  # images and other parts openpyxl leaves alone in read-only mode


def _scan_xlsx(path: Path) -> None:
    """Measure every part before openpyxl opens the workbook: decompressed sizes, the number of
    shared strings (openpyxl holds them all in memory) and each sheet's declared width (openpyxl
    pads every row to it)."""
    from openpyxl.utils.cell import range_boundaries

    max_strings, max_columns = limits.get("POWERLIST_MAX_SHARED_STRINGS"), limits.get("POWERLIST_MAX_COLUMNS")
    max_text = limits.get("POWERLIST_MAX_CELL_CHARS") * 4  # bytes: a character is at most 4 in UTF-8
    too_long = re.compile(rb"<[^<]{%d}" % (max_text + 1))  # tried only where a run starts: linear
    state = {"strings": 0, "tail": b"", "first": set(), "run": {}}

    def long_text(name: str, chunk: bytes) -> None:
        """A cell's text (or a tag) longer than a cell may be, shared or inline: openpyxl would
        hold it whole. A run without `<` that crosses chunks is carried over."""
        first, last = chunk.find(b"<"), chunk.rfind(b"<")
        run = state["run"].get(name, 0) + (len(chunk) if first == -1 else first)
        if run > max_text or too_long.search(chunk):
            raise limits.refusal(path.name, "POWERLIST_MAX_CELL_CHARS", "工作簿中有过长的单元格文字", field=name)
        state["run"][name] = run if first == -1 else len(chunk) - last - 1

    def visit(name: str, chunk: bytes) -> None:
        if name.endswith("sharedStrings.xml") or name.startswith("xl/worksheets/"):
            long_text(name, chunk)
        if name.endswith("sharedStrings.xml"):
            data = state["tail"] + chunk
            state["strings"] += len(_SHARED_STRING.findall(data))
            state["tail"] = data[-8:]  # a tag cut between chunks is counted once: the tail is too short to hold one
            state["strings"] -= len(_SHARED_STRING.findall(state["tail"]))
            if state["strings"] > max_strings:
                raise limits.refusal(path.name, "POWERLIST_MAX_SHARED_STRINGS", "共享字符串表的条数", field=name)
        elif name.startswith("xl/worksheets/") and name not in state["first"]:
            state["first"].add(name)
            m = _DIMENSION.search(chunk[:4096])
            if m:
                try:
                    min_col, _r1, max_col, _r2 = range_boundaries(m.group(1).decode())
                except ValueError:
                    return
                if min_col and max_col and max_col - min_col + 1 > max_columns:
                    raise limits.refusal(path.name, "POWERLIST_MAX_COLUMNS",
                                         f"工作表 {name.rsplit('/', 1)[-1]} 有 {max_col - min_col + 1} 列"
                                         f"（{m.group(1).decode()}）", row=1, field=name)

    bounded.scan_zip(path, _xlsx_part_limit, visit)


# Parsing XLSX is pure Python and as slow as everything else an import does, so a second
# process reads the sheet while this one checks and writes: on two cores the import then takes
# about as long as the reading alone. Rows cross in batches through a bounded queue, so memory
# stays flat whatever the file's size.
_QUEUE = 16


def _xlsx_rows(path: Path, sheet: int, first_row: int, columns: dict[int, str]):
    import multiprocessing

    from powerlist.catalog.xlsx_reader import read_sheet

    context = multiprocessing.get_context("spawn")  # no inherited database connections
    queue = context.Queue(maxsize=_QUEUE)
    bounds = (limits.get("POWERLIST_MAX_ROWS"), limits.get("POWERLIST_MAX_COLUMNS"))
    max_cell = limits.get("POWERLIST_MAX_CELL_CHARS")
    reader = context.Process(target=read_sheet, args=(str(path), sheet, first_row, queue, bounds), daemon=True)
    reader.start()
    try:
        while True:
            try:
                kind, payload = queue.get(timeout=60)
            except Exception:  # noqa: BLE001 - queue.Empty: the reader died without a word
                if not reader.is_alive():
                    raise _refuse(path, "读取工作表时出错：读取进程意外退出") from None
                continue
            if kind == "rows":
                for number, row in payload:
                    yield _cells(path, number, row, columns, max_cell)
            elif kind == "limit":
                name, found, row = payload
                raise limits.refusal(path.name, name, found, row=row)
            elif kind == "error":
                raise _refuse(path, f"读取工作表时出错：{payload}")
            else:
                return
    finally:
        if reader.is_alive():
            reader.terminate()
        reader.join(timeout=5)


def open_json(path: Path, mapping: dict[str, str], required: tuple = IMPORT_REQUIRED) -> Source:
    data = bounded.load_json_file(path)
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise _refuse(path, "JSON 应为事项数组，或含 items 数组的对象（即本系统导出的格式）")
    source = Source(path, "json", "utf-8")
    max_rows, max_columns = limits.get("POWERLIST_MAX_ROWS"), limits.get("POWERLIST_MAX_COLUMNS")

    def rows():
        for number, obj in enumerate(items, start=1):
            _check_rows(path, number, max_rows)
            if not isinstance(obj, dict):
                yield number, {"__invalid__": obj}
                continue
            if "name" in obj or "code" in obj:  # our own nested document
                yield number, obj
                continue
            keys = list(obj)
            _check_columns(path, number, keys, max_columns)
            columns, _ignored = match_headers(keys, mapping)
            yield number, {"__flat__": True} | {f: obj[keys[i]] for i, f in columns.items()}

    source.rows = rows()
    return source


def open_source(path: str | Path, mapping: dict[str, str] | None = None,
                required: tuple = IMPORT_REQUIRED) -> Source:
    path = Path(path)
    mapping = mapping or {}
    fmt = sniff_format(path)
    bounded.check_size(path)
    opener = {"csv": open_csv, "xlsx": open_xlsx, "json": open_json}[fmt]
    try:
        return opener(path, mapping, required)
    except InvalidInput:
        raise
    except (UnicodeDecodeError, csv.Error, io.UnsupportedOperation) as exc:
        raise _refuse(path, f"无法读取：{exc}") from None
