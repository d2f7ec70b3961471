"""Reading a file of pushed case events (`powerlist events import`): CSV (UTF-8 with or without
BOM, or GB18030) or XLSX, with exactly the columns
`case,item_code,jurisdiction,step,action,actor,at,amount,penalty_type,discretion` (in any order,
the last three may be left out) in the first row. Rows are streamed and read within the limits of
`powerlist.core.limits` (file size, rows, columns, cell length), as the item importer reads lists.

A reader yields (row number as a spreadsheet shows it, {column: text})."""

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from powerlist.catalog import readers
from powerlist.core import bounded, limits
from powerlist.core.errors import InvalidInput, Problem
from powerlist.operation.services.ingest import FIELDS

OPTIONAL = ("amount", "penalty_type", "discretion")


def _refuse(path: Path, expected: str, row: int | None = None, field: str = "", value: str = "") -> InvalidInput:
    return InvalidInput([Problem(path.name, row, field, value, expected)])


def _columns(path: Path, header: list) -> dict[int, str]:
    names = [("" if h is None else str(h)).strip().lstrip("\ufeff").lower() for h in header]
    unknown = [n for n in names if n and n not in FIELDS]
    missing = [f for f in FIELDS if f not in names and f not in OPTIONAL]
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if unknown or missing or twice:
        what = "；".join(part for part in (
            f"缺少列 {', '.join(missing)}" if missing else "", f"不认识的列 {', '.join(unknown)}" if unknown else "",
            f"重复的列 {', '.join(twice)}" if twice else "") if part)
        raise _refuse(path, f"第一行应为列名 {','.join(FIELDS)}（{what}）", row=1,
                      value=",".join(n for n in names if n)[:100])
    return {i: n for i, n in enumerate(names) if n}


def count_rows(path: Path) -> int | None:
    """Data rows of a CSV file, counted fast for the progress bar (None for a workbook)."""
    if path.suffix.lower() not in (".csv", ".txt", ""):
        return None
    lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def read(path: str | Path) -> Iterator[tuple[int, dict]]:
    """The file's rows; InvalidInput naming the file (and row) when it cannot be read."""
    path = Path(path)
    fmt = readers.sniff_format(path)
    bounded.check_size(path)
    if fmt == "xlsx":
        return _xlsx(path)
    if fmt != "csv":
        raise _refuse(path, "应为 .csv 或 .xlsx 文件")
    return _csv(path)


def _csv(path: Path) -> Iterator[tuple[int, dict]]:
    encoding = readers.detect_encoding(path)
    max_cell, max_rows = limits.get("POWERLIST_MAX_CELL_CHARS"), limits.get("POWERLIST_MAX_ROWS")
    csv.field_size_limit(max_cell * readers.ROW_CELLS)
    fh = path.open(encoding=encoding, newline="")
    reader = csv.reader(readers._bounded_lines(fh, max_cell * readers.ROW_CELLS))
    number = 1
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise _refuse(path, "文件是空的：第一行应为列名 " + ",".join(FIELDS)) from None
        columns = _columns(path, header)
        for row in reader:
            number += 1
            if number > max_rows + 1:
                raise limits.refusal(path.name, "POWERLIST_MAX_ROWS", f"文件超过 {max_rows} 行", row=number)
            if not any(v.strip() for v in row):
                continue
            if len(row) > len(header):
                raise _refuse(path, f"这一行有 {len(row)} 列，表头只有 {len(header)} 列", row=number)
            yield number, _cells(path, number, row, columns, max_cell)
    except (csv.Error, readers._LineTooLong) as exc:
        if isinstance(exc, readers._LineTooLong) or "field larger" in str(exc):
            raise limits.refusal(path.name, "POWERLIST_MAX_CELL_CHARS", "这一行有过长的单元格", row=number + 1) from None
        raise _refuse(path, f"不是有效的 CSV（{exc}）", row=number + 1) from None
    except UnicodeDecodeError:
        raise _refuse(path, "编码无法识别：请另存为 UTF-8 编码的 CSV", row=number + 1) from None
    finally:
        fh.close()


def _cells(path: Path, number: int, row, columns: dict[int, str], max_cell: int) -> dict:
    cells = {}
    for i, name in columns.items():
        value = row[i] if i < len(row) else None
        if isinstance(value, float) and value.is_integer():
            value = str(int(value))
        elif isinstance(value, (dt.datetime, dt.date)):
            value = value.isoformat()
        elif value is not None and not isinstance(value, str):
            value = str(value)
        if value is not None and len(value) > max_cell:
            raise limits.refusal(path.name, "POWERLIST_MAX_CELL_CHARS", f"单元格有 {len(value)} 个字符", row=number,
                                 field=name, value=value[:40])
        cells[name] = readers._unguard(value)
    return cells


def _xlsx(path: Path) -> Iterator[tuple[int, dict]]:
    import openpyxl

    import powerlist.catalog.xlsx_reader  # noqa: F401 - opens sheets without reading them whole

    readers._scan_xlsx(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever a malformed workbook makes openpyxl raise
        raise _refuse(path, f"不是有效的 Excel 工作簿（{exc.__class__.__name__}）") from None
    max_cell, max_rows = limits.get("POWERLIST_MAX_CELL_CHARS"), limits.get("POWERLIST_MAX_ROWS")
    max_columns = limits.get("POWERLIST_MAX_COLUMNS")
    try:
        if not wb.worksheets:
            raise _refuse(path, "工作簿中没有工作表")
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise _refuse(path, "工作表是空的：第一行应为列名 " + ",".join(FIELDS))
        columns = _columns(path, list(header))
        for number, row in enumerate(rows, start=2):
            if number > max_rows + 1:
                raise limits.refusal(path.name, "POWERLIST_MAX_ROWS", f"文件超过 {max_rows} 行", row=number)
            if len(row) > max_columns:
                raise limits.refusal(path.name, "POWERLIST_MAX_COLUMNS", f"这一行有 {len(row)} 列", row=number)
            if all(v is None or str(v).strip() == "" for v in row):
                continue
            yield number, _cells(path, number, row, columns, max_cell)
    except InvalidInput:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet openpyxl cannot read
        raise _refuse(path, f"读取工作表时出错（{exc.__class__.__name__}）") from None
    finally:
        wb.close()
