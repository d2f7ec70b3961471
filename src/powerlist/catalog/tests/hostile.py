"""Hostile files, made on the spot (never committed): what an attacker, or a broken export, sends
to the importer. Used by the tests and by bench/hostile_bench.py."""

import io
import struct
import zipfile
from pathlib import Path

HEADER = "职权编码,事项名称,事项类型,实施主体"
ROW = "{code},事项{code},行政许可,岳塘区教育局"


def _base_workbook() -> dict[str, bytes]:
    """The parts of a small, valid workbook written by openpyxl (header and one row)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.split(","))
    ws.append(ROW.format(code="X001").split(","))
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _write_xlsx(path: Path, parts: dict[str, bytes | None], streams: dict | None = None) -> Path:
    """A workbook from openpyxl's parts with some replaced; `streams` maps a part name to an
    iterator of byte chunks, written without holding the whole part in memory."""
    base = _base_workbook()
    base.update({k: v for k, v in parts.items() if v is not None})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in base.items():
            if streams and name in streams:
                continue
            zf.writestr(name, data)
        for name, chunks in (streams or {}).items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as fh:
                for chunk in chunks:
                    fh.write(chunk)
    return path


def _content_types_with_shared_strings(base: dict[str, bytes]) -> bytes:
    types = base["[Content_Types].xml"]
    if b"sharedStrings" in types:
        return types
    return types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                      b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')


def xlsx_shared_strings_bomb(path: Path, inflated: int = 1 << 30, text: bytes = b"A" * 1000) -> Path:
    """About 3 MB on disk; its sharedStrings.xml inflates to `inflated` bytes of one repeated
    string entry (a zip bomb aimed at openpyxl, which reads the table whole)."""
    base = _base_workbook()
    entry = b"<si><t>" + text + b"</t></si>"
    head = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    tail = b"</sst>"
    block = entry * 1000

    def chunks():
        yield head
        written = len(head) + len(tail)
        while written + len(block) <= inflated:
            yield block
            written += len(block)
        yield tail

    return _write_xlsx(path, {"[Content_Types].xml": _content_types_with_shared_strings(base)},
                       {"xl/sharedStrings.xml": chunks()})


def xlsx_lying_sizes(path: Path, inflated: int = 64 << 20) -> Path:
    """The same bomb whose zip directory declares its shared strings 1 KB: only a counting read
    sees the truth."""
    xlsx_shared_strings_bomb(path, inflated)
    data = bytearray(path.read_bytes())
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:  # central directory entries
        name_len, extra_len = struct.unpack_from("<HH", data, pos + 28)
        if data[pos + 46:pos + 46 + name_len] != b"xl/sharedStrings.xml":
            pos += 4
            continue
        if struct.unpack_from("<I", data, pos + 24)[0] != 0xFFFFFFFF:
            struct.pack_into("<I", data, pos + 24, 1024)
        extra = pos + 46 + name_len  # zip64 extra field: the real sizes live here
        end = extra + extra_len
        while extra + 4 <= end:
            tag, size = struct.unpack_from("<HH", data, extra)
            if tag == 1 and size >= 8:
                struct.pack_into("<Q", data, extra + 4, 1024)
            extra += 4 + size
        pos += 4
    path.write_bytes(bytes(data))
    return path


def xlsx_many_shared_strings(path: Path, count: int = 3_000_000) -> Path:
    """Within the byte limit, but millions of one-letter strings (each a Python object to openpyxl)."""
    return xlsx_shared_strings_bomb(path, inflated=count * len(b"<si><t>a</t></si>"), text=b"a")


def xlsx_wide_sheet(path: Path, columns: int = 16384) -> Path:
    """A sheet that declares itself `columns` wide (A1:XFD2 at Excel's widest): openpyxl pads
    every row it reads to that width."""
    from openpyxl.utils import get_column_letter

    base = _base_workbook()
    sheet = base["xl/worksheets/sheet1.xml"]
    start = sheet.index(b"<dimension")
    stop = sheet.index(b"/>", start) + 2
    sheet = sheet[:start] + f'<dimension ref="A1:{get_column_letter(columns)}2"/>'.encode() + sheet[stop:]
    return _write_xlsx(path, {"xl/worksheets/sheet1.xml": sheet})


def xlsx_with_huge_inline_cell(path: Path, size: int = 50 << 20, row: int = 12) -> Path:
    """A sheet whose row `row` holds a `size`-character inline string: no shared strings to count,
    the text sits in the worksheet, which openpyxl streams element by element."""
    sheet = _base_workbook()["xl/worksheets/sheet1.xml"]
    head, tail = sheet.split(b"</sheetData>")

    def chunks():
        yield head
        yield f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>'.encode()
        block = b"x" * (1 << 20)
        for _ in range(size // len(block)):
            yield block
        yield b"</t></is></c></row></sheetData>" + tail

    return _write_xlsx(path, {}, {"xl/worksheets/sheet1.xml": chunks()})


def deep_json(path: Path, depth: int = 100_000) -> Path:
    path.write_text('{"items": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    return path


def csv_with_huge_cell(path: Path, size: int = 50 << 20, row: int = 12) -> Path:
    """A list whose row `row` (as a spreadsheet numbers it) has a `size`-character cell."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + "\n")
        for n in range(2, row):
            fh.write(ROW.format(code=f"X{n:03d}") + "\n")
        fh.write(f"X{row:03d},")
        block = "x" * (1 << 20)
        for _ in range(size // len(block)):
            fh.write(block)
        fh.write(",行政许可,岳塘区教育局\n")
    return path


def csv_with_many_columns(path: Path, columns: int = 200_000) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + "," * columns + "\n")
        fh.write(ROW.format(code="X001") + "\n")
    return path


HOSTILE = {
    "xlsx-shared-strings-bomb": ("bomb.xlsx", xlsx_shared_strings_bomb),
    "xlsx-bomb-with-lying-sizes": ("lying.xlsx", xlsx_lying_sizes),
    "xlsx-3-million-shared-strings": ("strings.xlsx", xlsx_many_shared_strings),
    "xlsx-16384-columns": ("wide.xlsx", xlsx_wide_sheet),
    "xlsx-50MB-inline-cell-on-row-12": ("inline.xlsx", xlsx_with_huge_inline_cell),
    "json-100000-deep": ("deep.json", deep_json),
    "csv-50MB-cell-on-row-12": ("huge-cell.csv", csv_with_huge_cell),
    "csv-200000-columns": ("wide.csv", csv_with_many_columns),
}
